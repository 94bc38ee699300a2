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

/* Files whose change may change the commands (or the list of units). */
static const char *const build_names[] = {
	"CMakeLists.txt", "compile_commands.json", "meson.build", "meson_options.txt",
	"meson.options", "Makefile", "makefile", "GNUmakefile", "configure",
	"configure.ac", "configure.in", NULL
};
static const char *const build_exts[] = { ".cmake", ".mk", ".am", ".in", NULL };

bool ccdb_is_build_file(const char *path)
{
	const char *base = strrchr(path, '/');

	base = base ? base + 1 : path;
	for (const char *const *n = build_names; *n; n++)
		if (!strcmp(base, *n))
			return true;
	for (const char *const *x = build_exts; *x; x++)
		if (str_ends_with(base, *x))
			return true;
	return false;
}

/* realpath() of p, or p itself while it does not exist yet. */
static char *real_or_same(const char *p)
{
	char *r = realpath(p, NULL);

	return r ? r : strdup(p);
}

void ccdb_init(struct ccdb *db, const char *user_top, const char *src,
	       const char *build, const char *state)
{
	memset(db, 0, sizeof(*db));
	db->user_top = strdup(user_top ? user_top : "");
	db->src = strdup(src);
	db->root = strdup(src);
	db->build = strdup(build);
	db->state = strdup(state);
}

static void free_units(struct ccdb *db)
{
	for (size_t i = 0; i < db->nr; i++) {
		free(db->v[i].file);
		free(db->v[i].key);
		free(db->v[i].dir);
		free(db->v[i].output);
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
	free(db->root);
	free(db->build);
	free(db->src_real);
	free(db->root_real);
	free(db->build_real);
	free(db->state);
	free(db->path);
	memset(db, 0, sizeof(*db));
}

void ccdb_take_units(struct ccdb *out, struct ccdb *db)
{
	free_units(out);
	out->v = db->v;
	out->nr = db->nr;
	db->v = NULL;
	db->nr = 0;
}

static bool file_exists(const char *dir, const char *name, struct strbuf *out)
{
	strbuf_reset(out);
	strbuf_addf(out, "%s/%s", dir, name);
	return !access(out->buf, R_OK);
}

int ccdb_find_user_db(const struct ccdb *db, struct strbuf *path)
{
	if (file_exists(db->src, "compile_commands.json", path) ||
	    file_exists(db->user_top, "compile_commands.json", path) ||
	    file_exists(db->user_top, "build/compile_commands.json", path))
		return 0;
	gate_error("no compile_commands.json and no build system mkt-gate knows in '%s'",
		   db->user_top);
	gate_error_hint("CMake, Meson and make projects are built in the scratch tree; else set compile_commands in .mkt-gate.conf");
	return -1;
}

/* Moves a path of the user's tree (their own database) into the scratch tree. */
static void move_path(const struct ccdb *db, struct strbuf *out, const char *p)
{
	size_t n = strlen(db->user_top);

	if (db->origin != CCDB_BUILD_SYSTEM && n && !strncmp(p, db->user_top, n) &&
	    (p[n] == '/' || !p[n]))
		strbuf_addf(out, "%s%s", db->src, p + n);
	else
		strbuf_addstr(out, p);
}

/* Makes an absolute, normalised path of p (relative to dir). */
void ccdb_path_join(struct strbuf *out, const char *dir, const char *p)
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

static const char *under(const char *abs, const char *dir)
{
	size_t n = dir ? strlen(dir) : 0;

	if (n && !strncmp(abs, dir, n) && abs[n] == '/')
		return abs + n + 1;
	return NULL;
}

bool ccdb_in_src(const struct ccdb *db, const char *rel)
{
	struct strbuf p = STRBUF_INIT;
	bool ok = file_exists(db->src, rel, &p);

	strbuf_dispose(&p);
	return ok;
}

/* A canonical path: a repository file, a file of ours, or neither. */
static void classify(const struct ccdb *db, const char *real, const char *printed,
		     struct strbuf *out)
{
	const char *rel = under(real, db->src_real);

	if (rel)
		strbuf_addstr(out, rel);
	else if ((rel = under(real, db->root_real)) && ccdb_in_src(db, rel))
		strbuf_addstr(out, rel);
	else if (rel || (rel = under(real, db->build_real)))
		strbuf_addf(out, "%s%s", CCDB_BUILD_PREFIX, rel);
	else
		strbuf_addstr(out, printed);
}

int ccdb_resolve(const struct ccdb *db, const char *dir, const char *printed,
		 struct strbuf *out)
{
	struct strbuf abs = STRBUF_INIT;
	const char *rel;
	char *real;

	strbuf_reset(out);
	/* The parser strips the sources' prefix: what remains is theirs. */
	if (printed[0] != '/' && !str_starts_with(printed, "../") &&
	    !strcmp(db->root, db->src) && ccdb_in_src(db, printed))
		return strbuf_addstr(out, printed);
	ccdb_path_join(&abs, dir, printed);
	rel = under(abs.buf, db->src);
	real = rel ? NULL : realpath(abs.buf, NULL);
	if (rel)
		strbuf_addstr(out, rel);
	else if (real)
		classify(db, real, printed, out);
	else
		strbuf_addstr(out, printed);
	free(real);
	strbuf_dispose(&abs);
	return 0;
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

/* The object an entry writes: its "output", else the word after -o. */
static int unit_output(struct ccdb_tu *tu, json_t *e)
{
	const char *out = json_string_value(json_object_get(e, "output"));

	for (size_t i = 0; !out && i + 1 < tu->args.nr; i++)
		if (!strcmp(tu->args.v[i], "-o"))
			out = tu->args.v[i + 1];
	if (!out)
		return 0;
	tu->output = strdup(out);
	return tu->output ? 0 : gate_error("out of memory");
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
	struct strbuf rel = STRBUF_INIT;
	int ret = 0;

	if (!dir || !file)
		return gate_error("'%s': an entry lacks 'directory' or 'file'", db->path);
	move_path(db, &d, dir);
	move_path(db, &f, file);
	ccdb_path_join(&abs, d.buf, f.buf);
	/* The build system may spell the tree otherwise (CMake drops ".."). */
	ccdb_resolve(db, "/", abs.buf, &rel);
	/* A generated file, or one outside the tree, is not ours to gate. */
	if (rel.buf[0] != '/' && !str_starts_with(rel.buf, CCDB_BUILD_PREFIX) &&
	    ccdb_in_src(db, rel.buf)) {
		ret = new_unit(db, rel.buf, d.buf);
		if (!ret)
			ret = unit_args(db, &db->v[db->nr - 1], e);
		if (!ret)
			ret = unit_output(&db->v[db->nr - 1], e);
	}
	strbuf_dispose(&d);
	strbuf_dispose(&f);
	strbuf_dispose(&abs);
	strbuf_dispose(&rel);
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

static int set_roots(struct ccdb *db, const char *root)
{
	free(db->root);
	free(db->src_real);
	free(db->root_real);
	free(db->build_real);
	db->root = strdup(root ? root : db->src);
	db->src_real = real_or_same(db->src);
	db->root_real = db->root ? real_or_same(db->root) : NULL;
	db->build_real = real_or_same(db->build);
	if (!db->root || !db->src_real || !db->root_real || !db->build_real)
		return gate_error("out of memory");
	return 0;
}

int ccdb_load(struct ccdb *db, enum ccdb_origin origin, const char *path,
	      const char *root)
{
	json_error_t jerr;
	json_t *doc = NULL, *e;
	size_t i;
	int ret = -1;

	free_units(db);
	db->origin = origin;
	free(db->path);
	db->path = strdup(path);
	if (!db->path || set_roots(db, root))
		goto out;
	doc = json_load_file(path, 0, &jerr);
	if (!doc || !json_is_array(doc)) {
		gate_error("cannot read '%s': %s", path, doc ? "not an array" : jerr.text);
		goto out;
	}
	db->v = calloc(json_array_size(doc) + 1, sizeof(*db->v));
	if (!db->v) {
		gate_error("out of memory");
		goto out;
	}
	json_array_foreach(doc, i, e)
		if (add_unit(db, e))
			goto out;
	for (i = 0; i < db->nr; i++)
		ccdb_read_deps(db, &db->v[i]);
	gate_error_clear();
	ret = 0;
out:
	json_decref(doc);
	return ret;
}

bool ccdb_needs_reload(struct ccdb *db, const char *path)
{
	struct strbuf p = STRBUF_INIT;
	bool exists, known;

	if (ccdb_is_build_file(path))
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
	tu->deps_tree[0] = '\0';
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
	struct strbuf path = STRBUF_INIT, text = STRBUF_INIT, rel = STRBUF_INIT;
	struct strvec words = STRVEC_INIT;
	int ret;

	depfile_path(db, tu, &path);
	ret = strbuf_read_file(&text, path.buf);
	strvec_dispose(&tu->deps);
	tu->deps_known = !ret;
	tu->reads_generated = false;
	tu->deps_tree[0] = '\0';
	if (!ret)
		depfile_words(text.buf, &words);
	/* Headers reached through a link of the build tree are the sources'. */
	for (size_t i = 0; i < words.nr; i++) {
		ccdb_resolve(db, tu->dir, words.v[i], &rel);
		tu->reads_generated |= str_starts_with(rel.buf, CCDB_BUILD_PREFIX);
		if (rel.buf[0] != '/' && !str_starts_with(rel.buf, CCDB_BUILD_PREFIX) &&
		    strcmp(rel.buf, tu->file) && strvec_find(&tu->deps, rel.buf) < 0)
			strvec_push(&tu->deps, rel.buf);
	}
	strvec_dispose(&words);
	strbuf_dispose(&path);
	strbuf_dispose(&text);
	strbuf_dispose(&rel);
	return ret;
}
