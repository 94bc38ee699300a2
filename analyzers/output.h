/* output.h: the common machinery of the output parsers: patterns compiled
 * once, a cleaned line-by-line cursor over tool output, repo-relative paths. */
#ifndef AN_OUTPUT_H
#define AN_OUTPUT_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "analyzer.h"
#include "strbuf.h"

#include <stdbool.h>
#include <stddef.h>

#define AN_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * A pattern is compiled by an_regex_compile(), which each parser calls from
 * its own pthread_once() routine, and lives until the process exits. A
 * pattern that fails to compile is a bug in this folder, so it leaves
 * `code` NULL and an_output_match() never matches it; the unit tests catch
 * that before it ships.
 */
struct an_regex {
	const char *pattern;
	pcre2_code *code;
};

#define AN_REGEX(p) { (p), NULL }

void an_regex_compile(struct an_regex *v, size_t n);

/*
 * The cursor over one tool's output. Each line handed out by
 * an_output_next() has had ANSI colour escapes, carriage returns and NUL
 * bytes removed, gcc's typographic quotes turned into ASCII ones (so that a
 * finding's identity does not depend on the locale), each byte that starts
 * no UTF-8 sequence replaced by U+FFFD (so that every string of a finding
 * goes into the JSON report), and is cut at AN_OUTPUT_MAX_LINE bytes, never
 * inside a character.
 *
 * Life cycle: an_output_init(), then an_output_next() until it returns
 * false, with an_output_match()/an_output_group*() on each line,
 * an_output_add() for each finding, and an_output_finish(), which
 * fingerprints what was added and frees the cursor whatever happened.
 * Findings go to the caller's list; on failure those added so far stay
 * there for the caller to dispose of.
 */
#define AN_OUTPUT_MAX_LINE 8192
#define AN_OUTPUT_MAX_DETAIL 16384
#define AN_OUTPUT_MAX_UNREAD 2048

struct an_output {
	struct finding_list *out;
	const struct an_parse_opts *opts;
	/* opts' root and build_root, then their canonical forms (owned) or NULL */
	const char *roots[4];
	char *real[2];
	bool used;			/* the line went into a finding */
	size_t first;			/* index of our first finding in out */
	const char *next, *end;
	struct strbuf line;
	pcre2_match_data *md;
	int err;
};

int an_output_init(struct an_output *o, struct finding_list *out,
		   const char *text, size_t len,
		   const struct an_parse_opts *opts);
bool an_output_next(struct an_output *o);
/*
 * A line that looks like a diagnostic (an_diagnostic_like()) that went
 * neither to an_output_add() nor to an_output_add_detail() before the next
 * call (or an_output_finish()) is appended to opts->unread.
 */
bool an_output_match(struct an_output *o, const struct an_regex *re);

/* Group n of the last match: a span of o->line, NULL when it did not take part. */
const char *an_output_group(struct an_output *o, int n, size_t *len);
unsigned int an_output_group_uint(struct an_output *o, int n);
/* Appends group n (nothing when unset); a failure is remembered in o->err. */
void an_output_group_add(struct an_output *o, int n, struct strbuf *sb);
/* A copy of group n, or NULL when unset or out of memory (then o->err is set). */
char *an_output_group_dup(struct an_output *o, int n);
/*
 * Group n as a path relative to the repository top; NULL when unset or
 * empty. The roots are stripped as given and in canonical form, and an
 * absolute path under none of them is tried once more through realpath().
 */
char *an_output_group_path(struct an_output *o, int n);

/*
 * Appends f (whose strings it takes over; analyzer is filled in) to the
 * list, and returns the finding as stored there, or NULL when out of
 * memory. The pointer is valid until the next an_output_add().
 */
struct finding *an_output_add(struct an_output *o, struct finding *f);
/* The finding added last, or NULL when there is none yet. */
struct finding *an_output_last(struct an_output *o);
/* Appends a line to f->detail, up to AN_OUTPUT_MAX_DETAIL bytes. */
void an_output_add_detail(struct an_output *o, struct finding *f,
			  const char *s, size_t len);

int an_output_finish(struct an_output *o);

/* A copy of s (NULL stays NULL); a failure is remembered in o->err. */
char *an_output_strdup(struct an_output *o, const char *s);

/*
 * Appends len bytes of s with each byte that starts no UTF-8 sequence
 * replaced by U+FFFD, as the cursor does: for tool output kept as it is in
 * the JSON report (jansson refuses invalid UTF-8).
 */
int an_utf8_append(struct strbuf *sb, const char *s, size_t len);

#endif
