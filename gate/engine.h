/* engine.h: gates a resolved range of commits: scratch tree, touched units,
 * analyzer jobs before and after each commit, delta, and the report model. */
#ifndef GATE_ENGINE_H
#define GATE_ENGINE_H

#include "config.h"
#include "range.h"
#include "repo.h"
#include "strvec.h"

#include <jansson.h>

struct ctr_engine;

/* Called with one line of progress; data is passed back untouched. */
typedef void (*gate_progress_fn)(void *data, const char *line);

struct gate_run_opts {
	const struct config *cfg;
	const struct strvec *analyzers;	/* names, validated by the caller */
	int jobs;
	enum finding_severity fail_on;
	const char *cache_root;		/* NULL: the user's cache directory */
	bool no_cache;			/* run everything, store afresh */
	struct ctr_engine *ctr;		/* where jobs run; NULL: on the host */
	const char *boot_target;	/* range --boot: the section; NULL: no boot */
	gate_progress_fn progress;
	void *progress_data;
};

/*
 * Gates every commit of range and hands the report model over in *out,
 * whatever the verdict: a tool that could not run makes a check (and so
 * the verdict) "error", not a failed call. Returns -1 only when no report
 * could be made at all (no scratch area, out of memory, interrupted).
 */
int gate_engine_run(json_t **out, struct gate_repo *repo,
		    const struct gate_range *range,
		    const struct gate_run_opts *o);

#endif
