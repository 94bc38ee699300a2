/* waiver.c: parses .mkt-gate-waivers and matches findings against it.
 * Marks findings as waived; never hides, prints or exits. */
#include "waiver.h"
#include "alloc.h"
#include "error.h"
#include "strbuf.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* A waiver file is written by people: 1 MiB is far beyond any real one. */
#define WAIVERS_FILE_MAX ((size_t)1 << 20)

/* fingerprint[0] is set for a fingerprint waiver, the patterns otherwise. */
struct waiver {
	char fingerprint[17];
	char *analyzer;
	char *rule;
	char *path;
	char *message;		/* "*substring*", or NULL */
};

struct waivers {
	struct waiver *v;
	size_t nr;
	size_t alloc;
};

static void waiver_dispose(struct waiver *w)
{
	free(w->analyzer);
	free(w->rule);
	free(w->path);
	free(w->message);
}

void waivers_free(struct waivers *w)
{
	if (!w)
		return;
	for (size_t i = 0; i < w->nr; i++)
		waiver_dispose(&w->v[i]);
	free(w->v);
	free(w);
}

size_t waivers_count(const struct waivers *w)
{
	return w ? w->nr : 0;
}

static int waivers_add(struct waivers *w, struct waiver *one)
{
	if (ALLOC_GROW(w->v, w->nr + 1, w->alloc))
		return -1;
	w->v[w->nr++] = *one;
	return 0;
}

static bool is_fingerprint(const char *s)
{
	size_t n = strspn(s, "0123456789abcdefABCDEF");

	return n == 16 && !s[n];
}

/* Cuts "# reason" off and trims; returns the waiver text, "" when none. */
static char *waiver_text(char *line)
{
	char *end;

	while (isspace((unsigned char)*line))
		line++;
	if (*line == '#')
		*line = '\0';
	for (char *p = line; *p; p++) {
		if (*p == '#' && p > line && (p[-1] == ' ' || p[-1] == '\t')) {
			*p = '\0';
			break;
		}
	}
	end = line + strlen(line);
	while (end > line && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return line;
}

/* Splits "analyzer:rule:path[:message]" in place; false when malformed. */
static bool split_pattern(char *s, char *field[4])
{
	field[3] = NULL;
	for (int i = 0; i < 3; i++) {
		char *colon = strchr(s, ':');

		field[i] = s;
		if (!colon && i < 2)
			return false;
		if (colon) {
			*colon = '\0';
			s = colon + 1;
			if (i == 2)
				field[3] = s;
		}
		if (!*field[i])
			return false;
	}
	return !field[3] || *field[3];
}

static int parse_pattern(struct waiver *w, char *text)
{
	char *field[4];

	if (!split_pattern(text, field))
		return 1;
	w->analyzer = strdup(field[0]);
	w->rule = strdup(field[1]);
	w->path = strdup(field[2]);
	if (field[3] && asprintf(&w->message, "*%s*", field[3]) < 0)
		w->message = NULL;
	if (!w->analyzer || !w->rule || !w->path || (field[3] && !w->message))
		return gate_error("out of memory");
	return 0;
}

/* 0 for a waiver or nothing, 1 for a bad line, -1 when out of memory. */
static int parse_line(struct waivers *set, char *line)
{
	struct waiver w = { { 0 } };
	char *text = waiver_text(line);
	int ret;

	if (!*text)
		return 0;
	if (is_fingerprint(text)) {
		for (int i = 0; i < 16; i++)
			w.fingerprint[i] = (char)tolower((unsigned char)text[i]);
		return waivers_add(set, &w);
	}
	ret = parse_pattern(&w, text);
	if (!ret)
		ret = waivers_add(set, &w);
	if (ret)
		waiver_dispose(&w);
	return ret;
}

static int bad_line(const char *origin, unsigned int lineno, const char *line)
{
	gate_error("%s:%u: bad waiver '%.80s'", origin, lineno, line);
	gate_error_hint("a waiver is a 16-hex fingerprint or analyzer:rule:path-glob[:message], then an optional '# reason'");
	return -1;
}

static int parse_text(struct waivers *set, const char *origin, const char *text,
		      size_t len)
{
	struct strbuf line = STRBUF_INIT;
	unsigned int lineno = 0;
	size_t pos = 0;
	int ret = 0;

	while (pos < len && !ret) {
		const char *start = text + pos;
		const char *nl = memchr(start, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - start) : len - pos;

		lineno++;
		pos += n + 1;
		strbuf_reset(&line);
		if (memchr(start, '\0', n)) {
			ret = bad_line(origin, lineno, "(a NUL byte)");
			break;
		}
		if (strbuf_add(&line, start, n)) {
			ret = -1;
			break;
		}
		ret = parse_line(set, line.buf);
		if (ret > 0) {
			strbuf_reset(&line);
			strbuf_add(&line, start, n);
			ret = bad_line(origin, lineno, line.buf);
		}
	}
	strbuf_dispose(&line);
	return ret;
}

int waivers_parse(struct waivers **out, const char *origin, const char *text,
		  size_t len)
{
	struct waivers *set = calloc(1, sizeof(*set));

	*out = NULL;
	if (!set)
		return gate_error("out of memory");
	if (parse_text(set, origin, text, len)) {
		waivers_free(set);
		return -1;
	}
	*out = set;
	return 0;
}

int waivers_load(struct waivers **out, const char *path)
{
	struct strbuf text = STRBUF_INIT;
	struct stat st;
	int ret;

	*out = NULL;
	if (stat(path, &st) && errno == ENOENT)
		return waivers_parse(out, path, "", 0);
	text.cap = WAIVERS_FILE_MAX;
	ret = strbuf_read_file(&text, path);
	if (!ret)
		ret = waivers_parse(out, path, text.buf, text.len);
	strbuf_dispose(&text);
	return ret;
}

/* Whether s matches pat, where '*' matches any run of characters. */
static bool glob_match(const char *pat, const char *s)
{
	const char *star = NULL, *resume = NULL;

	while (*s) {
		if (*pat == '*') {
			star = ++pat;
			resume = s;
		} else if (*pat == *s) {
			pat++;
			s++;
		} else if (star) {
			pat = star;
			s = ++resume;
		} else {
			return false;
		}
	}
	while (*pat == '*')
		pat++;
	return !*pat;
}

static bool rule_match(const char *pat, const struct finding *f)
{
	const char *rule = f->rule ? f->rule : "";
	size_t n = f->analyzer ? strlen(f->analyzer) : 0;

	if (glob_match(pat, rule))
		return true;
	return n && !strncmp(rule, f->analyzer, n) && rule[n] == ':' &&
	       glob_match(pat, rule + n + 1);
}

static bool waiver_match(const struct waiver *w, const struct finding *f)
{
	if (w->fingerprint[0])
		return !strcmp(w->fingerprint, f->fingerprint);
	return glob_match(w->analyzer, f->analyzer ? f->analyzer : "") &&
	       rule_match(w->rule, f) &&
	       glob_match(w->path, f->file ? f->file : "") &&
	       (!w->message || glob_match(w->message, f->message ? f->message : ""));
}

bool waivers_match(const struct waivers *w, const struct finding *f)
{
	for (size_t i = 0; w && i < w->nr; i++)
		if (waiver_match(&w->v[i], f))
			return true;
	return false;
}

void waivers_apply(const struct waivers *w, struct finding_list *l)
{
	for (size_t i = 0; i < l->nr; i++)
		if (waivers_match(w, &l->v[i]))
			l->v[i].waived = true;
}
