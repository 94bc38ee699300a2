/* series.c: the per-commit loop of the gate. Moves the scratch tree to the
 * parent, builds the touched units, moves it to the commit, builds them again. */
#include "series.h"
#include "range_boot.h"
#include "cache.h"
#include "ccache.h"
#include "engine.h"
#include "ccdb.h"
#include "delta.h"
#include "diff.h"
#include "clock.h"
#include "error.h"
#include "fs.h"
#include "interrupt.h"
#include "kbuild.h"
#include "proc.h"
#include "patch.h"
#include "patch_job.h"
#include "result.h"
#include "scratch.h"
#include "unit.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

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

/* Moves the scratch tree to tree and keeps the unit database in step with it. */
static int move_to(struct gate_engine *e, const git_oid *tree)
{
	struct strvec changed = STRVEC_INIT;
	int ret;

	ret = gate_scratch_sync(&e->scratch, e->repo->git, tree, &changed);
	if (!ret)
		ret = e->backend->moved(e, &changed);
	if (ret)
		unit_report_setup_failure(e);
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
		ret = gate_patch_job_finish(e) ||
		      gate_scratch_sync(&e->scratch, e->repo->git, before, NULL) ||
		      unit_build(e, &missing, before) ||
		      gate_scratch_sync(&e->scratch, e->repo->git, after, NULL);
	strvec_dispose(&missing);
	return ret ? -1 : 0;
}

/*
 * The units the next commit touches, found at this commit's tree: when the
 * next commit's parent is this one, this tree is their before-state. The
 * next commit is not gated yet, so its diff and a stand-in for its report
 * entry are lent to the backend for the question and taken back.
 */
static int touched_next(struct gate_engine *e, const struct gate_commit *c,
			const struct gate_commit *next, struct strvec *units)
{
	struct gate_diff mine = e->diff;
	json_t *cj = e->commit_json;
	int ret;

	if (!e->backend->build_ahead || !next || next->skip_reason ||
	    !next->has_parent || !git_oid_equal(&next->parent, &c->oid))
		return 0;
	if (!e->ahead_json)
		e->ahead_json = json_object();
	if (!e->ahead_json || gate_diff_commit(&e->diff, e->repo->git, &next->oid)) {
		e->diff = mine;
		return -1;
	}
	json_object_clear(e->ahead_json);
	json_object_set_new(e->ahead_json, "sha", json_string(next->sha));
	e->commit_json = e->ahead_json;
	ret = e->backend->touched(e, units);
	gate_diff_dispose(&e->diff);
	e->diff = mine;
	e->commit_json = cj;
	return ret;
}

/*
 * Builds the commit's units at its tree and, in the same pool, the next
 * commit's units not known at this tree yet. Built one after the other,
 * every step of a series would wait for its slowest job with CPUs idle,
 * and a make path would pay kbuild's start-up twice. Only when the commit
 * builds something itself: its report says how it built, so it must not
 * describe a build that was only the next commit's.
 */
static int build_with_next(struct gate_engine *e, const struct gate_commit *c,
			   const struct gate_commit *next, const struct strvec *units,
			   const git_oid *tree)
{
	struct strvec all = STRVEC_INIT, next_units = STRVEC_INIT, ahead = STRVEC_INIT;
	struct strvec missing = STRVEC_INIT;
	int ret = unit_from_cache_all(e, units, tree) ||
		  unit_missing(e, units, tree, &missing) ? -1 : 0;

	if (!ret && missing.nr && touched_next(e, c, next, &next_units))
		gate_error_clear();	/* only a head start: the next commit finds its own */
	for (size_t i = 0; !ret && i < next_units.nr; i++)
		if (strvec_find(units, next_units.v[i]) < 0)
			ret = strvec_push(&ahead, next_units.v[i]);
	if (!ret)
		ret = strvec_pushv(&all, units->v) || strvec_pushv(&all, ahead.v) ||
		      unit_build(e, &all, tree) ? -1 : 0;
	if (!ret)
		unit_memo_forget_errors(e, &ahead, tree);
	strvec_dispose(&all);
	strvec_dispose(&next_units);
	strvec_dispose(&ahead);
	strvec_dispose(&missing);
	return ret;
}

/* .mkt-gate-waivers as the commit leaves it, so a waiver comes with its commit. */
static int load_waivers(struct gate_engine *e)
{
	struct strbuf path = STRBUF_INIT;
	int ret;

	waivers_free(e->waivers);
	e->waivers = NULL;
	strbuf_addf(&path, "%s/.mkt-gate-waivers", e->scratch.src);
	ret = waivers_load(&e->waivers, path.buf);
	strbuf_dispose(&path);
	return ret;
}

static int gate_commit(struct gate_engine *e, const struct gate_commit *c,
		       const struct gate_commit *next, json_t *cj)
{
	struct strvec units = STRVEC_INIT;
	git_oid before, after;
	double t0 = gate_now_s();
	size_t nchecks;
	int ret = -1;

	if (e->setup_failed)
		return unit_checks_error(e, cj, e->setup_reason);
	if (tree_of(e->repo->git, &c->oid, &after) ||
	    (c->has_parent ? tree_of(e->repo->git, &c->parent, &before) :
			     empty_tree(e->repo->git, &before)))
		goto out;
	/* The last commit's patch checks may go on reading its tree: ours before. */
	if (!git_oid_equal(&before, &e->patch_tree) && gate_patch_job_finish(e))
		goto out;
	/* A root commit has nothing before it to build: the empty tree. */
	if (!c->has_parent) {
		if (gate_scratch_sync(&e->scratch, e->repo->git, &before, NULL))
			goto out;
	} else if (move_to(e, &before)) {
		goto setup_failed;
	} else if (e->backend->touched(e, &units) || unit_build(e, &units, &before) ||
		   gate_boot_before(e, &before, git_oid_tostr_s(&c->parent))) {
		goto out;
	}
	if (gate_patch_job_finish(e))
		goto out;
	if (move_to(e, &after))
		goto setup_failed;
	git_oid_cpy(&e->patch_tree, &after);
	if (e->backend->touched(e, &units) || late_before(e, &units, &before, &after) ||
	    load_waivers(e) || gate_patch_job_start(e, c, cj) ||
	    build_with_next(e, c, next, &units, &after))
		goto out;
	if (gate_interrupted()) {
		ret = gate_error("interrupted");
		goto out;
	}
	set_objects(cj, &units);
	nchecks = json_array_size(json_object_get(cj, "checks"));
	ret = unit_checks(e, cj, &units, &before, &after) ||
	      (!units.nr && gate_result_note_unbuilt(cj, nchecks)) ||
	      gate_boot_after(e, cj, &after, c->sha) ? -1 : 0;
	goto out;
setup_failed:
	ret = unit_checks_error(e, cj, e->setup_reason);
out:
	json_object_set_new(cj, "duration_s", json_real(gate_now_s() - t0));
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
		e->commit_json = cj;
		json_array_append_new(json_object_get(e->report, "commits"), cj);
		progress(e, "[%zu/%zu] %.12s %s", i + 1, range->nr, c->sha, c->subject);
		ret = c->skip_reason ? 0 : gate_commit(e, c, i + 1 < range->nr ?
							    &range->v[i + 1] : NULL, cj);
		gate_diff_dispose(&e->diff);
		if (ret)
			return -1;
	}
	return gate_patch_job_finish(e);
}

/* Binds read-only the folder of a program outside /usr, so that jobs see it. */
static int bind_tool_dir(struct gate_engine *e, const char *prog, struct strbuf *path)
{
	char *slash;

	strbuf_reset(path);
	if ((strchr(prog, '/') && prog[0] != '/') || !proc_which(prog, path) ||
	    str_starts_with(path->buf, "/usr/"))
		return 0;
	slash = strrchr(path->buf, '/');
	if (!slash || slash == path->buf)
		return 0;
	*slash = '\0';
	return ctr_engine_bind(e->o->ctr, path->buf, false);
}

/*
 * Analyzers installed outside /usr must be seen by jobs: an analyzer's
 * command, and a patch-level tool's [analyzer.NAME] path (patch checks run
 * in the engine too). A program named relative to the tree
 * (scripts/checkpatch.pl) is in the scratch tree, which is bound already.
 */
static int bind_tools(struct gate_engine *e)
{
	struct strbuf path = STRBUF_INIT, sec = STRBUF_INIT, file = STRBUF_INIT;
	int ret = 0;

	for (size_t i = 0; i < e->nr_an && e->o->ctr && !ret; i++) {
		const struct unit_analyzer *a = &e->an[i];
		bool patch = a->desc->kind == AN_KIND_PATCH;

		if ((!patch && !unit_analyzer_on_units(a)) || a->skip_reason)
			continue;
		if (a->command.nr)
			ret = bind_tool_dir(e, a->command.v[0], &path);
		strbuf_reset(&sec);
		strbuf_reset(&file);
		if (!ret && patch && strbuf_addf(&sec, "analyzer.%s", a->desc->name))
			ret = -1;
		if (!ret && patch && config_get_path(e->o->cfg, sec.buf, "path", &file) > 0)
			ret = bind_tool_dir(e, file.buf, &path);
	}
	strbuf_dispose(&path);
	strbuf_dispose(&sec);
	strbuf_dispose(&file);
	return ret;
}

static int engine_open(struct gate_engine *e, struct gate_repo *repo,
		       const struct gate_run_opts *o, const struct gate_range *range)
{
	memset(e, 0, sizeof(*e));
	e->repo = repo;
	e->o = o;
	/*
	 * Results are keyed by the blob ids of what each unit read: keep big
	 * trees (include/linux) parsed, not inflated again for every header.
	 */
	git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TREE, (size_t)1 << 20);
	/* The newest commit decides: a series may turn a tree into a kernel. */
	e->backend = unit_backend_for(repo->git, range->nr ?
				      &range->v[range->nr - 1].oid : NULL);
	strbuf_init(&e->cache_dir, 0);
	if (gate_scratch_open(&e->scratch, repo, o->cache_root))
		return -1;
	/* Jobs write only under the scratch area; the sources are read-only. */
	if (o->ctr && (ctr_engine_bind(o->ctr, e->scratch.dir, true) ||
		       gate_mkdirs(e->scratch.src) ||
		       ctr_engine_bind(o->ctr, e->scratch.src, false)))
		return -1;
	if (o->cache_root)
		strbuf_addstr(&e->cache_dir, o->cache_root);
	else if (gate_cache_root(&e->cache_dir))
		return -1;
	if (e->backend->open(e) || unit_analyzers_setup(e) || gate_boot_open(e))
		return -1;
	return bind_tools(e);
}

static void engine_close(struct gate_engine *e)
{
	gate_patch_job_finish(e);
	if (e->backend)
		e->backend->dispose(e);
	gate_boot_close(e);
	unit_analyzers_dispose(e);
	unit_memo_dispose(e);
	gate_scratch_close(&e->scratch);
	free(e->setup_reason);
	json_decref(e->ahead_json);
	waivers_free(e->waivers);
	if (e->cache_dir.len)
		gate_cache_prune(e->cache_dir.buf, 100000);
	strbuf_dispose(&e->cache_dir);
}

/* The shared ccache's counters now, or false when there is none to read. */
static bool ccache_now(const struct gate_engine *e, struct ctr_ccache_stats *st)
{
	if (!ctr_engine_uses_ccache(e->o->ctr))
		return false;
	if (!ctr_ccache_stats(ctr_engine_ccache_dir(e->o->ctr), st))
		return true;
	gate_error_clear();
	return false;
}

/*
 * ccache's counters before the first job of the run: read there, not at the
 * start, so that a run that starts no job (every unit cached) spawns no ccache.
 */
struct ccache_watch {
	const struct gate_engine *e;
	struct ctr_ccache_stats before;
	bool have;
};

static void ccache_before(void *data)
{
	struct ccache_watch *w = data;

	w->have = ccache_now(w->e, &w->before);
}

static int ccache_watch_start(struct gate_engine *e, struct ccache_watch *w)
{
	memset(w, 0, sizeof(*w));
	w->e = e;
	if (!ctr_engine_uses_ccache(e->o->ctr))
		return 0;
	return ctr_engine_watch_jobs(e->o->ctr, ccache_before, w);
}

/*
 * The run's ccache hits and misses, from the counters before and after:
 * another run sharing the directory at the same time counts as well. A run
 * that started no job had none (and another run's compiles are not its).
 */
static void report_ccache(struct gate_engine *e, struct ccache_watch *w)
{
	struct ctr_ccache_stats after, d = { 0, 0, 0, 0, 0 };
	bool ran = ctr_engine_jobs_started(e->o->ctr);
	json_t *c;

	if (ran && (!w->have || !ccache_now(e, &after)))
		return;
	if (ran)
		d = ctr_ccache_stats_diff(&w->before, &after);
	c = json_pack("{s:s, s:I, s:I}", "dir", ctr_engine_ccache_dir(e->o->ctr),
		      "hits", (json_int_t)d.hits, "misses", (json_int_t)d.misses);
	if (c && d.hits + d.misses)
		json_object_set_new(c, "hit_rate",
				    json_real((double)d.hits / (double)(d.hits + d.misses)));
	/* with ccache_remote: the hits split into local and remote ones */
	ctr_ccache_json_remote(c, ctr_engine_ccache_remote(e->o->ctr), &d);
	json_object_set_new(e->report, "ccache", c);
}

int gate_series_run(json_t **out, struct gate_repo *repo,
		    const struct gate_range *range,
		    const struct gate_run_opts *o)
{
	struct gate_engine e;
	struct ccache_watch cc;
	double t0 = gate_now_s();
	int ret;

	*out = NULL;
	if (engine_open(&e, repo, o, range)) {
		engine_close(&e);
		return -1;
	}
	e.report = gate_result_report_new(repo->top, range->spec, e.backend->kind,
					  o->ctr ? ctr_engine_name(o->ctr) : "host",
					  range->has_base ? &range->base : NULL);
	ret = ccache_watch_start(&e, &cc) || run_commits(&e, range) ? -1 : 0;
	if (!ret && ctr_engine_uses_ccache(o->ctr))
		report_ccache(&e, &cc);
	if (ctr_engine_uses_ccache(o->ctr))
		ctr_engine_watch_jobs(o->ctr, NULL, NULL);
	if (!ret)
		ret = gate_result_finish(e.report, gate_now_s() - t0);
	if (ret)
		json_decref(e.report);
	else
		*out = e.report;
	engine_close(&e);
	return ret;
}
