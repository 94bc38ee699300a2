/* ccdb_units.c: the compile_commands backend of the engine: units are
 * translation units, their inputs made by the project's build system, each
 * compiled by one compiler process, in parallel. */
#include "unit.h"
#include "buildsys.h"
#include "cache.h"
#include "ccdb.h"
#include "delta.h"
#include "error.h"
#include "pool.h"
#include "engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * The backend's state: the compilation database; the one before the last
 * reload (prev), whose commands the tree before the commit is built with;
 * the project's build system; which object targets are built at the tree
 * the scratch holds; and the trees of the commit being gated.
 */
struct ccdb_state {
	struct ccdb db;
	struct ccdb prev;
	bool prev_valid;
	bool loaded;
	char *configured;		/* compile_commands of [defaults] */
	struct buildsys bs;
	git_oid objs_tree;
	struct strvec objs_built;
	const json_t *trees_of;		/* the commit before and after are of */
	git_oid before, after;
	/*
	 * The database came from the cache (dbs), by the tree's build files:
	 * the build directory is not configured for db_tree yet, and is
	 * only when something must really be compiled.
	 */
	bool stale;
	enum buildsys_kind stale_kind;
	char db_key[GATE_CACHE_KEY_LEN + 1];	/* db_tree's build files */
	git_oid db_tree;
	struct strbuf snapshot;
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

static void note(struct gate_engine *e, const char *line)
{
	if (e->o->progress)
		e->o->progress(e->o->progress_data, line);
}

/* The trees before and after the commit being gated. */
static int commit_trees(struct gate_engine *e)
{
	struct ccdb_state *st = cs(e);
	const char *sha = json_string_value(json_object_get(e->commit_json, "sha"));
	git_commit *c = NULL, *parent = NULL;
	git_oid id;
	int ret = 0;

	if (st->trees_of == e->commit_json)
		return 0;
	memset(&st->before, 0, sizeof(st->before));
	if (!sha || git_oid_fromstr(&id, sha) || git_commit_lookup(&c, e->repo->git, &id))
		return gate_git_error("cannot read the commit being gated");
	git_oid_cpy(&st->after, git_commit_tree_id(c));
	if (git_commit_parentcount(c) && !git_commit_parent(&parent, c, 0))
		git_oid_cpy(&st->before, git_commit_tree_id(parent));
	else if (git_commit_parentcount(c))
		ret = gate_git_error("cannot read the parent of the commit being gated");
	st->trees_of = ret ? NULL : e->commit_json;
	git_commit_free(parent);
	git_commit_free(c);
	return ret;
}

static bool at_tree(struct gate_engine *e, const git_oid *tree, bool after)
{
	return e->commit_json && !commit_trees(e) &&
	       git_oid_equal(tree, after ? &cs(e)->after : &cs(e)->before);
}

struct fingerprint {
	struct strbuf *out;
	char hex[GIT_OID_HEXSZ + 1];
};

static int fingerprint_entry(const char *root, const git_tree_entry *te, void *data)
{
	struct fingerprint *fp = data;
	const char *name = git_tree_entry_name(te);
	struct strbuf path = STRBUF_INIT;

	if (git_tree_entry_type(te) != GIT_OBJECT_BLOB)
		return 0;
	strbuf_addf(&path, "%s%s", root, name);
	if (ccdb_is_build_file(path.buf))
		strbuf_addf(fp->out, "%s %s\n", path.buf,
			    git_oid_tostr(fp->hex, sizeof(fp->hex), git_tree_entry_id(te)));
	else if (ccdb_is_source(path.buf))
		strbuf_addf(fp->out, "%s\n", path.buf);
	strbuf_dispose(&path);
	return 0;
}

/*
 * What the build system's database of a tree follows from: its build
 * files by content, its list of sources (a glob may pick one up), the
 * kind and the config's cmake_args and the rest, and where it was made:
 * every command names the scratch tree, and another clone of the project
 * sharing the cache has its own (served another's, its units compiled
 * that clone's files and all looked rebuilt).
 */
static int db_fingerprint(struct gate_engine *e, enum buildsys_kind kind,
			  const git_oid *tree, char key[GATE_CACHE_KEY_LEN + 1])
{
	struct strbuf sb = STRBUF_INIT;
	struct fingerprint fp = { &sb, "" };
	git_tree *t = NULL;
	int ret = 0;

	strbuf_addf(&sb, "db v2\n%s\n%s\n", buildsys_name(kind), e->scratch.dir);
	e->backend->cache_salt(e, NULL, &sb);
	if (git_tree_lookup(&t, e->repo->git, tree) ||
	    git_tree_walk(t, GIT_TREEWALK_PRE, fingerprint_entry, &fp))
		ret = gate_git_error("cannot read the tree's build files");
	gate_cache_hash(key, sb.buf);
	git_tree_free(t);
	strbuf_dispose(&sb);
	return ret;
}

/*
 * A database the cache has for these build files, in place of running the
 * build system: the build directory is then configured only when a unit
 * must really be compiled (realize()). make builds in a copy of the tree
 * that bear follows, so it always runs. Whether one was found.
 */
static bool db_from_cache(struct gate_engine *e, enum buildsys_kind kind,
			  const char *key, struct strbuf *path)
{
	struct ccdb_state *st = cs(e);

	strbuf_reset(&st->snapshot);
	if (e->o->no_cache || kind == BUILDSYS_MAKE ||
	    !gate_cache_note_load(e->cache_dir.buf, GATE_CACHE_DBS, key, &st->snapshot))
		return false;
	strbuf_addf(path, "%s/buildsys/cached-db.json", e->scratch.dir);
	if (strbuf_write_file(&st->snapshot, path->buf)) {
		gate_error_clear();
		strbuf_reset(path);
		return false;
	}
	st->stale = true;
	st->stale_kind = kind;
	memcpy(st->db_key, key, sizeof(st->db_key));
	git_oid_cpy(&st->db_tree, &e->scratch.tree);
	return true;
}

/* The build files the build directory was last configured for, as a key. */
static void configured_path(struct gate_engine *e, struct strbuf *path)
{
	strbuf_addf(path, "%s/buildsys/configured-for", e->scratch.dir);
}

static void set_configured(struct gate_engine *e, const char *key)
{
	struct strbuf path = STRBUF_INIT, text = STRBUF_INIT;

	configured_path(e, &path);
	strbuf_addstr(&text, key);
	if (!*key)
		unlink(path.buf);
	else if (strbuf_write_file(&text, path.buf))
		gate_error_clear();
	strbuf_dispose(&path);
	strbuf_dispose(&text);
}

static bool configured_for(struct gate_engine *e, const char *key)
{
	struct strbuf path = STRBUF_INIT, text = STRBUF_INIT;
	bool same;

	configured_path(e, &path);
	same = !strbuf_read_file(&text, path.buf) && !strcmp(text.buf, key);
	gate_error_clear();
	strbuf_dispose(&path);
	strbuf_dispose(&text);
	return same;
}

static void db_to_cache(struct gate_engine *e, const char *key, const char *db_path)
{
	struct strbuf text = STRBUF_INIT;

	if (!e->o->no_cache && !strbuf_read_file(&text, db_path))
		gate_cache_note_store(e->cache_dir.buf, GATE_CACHE_DBS, key, &text);
	gate_error_clear();
	strbuf_dispose(&text);
}

/* Runs the build system of a tree whose database came from the cache. */
static int prepare(struct gate_engine *e, enum buildsys_kind kind, struct strbuf *path)
{
	struct ccdb_state *st = cs(e);
	char key[GATE_CACHE_KEY_LEN + 1];

	st->stale = false;
	if (!db_fingerprint(e, kind, &e->scratch.tree, key) && db_from_cache(e, kind, key, path))
		return 0;
	gate_error_clear();
	set_configured(e, "");
	if (buildsys_prepare(&st->bs, kind, e->repo->git, &e->scratch.tree))
		return -1;
	strbuf_addstr(path, st->bs.db_path);
	if (!db_fingerprint(e, kind, &e->scratch.tree, key)) {
		db_to_cache(e, key, st->bs.db_path);
		if (kind != BUILDSYS_MAKE)
			set_configured(e, key);
	}
	gate_error_clear();
	return 0;
}

/*
 * The build directory of a database from the cache, configured now that
 * something must be compiled: at the tree the database is of, as moving
 * there would have. The same build files give the same database, so
 * the units stay as they are; should it differ, it is read again.
 */
static int realize(struct gate_engine *e)
{
	struct ccdb_state *st = cs(e);
	struct strbuf real = STRBUF_INIT;
	bool away = !git_oid_equal(&e->scratch.tree, &st->db_tree);
	git_oid at;
	int ret;

	if (!st->stale)
		return 0;
	st->stale = false;
	if (configured_for(e, st->db_key))
		return buildsys_reuse(&st->bs, st->stale_kind);
	note(e, "configuring the build directory");
	git_oid_cpy(&at, &e->scratch.tree);
	ret = away && gate_scratch_sync(&e->scratch, e->repo->git, &st->db_tree, NULL);
	if (!ret)
		ret = buildsys_prepare(&st->bs, st->stale_kind, e->repo->git, &st->db_tree);
	set_configured(e, ret ? "" : st->db_key);
	if (!ret && (strbuf_read_file(&real, st->bs.db_path) || strcmp(real.buf, st->snapshot.buf)))
		ret = ccdb_load(&st->db, CCDB_BUILD_SYSTEM, st->bs.db_path, buildsys_root(&st->bs));
	if (away && gate_scratch_sync(&e->scratch, e->repo->git, &at, NULL))
		ret = -1;
	strbuf_dispose(&real);
	return ret ? -1 : 0;
}

/* Where the database comes from for the tree the scratch now holds. */
static int load(struct gate_engine *e)
{
	struct ccdb_state *st = cs(e);
	struct strbuf path = STRBUF_INIT;
	enum buildsys_kind kind = BUILDSYS_NONE;
	enum ccdb_origin origin = CCDB_CONFIGURED_PATH;
	const char *root = NULL;
	int ret = 0;

	if (st->configured)
		strbuf_addstr(&path, st->configured);
	else
		kind = buildsys_detect(e->scratch.src);
	if (!st->configured && kind == BUILDSYS_NONE) {
		origin = CCDB_FOUND;
		ret = ccdb_find_user_db(&st->db, &path);
	} else if (!st->configured) {
		origin = CCDB_BUILD_SYSTEM;
		ret = prepare(e, kind, &path);
		root = buildsys_root(&st->bs);
	}
	if (!ret && st->loaded) {
		ccdb_take_units(&st->prev, &st->db);
		st->prev_valid = true;
	}
	if (!ret)
		ret = ccdb_load(&st->db, origin, path.buf, root);
	strbuf_dispose(&path);
	return ret ? -1 : 0;
}

static int ccdb_moved(struct gate_engine *e, const struct strvec *changed)
{
	struct ccdb_state *st = cs(e);
	bool reload = !st->loaded;

	st->prev_valid = false;
	if (buildsys_sync(&st->bs, e->repo->git, &e->scratch.tree))
		return -1;
	ccdb_invalidate(&st->db, changed);
	for (size_t i = 0; i < changed->nr && !reload; i++)
		reload = !strcmp(changed->v[i], "*") ||
			 ccdb_needs_reload(&st->db, changed->v[i]);
	if (!reload)
		return 0;
	note(e, "loading the compilation database");
	if (load(e)) {
		st->loaded = false;
		return -1;
	}
	st->loaded = true;
	return 0;
}

/* The key of tu's dependency record: the unit and its exact command. */
static void deps_key(const struct ccdb_tu *tu, char key[GATE_CACHE_KEY_LEN + 1])
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addf(&sb, "deps v1\n%s\n%s\n%s\n", tu->key, tu->file, tu->dir);
	for (size_t i = 0; i < tu->args.nr; i++)
		strbuf_addf(&sb, "%s\n", tu->args.v[i]);
	gate_cache_hash(key, sb.buf);
	strbuf_dispose(&sb);
}

/*
 * A unit's record holds up to DEPS_KEEP entries, newest first, one per
 * content its files had: "generated N" (whether it reads a header of the
 * build directory), then a "path id" line per file it read. A series goes
 * back and forth between the trees before and after each commit.
 */
#define DEPS_KEEP 8

/* The entries of a record, each as it was written. */
static void deps_entries(const char *text, struct strvec *entries)
{
	const char *p = text, *next;

	while (str_starts_with(p, "generated ")) {
		next = strstr(p + 1, "\ngenerated ");
		next = next ? next + 1 : p + strlen(p);
		strvec_pushf(entries, "%.*s", (int)(next - p), p);
		p = next;
	}
}

/*
 * Keeps what tu read at tree (its depfile was just written there), named
 * by content, for runs that would otherwise preprocess it again.
 */
static void deps_save(struct gate_engine *e, struct ccdb_tu *tu, const git_oid *tree)
{
	char key[GATE_CACHE_KEY_LEN + 1];
	struct strbuf text = STRBUF_INIT, old = STRBUF_INIT;
	struct strvec entries = STRVEC_INIT;

	if (!tu->deps_known)
		return;
	git_oid_tostr(tu->deps_tree, sizeof(tu->deps_tree), tree);
	deps_key(tu, key);
	strbuf_addf(&text, "generated %d\n", tu->reads_generated);
	if (e->o->no_cache || unit_content_ids(e, tree, &tu->deps, &text))
		goto out;
	gate_cache_note_load(e->cache_dir.buf, GATE_CACHE_DEPS, key, &old);
	deps_entries(old.buf, &entries);
	if (strvec_find(&entries, text.buf) >= 0)
		goto out;
	for (size_t i = 0; i < entries.nr && i + 1 < DEPS_KEEP; i++)
		strbuf_addstr(&text, entries.v[i]);
	gate_cache_note_store(e->cache_dir.buf, GATE_CACHE_DEPS, key, &text);
out:
	gate_error_clear();
	strvec_dispose(&entries);
	strbuf_dispose(&text);
	strbuf_dispose(&old);
}

/* Whether entry's files all have the same content at tree; paths gets them. */
static bool deps_match(struct gate_engine *e, const char *entry, const git_oid *tree,
		       struct strvec *paths)
{
	struct strbuf now = STRBUF_INIT;
	struct strvec words = STRVEC_INIT;
	bool ok = false;

	/* a path with a blank or a quote does not split back: it just misses */
	if (strvec_split(&words, entry) || words.nr < 2 || words.nr % 2)
		goto out;
	for (size_t i = 2; i < words.nr; i += 2)
		strvec_push(paths, words.v[i]);
	strbuf_addf(&now, "generated %s\n", words.v[1]);
	ok = !unit_content_ids(e, tree, paths, &now) && !strcmp(now.buf, entry);
out:
	strbuf_dispose(&now);
	strvec_dispose(&words);
	return ok;
}

/*
 * tu's dependencies from a record whose files all have the same content
 * at tree: it reads exactly those there. (A generated header is taken as
 * it was: it comes from the build files.) Whether one was found.
 */
static bool deps_load(struct gate_engine *e, struct ccdb_tu *tu, const git_oid *tree)
{
	char key[GATE_CACHE_KEY_LEN + 1];
	struct strbuf text = STRBUF_INIT;
	struct strvec entries = STRVEC_INIT, paths = STRVEC_INIT;
	size_t i = 0;
	bool ok = false;

	deps_key(tu, key);
	if (!e->o->no_cache && gate_cache_note_load(e->cache_dir.buf, GATE_CACHE_DEPS, key, &text))
		deps_entries(text.buf, &entries);
	for (; i < entries.nr && !ok; i++) {
		strvec_dispose(&paths);
		ok = deps_match(e, entries.v[i], tree, &paths);
	}
	if (ok) {
		strvec_dispose(&tu->deps);
		strvec_pushv(&tu->deps, paths.v);
		tu->deps_known = true;
		tu->reads_generated = str_starts_with(entries.v[i - 1], "generated 1");
		git_oid_tostr(tu->deps_tree, sizeof(tu->deps_tree), tree);
	}
	gate_error_clear();
	strbuf_dispose(&text);
	strvec_dispose(&entries);
	strvec_dispose(&paths);
	return ok;
}

/* Learns the headers of every unit that has not been built yet. */
static int learn_deps(struct gate_engine *e)
{
	struct ccdb *db = &cs(e)->db;
	struct gate_job *jobs = calloc(db->nr + 1, sizeof(*jobs));
	const char *cc = "cc";
	size_t n = 0;

	if (!jobs)
		return gate_error("out of memory");
	for (size_t i = 0; i < e->nr_an; i++)
		if (unit_analyzer_on_units(&e->an[i]) && is_compiler(e->an[i].desc))
			cc = e->an[i].command.v[0];
	for (size_t i = 0; i < db->nr; i++) {
		if (db->v[i].deps_known || deps_load(e, &db->v[i], &e->scratch.tree))
			continue;
		if (!n && realize(e)) {
			free(jobs);
			return -1;
		}
		gate_job_init(&jobs[n]);
		jobs[n].data = &db->v[i];
		jobs[n].proc.dir = db->v[i].dir;
		ccdb_command(db, &db->v[i], cc, NULL, true, &jobs[n].proc.args);
		if (e->o->ctr)
			ctr_engine_wrap(e->o->ctr, &jobs[n].proc);
		n++;
	}
	gate_pool_run(jobs, n, e->o->jobs);
	for (size_t i = 0; i < n; i++) {
		if (!ccdb_read_deps(db, jobs[i].data) && !jobs[i].status)
			deps_save(e, jobs[i].data, &e->scratch.tree);
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

/* Whether key ("file" or "file#N") is a unit compiling path. */
static bool key_of(const char *key, const char *path)
{
	size_t n = strlen(path);

	return !strncmp(key, path, n) && (!key[n] || key[n] == '#');
}

/*
 * The units a commit's build files changed: built now and not before, or
 * with another command (flags, defines).
 */
static void add_recompiled(struct gate_engine *e, struct strvec *units)
{
	struct ccdb_state *st = cs(e);

	for (size_t i = 0; st->prev_valid && i < st->db.nr; i++) {
		const struct ccdb_tu *tu = &st->db.v[i];
		const struct ccdb_tu *old = ccdb_find_key(&st->prev, tu->key);

		if (!old || !strvec_equal(&old->args, &tu->args) || strcmp(old->dir, tu->dir))
			unit_add_unique(units, tu->key);
	}
}

/* How many of units build or read path, in either state. */
static size_t units_of(struct gate_engine *e, const struct strvec *units, const char *path)
{
	struct ccdb_state *st = cs(e);
	size_t n = 0;

	for (size_t k = 0; k < units->nr; k++) {
		const struct ccdb_tu *tu = ccdb_find_key(&st->db, units->v[k]);
		const struct ccdb_tu *old = st->prev_valid ?
					    ccdb_find_key(&st->prev, units->v[k]) : NULL;

		n += key_of(units->v[k], path) || (tu && ccdb_tu_reads(tu, path)) ||
		     (old && ccdb_tu_reads(old, path));
	}
	return n;
}

static void reason_for(struct gate_engine *e, const struct strvec *units,
		       const char *path, json_t *why)
{
	size_t n = units_of(e, units, path);
	char *line = NULL;
	int ret;

	if (n)
		ret = asprintf(&line, "%s: %zu unit%s", path, n, n == 1 ? "" : "s");
	else if (ccdb_is_source(path))
		ret = asprintf(&line, "%s: not in any target", path);
	else if (ccdb_is_build_file(path))
		ret = asprintf(&line, "%s: build rules, compile commands read again", path);
	else
		ret = asprintf(&line, "%s: not read by any unit", path);
	if (ret >= 0)
		json_array_append_new(why, json_string(line));
	free(line);
}

/*
 * "path: why" for each file of the commit, as the kbuild backend writes
 * them: how many units build or read it, or why none does.
 */
static void note_reasons(struct gate_engine *e, const struct strvec *units)
{
	json_t *why = json_array();

	for (size_t i = 0; i < e->diff.nr; i++) {
		const struct gate_change *d = &e->diff.v[i];

		if (d->old_path && (!d->new_path || strcmp(d->old_path, d->new_path)))
			reason_for(e, units, d->old_path, why);
		if (d->new_path)
			reason_for(e, units, d->new_path, why);
	}
	json_object_set_new(e->commit_json, "object_reasons", why);
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
	if (at_tree(e, &e->scratch.tree, true)) {
		add_recompiled(e, units);
		note_reasons(e, units);
	}
	return 0;
}

static int tool_command(struct gate_engine *e, const struct unit_analyzer *a,
			const struct ccdb_tu *tu, struct strvec *argv)
{
	struct strbuf file = STRBUF_INIT;
	int ret;

	strbuf_addf(&file, "%s/%s", cs(e)->db.root, tu->file);
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
	return ccdb_in_src(&cs(e)->db, tu->file);
}

/*
 * Files as the tool printed them, relative to where it ran: a header of
 * the build tree that links to a source is that source, and a generated
 * one is named as such.
 */
static void fix_paths(struct gate_engine *e, struct unit_memo *m, const struct ccdb_tu *tu)
{
	struct strbuf path = STRBUF_INIT, src = STRBUF_INIT, fn = STRBUF_INIT;

	for (size_t i = 0; i < m->findings.nr; i++) {
		struct finding *f = &m->findings.v[i];

		if (!f->file || ccdb_resolve(&cs(e)->db, tu->dir, f->file, &path) ||
		    !strcmp(path.buf, f->file))
			continue;
		free(f->file);
		f->file = strbuf_detach(&path, NULL);
		if ((f->function && *f->function) || f->file[0] == '/' ||
		    str_starts_with(f->file, CCDB_BUILD_PREFIX))
			continue;
		strbuf_reset(&src);
		strbuf_reset(&fn);
		strbuf_addf(&path, "%s/%s", e->scratch.src, f->file);
		if (!strbuf_read_file(&src, path.buf) &&
		    !an_enclosing_function(src.buf, src.len, f->line, &fn) && fn.len) {
			free(f->function);
			f->function = strbuf_detach(&fn, NULL);
		}
		strbuf_reset(&path);
	}
	gate_error_clear();
	strbuf_dispose(&path);
	strbuf_dispose(&src);
	strbuf_dispose(&fn);
}

static int record(struct gate_engine *e, struct gate_job *j, struct unit_memo *m,
		  const git_oid *tree)
{
	struct ccdb_tu *tu = j->data;

	/* Paths stay as printed: fix_paths() knows where the tool ran. */
	if (unit_memo_record(e, m, j->status, j->output.buf, j->output.len,
			     j->seconds, NULL))
		return -1;
	fix_paths(e, m, tu);
	/* Only a compiler's status says whether the unit builds. */
	if (!m->error && j->status && is_compiler(m->an->desc) &&
	    !unit_memo_has_error(m) && unit_memo_build_failure(m, tu->file))
		return -1;
	/* A unit that failed early may have left no depfile: not an error. */
	if (!ccdb_read_deps(&cs(e)->db, tu) && is_compiler(m->an->desc) && !j->status)
		deps_save(e, tu, tree);
	gate_error_clear();
	return 0;
}

/*
 * The unit as the tree compiles it: when the commit changed the build
 * files, the tree before it has the database before it, which may build
 * the unit otherwise or not at all (NULL).
 */
static struct ccdb_tu *unit_at(struct gate_engine *e, const char *key, const git_oid *tree)
{
	struct ccdb_state *st = cs(e);

	if (st->prev_valid && at_tree(e, tree, false))
		return ccdb_find_key(&st->prev, key);
	return ccdb_find_key(&st->db, key);
}

/*
 * Brings the objects of the units to compile up to date through the
 * build system, once per unit and tree: their generated inputs then
 * exist as the project's build would make them.
 */
static int build_inputs(struct gate_engine *e, struct gate_job *jobs, size_t n,
			const git_oid *tree)
{
	struct ccdb_state *st = cs(e);
	struct ccdb_tu **todo = calloc(n + 1, sizeof(*todo));
	size_t nr = 0;
	int ret;

	if (!todo)
		return gate_error("out of memory");
	if (!git_oid_equal(&st->objs_tree, tree))
		strvec_dispose(&st->objs_built);
	git_oid_cpy(&st->objs_tree, tree);
	for (size_t i = 0; i < n; i++) {
		struct ccdb_tu *tu = jobs[i].data;

		if (strvec_find(&st->objs_built, tu->key) < 0) {
			todo[nr++] = tu;
			strvec_push(&st->objs_built, tu->key);
		}
	}
	ret = st->bs.kind && nr ? buildsys_objects(&st->bs, todo, nr) : 0;
	free(todo);
	return ret;
}

/* Compiles keys with a at tree, each unit that has no result there yet. */
static int compile(struct gate_engine *e, struct unit_analyzer *a,
		   const struct strvec *keys, const git_oid *tree)
{
	struct gate_job *jobs = calloc(keys->nr + 1, sizeof(*jobs));
	/* Indices, not pointers: unit_memo_add() may move e->memo. */
	size_t *memo = calloc(keys->nr + 1, sizeof(*memo));
	size_t n = 0;
	int ret = 0;

	if (!jobs || !memo)
		ret = gate_error("out of memory");
	for (size_t k = 0; !ret && k < keys->nr; k++) {
		struct ccdb_tu *tu = unit_at(e, keys->v[k], tree);

		if (unit_memo_find(e, a, keys->v[k], tree))
			continue;
		memo[n] = e->nr_memo;
		if (!unit_memo_add(e, a, keys->v[k], tree) || !e->memo[memo[n]].key)
			ret = gate_error("out of memory");
		else if (tu && source_exists(e, tu))
			ret = queue_job(e, &jobs[n++], a, tu);
	}
	if (!ret && n)
		ret = realize(e) || build_inputs(e, jobs, n, tree) ? -1 : 0;
	if (!ret)
		gate_pool_run(jobs, n, e->o->jobs);
	for (size_t k = 0; k < n; k++) {
		if (!ret && jobs[k].started)
			ret = record(e, &jobs[k], &e->memo[memo[k]], tree);
		gate_job_dispose(&jobs[k]);
	}
	free(jobs);
	free(memo);
	return ret;
}

/*
 * A finding the units' before and after results cannot settle alone: in
 * a file of the repository that the commit did not change and that is no
 * unit of its own (a header). Other units read it too.
 */
static bool shared_file(struct gate_engine *e, const struct finding *f)
{
	if (!f->file || f->file[0] == '/' || str_starts_with(f->file, CCDB_BUILD_PREFIX) ||
	    ccdb_find(&cs(e)->db, f->file))
		return false;
	for (size_t i = 0; i < e->diff.nr; i++)
		if ((e->diff.v[i].old_path && !strcmp(e->diff.v[i].old_path, f->file)) ||
		    (e->diff.v[i].new_path && !strcmp(e->diff.v[i].new_path, f->file)))
			return false;
	return ccdb_in_src(&cs(e)->db, f->file);
}

/*
 * A unit the commit did not touch reads exactly the same files before
 * and after it, so its result after the commit is also its result before:
 * it witnesses whether the tree shows a finding of a shared file outside
 * the touched units. The first such reader of path, or NULL.
 */
static const struct ccdb_tu *witness_of(struct gate_engine *e, const struct strvec *units,
					const char *path)
{
	for (size_t i = 0; i < cs(e)->db.nr; i++) {
		const struct ccdb_tu *tu = &cs(e)->db.v[i];

		if (strvec_find(units, tu->key) < 0 && ccdb_tu_reads(tu, path) &&
		    source_exists(e, tu))
			return tu;
	}
	return NULL;
}

static void shared_files(struct gate_engine *e, const struct unit_analyzer *a,
			 const struct strvec *units, const git_oid *tree,
			 struct strvec *files)
{
	for (size_t k = 0; k < units->nr; k++) {
		const struct unit_memo *m = unit_memo_find(e, a, units->v[k], tree);

		for (size_t i = 0; m && i < m->findings.nr; i++)
			if (shared_file(e, &m->findings.v[i]))
				unit_add_unique(files, m->findings.v[i].file);
	}
}

/*
 * After the commit, one witness per shared file with findings in the
 * touched units (either state), compiled at the tree after the commit.
 */
static int compile_witnesses(struct gate_engine *e, struct unit_analyzer *a,
			     const struct strvec *units, const git_oid *after)
{
	struct strvec files = STRVEC_INIT, wit = STRVEC_INIT;
	int ret = 0;

	shared_files(e, a, units, &cs(e)->before, &files);
	shared_files(e, a, units, after, &files);
	if (files.nr)
		ret = learn_deps(e);
	for (size_t i = 0; !ret && i < files.nr; i++) {
		const struct ccdb_tu *w = witness_of(e, units, files.v[i]);

		if (w)
			unit_add_unique(&wit, w->key);
	}
	if (!ret && wit.nr)
		ret = unit_from_cache(e, a, &wit, after) || compile(e, a, &wit, after);
	strvec_dispose(&files);
	strvec_dispose(&wit);
	return ret;
}

static int ccdb_build(struct gate_engine *e, struct unit_analyzer *a,
		      const struct strvec *units, const git_oid *tree)
{
	/* The tree before the commit may be back for units it lacked results of. */
	if (buildsys_sync(&cs(e)->bs, e->repo->git, tree) || compile(e, a, units, tree))
		return -1;
	return at_tree(e, tree, true) ? compile_witnesses(e, a, units, tree) : 0;
}

/* Whether a witness of f's file shows f after the commit (so also before). */
static bool witnessed(struct gate_engine *e, const struct unit_analyzer *a,
		      const struct strvec *units, const struct finding *f,
		      const git_oid *after)
{
	for (size_t i = 0; i < cs(e)->db.nr; i++) {
		const struct ccdb_tu *tu = &cs(e)->db.v[i];
		struct unit_memo *m;

		if (strvec_find(units, tu->key) >= 0 || !ccdb_tu_reads(tu, f->file))
			continue;
		m = unit_memo_find(e, a, tu->key, after);
		if (!m || gate_findings_fingerprint(&m->findings, NULL))
			continue;
		for (size_t k = 0; k < m->findings.nr; k++)
			if (!strcmp(m->findings.v[k].fingerprint, f->fingerprint))
				return true;
	}
	return false;
}

/* Moves the findings of shared files that witnesses show to preexisting. */
static void settle(struct gate_engine *e, const struct unit_analyzer *a,
		   const struct strvec *units, const git_oid *after,
		   struct finding_list *l, size_t *preexisting)
{
	size_t kept = 0;

	for (size_t i = 0; i < l->nr; i++) {
		if (shared_file(e, &l->v[i]) && witnessed(e, a, units, &l->v[i], after)) {
			finding_dispose(&l->v[i]);
			(*preexisting)++;
		} else {
			l->v[kept++] = l->v[i];
		}
	}
	l->nr = kept;
}

static int ccdb_review(struct gate_engine *e, const struct unit_analyzer *a,
		       const struct strvec *units, const git_oid *before,
		       const git_oid *after, struct gate_finding_delta *d, char **error)
{
	settle(e, a, units, after, &d->added, &d->preexisting);
	settle(e, a, units, after, &d->fixed, &d->preexisting);
	return 0;
}

/*
 * A unit read its source and the headers of its depfile, and compiles
 * with its own command. Exact: the depfile was written at tree (or a
 * record of one matches it). A unit reading a generated header keeps
 * its results by tree: the cache cannot tell what that header says.
 */
static int ccdb_inputs(struct gate_engine *e, const struct unit_analyzer *a,
		       const char *unit, const git_oid *tree, bool exact,
		       struct strvec *paths, struct strbuf *what)
{
	struct ccdb_tu *tu = unit_at(e, unit, tree);
	char hex[GIT_OID_HEXSZ + 1], key[GATE_CACHE_KEY_LEN + 1];

	/* No unit there: the build files the database follows say so. */
	if (!tu && cs(e)->db.origin == CCDB_BUILD_SYSTEM &&
	    !db_fingerprint(e, BUILDSYS_NONE, tree, key))
		return strbuf_addf(what, "absent %s\n", key) ? -1 : 1;
	if (!tu)
		return 0;
	git_oid_tostr(hex, sizeof(hex), tree);
	if (strcmp(tu->deps_tree, hex) && git_oid_equal(tree, &e->scratch.tree))
		deps_load(e, tu, tree);
	if ((exact && strcmp(tu->deps_tree, hex)) || !tu->deps_known || tu->reads_generated)
		return 0;
	strvec_push(paths, tu->file);
	strvec_pushv(paths, tu->deps.v);
	strbuf_addf(what, "dir %s\n", tu->dir);
	for (size_t i = 0; i < tu->args.nr; i++)
		strbuf_addf(what, "arg %s\n", tu->args.v[i]);
	return 1;
}

/* Any project: the database comes from the config, the tree or its build system. */
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
	strvec_init(&st->objs_built);
	strbuf_init(&st->snapshot, 0);
	strbuf_addf(&state, "%s/units", e->scratch.dir);
	ccdb_init(&st->db, e->repo->top, e->scratch.src, e->scratch.build, state.buf);
	ccdb_init(&st->prev, e->repo->top, e->scratch.src, e->scratch.build, state.buf);
	ret = config_get_path(e->o->cfg, "defaults", "compile_commands", &ccpath);
	if (ret > 0)
		st->configured = strbuf_detach(&ccpath, NULL);
	strbuf_reset(&state);
	strbuf_addf(&state, "%s/buildsys", e->scratch.dir);
	if (ret >= 0)
		ret = buildsys_init(&st->bs, e->o, e->scratch.src, e->scratch.build, state.buf);
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
	ccdb_dispose(&st->prev);
	buildsys_dispose(&st->bs);
	strvec_dispose(&st->objs_built);
	strbuf_dispose(&st->snapshot);
	free(st->configured);
	free(st);
	e->state = NULL;
}

/* The config shapes the commands a tree's build files make: cmake_args and the rest. */
static void ccdb_salt(struct gate_engine *e, const struct unit_analyzer *a,
		      struct strbuf *out)
{
	static const char *const keys[] = { "compile_commands", "cmake_args", "meson_args",
					     "build_env", "build_command", NULL };

	for (const char *const *k = keys; *k; k++) {
		const char *v = config_get(e->o->cfg, "defaults", *k);

		if (v)
			strbuf_addf(out, "%s=%s\n", *k, v);
	}
}

static const struct strbuf *ccdb_setup_log(struct gate_engine *e)
{
	return e->state ? &cs(e)->bs.log : NULL;
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
	.review = ccdb_review,
	.dispose = ccdb_backend_dispose,
	.cache_salt = ccdb_salt,
	.inputs = ccdb_inputs,
	.setup_log = ccdb_setup_log,
};
