/* engine.c: the per-commit loop of the gate. Moves the scratch tree to the
 * parent, builds the touched units, moves it to the commit, builds them again. */
#include "engine.h"
#include "ccdb.h"
#include "delta.h"
#include "diff.h"
#include "error.h"
#include "interrupt.h"
#include "result.h"
#include "scratch.h"
#include "unit.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void progress(struct gate_engine *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void progress(struct gate_engine *e, const char *fmt, ...)
{
	struct strbuf line = STRBUF_INIT;
	va_list ap;

	if (!e->o->progress)
		return;
	va_start(ap, fmt);
	strbuf_vaddf(&line, fmt, ap);
	va_end(ap);
	e->o->progress(e->o->progress_data, line.buf);
	strbuf_dispose(&line);
}

/* Moves the scratch tree to tree and keeps the database in step with it. */
static int move_to(struct gate_engine *e, const git_oid *tree)
{
	struct strvec changed = STRVEC_INIT;
	bool reload = !e->db_loaded;
	int ret;

	ret = gate_scratch_sync(&e->scratch, e->repo->git, tree, &changed);
	if (!ret && changed.nr)
		ccdb_invalidate(&e->db, &changed);
	for (size_t i = 0; i < changed.nr && !reload; i++)
		reload = !strcmp(changed.v[i], "*") ||
			 ccdb_needs_reload(&e->db, changed.v[i]);
	if (!ret && reload) {
		progress(e, "loading the compilation database");
		ret = ccdb_load(&e->db);
		e->db_loaded = !ret;
		if (ret)
			unit_report_setup_failure(e);
	}
	strvec_dispose(&changed);
	return ret;
}

static int tree_of(git_repository *git, const git_oid *commit, git_oid *tree)
{
	git_commit *c = NULL;

	if (git_commit_lookup(&c, git, commit))
		return gate_git_error("cannot read a commit");
	git_oid_cpy(tree, git_commit_tree_id(c));
	git_commit_free(c);
	return 0;
}

/* The empty tree, which a root commit is compared with. */
static int empty_tree(git_repository *git, git_oid *tree)
{
	git_treebuilder *tb = NULL;
	int ret = 0;

	if (git_treebuilder_new(&tb, git, NULL) || git_treebuilder_write(tree, tb))
		ret = gate_git_error("cannot make the empty tree");
	git_treebuilder_free(tb);
	return ret;
}

static void set_objects(json_t *cj, const struct strvec *units)
{
	json_t *a = json_object_get(cj, "objects");

	for (size_t i = 0; i < units->nr; i++)
		json_array_append_new(a, json_string(units->v[i]));
}

/*
 * Units that only the commit's own database names (a new source, flags
 * changed by a CMakeLists.txt change) were not built before the commit:
 * go back and build them, or every warning they have would look new.
 */
static int late_before(struct gate_engine *e, const struct strvec *units,
		       const git_oid *before, const git_oid *after)
{
	struct strvec missing = STRVEC_INIT;
	int ret = unit_missing(e, units, before, &missing);

	if (!ret && missing.nr)
		ret = gate_scratch_sync(&e->scratch, e->repo->git, before, NULL) ||
		      unit_build(e, &missing, before) ||
		      gate_scratch_sync(&e->scratch, e->repo->git, after, NULL);
	strvec_dispose(&missing);
	return ret ? -1 : 0;
}

static int gate_commit(struct gate_engine *e, const struct gate_commit *c,
		       json_t *cj)
{
	struct strvec units = STRVEC_INIT;
	git_oid before, after;
	double t0 = now_s();
	int ret = -1;

	if (e->setup_failed)
		return unit_checks_error(e, cj, e->setup_reason);
	if (tree_of(e->repo->git, &c->oid, &after) ||
	    (c->has_parent ? tree_of(e->repo->git, &c->parent, &before) :
			     empty_tree(e->repo->git, &before)))
		goto out;
	/* A root commit has nothing before it to build: the empty tree. */
	if (!c->has_parent) {
		if (gate_scratch_sync(&e->scratch, e->repo->git, &before, NULL))
			goto out;
	} else if (move_to(e, &before)) {
		goto setup_failed;
	} else if (unit_touched(e, &units) || unit_build(e, &units, &before)) {
		goto out;
	}
	if (move_to(e, &after))
		goto setup_failed;
	if (unit_touched(e, &units) || late_before(e, &units, &before, &after) ||
	    unit_build(e, &units, &after))
		goto out;
	if (gate_interrupted()) {
		ret = gate_error("interrupted");
		goto out;
	}
	set_objects(cj, &units);
	ret = unit_checks(e, cj, &units, &before, &after);
	goto out;
setup_failed:
	ret = unit_checks_error(e, cj, e->setup_reason);
out:
	json_object_set_new(cj, "duration_s", json_real(now_s() - t0));
	strvec_dispose(&units);
	return ret;
}

static int run_commits(struct gate_engine *e, const struct gate_range *range)
{
	for (size_t i = 0; i < range->nr; i++) {
		const struct gate_commit *c = &range->v[i];
		json_t *cj;
		int ret;

		if (gate_interrupted())
			return gate_error("interrupted");
		if (gate_diff_commit(&e->diff, e->repo->git, &c->oid))
			return -1;
		cj = gate_result_commit_new(c, &e->diff);
		json_array_append_new(json_object_get(e->report, "commits"), cj);
		progress(e, "[%zu/%zu] %.12s %s", i + 1, range->nr, c->sha, c->subject);
		ret = c->skip_reason ? 0 : gate_commit(e, c, cj);
		gate_diff_dispose(&e->diff);
		if (ret)
			return -1;
	}
	return 0;
}

static int engine_open(struct gate_engine *e, struct gate_repo *repo,
		       const struct gate_run_opts *o)
{
	struct strbuf state = STRBUF_INIT, ccpath = STRBUF_INIT;
	int ret;

	memset(e, 0, sizeof(*e));
	e->repo = repo;
	e->o = o;
	if (gate_scratch_open(&e->scratch, repo, o->cache_root))
		return -1;
	strbuf_addf(&state, "%s/units", e->scratch.dir);
	ret = config_get_path(o->cfg, "defaults", "compile_commands", &ccpath);
	ccdb_init(&e->db, repo->top, e->scratch.src, e->scratch.build, state.buf,
		  ret > 0 ? ccpath.buf : NULL);
	strbuf_dispose(&state);
	strbuf_dispose(&ccpath);
	if (ret < 0)
		return -1;
	return unit_analyzers_setup(e);
}

static void engine_close(struct gate_engine *e)
{
	unit_analyzers_dispose(e);
	unit_memo_dispose(e);
	ccdb_dispose(&e->db);
	gate_scratch_close(&e->scratch);
	free(e->setup_reason);
}

int gate_engine_run(json_t **out, struct gate_repo *repo,
		    const struct gate_range *range,
		    const struct gate_run_opts *o)
{
	struct gate_engine e;
	double t0 = now_s();
	int ret;

	*out = NULL;
	if (engine_open(&e, repo, o)) {
		engine_close(&e);
		return -1;
	}
	e.report = gate_result_report_new(repo->top, range->spec, "compile_commands",
					  "host", range->has_base ? &range->base : NULL);
	ret = run_commits(&e, range);
	if (!ret)
		ret = gate_result_finish(e.report, now_s() - t0);
	if (ret)
		json_decref(e.report);
	else
		*out = e.report;
	engine_close(&e);
	return ret;
}
