/* kbuild_units.c: the kbuild backend of the engine: units are kernel objects,
 * built by one make per analyzer in an out-of-tree build directory (O=). */
#include "unit.h"
#include "error.h"
#include "fs.h"
#include "kbuild.h"
#include "kbuild_split.h"
#include "kbuild_replay.h"
#include "cache.h"
#include "pool.h"
#include "proc.h"
#include "engine.h"
#include "treediff.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/*
 * Build directories: gcc, sparse and smatch share one, clang (LLVM=1) has
 * its own, and so does the kernel `range --boot` boots (its config has the
 * boot target's fragments on top).
 */
enum { KB_GCC, KB_LLVM, KB_BOOT, KB_DIRS };

struct kb_state {
	struct kbuild_db *db;		/* of the KB_GCC directory */
	char *dir[KB_DIRS];
	bool configured[KB_DIRS];
	bool werror[KB_DIRS];		/* its .config has CONFIG_WERROR=y */
	const char *arch, *cross;
	struct strbuf kconfig;
	struct strvec fragments;
	struct strvec boot_fragments;	/* on top of fragments, in KB_BOOT */
	int max_objects;
	struct strvec config_syms;	/* changed by the commit's Kconfig */
	const json_t *syms_commit;	/* the commit they belong to */
	struct strbuf log;
	bool loaded;			/* the baseline is built, the db read */
	struct strvec fresh;		/* objects whose .cmd is of fresh_tree */
	git_oid fresh_tree;
	const json_t *path_commit;	/* the commit path_rank is of */
	int path_rank;			/* enum kb_path */
	struct strbuf checkflags;	/* learned, for checkflags_key */
	char checkflags_key[GATE_CACHE_KEY_LEN + 1];
};

/* How a commit's objects were built, for its "build" in the report. */
enum kb_path { KB_PATH_NONE, KB_PATH_CACHED, KB_PATH_REPLAY, KB_PATH_MAKE };

static bool kb_supports(const struct an_desc *d)
{
	return an_can(d, AN_CAP_COMPILER) || an_can(d, AN_CAP_CHECKER);
}

/* clang builds in a directory of its own (LLVM=1); the rest share gcc's. */
static int dir_of(const struct unit_analyzer *a)
{
	return an_can(a->desc, AN_CAP_LLVM) ? KB_LLVM : KB_GCC;
}

static void kb_progress(struct gate_engine *e, const char *line)
{
	if (e->o->progress)
		e->o->progress(e->o->progress_data, line);
}

/*
 * The commit's "build" in the report: the most expensive way any of its
 * objects was built (make over replay over the result cache) and why.
 */
static void note_path(struct gate_engine *e, enum kb_path path, const char *reason)
{
	static const char *const names[] = { "none", "cached", "replay", "make" };
	struct kb_state *kb = e->state;

	if (!e->commit_json)
		return;
	if (kb->path_commit != e->commit_json) {
		kb->path_commit = e->commit_json;
		kb->path_rank = -1;
	}
	if ((int)path <= kb->path_rank)
		return;
	kb->path_rank = (int)path;
	json_object_set_new(e->commit_json, "build", json_pack("{s:s, s:s}", "path",
			    names[path], "reason", reason));
}

/* The tree the scratch held at the last make in dir: its generated files are of it. */
static void made_at_path(const struct kb_state *kb, struct strbuf *path)
{
	strbuf_addf(path, "%s/.mkt-gate-made-at", kb->dir[KB_GCC]);
}

static void made_at_write(struct gate_engine *e)
{
	struct strbuf path = STRBUF_INIT, text = STRBUF_INIT;
	char hex[GIT_OID_HEXSZ + 1];

	made_at_path(e->state, &path);
	strbuf_addstr(&text, git_oid_tostr(hex, sizeof(hex), &e->scratch.tree));
	if (strbuf_write_file(&text, path.buf))
		gate_error_clear();
	strbuf_dispose(&path);
	strbuf_dispose(&text);
}

static bool made_at(struct gate_engine *e, git_oid *tree)
{
	struct strbuf path = STRBUF_INIT, text = STRBUF_INIT;
	bool ok;

	made_at_path(e->state, &path);
	ok = !strbuf_read_file(&text, path.buf) && !git_oid_fromstr(tree, text.buf);
	gate_error_clear();
	strbuf_dispose(&path);
	strbuf_dispose(&text);
	return ok;
}

static int kb_state_new(struct gate_engine *e, struct kb_state **out)
{
	const struct config *cfg = e->o->cfg;
	struct kb_state *kb = calloc(1, sizeof(*kb));
	struct strbuf dir = STRBUF_INIT;
	bool is_file;
	int ret = 0;

	if (!kb)
		return gate_error("out of memory");
	strbuf_init(&kb->kconfig, 0);
	strbuf_init(&kb->log, 0);
	strvec_init(&kb->fragments);
	strvec_init(&kb->boot_fragments);
	strvec_init(&kb->config_syms);
	strvec_init(&kb->fresh);
	strbuf_init(&kb->checkflags, 0);
	kb->max_objects = 500;
	kb->arch = config_get(cfg, "defaults", "arch");
	kb->cross = config_get(cfg, "defaults", "cross_compile");
	if (config_get_kconfig(cfg, &kb->kconfig, &is_file) == 0)
		strbuf_addstr(&kb->kconfig, "defconfig");
	if (config_get_path_list(cfg, "defaults", "kconfig_fragments", &kb->fragments) < 0 ||
	    config_get_int(cfg, "defaults", "max_objects", &kb->max_objects) < 0)
		ret = -1;
	/* Next to the scratch tree they build: .cmd files name its paths. */
	strbuf_addstr(&dir, e->scratch.dir);
	if (asprintf(&kb->dir[KB_GCC], "%s/kbuild", dir.buf) < 0 ||
	    asprintf(&kb->dir[KB_LLVM], "%s/kbuild-llvm", dir.buf) < 0 ||
	    asprintf(&kb->dir[KB_BOOT], "%s/kbuild-boot", dir.buf) < 0)
		ret = gate_error("out of memory");
	strbuf_dispose(&dir);
	*out = kb;
	return ret;
}

static void kb_dispose(struct gate_engine *e)
{
	struct kb_state *kb = e->state;

	if (!kb)
		return;
	/* What this run parsed, for the next; a failure only costs it the parse. */
	if (kbuild_db_save(kb->db))
		gate_error_clear();
	kbuild_db_free(kb->db);
	for (int i = 0; i < KB_DIRS; i++)
		free(kb->dir[i]);
	strbuf_dispose(&kb->kconfig);
	strbuf_dispose(&kb->log);
	strvec_dispose(&kb->fragments);
	strvec_dispose(&kb->boot_fragments);
	strvec_dispose(&kb->config_syms);
	strvec_dispose(&kb->fresh);
	strbuf_dispose(&kb->checkflags);
	free(kb);
	e->state = NULL;
}

/* The source directory of arch/ the build's ARCH= reads. */
static const char *srcarch(const struct kb_state *kb)
{
	const char *a = kb->arch ? kb->arch : "x86";

	return !strcmp(a, "x86_64") || !strcmp(a, "i386") ? "x86" : a;
}

/*
 * The extra flags of the compiler a build directory belongs to. W=1 makes
 * warnings of code the kernel's own build keeps quiet, and CONFIG_WERROR
 * (set by x86_64_defconfig in 6.1) would make them errors: the baseline
 * stopped at the first such file. -Wno-error keeps them warnings, which
 * is what the gate reports; the analyzer's own flags come after it, so
 * an explicit -Werror there still wins.
 */
static void dir_kcflags(struct gate_engine *e, int dir, struct strbuf *out)
{
	struct kb_state *kb = e->state;

	if (dir != KB_BOOT && kb->werror[dir])
		strbuf_addstr(out, "-Wno-error");
	for (size_t i = 0; i < e->nr_an; i++) {
		const struct strvec *x = &e->an[i].extra;

		if (!an_can(e->an[i].desc, AN_CAP_COMPILER) || dir_of(&e->an[i]) != dir)
			continue;
		for (size_t k = 0; k < x->nr; k++)
			strbuf_addf(out, "%s%s", out->len ? " " : "", x->v[k]);
	}
}

static void read_werror(struct kb_state *kb, int dir)
{
	struct strbuf cfg = STRBUF_INIT;

	strbuf_addf(&cfg, "%s/.config", kb->dir[dir]);
	kb->werror[dir] = kbuild_config_enabled(cfg.buf, "CONFIG_WERROR");
	strbuf_dispose(&cfg);
}

/*
 * Every make in one build directory gets the same W= and KCFLAGS=, the
 * baseline included: kbuild rebuilds whatever a flag change touches, and
 * flags that flip between analyzers would rebuild the prepare stage
 * (asm-offsets, bounds, ...) on every call.
 */
static void kb_opts(struct gate_engine *e, struct kbuild_make_opts *o,
		    int dir, struct strbuf *kcflags)
{
	struct kb_state *kb = e->state;

	kbuild_make_opts_init(o, NULL);
	o->ctr = e->o->ctr;
	o->src_dir = e->scratch.src;
	o->build_dir = kb->dir[dir];
	o->arch = kb->arch;
	o->cross_compile = kb->cross;
	o->jobs = (unsigned int)e->o->jobs;
	o->w = dir == KB_BOOT ? 0 : 1;
	o->llvm = dir == KB_LLVM;
	if (ctr_engine_uses_ccache(e->o->ctr))
		o->launcher = "ccache";
	if (dir != KB_BOOT)
		dir_kcflags(e, dir, kcflags);
	if (kcflags->len)
		o->kcflags = kcflags->buf;
}

/*
 * The environment of every kbuild job. ccache's depend mode takes the
 * include list from the -MMD file kbuild asks for anyway instead of
 * running the preprocessor first: a miss costs about a tenth more than
 * the plain compile, not half. With a remote storage the preprocessed
 * hash finds other machines' results, so it stays on there.
 */
static void job_env(struct gate_engine *e, struct strvec *env)
{
	strvec_push(env, "LC_ALL=C");
	if (ctr_engine_uses_ccache(e->o->ctr) && !ctr_engine_ccache_remote(e->o->ctr))
		strvec_push(env, "CCACHE_DEPEND=1");
}

static int kb_make(struct gate_engine *e, const struct kbuild_make_opts *o,
		   const struct strvec *objs, struct strbuf *out, int *status)
{
	struct proc p;

	proc_init(&p);
	kbuild_make_args(&p.args, o, objs);
	/* One block of output per target, so findings can be told apart by object. */
	strvec_push(&p.args, "--output-sync=target");
	job_env(e, &p.env);
	p.dir = e->scratch.dir;
	if (e->o->ctr && ctr_engine_wrap(e->o->ctr, &p)) {
		proc_dispose(&p);
		return -1;
	}
	*status = proc_capture(&p, out, NULL, 0);
	proc_dispose(&p);
	if (*status == 127 || *status < 0)
		return gate_error("cannot run make for the kernel build");
	return 0;
}

/* The fragments a build directory is configured with, in merge order. */
static void dir_fragments(const struct kb_state *kb, int dir, struct strvec *out)
{
	strvec_pushv(out, kb->fragments.v);
	if (dir == KB_BOOT)
		strvec_pushv(out, kb->boot_fragments.v);
}

/*
 * What a build directory is configured from: the stamp's contents. A
 * fragment counts by what it says, not where it lives, so that trees
 * whose configs name the same fragment from other places share a build.
 */
static void config_recipe(const struct strvec *fragments, struct kb_state *kb,
			  struct strbuf *out)
{
	strbuf_addf(out, "kconfig=%s\narch=%s\ncross=%s\n", kb->kconfig.buf,
		    kb->arch ? kb->arch : "", kb->cross ? kb->cross : "");
	for (size_t i = 0; i < fragments->nr; i++) {
		strbuf_addstr(out, "fragment:\n");
		strbuf_read_file(out, fragments->v[i]);
	}
	gate_error_clear();
}

/*
 * Configures a build directory once; its stamp holds what it was
 * configured from, so a changed kconfig, fragment or arch configures
 * (and, for the baseline directory, builds) it again.
 */
static int kb_configure(struct gate_engine *e, int dir, const char *analyzer)
{
	struct kb_state *kb = e->state;
	struct kbuild_make_opts o;
	struct strbuf stamp = STRBUF_INIT, line = STRBUF_INIT, kcflags = STRBUF_INIT;
	struct strbuf want = STRBUF_INIT, have = STRBUF_INIT;
	struct strvec frags = STRVEC_INIT;
	bool known = kb->configured[dir];
	int ret = 0;

	strbuf_addf(&stamp, "%s/.mkt-gate-configured", kb->dir[dir]);
	dir_fragments(kb, dir, &frags);
	config_recipe(&frags, kb, &want);
	if (kb->configured[dir] ||
	    (!strbuf_read_file(&have, stamp.buf) && !strcmp(have.buf, want.buf)))
		goto done;
	gate_error_clear();
	strbuf_addf(&line, "configuring %s (%s%s) in %s", analyzer, kb->kconfig.buf,
		    frags.nr ? " + fragments" : "", kb->dir[dir]);
	kb_progress(e, line.buf);
	kb_opts(e, &o, dir, &kcflags);
	strbuf_reset(&kb->log);
	strbuf_reset(&line);
	strbuf_addf(&line, "%s/.mkt-gate-baseline", kb->dir[dir]);
	unlink(line.buf);
	/* Configuring rewrites .config first: a failure must not leave the old stamp. */
	unlink(stamp.buf);
	ret = gate_mkdirs(kb->dir[dir]) ||
	      kbuild_config(&o, kb->kconfig.buf, &frags, &kb->log) ||
	      strbuf_write_file(&want, stamp.buf);
done:
	kb->configured[dir] = !ret;
	/* once a run per directory (kb_reconfig reads it again), not on every build */
	if (!ret && !known)
		read_werror(kb, dir);
	strvec_dispose(&frags);
	strbuf_dispose(&stamp);
	strbuf_dispose(&line);
	strbuf_dispose(&kcflags);
	strbuf_dispose(&want);
	strbuf_dispose(&have);
	return ret ? -1 : 0;
}

/* The first run builds everything once: its .cmd files are the object database. */
static int kb_baseline(struct gate_engine *e)
{
	struct kb_state *kb = e->state;
	struct kbuild_make_opts o;
	struct strbuf stamp = STRBUF_INIT, line = STRBUF_INIT, kcflags = STRBUF_INIT;
	time_t t0 = time(NULL);
	int status = 0, ret;

	strbuf_addf(&stamp, "%s/.mkt-gate-baseline", kb->dir[KB_GCC]);
	ret = kb_configure(e, KB_GCC, "gcc");
	if (!ret && access(stamp.buf, F_OK)) {
		strbuf_addf(&line, "building the baseline once in %s (later runs reuse it)",
			    kb->dir[KB_GCC]);
		kb_progress(e, line.buf);
		kb_opts(e, &o, KB_GCC, &kcflags);
		strbuf_reset(&kb->log);
		ret = kb_make(e, &o, NULL, &kb->log, &status);
		if (!ret && status) {
			struct strbuf why = STRBUF_INIT;

			kbuild_make_errors(&kb->log, 12, &why);
			ret = gate_error("the baseline kernel build failed (make exit %d); "
					 "make said:%s", status, why.buf);
			strbuf_dispose(&why);
		}
		if (!ret)
			close(creat(stamp.buf, 0644));
		if (!ret)
			made_at_write(e);
		strbuf_reset(&line);
		strbuf_addf(&line, "baseline built in %lds", (long)(time(NULL) - t0));
		kb_progress(e, line.buf);
	}
	if (!ret)
		ret = kbuild_db_load(&kb->db, e->scratch.src, kb->dir[KB_GCC]);
	strbuf_dispose(&stamp);
	strbuf_dispose(&line);
	strbuf_dispose(&kcflags);
	return ret;
}

static bool is_kconfig(const char *path)
{
	const char *base = strrchr(path, '/');

	return str_starts_with(base ? base + 1 : path, "Kconfig");
}

/* A Kconfig change: olddefconfig, and remember which symbols changed. */
static int kb_reconfig(struct gate_engine *e)
{
	struct kb_state *kb = e->state;
	struct strbuf cfg = STRBUF_INIT, saved = STRBUF_INIT, stamp = STRBUF_INIT;
	struct strbuf kcflags = STRBUF_INIT;
	struct kbuild_make_opts o;
	int ret;

	strbuf_addf(&cfg, "%s/.config", kb->dir[KB_GCC]);
	strbuf_addf(&saved, "%s/.config.mkt-gate-old", kb->dir[KB_GCC]);
	kb_opts(e, &o, KB_GCC, &kcflags);
	strvec_dispose(&kb->config_syms);
	ret = gate_copy_file(cfg.buf, saved.buf);
	if (!ret)
		ret = kbuild_olddefconfig(&o, &kb->log);
	if (!ret)
		ret = kbuild_config_diff(&kb->config_syms, saved.buf, cfg.buf);
	read_werror(kb, KB_GCC);
	kb->syms_commit = e->commit_json;
	/* The clang and boot directories are configured again when next used. */
	for (int dir = KB_LLVM; dir < KB_DIRS; dir++) {
		strbuf_reset(&stamp);
		strbuf_addf(&stamp, "%s/.mkt-gate-configured", kb->dir[dir]);
		unlink(stamp.buf);
		kb->configured[dir] = false;
	}
	strbuf_dispose(&cfg);
	strbuf_dispose(&saved);
	strbuf_dispose(&stamp);
	strbuf_dispose(&kcflags);
	return ret;
}

/* Configuring runs in the engine too: it must see the fragments it merges. */
static int bind_fragments(struct gate_engine *e, const struct strvec *fragments)
{
	for (size_t i = 0; e->o->ctr && i < fragments->nr; i++)
		if (ctr_engine_bind(e->o->ctr, fragments->v[i], false))
			return -1;
	return 0;
}

static int kb_open(struct gate_engine *e)
{
	struct kb_state *kb = NULL;
	int ret = kb_state_new(e, &kb);

	e->state = kb;		/* kb_dispose() frees what a failure left */
	return ret || bind_fragments(e, &kb->fragments);
}

static int kb_moved(struct gate_engine *e, const struct strvec *changed)
{
	struct kb_state *kb = e->state;
	bool kconfig = false;
	int ret;

	if (!kb->loaded) {
		ret = kb_baseline(e);
		kb->loaded = !ret;
		return ret;
	}
	for (size_t i = 0; i < changed->nr; i++)
		kconfig |= is_kconfig(changed->v[i]);
	return kconfig ? kb_reconfig(e) : 0;
}

static bool is_rules_file(const char *path)
{
	const char *base = strrchr(path, '/');

	base = base ? base + 1 : path;
	return !strcmp(base, "Makefile") || !strcmp(base, "Kbuild");
}

/* A modified Makefile touches only the objects whose rules changed. */
static int touch_one(struct gate_engine *e, struct kbuild_touch *t,
		     const struct gate_change *d, const git_oid *commit)
{
	struct kb_state *kb = e->state;
	struct strbuf old = STRBUF_INIT, new = STRBUF_INIT;
	int ret;

	if (d->status == 'M' && is_rules_file(d->new_path) &&
	    !gate_commit_read_file(e->repo->git, commit, true, d->old_path, &old) &&
	    !gate_commit_read_file(e->repo->git, commit, false, d->new_path, &new)) {
		ret = kbuild_touch_rules(t, kb->db, d->new_path, old.buf, new.buf);
	} else if (d->status == 'R') {
		ret = kbuild_touch_path(t, kb->db, e->scratch.src, d->old_path, 'D') ||
		      kbuild_touch_path(t, kb->db, e->scratch.src, d->new_path, 'A');
	} else {
		ret = kbuild_touch_path(t, kb->db, e->scratch.src, gate_change_path(d),
				     d->status);
	}
	gate_error_clear();
	strbuf_dispose(&old);
	strbuf_dispose(&new);
	return ret ? -1 : 0;
}

static void note_touch(json_t *commit, const struct kbuild_touch *t)
{
	json_t *left = json_array(), *why = json_array();

	for (size_t i = 0; i < t->left_out.nr; i++)
		json_array_append_new(left, json_string(t->left_out.v[i]));
	for (size_t i = 0; i < t->reasons.nr; i++)
		json_array_append_new(why, json_string(t->reasons.v[i]));
	json_object_set_new(commit, "objects_left_out", left);
	json_object_set_new(commit, "object_reasons", why);
}

static int kb_touched(struct gate_engine *e, struct strvec *units)
{
	struct kb_state *kb = e->state;
	const char *sha = json_string_value(json_object_get(e->commit_json, "sha"));
	struct kbuild_touch t;
	git_oid commit;
	int ret = git_oid_fromstr(&commit, sha);

	kbuild_touch_init(&t);
	for (size_t i = 0; !ret && i < e->diff.nr; i++)
		ret = touch_one(e, &t, &e->diff.v[i], &commit);
	if (!ret && kb->syms_commit == e->commit_json)
		for (size_t i = 0; !ret && i < kb->config_syms.nr; i++)
			ret = kbuild_db_dependents(kb->db, kb->config_syms.v[i], &t.objs);
	if (!ret)
		ret = kbuild_touch_finish(&t, (size_t)kb->max_objects);
	for (size_t i = 0; !ret && i < t.objs.nr; i++)
		unit_add_unique(units, t.objs.v[i]);
	if (!ret)
		note_touch(e->commit_json, &t);
	if (!ret)
		note_path(e, units->nr ? KB_PATH_CACHED : KB_PATH_NONE, units->nr ?
			  "every object's results came from the result cache" :
			  "the commit touches no object");
	kbuild_touch_dispose(&t);
	return ret;
}

static bool source_exists(struct gate_engine *e, const char *obj)
{
	struct kb_state *kb = e->state;
	const char *src = kbuild_db_source(kb->db, obj);
	struct strbuf p = STRBUF_INIT;
	bool ok;

	if (src)
		strbuf_addf(&p, "%s/%s", e->scratch.src, src);
	else
		strbuf_addf(&p, "%s/%.*s.c", e->scratch.src, (int)strlen(obj) - 2, obj);
	ok = !access(p.buf, F_OK);
	strbuf_dispose(&p);
	return ok;
}

static bool is_checker(const struct unit_analyzer *a)
{
	return an_can(a->desc, AN_CAP_CHECKER);
}

/* CHECK= for the checkers; the compilers' flags come with the directory. */
static void set_check(struct gate_engine *e, struct kbuild_make_opts *o,
		      const struct unit_analyzer *a, struct strbuf *words)
{
	struct strbuf section = STRBUF_INIT;

	if (!is_checker(a))
		return;
	strvec_join(&a->command, " ", words);
	o->check = words->buf;
	o->check_args = a->desc->check_args;
	strbuf_addf(&section, "analyzer.%s", a->desc->name);
	o->cf = config_get(e->o->cfg, section.buf, "cf_flags");
	strbuf_dispose(&section);
}

/*
 * Records one object's result; a compiler that left no object failed it.
 * An object make printed no section for ran, but what the analyzer said
 * about it cannot be told from the rest: that is an error, not a pass.
 */
static int kb_record(struct gate_engine *e, struct unit_memo *m, int status,
		     const struct strbuf *text, bool seen, double seconds,
		     const char *dir)
{
	bool checker = is_checker(m->an);
	int failed = status && !checker && !gate_exists_in(dir, m->key);
	const char *name = m->an->desc->name;
	/* make killed (OOM, a signal) built nothing: unit_memo_record() refuses it. */
	bool ran = !(status == 127 || status < 0 || status > 128);

	if (unit_memo_record(e, m, !ran ? status : failed ? 2 : 0,
			     text->buf, text->len, seconds, dir))
		return -1;
	if (!m->error && failed && !unit_memo_has_error(m))
		return unit_memo_build_failure(m, m->key);
	if (seen || failed)
		return 0;
	if (checker && status)
		return unit_memo_lost(m, "%s did not run on %s: make failed before it (exit %d)",
				      name, m->key, status);
	return unit_memo_lost(m, "make printed no %s line for %s, so %s's output for it "
			      "could not be told from the rest", checker ? "CHECK" : "CC",
			      m->key, name);
}

/* Adds a memo for every unit not yet known at tree; objs gets those to build. */
static int plan(struct gate_engine *e, struct unit_analyzer *a,
		const struct strvec *units, const git_oid *tree,
		struct strvec *objs, size_t *idx)
{
	for (size_t k = 0; k < units->nr; k++) {
		if (unit_memo_find(e, a, units->v[k], tree))
			continue;
		idx[objs->nr] = e->nr_memo;
		if (!unit_memo_add(e, a, units->v[k], tree))
			return gate_error("out of memory");
		if (source_exists(e, units->v[k]))
			strvec_push(objs, units->v[k]);
	}
	return 0;
}

static void fail_all(struct gate_engine *e, const size_t *idx, size_t n,
		     const char *why)
{
	for (size_t i = 0; i < n; i++) {
		free(e->memo[idx[i]].error);
		e->memo[idx[i]].error = strdup(why);
	}
}

/* The analyzers one make serves: a compiler, and maybe a checker with it. */
struct kb_job {
	struct unit_analyzer *a;
	const size_t *idx;		/* memo of each object, for a */
	struct unit_analyzer *chk;	/* NULL, or the checker (CHECK=) */
	const size_t *cidx;		/* memo of each object, for chk */
};

/*
 * Records a's result for each object from its part of make's output. The
 * diagnostics of a's kind (a checker's follow a CHECK line) that make
 * printed outside every object's part cannot be attributed, so no object
 * of a can pass on this make.
 */
static int record_all(struct gate_engine *e, const struct unit_analyzer *a,
		      const struct strvec *objs, const size_t *idx, int status,
		      const struct kbuild_split *sp, double seconds, const char *dir)
{
	bool checker = is_checker(a);
	const struct strvec *stray = checker ? &sp->stray_check : &sp->stray_cc;
	const char *lost = stray->nr ? stray->v[0] : NULL;
	int ret = 0;

	for (size_t i = 0; i < objs->nr && !ret; i++) {
		struct unit_memo *m = &e->memo[idx[i]];

		if (m->error)
			continue;
		ret = kb_record(e, m, status, checker ? &sp->check[i] : &sp->cc[i],
				checker ? sp->seen_check[i] : sp->seen_cc[i],
				seconds / (double)objs->nr, dir);
		if (!ret && lost)
			ret = unit_memo_lost(m, "make printed %s diagnostics it did not "
					     "attribute to any object, such as '%.300s'",
					     a->desc->name, lost);
	}
	return ret;
}

/*
 * The objects make left in the build directory were built (or found up
 * to date) at the tree the scratch holds: their .cmd files, just read
 * again, name exactly what they read there. A failed one keeps an older
 * .cmd file and is not fresh.
 */
static int note_fresh(struct gate_engine *e, const struct strvec *objs,
		      const char *build_dir)
{
	struct kb_state *kb = e->state;

	if (!git_oid_equal(&kb->fresh_tree, &e->scratch.tree)) {
		strvec_dispose(&kb->fresh);
		git_oid_cpy(&kb->fresh_tree, &e->scratch.tree);
	}
	for (size_t i = 0; i < objs->nr; i++)
		if (gate_exists_in(build_dir, objs->v[i]) &&
		    strvec_find(&kb->fresh, objs->v[i]) < 0 &&
		    strvec_push(&kb->fresh, objs->v[i]))
			return -1;
	return 0;
}

static int run_make(struct gate_engine *e, const struct kb_job *j, int dir,
		    const struct strvec *objs)
{
	struct kb_state *kb = e->state;
	struct strbuf out = STRBUF_INIT, words = STRBUF_INIT, kcflags = STRBUF_INIT;
	struct kbuild_split sp;
	struct kbuild_make_opts o;
	time_t t0 = time(NULL);
	double seconds;
	int status = 0, ret;

	if (kbuild_split_init(&sp, objs->nr))
		return -1;
	kb_opts(e, &o, dir, &kcflags);
	/* Objects go, so that the compiler runs and says its warnings again. */
	if (!is_checker(j->a))
		kbuild_make_prepare(&o, objs);
	set_check(e, &o, j->chk ? j->chk : j->a, &words);
	strbuf_addf(&out, "%s%s%s: %zu object(s) in %s", j->a->desc->name, j->chk ? "+" : "",
		    j->chk ? j->chk->desc->name : "", objs->nr, o.build_dir);
	kb_progress(e, out.buf);
	strbuf_reset(&out);
	if (kb_make(e, &o, objs, &out, &status)) {
		fail_all(e, j->idx, objs->nr, gate_error_last());
		if (j->chk)
			fail_all(e, j->cidx, objs->nr, gate_error_last());
	} else if (dir == KB_GCC && status <= 128) {
		made_at_write(e);
	}
	ret = kbuild_split_output(&sp, out.buf, out.len, e->scratch.src, objs);
	seconds = (double)(time(NULL) - t0);
	if (!ret)
		ret = record_all(e, j->a, objs, j->idx, status, &sp, seconds, o.build_dir);
	if (!ret && j->chk)
		ret = record_all(e, j->chk, objs, j->cidx, status, &sp, seconds, o.build_dir);
	if (!ret && dir == KB_GCC)
		ret = kbuild_db_update(kb->db, objs) || note_fresh(e, objs, o.build_dir);
	kbuild_split_dispose(&sp);
	strbuf_dispose(&out);
	strbuf_dispose(&words);
	strbuf_dispose(&kcflags);
	return ret;
}

/*
 * The checker (sparse, smatch) that can ride along with gcc's make: it
 * runs here and lacks results for exactly the units gcc lacks. Every make
 * of a kernel tree pays seconds of overhead before it builds anything, so
 * one make for both halves the cost of a commit.
 */
static struct unit_analyzer *companion(struct gate_engine *e, const struct unit_analyzer *a,
				       const struct strvec *units, const git_oid *tree)
{
	if (!an_can(a->desc, AN_CAP_COMPILER) || dir_of(a) != KB_GCC)
		return NULL;
	for (size_t i = 0; i < e->nr_an; i++) {
		struct unit_analyzer *c = &e->an[i];
		bool same = true;

		if (!is_checker(c) || c->skip_reason || !unit_analyzer_on_units(c))
			continue;
		for (size_t k = 0; k < units->nr && same; k++)
			same = !unit_memo_find(e, a, units->v[k], tree) ==
			       !unit_memo_find(e, c, units->v[k], tree);
		if (same)
			return c;
	}
	return NULL;
}

/* What one replay runs: per object, the compile (with fixdep) and the checker. */
struct kb_replay {
	struct strvec cc;
	struct strvec chk;
};

/*
 * A Makefile or Kbuild changed since the last make: when only its object
 * lists changed, the other objects' commands are what they were, and the
 * objects on the changed lines go to ruled (they need make). 0 with why
 * for any other change.
 */
static int replay_rules_ok(struct gate_engine *e, const git_diff_delta *d,
			   struct strvec *ruled, struct strbuf *why)
{
	struct kb_state *kb = e->state;
	git_blob *old = NULL, *new = NULL;
	struct kbuild_touch t;
	int ok = 0;

	kbuild_touch_init(&t);
	if (d->status == GIT_DELTA_MODIFIED &&
	    !git_blob_lookup(&old, e->repo->git, &d->old_file.id) &&
	    !git_blob_lookup(&new, e->repo->git, &d->new_file.id) &&
	    !kbuild_touch_rules(&t, kb->db, d->new_file.path, git_blob_rawcontent(old),
				git_blob_rawcontent(new)) &&
	    !t.all_objects && t.reasons.nr &&
	    strstr(t.reasons.v[t.reasons.nr - 1], ": object lists changed")) {
		strvec_pushv(ruled, t.objs.v);
		ok = 1;
	}
	if (!ok)
		strbuf_addf(why, "%s changed more than its object lists", d->new_file.path);
	git_error_clear();
	gate_error_clear();
	git_blob_free(old);
	git_blob_free(new);
	kbuild_touch_dispose(&t);
	return ok;
}

/*
 * Whether the build directory's generated files and rules are those of
 * the tree now: only .c and .h files (and object lists) changed since its
 * last make. ruled gets the objects whose lines of a Makefile changed.
 */
static int replay_tree_ok(struct gate_engine *e, struct strvec *ruled, struct strbuf *why)
{
	git_oid made;
	git_tree *from = NULL, *to = NULL;
	git_diff *diff = NULL;
	int ret = 0;

	if (!made_at(e, &made)) {
		strbuf_addstr(why, "no make ran in the build directory at a known tree yet");
		return 0;
	}
	if (git_tree_lookup(&from, e->repo->git, &made) ||
	    git_tree_lookup(&to, e->repo->git, &e->scratch.tree) ||
	    gate_tree_diff(&diff, e->repo->git, from, to, NULL)) {
		git_error_clear();
		gate_error_clear();
		strbuf_addstr(why, "the tree of the build directory's last make is gone");
		goto out;
	}
	ret = 1;
	for (size_t i = 0; ret && i < git_diff_num_deltas(diff); i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);
		int st = d->status == GIT_DELTA_ADDED ? 'A' : d->status == GIT_DELTA_DELETED ?
			 'D' : 'M';
		const char *path = st == 'D' ? d->old_file.path : d->new_file.path;

		ret = is_rules_file(path) ?
		      replay_rules_ok(e, d, ruled, why) : kbuild_replay_allows(path, st, why);
	}
out:
	git_diff_free(diff);
	git_tree_free(from);
	git_tree_free(to);
	return ret;
}

/* CHECK= as make gets it: the command, then the analyzer's own arguments. */
static void check_string(const struct unit_analyzer *c, struct strbuf *out)
{
	strvec_join(&c->command, " ", out);
	if (c->desc->check_args)
		strbuf_addf(out, " %s", c->desc->check_args);
}

/* What the learned CHECKFLAGS follow from: the checker and the rules that set them. */
static void checkflags_key(struct gate_engine *e, const struct unit_analyzer *c,
			   char key[GATE_CACHE_KEY_LEN + 1])
{
	struct kb_state *kb = e->state;
	struct strvec rules = STRVEC_INIT;
	struct strbuf sb = STRBUF_INIT, section = STRBUF_INIT;
	const char *cf;

	strbuf_addstr(&sb, "checkflags v1\n");
	check_string(c, &sb);
	strbuf_addf(&section, "analyzer.%s", c->desc->name);
	cf = config_get(e->o->cfg, section.buf, "cf_flags");
	strbuf_addf(&sb, "\nCF=%s\narch=%s\n", cf ? cf : "", kb->arch ? kb->arch : "");
	strvec_push(&rules, "Makefile");
	strvec_pushf(&rules, "arch/%s/Makefile", srcarch(kb));
	strvec_push(&rules, "scripts/Makefile.build");
	if (unit_content_ids(e, &e->scratch.tree, &rules, &sb))
		gate_error_clear();
	gate_cache_hash(key, sb.buf);
	strvec_dispose(&rules);
	strbuf_dispose(&sb);
	strbuf_dispose(&section);
}

/* Asks make once what it would run for obj with C=2: the checker's line holds CHECKFLAGS. */
static int learn_checkflags(struct gate_engine *e, struct unit_analyzer *c, const char *obj,
			    const char *c_flags, struct strbuf *flags)
{
	struct strbuf kcflags = STRBUF_INIT, words = STRBUF_INIT, out = STRBUF_INIT;
	struct strbuf check = STRBUF_INIT;
	struct strvec one = STRVEC_INIT;
	struct kbuild_make_opts o;
	struct proc p;
	int status, ret = -1;

	kb_opts(e, &o, KB_GCC, &kcflags);
	set_check(e, &o, c, &words);
	strvec_push(&one, obj);
	proc_init(&p);
	kbuild_make_args(&p.args, &o, &one);
	strvec_push(&p.args, "-n");
	strvec_push(&p.env, "LC_ALL=C");
	p.dir = e->scratch.dir;
	kb_progress(e, "learning the checker's flags from one 'make -n C=2'");
	if (!e->o->ctr || !ctr_engine_wrap(e->o->ctr, &p)) {
		status = proc_capture(&p, &out, NULL, 0);
		check_string(c, &check);
		if (!status)
			ret = kbuild_checkflags(out.buf, check.buf, c_flags, flags);
	}
	proc_dispose(&p);
	strvec_dispose(&one);
	strbuf_dispose(&kcflags);
	strbuf_dispose(&words);
	strbuf_dispose(&out);
	strbuf_dispose(&check);
	return ret;
}

/* CHECKFLAGS for c, kept in the build directory by what they follow from. */
static int checkflags(struct gate_engine *e, struct unit_analyzer *c, const char *obj,
		      const char *c_flags)
{
	struct kb_state *kb = e->state;
	struct strbuf path = STRBUF_INIT, text = STRBUF_INIT;
	char key[GATE_CACHE_KEY_LEN + 1];
	size_t eol;
	int ret = 0;

	checkflags_key(e, c, key);
	if (!strcmp(key, kb->checkflags_key))
		return 0;
	strbuf_reset(&kb->checkflags);
	strbuf_addf(&path, "%s/.mkt-gate-checkflags", kb->dir[KB_GCC]);
	eol = strbuf_read_file(&text, path.buf) ? 0 : strcspn(text.buf, "\n");
	if (eol == GATE_CACHE_KEY_LEN && !strncmp(text.buf, key, eol)) {
		strbuf_addstr(&kb->checkflags, text.buf + eol + 1);
	} else {
		ret = learn_checkflags(e, c, obj, c_flags, &kb->checkflags);
		strbuf_reset(&text);
		strbuf_addf(&text, "%s\n%s", key, kb->checkflags.buf);
		if (!ret && strbuf_write_file(&text, path.buf))
			gate_error_clear();
	}
	gate_error_clear();
	if (!ret)
		memcpy(kb->checkflags_key, key, sizeof(key));
	strbuf_dispose(&path);
	strbuf_dispose(&text);
	return ret;
}

/* What else make runs for a C object that may print something, as the tree has it. */
static void rule_steps(struct gate_engine *e, const char *obj, const char *cmd,
		       const char *src, struct strbuf *out)
{
	struct kb_state *kb = e->state;
	struct strbuf nm = STRBUF_INIT;
	bool local_export = gate_exists_in(e->scratch.src, "scripts/check-local-export");

	strbuf_addf(&nm, "%s%s", kb->cross ? kb->cross : "", "nm");
	kbuild_rule_steps(e->scratch.src, nm.buf, obj, cmd, src, local_export, out);
	strbuf_dispose(&nm);
}

/* The commands of obj for r, from its recorded one; 0 with why when there is none. */
static int replay_obj(struct gate_engine *e, const struct kb_job *j, const char *obj,
		      struct kb_replay *r, struct strbuf *why)
{
	struct kb_state *kb = e->state;
	struct strbuf raw = STRBUF_INIT, cmd = STRBUF_INIT, c_flags = STRBUF_INIT;
	struct strbuf src = STRBUF_INIT, sh = STRBUF_INIT, kcflags = STRBUF_INIT;
	struct strbuf steps = STRBUF_INIT;
	struct unit_analyzer *chk = is_checker(j->a) ? j->a : j->chk;
	int ok = 0;

	dir_kcflags(e, KB_GCC, &kcflags);
	if (!kbuild_recorded_cmd(kb->dir[KB_GCC], obj, &raw, &cmd))
		strbuf_addf(why, "%s has no recorded command", obj);
	else if (kbuild_cmd_parts(cmd.buf, obj, &c_flags, &src))
		strbuf_addf(why, "the recorded command of %s is no C compile", obj);
	else if (kcflags.len && !strstr(cmd.buf, kcflags.buf))
		strbuf_addf(why, "the recorded command of %s has other KCFLAGS", obj);
	else if (chk && checkflags(e, chk, obj, c_flags.buf))
		strbuf_addf(why, "the flags kbuild gives %s could not be learned", chk->desc->name);
	else
		ok = 1;
	if (ok && !is_checker(j->a)) {
		rule_steps(e, obj, cmd.buf, src.buf, &steps);
		kbuild_replay_compile(obj, raw.buf, cmd.buf, steps.buf, &sh);
		strvec_push(&r->cc, sh.buf);
	}
	if (ok && chk) {
		strbuf_reset(&sh);
		check_string(chk, &sh);
		strbuf_addf(&sh, " %s %s %s", kb->checkflags.buf, c_flags.buf, src.buf);
		strvec_push(&r->chk, sh.buf);
	}
	strbuf_dispose(&raw);
	strbuf_dispose(&cmd);
	strbuf_dispose(&c_flags);
	strbuf_dispose(&src);
	strbuf_dispose(&sh);
	strbuf_dispose(&kcflags);
	strbuf_dispose(&steps);
	return ok;
}

/*
 * Whether objs may be built by replaying their recorded commands instead
 * of make; why says why not. Only gcc's directory (and its checkers).
 */
static int replay_plan(struct gate_engine *e, const struct kb_job *j,
		       const struct strvec *objs, struct kb_replay *r, struct strbuf *why)
{
	struct strvec ruled = STRVEC_INIT;
	bool on = true;
	int ok;

	if (config_get_bool(e->o->cfg, "defaults", "kbuild_replay", &on) < 0)
		gate_error_clear();
	ok = on && dir_of(j->a) == KB_GCC && replay_tree_ok(e, &ruled, why);
	if (!on)
		strbuf_addstr(why, "kbuild_replay = false in the config");
	else if (dir_of(j->a) != KB_GCC)
		strbuf_addstr(why, "clang builds with make in its own directory");
	for (size_t i = 0; ok && i < objs->nr; i++) {
		ok = strvec_find(&ruled, objs->v[i]) < 0;
		if (!ok)
			strbuf_addf(why, "the object lists of %s's Makefile changed", objs->v[i]);
		else
			ok = replay_obj(e, j, objs->v[i], r, why);
	}
	strvec_dispose(&ruled);
	return ok;
}

/* One job per command in the build directory, wrapped for the engine. */
static int fill_jobs(struct gate_engine *e, const struct unit_analyzer *a,
		     const struct strvec *cmds, struct gate_job *jobs)
{
	struct kb_state *kb = e->state;

	for (size_t i = 0; i < cmds->nr; i++) {
		jobs[i].proc.dir = kb->dir[KB_GCC];
		jobs[i].timeout_s = (unsigned int)a->timeout_s;
		job_env(e, &jobs[i].proc.env);
		strvec_pushv(&jobs[i].proc.args, (const char *[]){ "sh", "-c", cmds->v[i], NULL });
		if (e->o->ctr && ctr_engine_wrap(e->o->ctr, &jobs[i].proc))
			return -1;
	}
	return 0;
}

/*
 * What compiling obj costs, roughly: the size its object had at the last
 * build (a guess the pool orders jobs by, heaviest first). sparse parses
 * the same headers but generates no code: about a third of it.
 */
static void weigh_jobs(struct gate_engine *e, const struct strvec *objs,
		       struct gate_job *cc, struct gate_job *chk)
{
	struct kb_state *kb = e->state;
	struct strbuf path = STRBUF_INIT;
	struct stat st;

	for (size_t i = 0; i < objs->nr; i++) {
		double w = 0;

		strbuf_reset(&path);
		strbuf_addf(&path, "%s/%s", kb->dir[KB_GCC], objs->v[i]);
		if (!stat(path.buf, &st))
			w = (double)st.st_size;
		if (cc)
			cc[i].weight = w;
		if (chk)
			chk[i].weight = w / 3;
	}
	strbuf_dispose(&path);
}

/* Each object's result of a, from its own job's output. */
static int record_each(struct gate_engine *e, const struct strvec *objs, const size_t *idx,
		       struct gate_job *jobs)
{
	struct kb_state *kb = e->state;
	int ret = 0;

	for (size_t i = 0; i < objs->nr && !ret; i++) {
		struct unit_memo *m = &e->memo[idx[i]];

		if (m->error)
			continue;
		if (!jobs[i].started)
			ret = unit_memo_lost(m, "interrupted before %s ran", m->key);
		else
			ret = kb_record(e, m, jobs[i].status, &jobs[i].output, true,
					jobs[i].seconds, kb->dir[KB_GCC]);
	}
	return ret;
}

/*
 * Builds objs by running their recorded commands, as make would have run
 * them, and the checker with kbuild's flags: no make start-up, no descent.
 * The checker reads only sources and the baseline's generated headers, so
 * its jobs share one pool with the compiles: a commit of one object keeps
 * both CPUs busy instead of running its compile and its check in turn.
 */
static int run_replay(struct gate_engine *e, const struct kb_job *j,
		      const struct strvec *objs, struct kb_replay *r)
{
	struct kb_state *kb = e->state;
	size_t ncc = r->cc.nr, n = ncc + r->chk.nr;
	struct gate_job *jobs = calloc(n + 1, sizeof(*jobs));
	struct strbuf line = STRBUF_INIT, kcflags = STRBUF_INIT;
	struct kbuild_make_opts o;
	int ret = jobs ? 0 : gate_error("out of memory");

	strbuf_addf(&line, "%s%s%s: %zu object(s) replayed in %s", j->a->desc->name,
		    j->chk ? "+" : "", j->chk ? j->chk->desc->name : "", objs->nr,
		    kb->dir[KB_GCC]);
	kb_progress(e, line.buf);
	kb_opts(e, &o, KB_GCC, &kcflags);
	for (size_t i = 0; jobs && i < n; i++)
		gate_job_init(&jobs[i]);
	if (!ret && ncc)
		ret = fill_jobs(e, j->a, &r->cc, jobs);
	if (!ret && r->chk.nr)
		ret = fill_jobs(e, j->chk ? j->chk : j->a, &r->chk, jobs + ncc);
	if (!ret)
		weigh_jobs(e, objs, ncc ? jobs : NULL, r->chk.nr ? jobs + ncc : NULL);
	/* Objects go first, as for make: a failed compile leaves none. */
	if (!ret && ncc)
		ret = kbuild_make_prepare(&o, objs);
	if (!ret)
		ret = gate_pool_run(jobs, n, e->o->jobs);
	if (!ret && ncc)
		ret = record_each(e, objs, j->idx, jobs);
	if (!ret && r->chk.nr)
		ret = record_each(e, objs, j->chk ? j->cidx : j->idx, jobs + ncc);
	/* A checker alone compiles nothing: the .cmd files are as old as before. */
	if (!ret && ncc)
		ret = kbuild_db_update(kb->db, objs) || note_fresh(e, objs, kb->dir[KB_GCC]);
	for (size_t i = 0; jobs && i < n; i++)
		gate_job_dispose(&jobs[i]);
	free(jobs);
	strbuf_dispose(&line);
	strbuf_dispose(&kcflags);
	return ret ? -1 : 0;
}

static int kb_build(struct gate_engine *e, struct unit_analyzer *a,
		    const struct strvec *units, const git_oid *tree)
{
	int dir = dir_of(a);
	struct strvec objs = STRVEC_INIT, cobjs = STRVEC_INIT;
	size_t *idx = calloc(units->nr + 1, sizeof(*idx));
	size_t *cidx = calloc(units->nr + 1, sizeof(*cidx));
	struct kb_job j = { a, idx, companion(e, a, units, tree), cidx };
	struct kb_replay r = { STRVEC_INIT, STRVEC_INIT };
	struct strbuf why = STRBUF_INIT;
	int ret;

	if (!idx || !cidx) {
		free(idx);
		return gate_error("out of memory");
	}
	ret = plan(e, a, units, tree, &objs, idx) ||
	      (j.chk && plan(e, j.chk, units, tree, &cobjs, cidx));
	if (!ret && objs.nr && replay_plan(e, &j, &objs, &r, &why)) {
		note_path(e, KB_PATH_REPLAY, "only .c and .h files changed since the build "
			  "directory's last make, and every object has a recorded command");
		ret = run_replay(e, &j, &objs, &r);
	} else if (!ret && objs.nr && dir == KB_LLVM && kb_configure(e, KB_LLVM, "clang")) {
		fail_all(e, idx, objs.nr, gate_error_last());
	} else if (!ret && objs.nr) {
		note_path(e, KB_PATH_MAKE, why.buf);
		ret = run_make(e, &j, dir, &objs);
	}
	strvec_dispose(&r.cc);
	strvec_dispose(&r.chk);
	strbuf_dispose(&why);
	strvec_dispose(&objs);
	strvec_dispose(&cobjs);
	free(idx);
	free(cidx);
	return ret;
}

/*
 * Besides the files its .cmd names, an object's command comes from the
 * rules of its directory and those above it, the arch and kbuild rules,
 * and the generated headers the baseline made from the sources below.
 */
static void add_rules(const struct kb_state *kb, const char *obj, struct strvec *paths)
{
	static const char *const common[] = { "scripts/Makefile.build", "scripts/Makefile.lib",
		"scripts/Kbuild.include", "scripts/Makefile.extrawarn",
		"scripts/Makefile.compiler", "kernel/bounds.c", NULL };
	struct strbuf dir = STRBUF_INIT;
	char *slash;

	strbuf_addstr(&dir, obj);
	while ((slash = strrchr(dir.buf, '/'))) {
		strbuf_setlen(&dir, (size_t)(slash - dir.buf));
		strvec_pushf(paths, "%s/Makefile", dir.buf);
		strvec_pushf(paths, "%s/Kbuild", dir.buf);
	}
	strvec_push(paths, "Makefile");
	strvec_push(paths, "Kbuild");
	strvec_pushf(paths, "arch/%s/Makefile", srcarch(kb));
	strvec_pushf(paths, "arch/%s/kernel/asm-offsets.c", srcarch(kb));
	strvec_pushf(paths, "arch/%s/kernel/asm-offsets_64.c", srcarch(kb));
	strvec_pushv(paths, common);
	strbuf_dispose(&dir);
}

/*
 * gcc's build directory knows what each object read; clang's is its own,
 * and the db does not follow it, so its results stay keyed by tree.
 */
static int kb_inputs(struct gate_engine *e, const struct unit_analyzer *a,
		     const char *unit, const git_oid *tree, bool exact,
		     struct strvec *paths, struct strbuf *what)
{
	struct kb_state *kb = e->state;
	int ret;

	if (!kb->db || dir_of(a) != KB_GCC)
		return 0;
	/* No source there: nothing is built, whatever else the tree holds. */
	if (git_oid_equal(tree, &e->scratch.tree) && !source_exists(e, unit)) {
		const char *src = kbuild_db_source(kb->db, unit);

		if (src)
			strvec_push(paths, src);
		else
			strvec_pushf(paths, "%.*s.c", (int)strlen(unit) - 2, unit);
		strbuf_addstr(what, "absent\n");
		return 1;
	}
	if (exact && (!git_oid_equal(&kb->fresh_tree, tree) ||
		      strvec_find(&kb->fresh, unit) < 0))
		return 0;
	ret = kbuild_db_inputs(kb->db, unit, paths);
	if (ret > 0) {
		add_rules(kb, unit, paths);
		strbuf_addstr(what, "kbuild W=1\n");
	}
	return ret;
}

/* An object's result also depends on the kernel configuration. */
static void kb_salt(struct gate_engine *e, const struct unit_analyzer *a,
		    struct strbuf *out)
{
	struct kb_state *kb = e->state;
	int dir = dir_of(a);
	struct strbuf path = STRBUF_INIT;

	strbuf_addf(out, "arch=%s cross=%s\n", kb->arch ? kb->arch : "",
		    kb->cross ? kb->cross : "");
	/* A checker's CF= (cf_flags) changes what it reports. */
	if (is_checker(a)) {
		strbuf_addf(&path, "analyzer.%s", a->desc->name);
		strbuf_addf(out, "cf=%s\n", config_get(e->o->cfg, path.buf, "cf_flags") ?: "");
		strbuf_reset(&path);
	}
	strbuf_addf(&path, "%s/.config", kb->dir[dir]);
	strbuf_read_file(out, path.buf);
	gate_error_clear();
	strbuf_dispose(&path);
}

static int kb_boot_image(struct gate_engine *e, const struct strvec *fragments,
			 const char **build_dir, int *status, struct strbuf *log)
{
	struct kb_state *kb = e->state;
	struct strvec target = STRVEC_INIT;
	struct strbuf kcflags = STRBUF_INIT, line = STRBUF_INIT;
	struct kbuild_make_opts o;
	int ret;

	if (!kb)
		return gate_error("the kernel tree is not set up");
	if (bind_fragments(e, fragments))
		return -1;
	if (!strvec_equal(&kb->boot_fragments, fragments)) {
		strvec_dispose(&kb->boot_fragments);
		strvec_pushv(&kb->boot_fragments, fragments->v);
		kb->configured[KB_BOOT] = false;
	}
	*build_dir = kb->dir[KB_BOOT];
	if (kb_configure(e, KB_BOOT, "the boot kernel")) {
		strbuf_addbuf(log, &kb->log);
		return -1;
	}
	strbuf_addf(&line, "boot kernel: make bzImage in %s", kb->dir[KB_BOOT]);
	kb_progress(e, line.buf);
	kb_opts(e, &o, KB_BOOT, &kcflags);
	o.keep_going = false;
	strvec_push(&target, "bzImage");
	ret = kb_make(e, &o, &target, log, status);
	strvec_dispose(&target);
	strbuf_dispose(&kcflags);
	strbuf_dispose(&line);
	return ret;
}

const struct unit_backend unit_kbuild_backend = {
	.kind = "kbuild",
	.default_extra = NULL,
	.kernel_tree = true,
	.build_ahead = true,
	.detect = kbuild_detect_commit,
	.supports = kb_supports,
	.open = kb_open,
	.moved = kb_moved,
	.touched = kb_touched,
	.build = kb_build,
	.dispose = kb_dispose,
	.cache_salt = kb_salt,
	.inputs = kb_inputs,
	.boot_image = kb_boot_image,
};
