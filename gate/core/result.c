/* result.c: the report model of report-v1.schema.json, assembled from findings.
 * Verdicts and the series' new/fixed/transient accounting are decided here. */
#include "result.h"
#include "verdict.h"
#include "error.h"
#include "exit.h"
#include "strbuf.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static void set_str(json_t *o, const char *key, const char *v)
{
	if (v)
		json_object_set_new(o, key, json_string(v));
}

static int finding_order(const void *a, const void *b)
{
	const struct finding *x = *(const struct finding *const *)a;
	const struct finding *y = *(const struct finding *const *)b;
	int c = strcmp(x->file ? x->file : "", y->file ? y->file : "");

	if (c)
		return c;
	return (int)x->line - (int)y->line;
}

json_t *gate_result_findings(const struct finding_list *l)
{
	const struct finding **order = calloc(l->nr + 1, sizeof(*order));
	json_t *a = json_array();

	if (!order || !a) {
		free(order);
		json_decref(a);
		return NULL;
	}
	for (size_t i = 0; i < l->nr; i++)
		order[i] = &l->v[i];
	qsort(order, l->nr, sizeof(*order), finding_order);
	for (size_t i = 0; i < l->nr; i++)
		json_array_append_new(a, finding_to_json(order[i], 0));
	free(order);
	return a;
}

static void now_iso8601(char *buf, size_t n)
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

json_t *gate_result_report_new(const char *repo_top, const char *spec,
			       const char *project_kind, const char *engine,
			       const git_oid *base)
{
	json_t *r = json_object();
	char hex[GIT_OID_HEXSZ + 1], when[32];

	json_object_set_new(r, "schema", json_string("mkt-gate/report/v1"));
	json_object_set_new(r, "tool", json_pack("{s:s, s:s}", "name", "mkt-gate",
						 "version", MKT_GATE_VERSION));
	set_str(r, "repository", repo_top);
	set_str(r, "project_kind", project_kind);
	set_str(r, "range", spec);
	if (base)
		set_str(r, "base", gate_oid_hex(base, hex));
	now_iso8601(when, sizeof(when));
	set_str(r, "started_at", when);
	set_str(r, "engine", engine);
	set_str(r, "verdict", gate_verdict_name(GATE_VERDICT_PASS));
	json_object_set_new(r, "commits", json_array());
	json_object_set_new(r, "series", json_pack("{s:[], s:[], s:[]}", "new",
						   "fixed", "transient"));
	return r;
}

json_t *gate_result_commit_new(const struct gate_commit *c,
			       const struct gate_diff *diff)
{
	json_t *o = json_object(), *files = json_array();
	char hex[GIT_OID_HEXSZ + 1];

	set_str(o, "sha", c->sha);
	if (c->has_parent)
		set_str(o, "parent", gate_oid_hex(&c->parent, hex));
	set_str(o, "subject", c->subject);
	set_str(o, "author", c->author);
	set_str(o, "verdict", gate_verdict_name(c->skip_reason ? GATE_VERDICT_SKIPPED :
						  GATE_VERDICT_PASS));
	set_str(o, "reason", c->skip_reason);
	if (c->is_merge)
		json_object_set_new(o, "merge", json_true());
	for (size_t i = 0; diff && i < diff->nr; i++)
		json_array_append_new(files, json_string(gate_change_path(&diff->v[i])));
	json_object_set_new(o, "touched_files", files);
	json_object_set_new(o, "objects", json_array());
	json_object_set_new(o, "checks", json_array());
	return o;
}

json_t *gate_result_check_new(const char *analyzer, const char *status,
			      const char *reason)
{
	json_t *o = json_pack("{s:s, s:s, s:[], s:[]}", "analyzer", analyzer,
			      "status", status, "new", "fixed");

	set_str(o, "reason", reason);
	return o;
}

#define NOTE_FILES 4	/* files a note names before "and N more" */

/* "no unit to build for a, b", of the files a commit touched. */
static int unbuilt_note(struct strbuf *note, const json_t *files)
{
	size_t n = json_array_size(files), i;
	const json_t *f;

	if (!n)
		return strbuf_addstr(note, "the commit changes no file");
	if (strbuf_addstr(note, "no unit to build for "))
		return -1;
	json_array_foreach(files, i, f) {
		if (i == NOTE_FILES)
			return strbuf_addf(note, " and %zu more", n - i);
		if (strbuf_addf(note, "%s%s", i ? ", " : "", json_string_value(f)))
			return -1;
	}
	return 0;
}

int gate_result_note_unbuilt(json_t *commit, size_t from)
{
	json_t *checks = json_object_get(commit, "checks"), *c;
	struct strbuf note = STRBUF_INIT;
	int ret = 0;

	if (json_array_size(json_object_get(commit, "objects")) ||
	    json_array_size(json_object_get(commit, "objects_left_out")))
		return 0;
	if (unbuilt_note(&note, json_object_get(commit, "touched_files")))
		ret = gate_error("out of memory");
	for (size_t i = from; !ret && i < json_array_size(checks); i++) {
		c = json_array_get(checks, i);
		if (gate_verdict_parse(json_string_value(json_object_get(c, "status"))) !=
		    GATE_VERDICT_PASS || json_array_size(json_object_get(c, "new")) ||
		    json_array_size(json_object_get(c, "fixed")))
			continue;
		if (json_object_set_new(c, "note", json_string(note.buf)))
			ret = gate_error("out of memory");
	}
	strbuf_dispose(&note);
	return ret;
}

static bool fails(const struct finding_list *l, enum finding_severity level)
{
	for (size_t i = 0; i < l->nr; i++)
		if (!l->v[i].waived && l->v[i].severity >= level)
			return true;
	return false;
}

static json_t *waived_of(const struct finding_list *l)
{
	struct finding_list w = FINDING_LIST_INIT;
	json_t *a;

	for (size_t i = 0; i < l->nr; i++)
		if (l->v[i].waived)
			finding_list_append_copy(&w, &l->v[i]);
	a = gate_result_findings(&w);
	finding_list_dispose(&w);
	return a;
}

int gate_result_check_set(json_t *check, const struct finding_list *added,
			  const struct finding_list *fixed, size_t preexisting,
			  enum finding_severity fail_level)
{
	struct finding_list fresh = FINDING_LIST_INIT;
	json_t *n, *f;

	for (size_t i = 0; i < added->nr; i++)
		if (!added->v[i].waived)
			finding_list_append_copy(&fresh, &added->v[i]);
	n = gate_result_findings(&fresh);
	f = gate_result_findings(fixed);
	finding_list_dispose(&fresh);
	if (!n || !f)
		return gate_error("out of memory");
	json_object_set_new(check, "new", n);
	json_object_set_new(check, "fixed", f);
	json_object_set_new(check, "waived", waived_of(added));
	json_object_set_new(check, "preexisting", json_integer((json_int_t)preexisting));
	set_str(check, "status", gate_verdict_name(fails(added, fail_level) ?
						   GATE_VERDICT_FAIL : GATE_VERDICT_PASS));
	return 0;
}

/* The worst of start and every item's verdict at key. */
static const char *worst(json_t *items, const char *key, enum gate_verdict start)
{
	enum gate_verdict v = start;
	size_t i;
	json_t *it;

	json_array_foreach(items, i, it)
		v = gate_verdict_worst(v, gate_verdict_parse(
			json_string_value(json_object_get(it, key))));
	return gate_verdict_name(v);
}

/* Moves one finding of `open` with fp to `to`; false when none has it. */
static bool take_open(json_t *open, const char *fp, json_t *to)
{
	size_t i;
	json_t *f;

	json_array_foreach(open, i, f) {
		if (!strcmp(json_string_value(json_object_get(f, "fingerprint")), fp)) {
			json_array_append(to, f);
			json_array_remove(open, i);
			return true;
		}
	}
	return false;
}

static void account_check(json_t *series, json_t *open, json_t *check)
{
	json_t *f;
	size_t i;

	json_array_foreach(json_object_get(check, "fixed"), i, f)
		if (!take_open(open, json_string_value(json_object_get(f, "fingerprint")),
			       json_object_get(series, "transient")))
			json_array_append(json_object_get(series, "fixed"), f);
	json_array_foreach(json_object_get(check, "new"), i, f)
		json_array_append(open, f);
}

int gate_result_series(json_t *report)
{
	json_t *series = json_pack("{s:[], s:[], s:[]}", "new", "fixed", "transient");
	json_t *open = json_array(), *c, *k;
	size_t i, j;

	if (!series || !open || json_object_set(report, "series", series)) {
		json_decref(series);
		json_decref(open);
		return gate_error("out of memory");
	}
	json_array_foreach(json_object_get(report, "commits"), i, c)
		json_array_foreach(json_object_get(c, "checks"), j, k)
			account_check(series, open, k);
	json_array_extend(json_object_get(series, "new"), open);
	json_decref(open);
	json_decref(series);
	return 0;
}

int gate_result_finish(json_t *report, double duration_s)
{
	json_t *commits = json_object_get(report, "commits");
	json_t *c;
	size_t i;

	json_array_foreach(commits, i, c) {
		json_t *checks = json_object_get(c, "checks");
		const char *v = json_string_value(json_object_get(c, "verdict"));

		if (gate_verdict_parse(v) != GATE_VERDICT_SKIPPED)
			set_str(c, "verdict", worst(checks, "status", GATE_VERDICT_PASS));
	}
	if (gate_result_series(report))
		return -1;
	set_str(report, "verdict", json_array_size(commits) ?
		worst(commits, "verdict", GATE_VERDICT_SKIPPED) :
		gate_verdict_name(GATE_VERDICT_PASS));
	json_object_set_new(report, "duration_s", json_real(duration_s));
	return 0;
}

int gate_result_exit_code(const json_t *report)
{
	const char *v = json_string_value(json_object_get(report, "verdict"));

	switch (gate_verdict_parse(v)) {
	case GATE_VERDICT_SKIPPED:
	case GATE_VERDICT_PASS:
		return GATE_EXIT_OK;
	case GATE_VERDICT_FAIL:
		return GATE_EXIT_FAIL;
	default:	/* error, or no verdict at all: nothing to trust */
		return GATE_EXIT_INFRA;
	}
}
