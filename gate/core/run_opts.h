/* run_opts.h: what one run of the gate is asked to do: the config, the
 * analyzers, -j, the fail level, the cache, the job engine, progress. */
#ifndef GATE_RUN_OPTS_H
#define GATE_RUN_OPTS_H

#include "config.h"
#include "strvec.h"

#include <stdbool.h>

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

#endif
