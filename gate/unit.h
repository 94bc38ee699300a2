/* unit.h: the engine's build units (translation units of compile_commands.json):
 * which ones a commit touches, building them per analyzer, and their checks. */
#ifndef GATE_UNIT_H
#define GATE_UNIT_H

#include "analyzers/analyzer.h"
#include "ccdb.h"
#include "diff.h"
#include "engine.h"
#include "scratch.h"

#include <jansson.h>

/* One analyzer as this run uses it: its command, flags and levels. */
struct unit_analyzer {
	const struct an_desc *desc;
	struct strvec command;
	struct strvec extra;
	enum finding_severity fail_on;
	int timeout_s;
	char *skip_reason;	/* set when it cannot run here */
};

/* What one analyzer found in one unit at one tree, kept for the next commit. */
struct unit_memo {
	const struct unit_analyzer *an;
	char *key;
	git_oid tree;
	struct finding_list findings;
	int status;		/* the tool's exit status */
	char *error;		/* set when the tool could not run */
	char *output;		/* the tool's output, for the report */
	double seconds;
};

/* The state of one run of the engine; engine.c owns its life cycle. */
struct gate_engine {
	struct gate_repo *repo;
	const struct gate_run_opts *o;
	struct gate_scratch scratch;
	struct ccdb db;
	bool db_loaded;
	bool setup_failed;
	char *setup_reason;
	struct gate_diff diff;
	struct unit_analyzer *an;
	size_t nr_an;
	struct unit_memo *memo;
	size_t nr_memo, alloc_memo;
	json_t *report;
};

int unit_analyzers_setup(struct gate_engine *e);
void unit_analyzers_dispose(struct gate_engine *e);
void unit_memo_dispose(struct gate_engine *e);

/* Records that the project could not be set up (e.g. cmake failed). */
void unit_report_setup_failure(struct gate_engine *e);

/*
 * Adds to units (keeping it free of repeats) the keys of every unit the
 * commit in e->diff touches in the current database: sources by their
 * old and new paths, and every unit that reads a touched header.
 */
int unit_touched(struct gate_engine *e, struct strvec *units);

/* Whether a unit lacks a result at tree although its source exists there. */
int unit_missing(struct gate_engine *e, const struct strvec *units,
		 const git_oid *tree, struct strvec *missing);

/* Runs every available analyzer on units at tree (scratch is there). */
int unit_build(struct gate_engine *e, const struct strvec *units,
	       const git_oid *tree);

/* Appends one check per analyzer to the commit's JSON. */
int unit_checks(struct gate_engine *e, json_t *commit, const struct strvec *units,
		const git_oid *before, const git_oid *after);
int unit_checks_error(struct gate_engine *e, json_t *commit, const char *reason);

#endif
