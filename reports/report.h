/* report.h: the public API of the reports: render, load, check and merge.
 * Every output is rendered from one jansson document valid against
 * report-v1.schema.json; nothing here prints to the user or exits. */
#ifndef REP_REPORT_H
#define REP_REPORT_H

#include <jansson.h>
#include <stdio.h>

struct strbuf;

/*
 * Ownership: renderers borrow the report and never change it. Writers
 * given a path write through a temporary file and a rename, so a reader
 * never sees half a report. All return 0, or -1 with gate_error() set.
 */

/* Loads a saved report and checks its structure (rep_model_check()). */
int rep_load(json_t **out, const char *path);

/* The JSON output: indented by 2, keys in insertion order. */
int rep_json_write(const json_t *report, const char *path);

/* JUnit XML for Jenkins: a testsuite per commit, a testcase per check. */
int rep_junit_write(const json_t *report, const char *path);

/* SARIF 2.1.0: one run, the series' new findings as results. */
int rep_sarif_write(const json_t *report, const char *path);

/*
 * Where the HTML report gets the code shown around a finding: read()
 * appends the content of path at commit_sha to out and returns 0, or
 * returns -1 when it cannot (the snippet is then left out). data is
 * passed back untouched.
 */
struct rep_source {
	int (*read)(void *data, const char *commit_sha, const char *path,
		    struct strbuf *out);
	void *data;
};

/* One self-contained HTML file; src may be NULL (no code snippets). */
int rep_html_write(const json_t *report, const char *path,
		   const struct rep_source *src);

enum rep_color {
	REP_COLOR_AUTO,		/* when f is a terminal and NO_COLOR is unset */
	REP_COLOR_ALWAYS,
	REP_COLOR_NEVER,
};

/* Parses "auto", "always" or "never". */
int rep_color_parse(const char *s, enum rep_color *out);
/* Whether output to f gets colour under mode (reads NO_COLOR and TERM). */
int rep_color_wanted(enum rep_color mode, FILE *f);

struct rep_terminal_opts {
	enum rep_color color;
	int verbose;		/* also list preexisting counts and cached checks */
};

/*
 * The summary people read after a run: a line per commit, its new
 * findings in the `file:line:col: severity: message [rule] (analyzer)` form
 * (a contract, rep_finding_format()), fixed ones and skipped checks, a
 * table per analyzer and the verdict.
 * o may be NULL for the defaults (colour auto).
 */
int rep_terminal_summary(FILE *f, const json_t *report,
			 const struct rep_terminal_opts *o);

/*
 * Merges the reports of the shards of one range into *out (a new
 * document the caller json_decref()s): commits in range order, one per
 * sha (a checked entry wins over a skipped one), verdicts recomputed
 * (error > fail > pass > skipped), the series' new/fixed/transient
 * recomputed over the merged commits (a shard alone cannot see that a
 * finding one commit brought was fixed by a commit of another shard),
 * ccache hits and misses summed, started_at the earliest, duration_s the
 * longest. The result is the report one unsharded run writes, but for
 * timings and cache counters. Fails when the reports are of different
 * ranges.
 */
int rep_merge(json_t **out, json_t *const *reports, size_t nr);

#endif
