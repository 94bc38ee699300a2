/* series.h: gates a resolved range of commits: scratch tree, touched units,
 * analyzer jobs before and after each commit, delta, and the report model. */
#ifndef GATE_SERIES_H
#define GATE_SERIES_H

#include "range.h"
#include "repo.h"
#include "run_opts.h"

#include <jansson.h>

/*
 * Gates every commit of range and hands the report model over in *out,
 * whatever the verdict: a tool that could not run makes a check (and so
 * the verdict) "error", not a failed call. Returns -1 only when no report
 * could be made at all (no scratch area, out of memory, interrupted).
 */
int gate_series_run(json_t **out, struct gate_repo *repo,
		    const struct gate_range *range,
		    const struct gate_run_opts *o);

#endif
