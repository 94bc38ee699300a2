/* ccache.c: where the shared ccache lives and how many hits and misses it counts.
 * Runs `ccache --print-stats`; never prints or exits. */
#include "ccache.h"
#include "error.h"
#include "fs.h"
#include "proc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define CCACHE_TIMEOUT_S 30

int ctr_ccache_default_dir(struct strbuf *out)
{
	if (gate_cache_root(out))
		return -1;
	return strbuf_addstr(out, "/ccache") ? gate_error("out of memory") : 0;
}

/* Adds the value of "key\tvalue" lines to *sum when key is one of keys. */
static void add_counter(const char *line, const char *const *keys,
			unsigned long long *sum)
{
	const char *tab = strchr(line, '\t');

	if (!tab)
		return;
	for (; *keys; keys++) {
		if (strlen(*keys) == (size_t)(tab - line) &&
		    !strncmp(line, *keys, (size_t)(tab - line)))
			*sum += strtoull(tab + 1, NULL, 10);
	}
}

int ctr_ccache_stats_parse(const char *text, struct ctr_ccache_stats *out)
{
	static const char *const hit_keys[] = {
		"direct_cache_hit", "preprocessed_cache_hit", NULL,
	};
	static const char *const miss_keys[] = { "cache_miss", NULL };
	static const char *const local_keys[] = { "local_storage_hit", NULL };
	static const char *const remote_keys[] = { "remote_storage_hit", NULL };
	static const char *const error_keys[] = {
		"remote_storage_error", "remote_storage_timeout", NULL,
	};
	const char *line = text;
	int seen = 0;

	memset(out, 0, sizeof(*out));
	while (*line) {
		const char *end = strchrnul(line, '\n');

		seen |= str_starts_with(line, "cache_miss\t");
		add_counter(line, hit_keys, &out->hits);
		add_counter(line, miss_keys, &out->misses);
		add_counter(line, local_keys, &out->local_hits);
		add_counter(line, remote_keys, &out->remote_hits);
		add_counter(line, error_keys, &out->remote_errors);
		line = *end ? end + 1 : end;
	}
	if (!seen)
		return gate_error("no 'cache_miss' counter in the output of 'ccache --print-stats'");
	return 0;
}

int ctr_ccache_stats(const char *dir, struct ctr_ccache_stats *out)
{
	struct strbuf text = STRBUF_INIT, err = STRBUF_INIT;
	struct proc p;
	int status, ret = -1;

	proc_init(&p);
	strvec_pushv(&p.args, (const char *[]){ "ccache", "--print-stats", NULL });
	strvec_pushf(&p.env, "CCACHE_DIR=%s", dir);
	status = proc_capture(&p, &text, &err, CCACHE_TIMEOUT_S);
	if (status) {
		strbuf_trim_trailing(&err);
		gate_error("cannot read the ccache statistics of '%s': %s", dir,
			   status == 127 || status < 0 ? "ccache is not installed" : err.buf);
		gate_error_hint("install ccache 4 or later (apt-get install ccache)");
		goto out;
	}
	ret = ctr_ccache_stats_parse(text.buf, out);
out:
	strbuf_dispose(&text);
	strbuf_dispose(&err);
	proc_dispose(&p);
	return ret;
}

static unsigned long long counter_diff(unsigned long long before,
					unsigned long long after)
{
	return after >= before ? after - before : 0;
}

struct ctr_ccache_stats ctr_ccache_stats_diff(const struct ctr_ccache_stats *before,
					      const struct ctr_ccache_stats *after)
{
	struct ctr_ccache_stats d = { 0, 0, 0, 0, 0 };

	d.hits = counter_diff(before->hits, after->hits);
	d.misses = counter_diff(before->misses, after->misses);
	d.local_hits = counter_diff(before->local_hits, after->local_hits);
	d.remote_hits = counter_diff(before->remote_hits, after->remote_hits);
	d.remote_errors = counter_diff(before->remote_errors, after->remote_errors);
	return d;
}

/* The remote storages ccache 4.7 knows, with their default ports. */
static const struct {
	const char *prefix;
	enum ctr_ccache_scheme scheme;
	unsigned int port;
} remote_schemes[] = {
	{ "redis://", CTR_CCACHE_REDIS, 6379 },
	{ "redis+unix:", CTR_CCACHE_REDIS_UNIX, 0 },
	{ "http://", CTR_CCACHE_HTTP, 80 },
	{ "file:", CTR_CCACHE_FILE, 0 },
};

static int bad_remote(const char *url, const char *why)
{
	gate_error("bad [defaults] ccache_remote '%s': %s", url, why);
	return gate_error_hint("write redis://HOST[:PORT], redis+unix:/SOCKET, http://HOST[:PORT]/PATH or file:/DIR");
}

/* HOST[:PORT] of the authority a..end, after any USER:PASSWORD@. */
static int remote_host(struct ctr_ccache_remote *r, const char *url, const char *a,
		       const char *end)
{
	const char *at = memchr(a, '@', (size_t)(end - a)), *colon;
	char *port_end;
	unsigned long port;

	if (at)
		a = at + 1;
	colon = *a == '[' ? memchr(a, ']', (size_t)(end - a)) : a;
	if (!colon)
		return bad_remote(url, "no ']' after an IPv6 address");
	colon = memchr(colon, ':', (size_t)(end - colon));
	r->host = *a == '[' ? strndup(a + 1, (size_t)((colon ? colon : end) - a - 2)) :
			      strndup(a, (size_t)((colon ? colon : end) - a));
	if (!r->host)
		return gate_error("out of memory");
	if (!r->host[0])
		return bad_remote(url, "no host");
	if (!colon)
		return 0;
	port = strtoul(colon + 1, &port_end, 10);
	if (!isdigit((unsigned char)colon[1]) || port_end != end || !port || port > 65535)
		return bad_remote(url, "the port is not a port number");
	r->port = (unsigned int)port;
	return 0;
}

/* redis+unix:/SOCKET, redis+unix:///SOCKET or file: likewise; ?query dropped. */
static int remote_path(struct ctr_ccache_remote *r, const char *url, const char *p,
		       const char *end)
{
	if (!strncmp(p, "//", 2))
		p += 2;
	end = p + strcspn(p, "?|");
	if (*p != '/')
		return bad_remote(url, "the path is not absolute");
	r->path = strndup(p, (size_t)(end - p));
	return r->path ? 0 : gate_error("out of memory");
}

/* The URL as given, less USER:PASSWORD@, which must not reach a report. */
static int remote_shown(struct ctr_ccache_remote *r, const char *url, size_t plen)
{
	const char *a = url + plen, *end = a + strcspn(a, "/|"), *at;
	struct strbuf sb = STRBUF_INIT;

	at = r->host ? memchr(a, '@', (size_t)(end - a)) : NULL;
	if (strbuf_add(&sb, url, plen) || strbuf_addstr(&sb, at ? at + 1 : a)) {
		strbuf_dispose(&sb);
		return gate_error("out of memory");
	}
	r->shown = strbuf_detach(&sb, NULL);
	return 0;
}

int ctr_ccache_remote_parse(struct ctr_ccache_remote *r, const char *url)
{
	size_t i, n = sizeof(remote_schemes) / sizeof(remote_schemes[0]), plen;
	const char *a;
	int ret;

	memset(r, 0, sizeof(*r));
	for (i = 0; i < n && !str_starts_with(url, remote_schemes[i].prefix); i++)
		;
	if (i == n)
		return bad_remote(url, "ccache's remote storages are redis, redis+unix, http and file");
	r->scheme = remote_schemes[i].scheme;
	r->port = remote_schemes[i].port;
	plen = strlen(remote_schemes[i].prefix);
	a = url + plen;
	if (r->port)
		ret = remote_host(r, url, a, a + strcspn(a, "/|"));
	else
		ret = remote_path(r, url, a, a + strlen(a));
	if (!ret)
		ret = remote_shown(r, url, plen);
	if (ret)
		ctr_ccache_remote_dispose(r);
	return ret;
}

void ctr_ccache_remote_dispose(struct ctr_ccache_remote *r)
{
	free(r->host);
	free(r->path);
	free(r->shown);
	memset(r, 0, sizeof(*r));
}

int ctr_ccache_remote_relayed(struct strbuf *out, const char *url, const char *socket)
{
	const char *a = url + strlen("redis://"), *end = a + strcspn(a, "/|");
	const char *at = NULL, *attrs = end + strcspn(end, "|"), *db = end;
	int ret;

	if (!str_starts_with(url, "redis://"))
		GATE_BUG("ctr_ccache_remote_relayed() of a URL that is not redis://");
	for (const char *p = a; p < end; p++)
		if (*p == '@')
			at = p;
	if (*db == '/')
		db++;
	ret = strbuf_addstr(out, "redis+unix://") ||
	      (at && (strbuf_add(out, a, (size_t)(at - a)) || strbuf_addstr(out, "@localhost"))) ||
	      strbuf_addstr(out, socket) ||
	      (db < attrs && strbuf_addstr(out, "?db=")) ||
	      strbuf_add(out, db, (size_t)(attrs - db)) || strbuf_addstr(out, attrs);
	return ret ? gate_error("out of memory") : 0;
}

void ctr_ccache_json_remote(json_t *c, const char *shown, const struct ctr_ccache_stats *d)
{
	if (!c || !shown)
		return;
	json_object_set_new(c, "remote", json_string(shown));
	json_object_set_new(c, "local_hits", json_integer((json_int_t)d->local_hits));
	json_object_set_new(c, "remote_hits", json_integer((json_int_t)d->remote_hits));
	json_object_set_new(c, "remote_errors", json_integer((json_int_t)d->remote_errors));
}
