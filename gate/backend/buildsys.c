/* buildsys.c: configures and builds a generic project with its own build system
 * in the scratch build directory, through the job engine. Never prints. */
#include "buildsys.h"
#include "diff.h"
#include "engine.h"
#include "error.h"
#include "fs.h"
#include "proc.h"
#include "unit.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A configure step that hangs is broken; a build may take long. */
#define CONFIGURE_TIMEOUT_S 1800

static const char *const kind_names[] = { "none", "cmake", "meson", "make" };
static const char *const make_files[] = { "GNUmakefile", "makefile", "Makefile",
					  "configure", "configure.ac", "configure.in",
					  NULL };

enum buildsys_kind buildsys_detect(const char *src)
{
	if (gate_exists_in(src, "CMakeLists.txt"))
		return BUILDSYS_CMAKE;
	if (gate_exists_in(src, "meson.build"))
		return BUILDSYS_MESON;
	for (const char *const *f = make_files; *f; f++)
		if (gate_exists_in(src, *f))
			return BUILDSYS_MAKE;
	return BUILDSYS_NONE;
}

const char *buildsys_name(enum buildsys_kind kind)
{
	return kind_names[kind];
}

int buildsys_init(struct buildsys *b, const struct gate_run_opts *o,
		  const char *src, const char *build, const char *state)
{
	const char *cmd = config_get(o->cfg, "defaults", "build_command");

	memset(b, 0, sizeof(*b));
	b->o = o;
	strvec_init(&b->cmake_args);
	strvec_init(&b->meson_args);
	strvec_init(&b->env);
	strbuf_init(&b->log, 0);
	b->src = strdup(src);
	b->build = strdup(build);
	b->state = strdup(state);
	b->build_command = cmd && cmd[strspn(cmd, " \t")] ? strdup(cmd) : NULL;
	if (!b->src || !b->build || !b->state || (cmd && *cmd && !b->build_command))
		return gate_error("out of memory");
	if (config_get_list(o->cfg, "defaults", "cmake_args", &b->cmake_args) < 0 ||
	    config_get_list(o->cfg, "defaults", "meson_args", &b->meson_args) < 0 ||
	    config_get_list(o->cfg, "defaults", "build_env", &b->env) < 0)
		return -1;
	return 0;
}

void buildsys_dispose(struct buildsys *b)
{
	free(b->src);
	free(b->build);
	free(b->state);
	free(b->db_path);
	free(b->build_command);
	strvec_dispose(&b->cmake_args);
	strvec_dispose(&b->meson_args);
	strvec_dispose(&b->env);
	strbuf_dispose(&b->log);
	memset(b, 0, sizeof(*b));
}

const char *buildsys_root(const struct buildsys *b)
{
	return b->kind == BUILDSYS_MAKE ? b->build : b->src;
}

static void progress(struct buildsys *b, const char *line)
{
	if (b->o->progress)
		b->o->progress(b->o->progress_data, line);
}

/* A tool the engine runs from the host's /usr must be installed there. */
static int need_tool(struct buildsys *b, const char *tool, const char *package)
{
	if (b->o->ctr && ctr_engine_image(b->o->ctr))
		return 0;
	if (proc_which(tool, NULL))
		return 0;
	gate_error("cannot build the %s project: '%s' is not installed",
		   buildsys_name(b->kind), tool);
	return gate_error_hint("install it (Debian: apt-get install %s)", package);
}

/*
 * Runs args in dir inside the engine, with build_env; appends what it
 * printed to out. Returns -1 only when it could not run at all.
 */
static int run_to(struct buildsys *b, const struct strvec *args, const char *dir,
		  const char *extra_env, unsigned int timeout_s, int *status,
		  struct strbuf *out)
{
	struct proc p;
	int ret = 0;

	proc_init(&p);
	p.dir = dir;
	if (strvec_pushv(&p.args, args->v) || strvec_push(&p.env, "LC_ALL=C") ||
	    (extra_env && strvec_push(&p.env, extra_env)) || strvec_pushv(&p.env, b->env.v))
		ret = gate_error("out of memory");
	if (!ret && b->o->ctr)
		ret = ctr_engine_wrap(b->o->ctr, &p);
	if (!ret)
		*status = proc_capture(&p, out, NULL, timeout_s);
	if (!ret && (*status == 127 || *status < 0))
		ret = gate_error("cannot run '%s' for the %s project", args->v[0],
				 buildsys_name(b->kind));
	proc_dispose(&p);
	return ret;
}

/* The same, what it printed going to log. */
static int run(struct buildsys *b, const struct strvec *args, const char *dir,
	       const char *extra_env, unsigned int timeout_s, int *status)
{
	return run_to(b, args, dir, extra_env, timeout_s, status, &b->log);
}

static bool has_generator(const struct strvec *args)
{
	for (size_t i = 0; i < args->nr; i++)
		if (str_starts_with(args->v[i], "-G"))
			return true;
	return false;
}

static bool mentions(const struct strvec *args, const char *what)
{
	for (size_t i = 0; i < args->nr; i++)
		if (strstr(args->v[i], what))
			return true;
	return false;
}

/* Whether the engine runs ninja: the host's, or its image's. */
static bool engine_has_ninja(struct buildsys *b)
{
	struct strvec args = STRVEC_INIT;
	int status = -1;

	if (!b->o->ctr || !ctr_engine_image(b->o->ctr))
		return proc_which("ninja", NULL);
	if (b->ninja_known)
		return b->ninja_found;
	strvec_pushv(&args, (const char *[]){ "sh", "-c", "command -v ninja", NULL });
	b->ninja_found = !run(b, &args, b->src, NULL, CONFIGURE_TIMEOUT_S, &status) &&
			 !status;
	b->ninja_known = true;
	strbuf_reset(&b->log);
	gate_error_clear();
	strvec_dispose(&args);
	return b->ninja_found;
}

/*
 * cmake's command line: Ninja unless cmake_args names a generator (its
 * object targets build their generated inputs first, those of the
 * Makefile generator do not), compilers through the shared ccache.
 */
static void cmake_configure_args(struct buildsys *b, struct strvec *args)
{
	strvec_pushv(args, (const char *[]){ "cmake", "-S", b->src, "-B", b->build,
		     "-DCMAKE_EXPORT_COMPILE_COMMANDS=ON", NULL });
	if (!has_generator(&b->cmake_args) && engine_has_ninja(b))
		strvec_pushv(args, (const char *[]){ "-G", "Ninja", NULL });
	if (ctr_engine_uses_ccache(b->o->ctr) &&
	    !mentions(&b->cmake_args, "COMPILER_LAUNCHER"))
		strvec_pushv(args, (const char *[]){ "-DCMAKE_C_COMPILER_LAUNCHER=ccache",
			     "-DCMAKE_CXX_COMPILER_LAUNCHER=ccache", NULL });
	strvec_pushv(args, b->cmake_args.v);
}

static void meson_configure_args(struct buildsys *b, struct strvec *args)
{
	struct strbuf data = STRBUF_INIT;

	strbuf_addf(&data, "%s/meson-private/coredata.dat", b->build);
	strvec_pushv(args, (const char *[]){ "meson", "setup", NULL });
	if (!access(data.buf, F_OK))
		strvec_push(args, "--reconfigure");
	strvec_pushv(args, b->meson_args.v);
	strvec_pushv(args, (const char *[]){ b->build, b->src, NULL });
	strbuf_dispose(&data);
}

/* make's command: build_command, else by what the tree has. */
static const char *make_command(const struct buildsys *b)
{
	if (b->build_command)
		return b->build_command;
	if (gate_exists_in(b->src, "GNUmakefile") || gate_exists_in(b->src, "makefile") ||
	    gate_exists_in(b->src, "Makefile"))
		return "make";
	if (gate_exists_in(b->src, "configure"))
		return "./configure && make";
	return "autoreconf -fi && ./configure && make";
}

/* What the build directory is configured from: the stamp's contents. */
static void recipe(struct buildsys *b, enum buildsys_kind kind, struct strbuf *out)
{
	struct strvec args = STRVEC_INIT;

	if (kind == BUILDSYS_CMAKE)
		cmake_configure_args(b, &args);
	else if (kind == BUILDSYS_MESON)
		strvec_pushv(&args, b->meson_args.v);
	else
		strvec_push(&args, make_command(b));
	strbuf_addf(out, "kind=%s\n", kind_names[kind]);
	for (size_t i = 0; i < args.nr; i++)
		strbuf_addf(out, "arg=%s\n", args.v[i]);
	for (size_t i = 0; i < b->env.nr; i++)
		strbuf_addf(out, "env=%s\n", b->env.v[i]);
	strvec_dispose(&args);
}

static void state_path(const struct buildsys *b, const char *name, struct strbuf *out)
{
	strbuf_reset(out);
	strbuf_addf(out, "%s/%s", b->state, name);
}

/* A state file's contents; false when it cannot be read. */
static bool read_state(const struct buildsys *b, const char *name, struct strbuf *out)
{
	struct strbuf path = STRBUF_INIT;
	bool ok;

	state_path(b, name, &path);
	ok = !strbuf_read_file(out, path.buf);
	gate_error_clear();
	strbuf_dispose(&path);
	return ok;
}

static int write_state(const struct buildsys *b, const char *name, const struct strbuf *sb)
{
	struct strbuf path = STRBUF_INIT;
	int ret;

	state_path(b, name, &path);
	ret = gate_write_file_mkdirs(sb, path.buf);
	strbuf_dispose(&path);
	return ret;
}

/* Whether the build directory holds a baseline built from want. */
static bool has_baseline(struct buildsys *b, const struct strbuf *want)
{
	struct strbuf have = STRBUF_INIT;
	bool ok = read_state(b, "baseline", &have) && !strcmp(have.buf, want->buf) &&
		  !access(b->build, F_OK);

	strbuf_dispose(&have);
	return ok;
}

static int configure(struct buildsys *b)
{
	struct strvec args = STRVEC_INIT;
	struct strbuf line = STRBUF_INIT;
	int status = 0, ret;

	if (b->kind == BUILDSYS_CMAKE)
		cmake_configure_args(b, &args);
	else
		meson_configure_args(b, &args);
	strbuf_addf(&line, "configuring the %s project in %s", kind_names[b->kind], b->build);
	progress(b, line.buf);
	ret = need_tool(b, args.v[0], args.v[0]) ||
	      (b->kind == BUILDSYS_MESON && need_tool(b, "ninja", "ninja-build")) ||
	      gate_mkdirs(b->build) ||
	      run(b, &args, b->build, NULL, CONFIGURE_TIMEOUT_S, &status);
	if (!ret && status) {
		gate_error("configuring the project with %s failed (exit %d)", args.v[0], status);
		ret = gate_error_hint("the output is in the report; set cmake_args, meson_args or build_env in .mkt-gate.conf");
	}
	strvec_dispose(&args);
	strbuf_dispose(&line);
	return ret ? -1 : 0;
}

/* The whole project once: every generated input then exists. */
static int build_all(struct buildsys *b, int *status)
{
	struct strvec args = STRVEC_INIT;
	int ret;

	if (b->ninja)
		strvec_pushv(&args, (const char *[]){ "ninja", "-C", b->build, "-k", "0", NULL });
	else
		strvec_pushv(&args, (const char *[]){ "cmake", "--build", b->build, "--parallel",
			     NULL });
	strvec_pushf(&args, "%s%d", b->ninja ? "-j" : "", b->o->jobs);
	ret = run(b, &args, b->build, NULL, 0, status);
	strvec_dispose(&args);
	return ret;
}

/*
 * bear's parts talk over gRPC on localhost and now and then lose each
 * other under load (Bear issues #415, #498): the compile they were to
 * record does not run, the build fails there. What ran is merged, and
 * the build goes again from where it stopped.
 */
#define BEAR_TRIES 3

static bool bear_lost(const struct buildsys *b, size_t from)
{
	static const char lost[] = "gRPC call failed";
	struct strbuf path = STRBUF_INIT, text = STRBUF_INIT;
	bool ret = strstr(b->log.buf + from, lost) != NULL;

	/* configure keeps its failed test compiles to itself. */
	strbuf_addf(&path, "%s/config.log", b->build);
	if (!ret && !strbuf_read_file(&text, path.buf))
		ret = strstr(text.buf, lost) != NULL;
	gate_error_clear();
	strbuf_dispose(&path);
	strbuf_dispose(&text);
	return ret;
}

static int make_build(struct buildsys *b, int *status)
{
	struct strvec args = STRVEC_INIT;
	struct strbuf fresh = STRBUF_INIT, flags = STRBUF_INIT;
	size_t from = 0;
	int ret;

	state_path(b, "bear.json", &fresh);
	strbuf_addf(&flags, "MAKEFLAGS=-k -j%d", b->o->jobs);
	strvec_pushv(&args, (const char *[]){ "bear", "--output", fresh.buf, "--", "sh", "-c",
		     make_command(b), NULL });
	/* bear's parts find each other by localhost, which bwrap's /etc lacks. */
	ret = (b->o->ctr && !strcmp(ctr_engine_name(b->o->ctr), "bwrap") &&
	       ctr_engine_bind(b->o->ctr, "/etc/hosts", false)) || need_tool(b, "bear", "bear");
	for (int i = 0; !ret && i < BEAR_TRIES; i++) {
		if (i)
			progress(b, "bear lost a compile it was to record; building again");
		from = b->log.len;
		unlink(fresh.buf);
		ret = run(b, &args, b->build, flags.buf, 0, status);
		if (!ret && !access(fresh.buf, F_OK))
			ret = buildsys_merge_db(b->db_path, fresh.buf);
		if (!*status || !bear_lost(b, from))
			break;
	}
	strvec_dispose(&args);
	strbuf_dispose(&fresh);
	strbuf_dispose(&flags);
	return ret ? -1 : 0;
}

/* Forgets the build directory: another recipe, or none recorded. */
static int start_over(struct buildsys *b)
{
	struct strbuf path = STRBUF_INIT;
	int ret;

	state_path(b, "baseline", &path);
	unlink(path.buf);
	state_path(b, "copy", &path);
	unlink(path.buf);
	state_path(b, "compile_commands.json", &path);
	unlink(path.buf);
	ret = gate_mkdirs(b->state) || (!access(b->build, F_OK) && gate_remove_tree(b->build));
	strbuf_dispose(&path);
	return ret ? ret : gate_mkdirs(b->build);
}

static int baseline(struct buildsys *b, int *status)
{
	struct strbuf line = STRBUF_INIT;
	int ret;

	strbuf_addf(&line, "building the baseline once in %s (later runs reuse it)", b->build);
	progress(b, line.buf);
	ret = b->kind == BUILDSYS_MAKE ? make_build(b, status) : build_all(b, status);
	strbuf_reset(&line);
	if (!ret && *status) {
		strbuf_addf(&line, "warning: the baseline build failed (exit %d); units that need what it did not build will fail to compile",
			    *status);
		progress(b, line.buf);
	}
	strbuf_dispose(&line);
	return ret;
}

static bool db_empty(const char *path)
{
	json_t *doc = json_load_file(path, 0, NULL);
	bool empty = !json_is_array(doc) || !json_array_size(doc);

	json_decref(doc);
	return empty;
}

/* A failed step's last words are the ones that say why. */
static void keep_tail(struct strbuf *log, size_t n)
{
	if (log->len <= n)
		return;
	memmove(log->buf, log->buf + log->len - n, n);
	strbuf_setlen(log, n);
}

int buildsys_reuse(struct buildsys *b, enum buildsys_kind kind)
{
	struct strbuf path = STRBUF_INIT;

	if (kind == BUILDSYS_MAKE)
		return gate_error("make's database is made by building");
	b->kind = kind;
	free(b->db_path);
	strbuf_addf(&path, "%s/build.ninja", b->build);
	b->ninja = !access(path.buf, F_OK);
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/compile_commands.json", b->build);
	b->db_path = strbuf_detach(&path, NULL);
	return 0;
}

int buildsys_prepare(struct buildsys *b, enum buildsys_kind kind,
		     git_repository *git, const git_oid *tree)
{
	struct strbuf want = STRBUF_INIT, path = STRBUF_INIT;
	bool fresh;
	int status = 0, ret = 0;

	recipe(b, kind, &want);
	fresh = !has_baseline(b, &want);
	b->kind = kind;
	strbuf_reset(&b->log);
	if (fresh)
		ret = start_over(b);
	free(b->db_path);
	if (kind == BUILDSYS_MAKE)
		state_path(b, "compile_commands.json", &path);
	else
		strbuf_addf(&path, "%s/compile_commands.json", b->build);
	b->db_path = strbuf_detach(&path, NULL);
	if (!ret && kind == BUILDSYS_MAKE) {
		/* The build itself makes make's database: it runs every time. */
		ret = buildsys_sync(b, git, tree) ||
		      (fresh ? baseline(b, &status) : make_build(b, &status));
		if (!ret && status && db_empty(b->db_path))
			ret = gate_error("building the project with '%s' failed (exit %d) and compiled nothing",
					 make_command(b), status);
	} else if (!ret) {
		ret = configure(b);
		strbuf_addf(&path, "%s/build.ninja", b->build);
		b->ninja = !access(path.buf, F_OK);
		if (!ret && fresh)
			ret = baseline(b, &status);
	}
	if (!ret && fresh)
		ret = write_state(b, "baseline", &want);
	if (ret)
		keep_tail(&b->log, 4000);
	strbuf_dispose(&want);
	strbuf_dispose(&path);
	return ret ? -1 : 0;
}

/* ---- the copy an in-tree build (make) builds in ---- */

static int copy_link(const char *from, const char *to, size_t len)
{
	char *target = malloc(len + 1);
	int ret = 0;

	if (!target)
		return gate_error("out of memory");
	if (readlink(from, target, len + 1) != (ssize_t)len)
		ret = gate_error("cannot read the link '%s'", from);
	target[len] = '\0';
	if (!ret && symlink(target, to))
		ret = gate_error("cannot create the link '%s': %s", to, strerror(errno));
	free(target);
	return ret;
}

static int copy_one(struct buildsys *b, const char *rel)
{
	struct strbuf from = STRBUF_INIT, to = STRBUF_INIT;
	struct stat st = { 0 };
	int ret = 0;

	strbuf_addf(&from, "%s/%s", b->src, rel);
	strbuf_addf(&to, "%s/%s", b->build, rel);
	if (unlink(to.buf) && errno != ENOENT)
		ret = gate_error("cannot remove '%s': %s", to.buf, strerror(errno));
	else if (lstat(from.buf, &st))
		st.st_mode = 0;	/* a submodule, or removed: nothing to copy */
	else if (gate_mkdirs_parent(to.buf))
		ret = -1;
	else if (S_ISLNK(st.st_mode))
		ret = copy_link(from.buf, to.buf, (size_t)st.st_size);
	else if (S_ISREG(st.st_mode))
		ret = gate_copy_file(from.buf, to.buf);
	if (!ret && S_ISREG(st.st_mode) && chmod(to.buf, st.st_mode & 0777))
		ret = gate_error("cannot chmod '%s': %s", to.buf, strerror(errno));
	strbuf_dispose(&from);
	strbuf_dispose(&to);
	return ret;
}

struct copy_walk {
	struct buildsys *b;
	int err;
};

static int copy_entry(const char *root, const git_tree_entry *e, void *data)
{
	struct copy_walk *w = data;
	struct strbuf rel = STRBUF_INIT;
	git_filemode_t mode = git_tree_entry_filemode(e);

	if (mode == GIT_FILEMODE_TREE || mode == GIT_FILEMODE_COMMIT)
		return 0;
	strbuf_addf(&rel, "%s%s", root, git_tree_entry_name(e));
	w->err = copy_one(w->b, rel.buf);
	strbuf_dispose(&rel);
	return w->err ? -1 : 0;
}

static int copy_diff(struct buildsys *b, git_repository *git, const git_oid *from_id,
		     git_tree *to)
{
	struct gate_diff d;
	git_tree *from = NULL;
	int ret = 0;

	if (git_tree_lookup(&from, git, from_id))
		return 1;	/* gone: copy everything */
	if (gate_diff_trees(&d, git, from, to, 0)) {
		git_tree_free(from);
		return -1;
	}
	for (size_t i = 0; i < d.nr && !ret; i++) {
		if (d.v[i].old_path)
			ret = copy_one(b, d.v[i].old_path);
		if (!ret && d.v[i].new_path)
			ret = copy_one(b, d.v[i].new_path);
	}
	gate_diff_dispose(&d);
	git_tree_free(from);
	return ret;
}

/* "clean <oid>" once the copy holds that tree, "dirty" while it changes. */
static int copy_state(struct buildsys *b, const git_oid *tree)
{
	struct strbuf st = STRBUF_INIT;
	char hex[GIT_OID_HEXSZ + 1];
	int ret;

	strbuf_addf(&st, tree ? "clean %s\n" : "dirty\n", tree ? gate_oid_hex(tree, hex) : "");
	ret = write_state(b, "copy", &st);
	strbuf_dispose(&st);
	return ret;
}

static bool copy_holds(struct buildsys *b, git_oid *held)
{
	struct strbuf st = STRBUF_INIT;
	bool ok = read_state(b, "copy", &st) && str_starts_with(st.buf, "clean ") &&
		  !git_oid_fromstrn(held, st.buf + 6, GIT_OID_HEXSZ);

	strbuf_dispose(&st);
	return ok;
}

static int wipe_copy(struct buildsys *b)
{
	struct strbuf path = STRBUF_INIT;

	state_path(b, "compile_commands.json", &path);
	unlink(path.buf);
	strbuf_dispose(&path);
	if (!access(b->build, F_OK) && gate_remove_tree(b->build))
		return -1;
	return gate_mkdirs(b->build);
}

int buildsys_sync(struct buildsys *b, git_repository *git, const git_oid *tree)
{
	struct copy_walk w = { b, 0 };
	git_tree *to = NULL;
	git_oid held;
	bool have = copy_holds(b, &held);
	int ret;

	if (b->kind != BUILDSYS_MAKE || (have && git_oid_equal(&held, tree)))
		return 0;
	if (git_tree_lookup(&to, git, tree))
		return gate_git_error("cannot read the tree to copy");
	ret = copy_state(b, NULL);
	if (!ret && have)
		ret = copy_diff(b, git, &held, to);
	/* Nothing known of the copy: the objects and their commands go with it. */
	if (!ret && !have)
		ret = wipe_copy(b) ? -1 : 1;
	if (ret > 0)
		ret = git_tree_walk(to, GIT_TREEWALK_PRE, copy_entry, &w) ? -1 : 0;
	if (!ret)
		ret = copy_state(b, tree);
	git_tree_free(to);
	return ret;
}

/* ---- object targets ---- */

static const char *under(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	if (!strncmp(path, dir, n) && path[n] == '/')
		return path + n + 1;
	return NULL;
}

/*
 * Where dir is below top ("" for top itself), whatever links or ".." the
 * two spellings hold (CMake writes its own); -1 when it is not.
 */
static int dir_below(const char *dir, const char *top, struct strbuf *rel)
{
	char *d = realpath(dir, NULL), *t = realpath(top, NULL);
	const char *r = d && t ? under(d, t) : NULL;
	int ret = -1;

	strbuf_reset(rel);
	if (d && t && !strcmp(d, t))
		ret = 0;
	else if (r)
		ret = strbuf_addstr(rel, r);
	free(d);
	free(t);
	return ret;
}

int buildsys_target(const struct buildsys *b, const struct ccdb_tu *tu,
		    const char **dir, struct strbuf *target)
{
	struct strbuf sub = STRBUF_INIT, path = STRBUF_INIT;
	const char *rel = NULL;
	int ret = -1;

	strbuf_reset(target);
	*dir = b->ninja ? b->build : tu->dir;
	if (b->kind == BUILDSYS_NONE ||
	    (b->kind != BUILDSYS_MAKE && dir_below(tu->dir, b->build, &sub)))
		goto out;
	if (b->kind == BUILDSYS_CMAKE && !b->ninja) {
		/* The Makefile generator's per-directory target "path/file.c.o". */
		if (!sub.len)
			rel = tu->file;
		else if (str_starts_with(tu->file, sub.buf) && tu->file[sub.len] == '/')
			rel = tu->file + sub.len + 1;
		ret = rel ? strbuf_addf(target, "%s.o", rel) : -1;
	} else if (b->kind == BUILDSYS_MAKE && tu->output) {
		/* bear names objects in full, in the directory it saw. */
		rel = tu->output[0] == '/' ? under(tu->output, tu->dir) : tu->output;
		ret = rel ? strbuf_addstr(target, rel) : -1;
	} else if (tu->output) {
		strbuf_addf(&sub, "%s%s", sub.len ? "/" : "", tu->output);
		ccdb_path_join(&path, "/", sub.buf);
		ret = strbuf_addstr(target, path.buf + 1);
	}
out:
	strbuf_dispose(&sub);
	strbuf_dispose(&path);
	return ret;
}

/* One build-system run for the targets of one directory. */
static int build_targets(struct buildsys *b, const char *dir, const struct strvec *targets)
{
	struct strvec args = STRVEC_INIT;
	int status = 0, ret;

	if (b->ninja)
		strvec_pushv(&args, (const char *[]){ "ninja", "-C", dir, "-k", "0", NULL });
	else
		strvec_pushv(&args, (const char *[]){ "make", "-C", dir, "-k", NULL });
	strvec_pushf(&args, "-j%d", b->o->jobs);
	strvec_pushv(&args, targets->v);
	strbuf_reset(&b->log);
	ret = run(b, &args, dir, NULL, 0, &status);
	strvec_dispose(&args);
	return ret;
}

/*
 * Reads `ninja -t query`: the implicit (|) and order-only (||) inputs of
 * each edge, the generated headers and targets an object needs first.
 */
static void query_inputs(const char *text, struct strvec *inputs)
{
	const char *p = text;
	bool in_inputs = false;

	while (*p) {
		const char *nl = strchrnul(p, '\n');
		struct strbuf line = STRBUF_INIT;

		strbuf_add(&line, p, (size_t)(nl - p));
		if (str_starts_with(line.buf, "  input:"))
			in_inputs = true;
		else if (line.buf[0] != ' ' || str_starts_with(line.buf, "  outputs:"))
			in_inputs = false;
		else if (in_inputs && str_starts_with(line.buf, "    || "))
			unit_add_unique(inputs, line.buf + 7);
		else if (in_inputs && str_starts_with(line.buf, "    | "))
			unit_add_unique(inputs, line.buf + 6);
		strbuf_dispose(&line);
		p = *nl ? nl + 1 : nl;
	}
}

/*
 * ninja: not the objects themselves (the analyzers compile the units)
 * but all that ninja would build before them. Objects it does not know
 * (a unit the database lists alone) need nothing.
 */
static int ninja_inputs(struct buildsys *b, const struct strvec *objs, struct strvec *inputs)
{
	struct strvec args = STRVEC_INIT;
	struct strbuf out = STRBUF_INIT;
	int status = 0, ret;

	strvec_pushv(&args, (const char *[]){ "ninja", "-C", b->build, "-t", "query", NULL });
	strvec_pushv(&args, objs->v);
	ret = run_to(b, &args, b->build, NULL, CONFIGURE_TIMEOUT_S, &status, &out);
	if (!ret)
		query_inputs(out.buf, inputs);
	strvec_dispose(&args);
	strbuf_dispose(&out);
	return ret;
}

int buildsys_objects(struct buildsys *b, struct ccdb_tu *const *units, size_t n)
{
	struct strvec dirs = STRVEC_INIT, targets = STRVEC_INIT, inputs = STRVEC_INIT;
	struct strbuf t = STRBUF_INIT;
	const char *dir;
	int ret = 0;

	for (size_t i = 0; i < n; i++)
		if (!buildsys_target(b, units[i], &dir, &t) && strvec_find(&dirs, dir) < 0)
			strvec_push(&dirs, dir);
	for (size_t d = 0; d < dirs.nr && !ret; d++) {
		strvec_dispose(&targets);
		for (size_t i = 0; i < n; i++)
			if (!buildsys_target(b, units[i], &dir, &t) && !strcmp(dir, dirs.v[d]))
				unit_add_unique(&targets, t.buf);
		if (b->ninja)
			ret = ninja_inputs(b, &targets, &inputs) ||
			      (inputs.nr && build_targets(b, dirs.v[d], &inputs));
		else
			ret = build_targets(b, dirs.v[d], &targets);
	}
	strvec_dispose(&dirs);
	strvec_dispose(&targets);
	strvec_dispose(&inputs);
	strbuf_dispose(&t);
	return ret ? -1 : 0;
}

/* ---- bear's database, merged ---- */

static bool same_entry(json_t *a, json_t *b)
{
	const char *fa = json_string_value(json_object_get(a, "file"));
	const char *fb = json_string_value(json_object_get(b, "file"));
	const char *oa = json_string_value(json_object_get(a, "output"));
	const char *ob = json_string_value(json_object_get(b, "output"));

	return fa && fb && !strcmp(fa, fb) && (oa && ob ? !strcmp(oa, ob) : !oa && !ob);
}

static bool source_exists(json_t *e)
{
	const char *dir = json_string_value(json_object_get(e, "directory"));
	const char *file = json_string_value(json_object_get(e, "file"));
	struct strbuf p = STRBUF_INIT;
	bool ok;

	if (!file)
		return false;
	ccdb_path_join(&p, dir ? dir : "/", file);
	ok = !access(p.buf, F_OK);
	strbuf_dispose(&p);
	return ok;
}

int buildsys_merge_db(const char *db_path, const char *fresh_path)
{
	json_t *old = json_load_file(db_path, 0, NULL);
	json_t *fresh = json_load_file(fresh_path, 0, NULL);
	json_t *e, *f;
	size_t i, j;
	int ret = 0;

	if (!json_is_array(fresh)) {
		json_decref(old);
		json_decref(fresh);
		return gate_error("bear wrote no database to '%s'", fresh_path);
	}
	json_array_foreach(old, i, e) {
		bool newer = !source_exists(e);

		json_array_foreach(fresh, j, f)
			newer = newer || same_entry(e, f);
		if (!newer)
			json_array_append(fresh, e);
	}
	if (json_dump_file(fresh, db_path, JSON_INDENT(1)))
		ret = gate_error("cannot write '%s'", db_path);
	json_decref(old);
	json_decref(fresh);
	return ret;
}
