/* waiver.h: the accepted findings of .mkt-gate-waivers, and matching findings to them.
 * Waived findings stay in the report, listed as waived; never prints or exits. */
#ifndef GATE_WAIVER_H
#define GATE_WAIVER_H

#include "finding.h"

#include <stdbool.h>
#include <stddef.h>

/*
 * The file: one waiver a line; blank lines and lines starting with '#'
 * are ignored. A waiver is either
 *
 *   0123456789abcdef                     a fingerprint (16 hex digits), or
 *   analyzer:rule:path-glob[:message]    a pattern,
 *
 * optionally followed by "# reason" (a '#' after white space starts the
 * reason, so a message part cannot hold " #"). In a pattern, '*' in any
 * field matches any run of characters, '/' included; every other
 * character matches itself. The message part matches when it occurs
 * anywhere in the message and may itself hold ':'. The path glob matches
 * the finding's repository-relative file, and a finding without a file
 * (commit-msg) is matched as the empty path, so only "*" waives it. A rule
 * may be written without the "analyzer:" prefix that sparse, smatch and
 * commit-msg rules carry: "commit-msg:signoff:*" waives the rule
 * "commit-msg:signoff" of any commit.
 *
 * Where it is read from is the caller's choice; the engine reads it from
 * the scratch tree at the state after the commit, so that a waiver can
 * come with the commit that needs it.
 *
 * Life cycle: waivers_load() or waivers_parse(), waivers_match() and
 * waivers_apply() from any number of threads, waivers_free() (NULL is
 * fine). The caller owns *out.
 */
struct waivers;

/* A file that does not exist is an empty set; a bad line fails naming file:line. */
int waivers_load(struct waivers **out, const char *path);
/* The same from text in memory (len bytes, NULs refused); origin names it in errors. */
int waivers_parse(struct waivers **out, const char *origin, const char *text,
		  size_t len);
void waivers_free(struct waivers *w);
size_t waivers_count(const struct waivers *w);

/* f must be fingerprinted. A NULL set matches nothing. */
bool waivers_match(const struct waivers *w, const struct finding *f);
/* Sets f->waived on each finding of l that a waiver matches. */
void waivers_apply(const struct waivers *w, struct finding_list *l);

#endif
