/* ccdb.c: loads compile_commands.json (or makes it with CMake) for the scratch
 * tree, rewrites unit commands for analyzers, and tracks header dependencies. */
#include "ccdb.h"
#include "error.h"
#include "fs.h"
#include "proc.h"
#include "scratch.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const source_ext[] = { ".c", ".cc", ".cpp", ".cxx", ".C", NULL };

bool ccdb_is_source(const char *path)
{
	for (const char *const *e = source_ext; *e; e++)
		if (str_ends_with(path, *e))
			return true;
	return false;
}

static bool is_build_file(const char *path)
{
	const char *base = strrchr(path, '/');

	base = base ? base + 1 : path;
	return !strcmp(base, "CMakeLists.txt") || str_ends_with(base, ".cmake") ||
	       !strcmp(base, "compile_commands.json");
}

void ccdb_init(struct ccdb *db, const char *user_top, const char *src,
	       const char *build, const char *state, const char *configured)
{
	memset(db, 0, sizeof(*db));
	db->user_top = strdup(user_top ? user_top : "");
	db->src = strdup(src);
	db->build = strdup(build);
	db->state = strdup(state);
	db->configured = configured ? strdup(configured) : NULL;
	strbuf_init(&db->log, 0);
}

static void free_units(struct ccdb *db)
{
	for (size_t i = 0; i < db->nr; i++) {
		free(db->v[i].file);
		free(db->v[i].key);
		free(db->v[i].dir);
		strvec_dispose(&db->v[i].args);
		strvec_dispose(&db->v[i].deps);
	}
	free(db->v);
	db->v = NULL;
	db->nr = 0;
}

void ccdb_dispose(struct ccdb *db)
{
	free_units(db);
	free(db->user_top);
	free(db->src);
	free(db->build);
	free(db->state);
	free(db->path);
	free(db->configured);
	strbuf_dispose(&db->log);
	memset(db, 0, sizeof(*db));
}

static bool file_exists(const char *dir, const char *name, struct strbuf *out)
{
	strbuf_reset(out);
	strbuf_addf(out, "%s/%s", dir, name);
	return !access(out->buf, R_OK);
}

static int cmake_configure(struct ccdb *db)
{
	struct proc p;
	int status;

	proc_init(&p);
	strvec_pushv(&p.args, (const char *[]){ "cmake", "-S", db->src, "-B",
			     db->build, "-DCMAKE_EXPORT_COMPILE_COMMANDS=ON", NULL });
	strvec_push(&p.env, "LC_ALL=C");
	strbuf_reset(&db->log);
	status = proc_capture(&p, &db->log, NULL, 600);
	proc_dispose(&p);
	if (status == 127 || status < 0)
		return gate_error("cannot run cmake to configure the project");
	if (status) {
		gate_error("configuring the project with cmake failed (exit %d)", status);
		gate_error_hint("the output is in the report; run 'cmake -S . -B build' to see it yourself");
		return -1;
	}
	return 0;
}

/* Picks the database file, configuring CMake projects in the scratch tree. */
static int locate(struct ccdb *db, struct strbuf *path)
{
	if (db->configured) {
		db->origin = CCDB_CONFIGURED_PATH;
		return strbuf_addstr(path, db->configured);
	}
	if (file_exists(db->src, "CMakeLists.txt", path)) {
		db->origin = CCDB_CMAKE;
		if (gate_mkdirs(db->build) || cmake_configure(db))
			return -1;
		strbuf_reset(path);
		return strbuf_addf(path, "%s/compile_commands.json", db->build);
	}
	db->origin = CCDB_FOUND;
	if (file_exists(db->src, "compile_commands.json", path) ||
	    file_exists(db->user_top, "compile_commands.json", path) ||
	    file_exists(db->user_top, "build/compile_commands.json", path))
		return 0;
	gate_error("no compile_commands.json and no CMakeLists.txt in '%s'", db->user_top);
	gate_error_hint("generate one with 'bear -- make' or CMake, or set compile_commands in .mkt-gate.conf");
	return -1;
}

/* Moves a path of the user's tree into the scratch tree. */
static void move_path(const struct ccdb *db, struct strbuf *out, const char *p)
{
	size_t n = strlen(db->user_top);

	if (n && !strncmp(p, db->user_top, n) && (p[n] == '/' || !p[n]))
		strbuf_addf(out, "%s%s", db->src, p + n);
	else
		strbuf_addstr(out, p);
}

/* Makes an absolute, normalised path of p (relative to dir). */
static void absolute(struct strbuf *out, const char *dir, const char *p)
{
	struct strvec parts = STRVEC_INIT;
	struct strbuf joined = STRBUF_INIT;
	char *save = NULL, *tok;

	if (p[0] == '/')
		strbuf_addstr(&joined, p);
	else
		strbuf_addf(&joined, "%s/%s", dir, p);
	for (tok = strtok_r(joined.buf, "/", &save); tok;
	     tok = strtok_r(NULL, "/", &save)) {
		if (!strcmp(tok, ".."))
			strvec_pop(&parts);
		else if (strcmp(tok, "."))
			strvec_push(&parts, tok);
	}
	for (size_t i = 0; i < parts.nr; i++)
		strbuf_addf(out, "/%s", parts.v[i]);
	strvec_dispose(&parts);
	strbuf_dispose(&joined);
}

static const char *repo_relative(const struct ccdb *db, const char *abs)
{
	size_t n = strlen(db->src);

	if (!strncmp(abs, db->src, n) && abs[n] == '/')
		return abs + n + 1;
	return NULL;
}

static int unit_args(struct ccdb *db, struct ccdb_tu *tu, json_t *e)
{
	json_t *args = json_object_get(e, "arguments");
	struct strvec raw = STRVEC_INIT;
	struct strbuf moved = STRBUF_INIT;
	size_t i;
	json_t *a;
	int ret = 0;

	if (json_is_array(args)) {
		json_array_foreach(args, i, a)
			if (json_is_string(a))
				strvec_push(&raw, json_string_value(a));
	} else if (json_is_string(json_object_get(e, "command"))) {
		ret = strvec_split(&raw, json_string_value(json_object_get(e, "command")));
	}
	if (!ret && !raw.nr)
		ret = gate_error("an entry for '%s' has no command", tu->file);
	for (i = 0; !ret && i < raw.nr; i++) {
		strbuf_reset(&moved);
		move_path(db, &moved, raw.v[i]);
		ret = strvec_push(&tu->args, moved.buf);
	}
	strvec_dispose(&raw);
	strbuf_dispose(&moved);
	return ret;
}

static int new_unit(struct ccdb *db, const char *rel, const char *dir)
{
	struct ccdb_tu *tu = &db->v[db->nr];
	int dup = 0;

	memset(tu, 0, sizeof(*tu));
	for (size_t i = 0; i < db->nr; i++)
		dup += !strcmp(db->v[i].file, rel);
	tu->file = strdup(rel);
	tu->dir = strdup(dir);
	if (dup && asprintf(&tu->key, "%s#%d", rel, dup + 1) < 0)
		tu->key = NULL;
	else if (!dup)
		tu->key = strdup(rel);
	db->nr++;
	if (!tu->file || !tu->dir || !tu->key)
		return gate_error("out of memory");
	return gate_mkdirs(tu->dir);
}

static int add_unit(struct ccdb *db, json_t *e)
{
	const char *dir = json_string_value(json_object_get(e, "directory"));
	const char *file = json_string_value(json_object_get(e, "file"));
	struct strbuf d = STRBUF_INIT, f = STRBUF_INIT, abs = STRBUF_INIT;
	const char *rel;
	int ret = 0;

	if (!dir || !file)
		return gate_error("'%s': an entry lacks 'directory' or 'file'", db->path);
	move_path(db, &d, dir);
	move_path(db, &f, file);
	absolute(&abs, d.buf, f.buf);
	rel = repo_relative(db, abs.buf);
	/* A generated file, or one outside the tree, is not ours to gate. */
	if (rel) {
		ret = new_unit(db, rel, d.buf);
		if (!ret)
			ret = unit_args(db, &db->v[db->nr - 1], e);
	}
	strbuf_dispose(&d);
	strbuf_dispose(&f);
	strbuf_dispose(&abs);
	return ret;
}

static void depfile_path(const struct ccdb *db, const struct ccdb_tu *tu,
			 struct strbuf *out)
{
	strbuf_addf(out, "%s/deps/", db->state);
	for (const char *p = tu->key; *p; p++)
		strbuf_addch(out, *p == '/' ? '%' : *p);
	strbuf_addstr(out, ".d");
}

int ccdb_load(struct ccdb *db)
{
	struct strbuf path = STRBUF_INIT;
	json_error_t jerr;
	json_t *root = NULL, *e;
	size_t i;
	int ret = -1;

	free_units(db);
	if (locate(db, &path))
		goto out;
	free(db->path);
	db->path = strdup(path.buf);
	root = json_load_file(path.buf, 0, &jerr);
	if (!root || !json_is_array(root)) {
		gate_error("cannot read '%s': %s", path.buf, root ? "not an array" : jerr.text);
		goto out;
	}
	db->v = calloc(json_array_size(root) + 1, sizeof(*db->v));
	if (!db->v) {
		gate_error("out of memory");
		goto out;
	}
	json_array_foreach(root, i, e)
		if (add_unit(db, e))
			goto out;
	for (i = 0; i < db->nr; i++)
		ccdb_read_deps(db, &db->v[i]);
	gate_error_clear();
	ret = 0;
out:
	json_decref(root);
	strbuf_dispose(&path);
	return ret;
}

bool ccdb_needs_reload(struct ccdb *db, const char *path)
{
	struct strbuf p = STRBUF_INIT;
	bool exists, known;

	if (is_build_file(path))
		return true;
	if (!ccdb_is_source(path))
		return false;
	strbuf_addf(&p, "%s/%s", db->src, path);
	exists = !access(p.buf, F_OK);
	known = ccdb_find(db, path) != NULL;
	strbuf_dispose(&p);
	/* A source added or removed changes the list of units. */
	return exists != known;
}

struct ccdb_tu *ccdb_find(struct ccdb *db, const char *file)
{
	for (size_t i = 0; i < db->nr; i++)
		if (!strcmp(db->v[i].file, file))
			return &db->v[i];
	return NULL;
}

struct ccdb_tu *ccdb_find_key(struct ccdb *db, const char *key)
{
	for (size_t i = 0; i < db->nr; i++)
		if (!strcmp(db->v[i].key, key))
			return &db->v[i];
	return NULL;
}

bool ccdb_tu_reads(const struct ccdb_tu *tu, const char *path)
{
	return !strcmp(tu->file, path) || strvec_find(&tu->deps, path) >= 0;
}

static void forget_deps(struct ccdb *db, struct ccdb_tu *tu)
{
	struct strbuf p = STRBUF_INIT;

	depfile_path(db, tu, &p);
	unlink(p.buf);
	strvec_dispose(&tu->deps);
	tu->deps_known = false;
	strbuf_dispose(&p);
}

void ccdb_invalidate(struct ccdb *db, const struct strvec *paths)
{
	bool all = strvec_find(paths, "*") >= 0;

	for (size_t i = 0; i < db->nr; i++) {
		struct ccdb_tu *tu = &db->v[i];
		bool hit = all;

		for (size_t j = 0; !hit && j < paths->nr; j++)
			hit = ccdb_tu_reads(tu, paths->v[j]);
		if (hit)
			forget_deps(db, tu);
	}
}

/* Options whose value we replace, and which take that value as the next word. */
static const char *const dropped_with_value[] = { "-o", "-MF", "-MT", "-MQ", NULL };
static const char *const dropped[] = { "-MD", "-MMD", "-MP", "-Werror", "-c", NULL };
static const char *const dropped_prefix[] = { "-Werror=", "-fdiagnostics-color",
					      "-fcolor-diagnostics", NULL };

static bool in_list(const char *const *list, const char *a, bool prefix)
{
	for (; *list; list++)
		if (prefix ? str_starts_with(a, *list) : !strcmp(a, *list))
			return true;
	return false;
}

static bool is_wrapper(const char *a)
{
	const char *base = strrchr(a, '/');

	base = base ? base + 1 : a;
	return !strcmp(base, "ccache") || !strcmp(base, "distcc") ||
	       !strcmp(base, "sccache");
}

static void output_path(const struct ccdb *db, const struct ccdb_tu *tu,
			const char *compiler, struct strbuf *out)
{
	const char *base = strrchr(compiler, '/');

	strbuf_addf(out, "%s/obj/%s", db->state, base ? base + 1 : compiler);
	gate_mkdirs(out->buf);
	strbuf_addch(out, '/');
	for (const char *p = tu->key; *p; p++)
		strbuf_addch(out, *p == '/' ? '%' : *p);
	strbuf_addstr(out, ".o");
}

int ccdb_command(struct ccdb *db, const struct ccdb_tu *tu, const char *compiler,
		 const struct strvec *extra, bool deps_only, struct strvec *argv)
{
	struct strbuf obj = STRBUF_INIT, dep = STRBUF_INIT;
	size_t i = 0;

	while (i < tu->args.nr && is_wrapper(tu->args.v[i]))
		i++;
	strvec_push(argv, compiler);
	for (i++; i < tu->args.nr; i++) {
		const char *a = tu->args.v[i];

		if (in_list(dropped_with_value, a, false))
			i++;
		else if (!in_list(dropped, a, false) &&
			 !in_list(dropped_prefix, a, true))
			strvec_push(argv, a);
	}
	output_path(db, tu, compiler, &obj);
	depfile_path(db, tu, &dep);
	strbuf_setlen(&dep, dep.len - 2);
	gate_mkdirs(dep.buf);
	strbuf_addstr(&dep, ".d");
	strvec_pushv(argv, (const char *[]){ deps_only ? "-E" : "-c", "-o",
		     deps_only ? "/dev/null" : obj.buf, "-MMD", "-MF", dep.buf,
		     "-fdiagnostics-color=never", "-Wno-error", NULL });
	if (!deps_only && extra)
		strvec_pushv(argv, extra->v);
	strbuf_dispose(&obj);
	strbuf_dispose(&dep);
	return 0;
}

/* Appends the words of a make-style depfile after the first colon. */
static void depfile_words(const char *text, struct strvec *words)
{
	struct strbuf w = STRBUF_INIT;
	const char *p = strchr(text, ':');

	for (p = p ? p + 1 : text; *p; p++) {
		if (*p == '\\' && p[1] == '\n') {
			p++;
		} else if (*p == '\\' && p[1] == ' ') {
			strbuf_addch(&w, *++p);
			continue;
		} else if (*p != ' ' && *p != '\n' && *p != '\t') {
			strbuf_addch(&w, *p);
			continue;
		}
		if (w.len)
			strvec_push(words, w.buf);
		strbuf_reset(&w);
		if (*p == '\n' && p[1] && p[1] != ' ')
			break;	/* -MP phony targets follow */
	}
	if (w.len)
		strvec_push(words, w.buf);
	strbuf_dispose(&w);
}

int ccdb_read_deps(struct ccdb *db, struct ccdb_tu *tu)
{
	struct strbuf path = STRBUF_INIT, text = STRBUF_INIT, abs = STRBUF_INIT;
	struct strvec words = STRVEC_INIT;
	int ret;

	depfile_path(db, tu, &path);
	ret = strbuf_read_file(&text, path.buf);
	strvec_dispose(&tu->deps);
	tu->deps_known = !ret;
	if (!ret)
		depfile_words(text.buf, &words);
	for (size_t i = 0; i < words.nr; i++) {
		const char *rel;

		strbuf_reset(&abs);
		absolute(&abs, tu->dir, words.v[i]);
		rel = repo_relative(db, abs.buf);
		if (rel && strcmp(rel, tu->file))
			strvec_push(&tu->deps, rel);
	}
	strvec_dispose(&words);
	strbuf_dispose(&path);
	strbuf_dispose(&text);
	strbuf_dispose(&abs);
	return ret;
}
