/* output.c: the line cursor, pattern and path helpers every output parser
 * shares. Reads untrusted bytes; never prints or exits. */
#include "output.h"
#include "error.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void an_regex_compile(struct an_regex *v, size_t n)
{
	int errcode;
	PCRE2_SIZE erroff;

	for (size_t i = 0; i < n; i++)
		v[i].code = pcre2_compile((PCRE2_SPTR)v[i].pattern,
					  PCRE2_ZERO_TERMINATED, 0, &errcode,
					  &erroff, NULL);
}

/* The canonical form of dir when it differs from dir, else NULL. */
static char *canonical_other(const char *dir)
{
	char *real = dir && *dir ? realpath(dir, NULL) : NULL;

	if (real && !strcmp(real, dir)) {
		free(real);
		real = NULL;
	}
	return real;
}

int an_output_init(struct an_output *o, struct finding_list *out,
		   const char *text, size_t len,
		   const struct an_parse_opts *opts)
{
	memset(o, 0, sizeof(*o));
	o->out = out;
	o->opts = opts;
	o->first = out->nr;
	o->next = text ? text : "";
	o->end = o->next + (text ? len : 0);
	o->used = true;
	/* Tools print the canonical paths of directories given through symlinks. */
	o->real[0] = canonical_other(opts->root);
	o->real[1] = canonical_other(opts->build_root);
	o->roots[0] = opts->root;
	o->roots[1] = opts->build_root;
	o->roots[2] = o->real[0];
	o->roots[3] = o->real[1];
	strbuf_init(&o->line, 256);
	/* Enough pairs for every pattern of this folder. */
	o->md = pcre2_match_data_create(16, NULL);
	if (!o->md) {
		strbuf_dispose(&o->line);
		free(o->real[0]);
		free(o->real[1]);
		return gate_error("out of memory");
	}
	return 0;
}

/* Skips an escape sequence starting at p (an ESC) and returns what follows. */
static const char *skip_escape(const char *p, const char *end)
{
	p++;
	if (p < end && *p == '[') {
		for (p++; p < end && *p != '\n'; p++)
			if ((unsigned char)*p >= 0x40 && (unsigned char)*p <= 0x7e)
				return p + 1;
		return p;
	}
	if (p < end && *p == ']') {
		for (p++; p < end && *p != '\n' && *p != '\a'; p++)
			if (*p == 0x1b)
				return p + 1 < end ? p + 2 : p + 1;
		return p < end && *p == '\a' ? p + 1 : p;
	}
	return p < end && *p != '\n' ? p + 1 : p;
}

/* gcc quotes with U+2018/U+2019 (and U+201C/U+201D) in UTF-8 locales. */
static int typographic_quote(const char *p, const char *end)
{
	if (end - p < 3 || (unsigned char)p[0] != 0xe2 ||
	    (unsigned char)p[1] != 0x80)
		return 0;
	switch ((unsigned char)p[2]) {
	case 0x98:
	case 0x99:
		return '\'';
	case 0x9c:
	case 0x9d:
		return '"';
	default:
		return 0;
	}
}

/*
 * The length of the well-formed UTF-8 sequence at p (RFC 3629: no
 * overlong forms, no surrogates, nothing above U+10FFFF), 0 when there is
 * none.
 */
static size_t utf8_len(const unsigned char *p, const unsigned char *end)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t n;

	if (p[0] < 0x80)
		return 1;
	if (p[0] < 0xc2 || p[0] > 0xf4)
		return 0;
	n = p[0] < 0xe0 ? 2 : p[0] < 0xf0 ? 3 : 4;
	if (p[0] == 0xe0)
		lo = 0xa0;
	else if (p[0] == 0xed)
		hi = 0x9f;
	else if (p[0] == 0xf0)
		lo = 0x90;
	else if (p[0] == 0xf4)
		hi = 0x8f;
	if ((size_t)(end - p) < n || p[1] < lo || p[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if (p[i] < 0x80 || p[i] > 0xbf)
			return 0;
	return n;
}

/*
 * Appends the line at p, cleaned, to sb; returns where the next line
 * starts. A byte that starts no UTF-8 sequence becomes U+FFFD: tool
 * output quotes the sources in whatever encoding they have, and a finding
 * must still go into the JSON report, which is UTF-8.
 */
static const char *clean_line(struct strbuf *sb, const char *p, const char *end,
			      int *err)
{
	while (p < end && *p != '\n') {
		int q = typographic_quote(p, end);
		size_t n = q ? 3 : utf8_len((const unsigned char *)p,
					    (const unsigned char *)end);
		size_t add = q || n == 1 ? 1 : n ? n : 3;
		char c = q ? (char)q : *p;

		if (*p == 0x1b) {
			p = skip_escape(p, end);
			continue;
		}
		p += n ? n : 1;
		if (c == '\r' || c == '\0' || sb->len + add > AN_OUTPUT_MAX_LINE)
			continue;
		if (add == 1)
			*err = strbuf_addch(sb, c);
		else
			*err = n ? strbuf_add(sb, p - n, n) : strbuf_addstr(sb, "\xef\xbf\xbd");
		if (*err)
			break;
	}
	return p < end ? p + 1 : p;
}

int an_utf8_append(struct strbuf *sb, const char *s, size_t len)
{
	const char *end = s + len;

	while (s < end) {
		size_t n = utf8_len((const unsigned char *)s, (const unsigned char *)end);

		if (n ? strbuf_add(sb, s, n) : strbuf_addstr(sb, "\xef\xbf\xbd"))
			return -1;
		s += n ? n : 1;
	}
	return 0;
}

static struct an_regex diagnostic_like =
	AN_REGEX("^[^\\s:][^:]*:\\d+(?::\\d+)?: (?:fatal )?(?:warning|error): ");

static pthread_once_t diagnostic_once = PTHREAD_ONCE_INIT;

static void compile_diagnostic(void)
{
	an_regex_compile(&diagnostic_like, 1);
}

static bool match_diagnostic(const struct strbuf *line, pcre2_match_data *md)
{
	pthread_once(&diagnostic_once, compile_diagnostic);
	if (!diagnostic_like.code || (!memmem(line->buf, line->len, "error: ", 7) &&
					!memmem(line->buf, line->len, "warning: ", 9)))
		return false;
	return pcre2_match(diagnostic_like.code, (PCRE2_SPTR)line->buf, line->len, 0,
			   0, md, NULL) >= 0;
}

bool an_diagnostic_like(const char *text, size_t len)
{
	struct strbuf line = STRBUF_INIT;
	pcre2_match_data *md = pcre2_match_data_create(4, NULL);
	int err = 0;
	bool ret;

	clean_line(&line, text, text + len, &err);
	ret = md && !err && match_diagnostic(&line, md);
	pcre2_match_data_free(md);
	strbuf_dispose(&line);
	return ret;
}

/* A line that looks like a diagnostic but went into no finding is not dropped silently. */
static void note_unread(struct an_output *o)
{
	struct strbuf *u = o->opts->unread;
	bool unread = !o->used && u && match_diagnostic(&o->line, o->md);

	o->used = true;
	if (!unread)
		return;
	if (u->len < AN_OUTPUT_MAX_UNREAD &&
	    (strbuf_addbuf(u, &o->line) || strbuf_addch(u, '\n')))
		o->err = -1;
}

bool an_output_next(struct an_output *o)
{
	note_unread(o);
	if (o->next >= o->end || o->err)
		return false;
	strbuf_reset(&o->line);
	o->used = false;
	o->next = clean_line(&o->line, o->next, o->end, &o->err);
	return !o->err;
}

bool an_output_match(struct an_output *o, const struct an_regex *re)
{
	if (!re->code)
		return false;
	return pcre2_match(re->code, (PCRE2_SPTR)o->line.buf, o->line.len, 0,
			   0, o->md, NULL) >= 0;
}

const char *an_output_group(struct an_output *o, int n, size_t *len)
{
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(o->md);

	if ((uint32_t)n >= pcre2_get_ovector_count(o->md) ||
	    ov[2 * n] == PCRE2_UNSET) {
		*len = 0;
		return NULL;
	}
	*len = ov[2 * n + 1] - ov[2 * n];
	return o->line.buf + ov[2 * n];
}

unsigned int an_output_group_uint(struct an_output *o, int n)
{
	size_t len;
	const char *s = an_output_group(o, n, &len);
	unsigned long v = 0;

	for (size_t i = 0; s && i < len && s[i] >= '0' && s[i] <= '9'; i++) {
		v = v * 10 + (s[i] - '0');
		if (v > 99999999)
			return 0;	/* nonsense, not a line number */
	}
	return v;
}

void an_output_group_add(struct an_output *o, int n, struct strbuf *sb)
{
	size_t len;
	const char *s = an_output_group(o, n, &len);

	if (s && strbuf_add(sb, s, len))
		o->err = -1;
}

char *an_output_group_dup(struct an_output *o, int n)
{
	size_t len;
	const char *s = an_output_group(o, n, &len);
	char *d;

	if (!s)
		return NULL;
	d = strndup(s, len);
	if (!d)
		o->err = gate_error("out of memory");
	return d;
}

char *an_output_strdup(struct an_output *o, const char *s)
{
	char *d;

	if (!s)
		return NULL;
	d = strdup(s);
	if (!d)
		o->err = gate_error("out of memory");
	return d;
}

/* What follows `prefix/` at the start of path, or NULL. */
static const char *after_dir(const char *path, const char *prefix)
{
	size_t n;

	if (!prefix || !*prefix)
		return NULL;
	n = strlen(prefix);
	while (n > 1 && prefix[n - 1] == '/')
		n--;
	if (strncmp(path, prefix, n) || path[n] != '/')
		return NULL;
	return path + n + 1;
}

/*
 * Collapses "dir/../" and "/./" in place: a header seen from fs/proc/ is
 * named fs/proc/../../lib/x.h, and must be the same file as lib/x.h.
 * Leading ".." of a relative path are kept, as they name something else.
 */
static void collapse_dots(char *path)
{
	bool abs = *path == '/';
	char *out = path + abs, *seg = out;
	size_t kept = 0;	/* segments in out that ".." may remove */

	while (seg) {
		char *end = strchrnul(seg, '/');
		/* Known before the copy below, which may overwrite *end. */
		char *next = *end ? end + 1 : NULL;
		size_t len = (size_t)(end - seg);
		bool up = len == 2 && !strncmp(seg, "..", 2);

		if (up && kept) {
			out[-1] = '\0';
			out = strrchr(path + abs, '/') ? strrchr(path + abs, '/') + 1 : path + abs;
			kept--;
		} else if (len && !(len == 1 && *seg == '.')) {
			memmove(out, seg, len);
			out += len;
			*out++ = '/';
			kept += !up;
		}
		seg = next;
	}
	if (out > path + abs)
		out--;
	*out = '\0';
}

/* What follows one of the roots at the start of path, or NULL. */
static const char *after_roots(struct an_output *o, const char *path)
{
	const char *rel = NULL;

	for (size_t i = 0; !rel && i < AN_ARRAY_SIZE(o->roots); i++)
		rel = after_dir(path, o->roots[i]);
	return rel;
}

/*
 * A "../" path is relative to where the tool ran, the build root (ccache
 * with base_dir, as a remote ccache sets it, hands the compiler such
 * paths): said from the build root, it may lie under a root. Takes path.
 */
static char *from_build_root(struct an_output *o, char *path)
{
	char *joined = NULL;

	if (asprintf(&joined, "%s/%s", o->opts->build_root, path) < 0)
		return path;
	collapse_dots(joined);
	if (!after_roots(o, joined)) {
		free(joined);
		return path;
	}
	free(path);
	return joined;
}

char *an_output_group_path(struct an_output *o, int n)
{
	char *path = an_output_group_dup(o, n), *real = NULL;
	const char *rel;
	char *ret = NULL;

	if (!path)
		return NULL;
	if (str_starts_with(path, "../") && o->opts->build_root)
		path = from_build_root(o, path);
	collapse_dots(path);
	rel = after_roots(o, path);
	/* A path through a symlink the roots do not go through. */
	if (!rel && path[0] == '/') {
		real = realpath(path, NULL);
		rel = real ? after_roots(o, real) : NULL;
	}
	if (!rel)
		rel = path;
	while (rel[0] == '.' && rel[1] == '/')
		for (rel += 2; *rel == '/'; rel++)
			;
	if (*rel)
		ret = an_output_strdup(o, rel);
	free(real);
	free(path);
	return ret;
}

struct finding *an_output_add(struct an_output *o, struct finding *f)
{
	o->used = true;
	f->analyzer = an_output_strdup(o, o->opts->analyzer);
	if (o->err || finding_list_take(o->out, f)) {
		finding_dispose(f);
		o->err = -1;
		return NULL;
	}
	return &o->out->v[o->out->nr - 1];
}

struct finding *an_output_last(struct an_output *o)
{
	return o->out->nr > o->first ? &o->out->v[o->out->nr - 1] : NULL;
}

/* Where s holds one of the roots and a '/', and how long that prefix is. */
static const char *find_root(struct an_output *o, const char *s, size_t len,
			     size_t *root_len)
{
	const char *best = NULL;

	for (size_t i = 0; i < AN_ARRAY_SIZE(o->roots); i++) {
		size_t n = o->roots[i] ? strlen(o->roots[i]) : 0;
		const char *at = n ? memmem(s, len, o->roots[i], n) : NULL;

		if (at && at + n < s + len && at[n] == '/' && (!best || at < best)) {
			best = at;
			*root_len = n + 1;
		}
	}
	return best;
}

/* Notes and include chains name files as the tool saw them: drop the roots. */
static int add_relative(struct an_output *o, struct strbuf *sb,
			const char *s, size_t len)
{
	const char *end = s + len, *at;
	size_t root_len = 0;

	while ((at = find_root(o, s, end - s, &root_len))) {
		if (strbuf_add(sb, s, at - s))
			return -1;
		s = at + root_len;
	}
	return strbuf_add(sb, s, end - s);
}

void an_output_add_detail(struct an_output *o, struct finding *f,
			  const char *s, size_t len)
{
	struct strbuf sb = STRBUF_INIT;
	size_t have = f->detail ? strlen(f->detail) : 0;

	o->used = true;
	if (have + len + 1 > AN_OUTPUT_MAX_DETAIL)
		return;
	if ((have && (strbuf_addstr(&sb, f->detail) || strbuf_addch(&sb, '\n'))) ||
	    add_relative(o, &sb, s, len)) {
		o->err = -1;
		goto out;
	}
	free(f->detail);
	f->detail = strbuf_detach(&sb, NULL);
out:
	strbuf_dispose(&sb);
}

int an_output_finish(struct an_output *o)
{
	note_unread(o);
	for (size_t i = o->first; !o->err && i < o->out->nr; i++)
		if (finding_fingerprint(&o->out->v[i], NULL))
			o->err = -1;
	pcre2_match_data_free(o->md);
	strbuf_dispose(&o->line);
	free(o->real[0]);
	free(o->real[1]);
	return o->err;
}
