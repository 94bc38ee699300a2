/* result.h: builds the report model, a jansson document of report-v1, from the
 * engine's findings; also decides every verdict and the series accounting. */
#ifndef GATE_RESULT_H
#define GATE_RESULT_H

#include "finding.h"
#include "range.h"
#include "diff.h"

#include <jansson.h>

/*
 * Ownership: every function returns a new reference (or NULL when out of
 * memory), and gate_result_add_*() steal the reference they are given,
 * as jansson's *_new() functions do.
 */
json_t *gate_result_report_new(const char *repo_top, const char *spec,
			       const char *project_kind, const char *engine,
			       const git_oid *base);
json_t *gate_result_commit_new(const struct gate_commit *c,
			       const struct gate_diff *diff);
json_t *gate_result_check_new(const char *analyzer, const char *status,
			      const char *reason);
json_t *gate_result_findings(const struct finding_list *l);

/* Adds the new, fixed and waived lists and the verdict to a check. */
int gate_result_check_set(json_t *check, const struct finding_list *added,
			  const struct finding_list *fixed, size_t preexisting,
			  enum finding_severity fail_level);

/*
 * Says why checks[from..] of a commit that built nothing had nothing to
 * look at: each one that passed with nothing new or fixed gets a "note"
 * naming the files ("no unit to build for README.md, docs/x.c"), so
 * that "ok" never reads as "checked and clean". Does nothing when the
 * commit has objects, or objects the max_objects cap left out.
 */
int gate_result_note_unbuilt(json_t *commit, size_t from);

/*
 * Sets each commit's verdict from its checks (error > fail > pass; a
 * commit with a skip reason stays skipped), the report's from its
 * commits, and the series' new, fixed and transient findings.
 */
int gate_result_finish(json_t *report, double duration_s);

/*
 * (Re)computes the series' new, fixed and transient findings from the
 * checks of the commits, in their order: what `report merge` does once
 * the shards' commits are back in range order.
 */
int gate_result_series(json_t *report);

/* The exit code a finished report asks for (exit.h). */
int gate_result_exit_code(const json_t *report);

#endif
