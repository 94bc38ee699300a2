/* ccdb_units.c: the compile_commands backend of the engine: units are
 * translation units, built one compiler process each, in parallel. */
#include "unit.h"
#include "ccdb.h"
#include "error.h"
#include "pool.h"
#include "engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The backend's state: the compilation database and whether it is loaded. */
struct ccdb_state {
	struct ccdb db;
	bool loaded;
};

static struct ccdb_state *cs(struct gate_engine *e)
{
	return e->state;
}

/* Analyzers that compile a unit with its own command line. */
static bool is_compiler(const struct an_desc *d)
{
	return an_can(d, AN_CAP_COMPILER);
}

/* The compilers, and the source analyzers that take a unit's flags. */
static bool ccdb_supports(const struct an_desc *d)
{
	return is_compiler(d) || an_can(d, AN_CAP_TU);
}

static int ccdb_moved(struct gate_engine *e, const struct strvec *changed)
{
	bool reload = !cs(e)->loaded;

	ccdb_invalidate(&cs(e)->db, changed);
	for (size_t i = 0; i < changed->nr && !reload; i++)
		reload = !strcmp(changed->v[i], "*") ||
			 ccdb_needs_reload(&cs(e)->db, changed->v[i]);
	if (!reload)
		return 0;
	if (e->o->progress)
		e->o->progress(e->o->progress_data, "loading the compilation database");
	if (ccdb_load(&cs(e)->db)) {
		cs(e)->loaded = false;
		return -1;
	}
	cs(e)->loaded = true;
	return 0;
}

/* Learns the headers of every unit that has not been built yet. */
static int learn_deps(struct gate_engine *e)
{
	struct gate_job *jobs = calloc(cs(e)->db.nr + 1, sizeof(*jobs));
	const char *cc = "cc";
	size_t n = 0;

	if (!jobs)
		return gate_error("out of memory");
	for (size_t i = 0; i < e->nr_an; i++)
		if (unit_analyzer_on_units(&e->an[i]) && is_compiler(e->an[i].desc))
			cc = e->an[i].command.v[0];
	for (size_t i = 0; i < cs(e)->db.nr; i++) {
		if (cs(e)->db.v[i].deps_known)
			continue;
		gate_job_init(&jobs[n]);
		jobs[n].data = &cs(e)->db.v[i];
		jobs[n].proc.dir = cs(e)->db.v[i].dir;
		ccdb_command(&cs(e)->db, &cs(e)->db.v[i], cc, NULL, true, &jobs[n].proc.args);
		if (e->o->ctr)
			ctr_engine_wrap(e->o->ctr, &jobs[n].proc);
		n++;
	}
	gate_pool_run(jobs, n, e->o->jobs);
	for (size_t i = 0; i < n; i++) {
		ccdb_read_deps(&cs(e)->db, jobs[i].data);
		gate_job_dispose(&jobs[i]);
	}
	free(jobs);
	gate_error_clear();
	return 0;
}

static int add_readers(struct gate_engine *e, const char *path,
		       struct strvec *units, bool *deps_learnt)
{
	if (!*deps_learnt) {
		*deps_learnt = true;
		if (learn_deps(e))
			return -1;
	}
	for (size_t i = 0; i < cs(e)->db.nr; i++)
		if (ccdb_tu_reads(&cs(e)->db.v[i], path))
			unit_add_unique(units, cs(e)->db.v[i].key);
	return 0;
}

/* Sources by their old and new paths, and every unit reading a touched header. */
static int ccdb_touched(struct gate_engine *e, struct strvec *units)
{
	bool deps_learnt = false;

	for (size_t i = 0; i < e->diff.nr; i++) {
		const struct gate_change *d = &e->diff.v[i];
		const char *paths[] = { d->old_path, d->new_path };

		for (int k = 0; k < 2; k++) {
			if (!paths[k])
				continue;
			for (size_t u = 0; u < cs(e)->db.nr; u++)
				if (!strcmp(cs(e)->db.v[u].file, paths[k]))
					unit_add_unique(units, cs(e)->db.v[u].key);
			if (!ccdb_is_source(paths[k]) &&
			    add_readers(e, paths[k], units, &deps_learnt))
				return -1;
		}
	}
	return 0;
}

static int tool_command(struct gate_engine *e, const struct unit_analyzer *a,
			const struct ccdb_tu *tu, struct strvec *argv)
{
	struct strbuf file = STRBUF_INIT;
	int ret;

	strbuf_addf(&file, "%s/%s", e->scratch.src, tu->file);
	ret = an_tu_command(argv, a->desc, &a->command, &tu->args, file.buf, &a->extra);
	strbuf_dispose(&file);
	return ret;
}

static int queue_job(struct gate_engine *e, struct gate_job *j,
		     const struct unit_analyzer *a, struct ccdb_tu *tu)
{
	gate_job_init(j);
	j->data = tu;
	j->proc.dir = tu->dir;
	j->timeout_s = (unsigned int)a->timeout_s;
	strvec_push(&j->proc.env, "LC_ALL=C");
	if (is_compiler(a->desc) ?
	    ccdb_command(&cs(e)->db, tu, a->command.v[0], &a->extra, false, &j->proc.args) :
	    tool_command(e, a, tu, &j->proc.args))
		return -1;
	/* The shared ccache replays a hit's diagnostics, so nothing is lost. */
	if (is_compiler(a->desc) && ctr_engine_uses_ccache(e->o->ctr) &&
	    strvec_insert(&j->proc.args, 0, "ccache"))
		return -1;
	return e->o->ctr ? ctr_engine_wrap(e->o->ctr, &j->proc) : 0;
}

static bool source_exists(struct gate_engine *e, const struct ccdb_tu *tu)
{
	struct strbuf p = STRBUF_INIT;
	bool ok;

	strbuf_addf(&p, "%s/%s", e->scratch.src, tu->file);
	ok = !access(p.buf, R_OK);
	strbuf_dispose(&p);
	return ok;
}

static int record(struct gate_engine *e, struct gate_job *j, struct unit_memo *m)
{
	struct ccdb_tu *tu = j->data;

	if (unit_memo_record(e, m, j->status, j->output.buf, j->output.len,
			     j->seconds, e->scratch.build))
		return -1;
	/* Only a compiler's status says whether the unit builds. */
	if (!m->error && j->status && is_compiler(m->an->desc) &&
	    !unit_memo_has_error(m) && unit_memo_build_failure(m, tu->file))
		return -1;
	/* A unit that failed early may have left no depfile: not an error. */
	ccdb_read_deps(&cs(e)->db, tu);
	gate_error_clear();
	return 0;
}

static int ccdb_build(struct gate_engine *e, struct unit_analyzer *a,
		      const struct strvec *units, const git_oid *tree)
{
	struct gate_job *jobs = calloc(units->nr + 1, sizeof(*jobs));
	/* Indices, not pointers: unit_memo_add() may move e->memo. */
	size_t *memo = calloc(units->nr + 1, sizeof(*memo));
	size_t n = 0;
	int ret = 0;

	if (!jobs || !memo)
		ret = gate_error("out of memory");
	for (size_t k = 0; !ret && k < units->nr; k++) {
		struct ccdb_tu *tu = ccdb_find_key(&cs(e)->db, units->v[k]);

		if (unit_memo_find(e, a, units->v[k], tree))
			continue;
		memo[n] = e->nr_memo;
		if (!unit_memo_add(e, a, units->v[k], tree) || !e->memo[memo[n]].key)
			ret = gate_error("out of memory");
		else if (tu && source_exists(e, tu))
			ret = queue_job(e, &jobs[n++], a, tu);
	}
	if (!ret)
		gate_pool_run(jobs, n, e->o->jobs);
	for (size_t k = 0; k < n; k++) {
		if (!ret && jobs[k].started)
			ret = record(e, &jobs[k], &e->memo[memo[k]]);
		gate_job_dispose(&jobs[k]);
	}
	free(jobs);
	free(memo);
	return ret;
}

/* Any project: the database comes from the config, the tree or CMake. */
static bool ccdb_detect(git_repository *git, const git_oid *commit)
{
	return true;
}

static int ccdb_open(struct gate_engine *e)
{
	struct ccdb_state *st = calloc(1, sizeof(*st));
	struct strbuf state = STRBUF_INIT, ccpath = STRBUF_INIT;
	int ret;

	if (!st)
		return gate_error("out of memory");
	e->state = st;
	strbuf_addf(&state, "%s/units", e->scratch.dir);
	ret = config_get_path(e->o->cfg, "defaults", "compile_commands", &ccpath);
	ccdb_init(&st->db, e->repo->top, e->scratch.src, e->scratch.build, state.buf,
		  ret > 0 ? ccpath.buf : NULL);
	strbuf_dispose(&state);
	strbuf_dispose(&ccpath);
	return ret < 0 ? -1 : 0;
}

static void ccdb_backend_dispose(struct gate_engine *e)
{
	struct ccdb_state *st = e->state;

	if (!st)
		return;
	ccdb_dispose(&st->db);
	free(st);
	e->state = NULL;
}

static const struct strbuf *ccdb_setup_log(struct gate_engine *e)
{
	return e->state ? &cs(e)->db.log : NULL;
}

const struct unit_backend unit_ccdb_backend = {
	.kind = "compile_commands",
	.default_extra = "-Wall -Wextra",
	.detect = ccdb_detect,
	.supports = ccdb_supports,
	.open = ccdb_open,
	.moved = ccdb_moved,
	.touched = ccdb_touched,
	.build = ccdb_build,
	.dispose = ccdb_backend_dispose,
	.setup_log = ccdb_setup_log,
};
