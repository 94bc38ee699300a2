/* distcc.c: parses distcc's host list into hosts, ports and slots, as distcc
 * itself reads DISTCC_HOSTS. Never connects, prints or exits. */
#include "distcc.h"
#include "alloc.h"
#include "error.h"
#include "strbuf.h"
#include "strvec.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define DISTCC_PORT 3632
#define SSH_PORT 22
#define DEFAULT_SLOTS 4
#define LOCAL_SLOTS 2

static int bad_host(const char *word, const char *why)
{
	gate_error("bad distcc host '%s' in [defaults] distcc_hosts: %s", word, why);
	return gate_error_hint("write HOST[:PORT][/SLOTS], [USER]@HOST[/SLOTS] or localhost[/SLOTS] (man distcc)");
}

/* A decimal number from *p on, at least 1; *p moves past it. */
static int number(const char **p, unsigned int max, unsigned int *out)
{
	char *end;
	unsigned long v;

	if (!isdigit((unsigned char)**p))
		return -1;
	v = strtoul(*p, &end, 10);
	if (!v || v > max)
		return -1;
	*p = end;
	*out = (unsigned int)v;
	return 0;
}

/* HOST or [IPV6] at the start of s; returns where it ends. */
static const char *host_id(const char *s, char **out)
{
	const char *end;

	if (*s == '[') {
		end = strchr(s, ']');
		if (!end)
			return NULL;
		*out = strndup(s + 1, (size_t)(end - s - 1));
		return *out ? end + 1 : NULL;
	}
	end = s + strcspn(s, ":/,");
	*out = strndup(s, (size_t)(end - s));
	return *out ? end : NULL;
}

/* What follows the host id: :PORT (or :COMMAND over ssh), /SLOTS, ,OPTIONS. */
static int host_tail(struct ctr_distcc_host *h, const char *p)
{
	while (*p && *p != ',') {
		if (*p == '/') {
			p++;
			if (number(&p, 100000, &h->slots))
				return bad_host(h->spec, "SLOTS is not a positive number");
		} else if (*p == ':' && h->kind == CTR_DISTCC_SSH) {
			p += strcspn(p, ",");	/* :COMMAND comes last */
		} else if (*p == ':' && h->kind == CTR_DISTCC_TCP) {
			p++;
			if (number(&p, 65535, &h->port))
				return bad_host(h->spec, "PORT is not a port number");
		} else {
			return bad_host(h->spec, "unexpected text after the host");
		}
	}
	return 0;
}

static int parse_word(struct ctr_distcc_host *h, const char *word)
{
	const char *at = strchr(word, '@'), *p;

	h->spec = strdup(word);
	if (!h->spec)
		return gate_error("out of memory");
	h->kind = CTR_DISTCC_TCP;
	h->port = DISTCC_PORT;
	h->slots = DEFAULT_SLOTS;
	if (at && at < word + strcspn(word, ":/,")) {
		h->kind = CTR_DISTCC_SSH;
		h->port = SSH_PORT;
		word = at + 1;
	} else if (!strncmp(word, "localhost", 9) && strchr("/,", word[9])) {
		h->kind = CTR_DISTCC_LOCAL;
		h->port = 0;
		h->slots = LOCAL_SLOTS;
	}
	p = host_id(word, &h->addr);
	if (!p)
		return h->addr ? bad_host(h->spec, "no ']' after an IPv6 address") :
				 gate_error("out of memory");
	if (!h->addr[0])
		return bad_host(h->spec, "no host name");
	return host_tail(h, p);
}

static bool not_a_host(const char *word)
{
	return !strcmp(word, "--randomize") || !strcmp(word, "+zeroconf") ||
	       !strncmp(word, "--localslots=", 13) || !strncmp(word, "--localslots_cpp=", 17);
}

int ctr_distcc_hosts_parse(struct ctr_distcc_hosts *out, const char *spec)
{
	struct strvec words = STRVEC_INIT;
	int ret = strvec_split(&words, spec);

	for (size_t i = 0; !ret && i < words.nr; i++) {
		if (not_a_host(words.v[i]))
			continue;
		ret = ALLOC_GROW(out->v, out->nr + 1, out->alloc);
		if (ret)
			break;
		memset(&out->v[out->nr], 0, sizeof(out->v[0]));
		ret = parse_word(&out->v[out->nr], words.v[i]);
		out->nr++;
	}
	strvec_dispose(&words);
	return ret ? -1 : 0;
}

void ctr_distcc_hosts_dispose(struct ctr_distcc_hosts *h)
{
	for (size_t i = 0; i < h->nr; i++) {
		free(h->v[i].spec);
		free(h->v[i].addr);
	}
	free(h->v);
	memset(h, 0, sizeof(*h));
}

unsigned int ctr_distcc_slots(const struct ctr_distcc_hosts *h)
{
	unsigned int n = 0;

	for (size_t i = 0; i < h->nr; i++)
		n += h->v[i].slots;
	return n;
}

/* ",OPTIONS" of a host word, or "" (a bracketed IPv6 address holds no comma). */
static const char *options_of(const char *word)
{
	const char *p = strchr(word, '@') ? strchr(word, '@') + 1 : word;
	const char *comma;

	if (*p == '[' && strchr(p, ']'))
		p = strchr(p, ']');
	comma = strchr(p, ',');
	return comma ? comma : "";
}

/* One word of the job's list: a TCP host through its relay, anything else as written. */
static int relay_word(struct strbuf *out, const char *word, const char *const *names,
		      size_t nr_names, size_t *used)
{
	struct ctr_distcc_host h = { 0 };
	int ret;

	if (not_a_host(word))
		return strbuf_addstr(out, word);
	ret = parse_word(&h, word);
	if (!ret && h.kind == CTR_DISTCC_TCP) {
		if (*used >= nr_names)
			GATE_BUG("fewer relay names than distcc TCP hosts");
		ret = strbuf_addf(out, "@%s/%u%s", names[(*used)++], h.slots, options_of(word));
	} else if (!ret) {
		ret = strbuf_addstr(out, word);
	}
	free(h.spec);
	free(h.addr);
	return ret ? -1 : 0;
}

int ctr_distcc_hosts_relayed(struct strbuf *out, const char *spec,
			     const char *const *names, size_t nr_names)
{
	struct strvec words = STRVEC_INIT;
	size_t used = 0;
	int ret = strvec_split(&words, spec);

	for (size_t i = 0; !ret && i < words.nr; i++)
		ret = (i && strbuf_addch(out, ' ')) ||
		      relay_word(out, words.v[i], names, nr_names, &used);
	strvec_dispose(&words);
	return ret ? -1 : 0;
}
