/* merge.c: merges the reports of the shards of one range into one report.
 * Works on the model only; never prints or exits. */
#include "report.h"
#include "model.h"
#include "error.h"
#include "verdict.h"
#include "result.h"

#include <stdlib.h>
#include <string.h>

static enum gate_verdict verdict_of(const json_t *commit)
{
	return gate_verdict_parse(rep_str(commit, "verdict"));
}

/*
 * The entry for a sha already taken, by index; a checked entry replaces a
 * skipped one (the shard that did not check a commit lists it skipped).
 */
static int add_commit(json_t *commits, json_t *c)
{
	const char *sha = rep_str(c, "sha");
	json_t *have;
	size_t i;

	json_array_foreach(commits, i, have) {
		if (strcmp(rep_str_or(have, "sha", ""), sha))
			continue;
		if (verdict_of(have) == GATE_VERDICT_SKIPPED &&
		    verdict_of(c) > GATE_VERDICT_SKIPPED)
			return json_array_set(commits, i, c);
		return 0;
	}
	return json_array_append(commits, c);
}

static int is_ancestor_in(const json_t *list, const json_t *c)
{
	const char *parent = rep_str(c, "parent");
	const json_t *other;
	size_t i;

	json_array_foreach(list, i, other)
		if (parent && !strcmp(parent, rep_str_or(other, "sha", "")))
			return 1;
	return 0;
}

/*
 * Range order: repeatedly take the first commit whose parent is not still
 * waiting. Commits without a parent link keep the order they came in.
 */
static json_t *in_range_order(json_t *commits)
{
	json_t *left = json_copy(commits), *out = json_array(), *c;
	size_t i;

	if (!left || !out)
		goto fail;
	while (json_array_size(left)) {
		json_array_foreach(left, i, c)
			if (!is_ancestor_in(left, c))
				break;
		if (i == json_array_size(left))
			i = 0;	/* a cycle: cannot happen in git, keep going */
		if (json_array_append(out, json_array_get(left, i)) ||
		    json_array_remove(left, i))
			goto fail;
	}
	json_decref(left);
	return out;
fail:
	json_decref(left);
	json_decref(out);
	return NULL;
}

/*
 * The shards' compiles add up; the rate is recomputed from the sums, as
 * one run would have counted it.
 */
static int merge_ccache(json_t *out, const json_t *r)
{
	json_t *mine = json_object_get(out, "ccache");
	const json_t *theirs = json_object_get(r, "ccache");
	json_int_t hits, misses;

	if (!theirs)
		return 0;
	if (!mine)
		return json_object_set_new(out, "ccache", json_deep_copy(theirs));
	hits = rep_int(mine, "hits") + rep_int(theirs, "hits");
	misses = rep_int(mine, "misses") + rep_int(theirs, "misses");
	if (json_object_set_new(mine, "hits", json_integer(hits)) ||
	    json_object_set_new(mine, "misses", json_integer(misses)))
		return -1;
	if (!(hits + misses))
		return 0;
	return json_object_set_new(mine, "hit_rate",
				   json_real((double)hits / (double)(hits + misses)));
}

/* The run started when its first shard did (ISO 8601 UTC sorts as text). */
static int merge_started(json_t *out, const json_t *r)
{
	const char *mine = rep_str(out, "started_at");
	const char *theirs = rep_str(r, "started_at");

	if (!theirs || (mine && strcmp(theirs, mine) >= 0))
		return 0;
	return json_object_set_new(out, "started_at", json_string(theirs));
}

/* Copies what describes the whole run from the first report. */
static json_t *merged_head(const json_t *first)
{
	json_t *out = json_deep_copy(first);

	if (!out)
		return NULL;
	json_object_del(out, "shard");
	if (json_object_set_new(out, "commits", json_array())) {
		json_decref(out);
		return NULL;
	}
	return out;
}

static int merge_one(json_t *out, const json_t *r, size_t idx)
{
	const char *range = rep_str_or(out, "range", "");
	json_t *c;
	size_t i;

	if (strcmp(range, rep_str_or(r, "range", "")))
		return gate_error("report %zu is of range '%s', not '%s'",
				  idx + 1, rep_str_or(r, "range", ""), range);
	json_array_foreach(rep_arr(r, "commits"), i, c)
		if (add_commit(json_object_get(out, "commits"), c))
			return gate_error("out of memory");
	if (rep_num(r, "duration_s") > rep_num(out, "duration_s"))
		json_object_set_new(out, "duration_s",
				    json_real(rep_num(r, "duration_s")));
	if ((idx && merge_ccache(out, r)) || merge_started(out, r))
		return gate_error("out of memory");
	return 0;
}

int rep_merge(json_t **out, json_t *const *reports, size_t nr)
{
	enum gate_verdict v = GATE_VERDICT_SKIPPED;
	json_t *m, *ordered, *c;
	size_t i;

	*out = NULL;
	if (!nr)
		return gate_error("no report to merge");
	m = merged_head(reports[0]);
	if (!m)
		return gate_error("out of memory");
	for (i = 0; i < nr; i++)
		if (merge_one(m, reports[i], i))
			goto fail;
	ordered = in_range_order(json_object_get(m, "commits"));
	if (!ordered || json_object_set_new(m, "commits", ordered) ||
	    gate_result_series(m)) {
		gate_error("out of memory");
		goto fail;
	}
	json_array_foreach(ordered, i, c)
		v = gate_verdict_worst(v, verdict_of(c));
	json_object_set_new(m, "verdict", json_string(gate_verdict_name(v)));
	*out = m;
	return 0;
fail:
	json_decref(m);
	return -1;
}
