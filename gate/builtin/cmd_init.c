/* cmd_init.c: the init command: writes a commented .mkt-gate.conf that fits the
 * tree it runs in (a kernel tree or a generic C project); never overwrites one unasked. */
#include "analyzer.h"
#include "builtin.h"
#include "config.h"
#include "error.h"
#include "exit.h"
#include "kbuild.h"
#include "options.h"
#include "repo.h"
#include "setup.h"
#include "strbuf.h"
#include "strvec.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#define CONF_NAME ".mkt-gate.conf"

static const char *const init_usage[] = {
	"mkt-gate init [--force] [--print] [-q]",
	"",
	"Writes .mkt-gate.conf at the top of the repository, commented, for what",
	"the tree is: a kernel tree (kconfig, arch and the kernel analyzers), or",
	"a CMake, meson or compile_commands.json project (the generic analyzers).",
	"Analyzers that are not installed here are left out, and named.",
	"'mkt-gate doctor' then checks the tools and 'mkt-gate range' gates",
	"the commits of the branch that are not upstream yet.",
	NULL,
};

enum init_kind { INIT_KERNEL, INIT_CMAKE, INIT_MESON, INIT_CCDB, INIT_UNKNOWN };

static const char *const kind_names[] = {
	"a kernel tree", "a CMake project", "a meson project",
	"a compile_commands.json project", "a C project without a build description",
};

static const char *const kernel_analyzers[] = { "gcc", "sparse", "checkpatch", "commit-msg", NULL };
static const char *const generic_analyzers[] = { "gcc", "cppcheck", "clang-tidy", NULL };

struct init {
	const char *top;
	enum init_kind kind;
	struct strbuf ccdb;	/* a compile_commands.json found, relative to top */
	struct strvec found;	/* analyzers installed here */
	struct strvec missing;	/* "name (how to install it)" */
	struct strbuf example;	/* the shipped example config of this kind */
	struct strbuf text;
};

static bool exists(const char *top, const char *rel)
{
	struct strbuf p = STRBUF_INIT;
	bool ok = !strbuf_addf(&p, "%s/%s", top, rel) && !access(p.buf, F_OK);

	strbuf_dispose(&p);
	return ok;
}

static int only_dirs(const struct dirent *e)
{
	return e->d_name[0] != '.' && (e->d_type == DT_DIR || e->d_type == DT_UNKNOWN);
}

/* The first compile_commands.json at the top, in build/, or in another top-level directory. */
static int find_ccdb(struct init *in)
{
	struct dirent **dirs = NULL;
	int n, ret = 0;

	if (exists(in->top, "compile_commands.json"))
		return strbuf_addstr(&in->ccdb, "compile_commands.json");
	if (exists(in->top, "build/compile_commands.json"))
		return strbuf_addstr(&in->ccdb, "build/compile_commands.json");
	n = scandir(in->top, &dirs, only_dirs, alphasort);
	for (int i = 0; i < n; i++) {
		if (!in->ccdb.len && !ret) {
			ret = strbuf_addf(&in->ccdb, "%s/compile_commands.json", dirs[i]->d_name);
			if (!ret && !exists(in->top, in->ccdb.buf))
				strbuf_reset(&in->ccdb);
		}
		free(dirs[i]);
	}
	free(dirs);
	return ret;
}

static int detect(struct init *in)
{
	in->kind = INIT_KERNEL;
	if (kbuild_detect(in->top))
		return 0;
	if (find_ccdb(in))
		return -1;
	if (exists(in->top, "CMakeLists.txt"))
		in->kind = INIT_CMAKE;
	else if (exists(in->top, "meson.build"))
		in->kind = INIT_MESON;
	else
		in->kind = in->ccdb.len ? INIT_CCDB : INIT_UNKNOWN;
	return 0;
}

/* Built in, a script of the kernel tree, or a command that answers --version. */
static bool installed(const struct init *in, const struct an_desc *d)
{
	struct an_probe p;

	if (!d->default_command)
		return true;
	if (d->kind == AN_KIND_PATCH)
		return in->kind == INIT_KERNEL && exists(in->top, d->default_command);
	return !an_probe(d, d->default_command, &p) && p.found;
}

static int probe_analyzers(struct init *in)
{
	const char *const *names = in->kind == INIT_KERNEL ? kernel_analyzers : generic_analyzers;

	for (; *names; names++) {
		const struct an_desc *d = an_find(*names);

		if (!d)
			GATE_BUG("init names an analyzer the registry does not know");
		if (installed(in, d) ? strvec_push(&in->found, d->name) :
		    strvec_pushf(&in->missing, "%s (%s)", d->name, d->install_hint))
			return gate_error("out of memory");
	}
	gate_error_clear();
	return 0;
}

/* The kernel's name for the host's architecture, or NULL. */
static const char *kernel_arch(void)
{
	static const char *const map[][2] = {
		{ "x86_64", "x86_64" }, { "i686", "i386" }, { "aarch64", "arm64" },
		{ "armv7l", "arm" }, { "ppc64le", "powerpc" }, { "ppc64", "powerpc" },
		{ "riscv64", "riscv" }, { "s390x", "s390" }, { "loongarch64", "loongarch" },
	};
	struct utsname u;

	if (uname(&u))
		return NULL;
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(u.machine, map[i][0]))
			return map[i][1];
	return NULL;
}

/* Each add_*() returns nonzero when an append failed (out of memory). */
static int add_header(struct init *in)
{
	struct strbuf *t = &in->text;
	int ret = 0;

	ret |= strbuf_addf(t, "# .mkt-gate.conf: how mkt-gate gates the commits of this tree (%s).\n"
			   "# Written by 'mkt-gate init'; every key is shown in\n# %s.\n",
			   kind_names[in->kind], in->example.buf);
	ret |= strbuf_addstr(t, "# Layers, lowest first: built-in defaults, ~/.config/mkt-gate/config,\n"
			     "# this file, --config FILE, the command line. Relative paths start\n"
			     "# from this file's directory. A comment takes a whole line.\n\n"
			     "[defaults]\n# Run on every commit, in this order.\n");
	for (size_t i = 0; i < in->missing.nr; i++)
		ret |= strbuf_addf(t, "# Not installed here, so left out: %s.\n", in->missing.v[i]);
	ret |= strbuf_addstr(t, "analyzers =");
	for (size_t i = 0; i < in->found.nr; i++)
		ret |= strbuf_addf(t, " %s", in->found.v[i]);
	ret |= strbuf_addstr(t, "\n# Fail the gate on new findings at or above: error, warning or info.\n"
			     "fail_on = warning\n"
			     "# Where jobs run: host, bwrap (isolated, needs no image), podman,\n"
			     "# docker, or auto (bwrap where installed, else the host).\n"
			     "engine = auto\n");
	return ret;
}

static int add_kernel(struct init *in)
{
	const char *arch = kernel_arch();
	struct strbuf *t = &in->text;
	int ret = 0;

	ret |= strbuf_addstr(t, "# The configuration every commit is built with: a make target\n"
			     "# (tinyconfig is the quickest, defconfig the usual, allmodconfig the\n"
			     "# widest) or a config file; fragments are merged on top, in order.\n"
			     "kconfig = defconfig\n"
			     "# kconfig_fragments = kernel/configs/debug.config\n");
	ret |= strbuf_addf(t, "%sarch = %s\n", arch ? "" : "# ", arch ? arch : "x86_64");
	ret |= strbuf_addstr(t, "# cross_compile = aarch64-linux-gnu-\n"
			     "# The out-of-tree build (O=) and scratch trees: ~/.cache/mkt-gate.\n"
			     "# build_dir = ../build-gate\n\n"
			     "[analyzer.gcc]\n"
			     "# Appended last through KCFLAGS; unset, the kernel is built with W=1.\n"
			     "# extra_flags = -Wno-unused-parameter\n\n"
			     "[analyzer.checkpatch]\n"
			     "# checkpatch types to drop, and RULE:LEVEL pairs that re-level one.\n"
			     "# ignore = FILE_PATH_CHANGES SPDX_LICENSE_TAG\n"
			     "# severity = CHECK:info\n");
	return ret;
}

static int add_generic(struct init *in)
{
	struct strbuf *t = &in->text;
	int ret = 0;

	if (in->kind == INIT_CMAKE)
		ret |= strbuf_addstr(t, "# Each commit's own CMakeLists.txt is configured in a scratch\n"
				     "# build directory: no compile_commands to set.\n");
	else if (in->ccdb.len)
		ret |= strbuf_addf(t, "# The compilation database that maps files to their commands.\n"
				   "compile_commands = %s\n", in->ccdb.buf);
	else
		ret |= strbuf_addstr(t, "# No compilation database found: make one (meson setup build,\n"
				     "# or bear -- make) and name it here.\n"
				     "# compile_commands = build/compile_commands.json\n");
	ret |= strbuf_addstr(t, "# Also available: clang, checkpatch (with [analyzer.checkpatch]\n"
			     "# path and options = --no-tree) and commit-msg (Signed-off-by and\n"
			     "# the subject line).\n\n"
			     "[analyzer.gcc]\n"
			     "# Appended last, so they win over the project's own flags;\n"
			     "# unset: -Wall -Wextra.\n"
			     "# extra_flags = -Wall -Wextra -Wshadow\n");
	return ret;
}

/* The shipped example of every key, for the header: installed, or in the sources. */
static void find_example(struct init *in, const char *self)
{
	const char *example = in->kind == INIT_KERNEL ? "configs/example-kernel.conf" :
							"configs/example-cmake.conf";
	char *real;

	if (config_data_path(self, example, &in->example)) {
		strbuf_reset(&in->example);
		strbuf_addf(&in->example, "%s/%s", MKT_GATE_DATADIR, example);
	}
	gate_error_clear();
	real = realpath(in->example.buf, NULL);
	if (real) {
		strbuf_reset(&in->example);
		strbuf_addstr(&in->example, real);
		free(real);
	}
}

static int compose(struct init *in, const char *self)
{
	find_example(in, self);
	if (add_header(in) || (in->kind == INIT_KERNEL ? add_kernel(in) : add_generic(in)))
		return gate_error("out of memory");
	return 0;
}

/* What we write must load: check it with the layers it joins, before writing. */
static int check(const struct init *in, const char *path)
{
	struct config *cfg = NULL;
	int ret = config_new(&cfg) || config_load_layers(cfg, NULL, NULL) ||
		  config_load_string(cfg, path, in->text.buf) ? -1 : 0;

	config_free(cfg);
	return ret;
}

static int write_conf(const struct init *in, const char *path, bool force)
{
	struct stat st;

	if (!force && !lstat(path, &st)) {
		gate_error("'%s' already exists", path);
		gate_error_hint("edit it, or give --force to write a new one over it");
		return -1;
	}
	return strbuf_write_file(&in->text, path);
}

static void init_dispose(struct init *in)
{
	strbuf_dispose(&in->ccdb);
	strvec_dispose(&in->found);
	strvec_dispose(&in->missing);
	strbuf_dispose(&in->example);
	strbuf_dispose(&in->text);
}

static int run(struct init *in, const struct gate_ctx *ctx, bool force, bool print)
{
	struct strbuf path = STRBUF_INIT;
	int ret = -1;

	if (strbuf_addf(&path, "%s/%s", in->top, CONF_NAME) || detect(in) ||
	    probe_analyzers(in) || compose(in, ctx->self) || check(in, path.buf))
		goto out;
	if (print) {
		fputs(in->text.buf, stdout);
		ret = 0;
		goto out;
	}
	if (write_conf(in, path.buf, force))
		goto out;
	if (!ctx->quiet)
		printf("wrote %s for %s\nnext: 'mkt-gate doctor' checks the tools, "
		       "'mkt-gate range' gates the commits not upstream yet\n",
		       path.buf, kind_names[in->kind]);
	if (in->kind == INIT_UNKNOWN || (in->kind == INIT_MESON && !in->ccdb.len))
		fprintf(stderr, "warning: no compile_commands.json found: set compile_commands "
			"in %s before gating\n", CONF_NAME);
	ret = 0;
out:
	strbuf_dispose(&path);
	return ret;
}

int cmd_init(int argc, const char **argv, struct gate_ctx *ctx)
{
	int force = 0, print = 0, ret;
	const struct option opts[] = {
		OPT_BOOL(0, "force", &force, "write over an existing .mkt-gate.conf"),
		OPT_BOOL(0, "print", &print, "print the config instead of writing it"),
		OPT_BOOL('q', "quiet", &ctx->quiet, "say nothing but errors"),
		OPT_END(),
	};
	struct init in = { .ccdb = STRBUF_INIT, .found = STRVEC_INIT, .missing = STRVEC_INIT,
			   .example = STRBUF_INIT, .text = STRBUF_INIT };
	struct gate_repo repo = { 0 };
	int n = setup_parse(argc, argv, opts, 0, ctx);

	if (n < 0)
		return opt_exit(n, init_usage, opts);
	if (n > 0) {
		gate_error("unexpected argument '%s'", argv[0]);
		return opt_exit(OPT_ERROR, init_usage, opts);
	}
	if (!gate_repo_open(&repo, ".") && !repo.top)
		gate_error("a bare repository has no tree to gate");
	if (!repo.top) {
		if (!*gate_error_last_hint())
			gate_error_hint("run it in the work tree of a git repository");
		gate_error_print("error");
		gate_repo_close(&repo);
		return GATE_EXIT_USAGE;
	}
	in.top = repo.top;
	ret = run(&in, ctx, force, print) ? GATE_EXIT_USAGE : GATE_EXIT_OK;
	if (ret)
		gate_error_print("error");
	init_dispose(&in);
	gate_repo_close(&repo);
	return ret;
}
