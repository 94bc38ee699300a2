/* test_kbuild.c: unit tests of kbuild.c on the small fake tree in tests/data/kbuild.
 * The .cmd files there are trimmed copies of a real 6.1 O= build. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kbuild.h"
#include "error.h"

#define SRC TEST_DATA_DIR "/kbuild/src"
#define BUILD TEST_DATA_DIR "/kbuild/build"

static int setup_db(void **state)
{
	struct kbuild_db *db;

	if (kbuild_db_load(&db, SRC, BUILD))
		return -1;
	*state = db;
	return 0;
}

static int teardown_db(void **state)
{
	kbuild_db_free(*state);
	return 0;
}

/* Joins a strvec with spaces, for one readable assertion per list. */
static const char *joined(const struct strvec *sv)
{
	static char buf[1024];
	size_t i;

	buf[0] = '\0';
	for (i = 0; i < sv->nr; i++) {
		if (i)
			strcat(buf, " ");
		strcat(buf, sv->v[i]);
	}
	return buf;
}

static void assert_dependents(struct kbuild_db *db, const char *path,
			      const char *expect)
{
	struct strvec objs = STRVEC_INIT;

	assert_int_equal(kbuild_db_dependents(db, path, &objs), 0);
	assert_string_equal(joined(&objs), expect);
	strvec_dispose(&objs);
}

static void test_kbuild_detect(void **state)
{
	assert_true(kbuild_detect(SRC));
	assert_false(kbuild_detect(BUILD));
	assert_false(kbuild_detect(SRC "/kernel"));
	assert_false(kbuild_detect("/nonexistent"));
}

static void test_kbuild_db_objects(void **state)
{
	struct kbuild_db *db = *state;

	assert_int_equal(kbuild_db_count(db), 3);
	assert_true(kbuild_db_builds(db, "kernel/fork.o"));
	assert_true(kbuild_db_builds(db, "drivers/foo/foo_main.o"));
	/* linked composites, modpost objects and tools/ are not compiled objects */
	assert_false(kbuild_db_builds(db, "drivers/foo/foo.o"));
	assert_false(kbuild_db_builds(db, "drivers/foo/foo.mod.o"));
	assert_false(kbuild_db_builds(db, "tools/objtool/check.o"));
	assert_false(kbuild_db_builds(db, "kernel/built-in.a"));
	assert_string_equal(kbuild_db_source(db, "kernel/fork.o"), "kernel/fork.c");
	assert_null(kbuild_db_source(db, "kernel/nothing.o"));
}

static void test_kbuild_db_dependents(void **state)
{
	struct kbuild_db *db = *state;

	assert_dependents(db, "include/linux/sched.h",
			  "drivers/foo/foo_main.o kernel/exit.o kernel/fork.o");
	assert_dependents(db, "include/linux/fork_only.h", "kernel/fork.o");
	assert_dependents(db, "kernel/fork.c", "kernel/fork.o");
	assert_dependents(db, "CONFIG_FOO_DEBUG", "drivers/foo/foo_main.o");
	/* build-dir and system headers are not source files */
	assert_dependents(db, "include/generated/autoconf.h", "");
	assert_dependents(db, "include/linux/unused.h", "");
}

/*
 * One changed file and what it must touch. With rules set, the file is a
 * Makefile whose old and new contents are known (kbuild_touch_rules()).
 */
struct touch_case {
	const char *path;
	int status;
	size_t max;
	const char *objs;
	const char *left_out;
	const char *reason;	/* a part of the reason line */
	unsigned int flags;
	bool rules;
	const char *old_text, *new_text;
};

#define CONFIG_CHANGED 1
#define ALL_OBJECTS 2

#define KERNEL_MK "obj-y     = fork.o exit.o\nobj-$(CONFIG_GATE_NEW) += newthing.o\n"
#define FOO_MK "obj-$(CONFIG_FOO) += foo.o\nfoo-y := foo_main.o \\\n\t foo_extra.o\n"

static const struct touch_case touch_cases[] = {
	{ .path = "kernel/fork.c", .status = 'M', .objs = "kernel/fork.o",
	  .reason = "kernel/fork.c: 1 object" },
	{ .path = "kernel/fork.c", .status = 'D', .objs = "", .reason = "removed" },
	{ .path = "include/linux/sched.h", .status = 'M', .max = 1,
	  .objs = "drivers/foo/foo_main.o", .left_out = "kernel/exit.o kernel/fork.o",
	  .reason = "include/linux/sched.h: 3 objects" },
	{ .path = "kernel/Makefile", .status = 'M', .objs = "kernel/exit.o kernel/fork.o",
	  .reason = "build rules of kernel/, 2 objects" },
	{ .path = "Makefile", .status = 'M', .flags = ALL_OBJECTS,
	  .objs = "drivers/foo/foo_main.o kernel/exit.o kernel/fork.o",
	  .reason = "every object" },
	{ .path = "kernel/Kconfig", .status = 'M', .objs = "", .reason = "olddefconfig",
	  .flags = CONFIG_CHANGED },
	{ .path = "kernel/newthing.c", .status = 'A', .objs = "kernel/newthing.o",
	  .reason = "builds kernel/newthing.o" },
	{ .path = "kernel/offthing.c", .status = 'A', .objs = "", .reason = "not wired in" },
	/* a part of a composite module that is built (CONFIG_FOO=m) */
	{ .path = "drivers/foo/foo_extra.c", .status = 'A', .objs = "drivers/foo/foo_extra.o",
	  .reason = "new file" },
	{ .path = "drivers/foo/foo_debug.c", .status = 'R', .objs = "", .reason = "not wired in" },
	{ .path = "drivers/bar/bar.c", .status = 'A', .objs = "", .reason = "no Makefile" },
	{ .path = "Documentation/process/howto.rst", .status = 'M', .objs = "",
	  .reason = "Documentation/process/howto.rst: documentation, not built" },
	{ .path = "tools/objtool/check.c", .status = 'M', .objs = "",
	  .reason = "not built by kbuild" },
	{ .path = "lib/unbuilt.c", .status = 'M', .objs = "",
	  .reason = "lib/unbuilt.c: not built by this config" },

	/* wiring in a new object touches that object alone */
	{ .path = "kernel/Makefile", .rules = true, .old_text = KERNEL_MK,
	  .new_text = KERNEL_MK "obj-$(CONFIG_GATE_NEW) += newer.o # x\n",
	  .objs = "kernel/newer.o", .reason = "object lists changed, 1 object" },
	{ .path = "kernel/Makefile", .rules = true, .old_text = KERNEL_MK,
	  .new_text = KERNEL_MK "obj-$(CONFIG_GATE_OFF) += off.o\n",
	  .objs = "", .reason = "object lists changed, 0 objects" },
	{ .path = "kernel/Makefile", .rules = true, .old_text = KERNEL_MK,
	  .new_text = "obj-y = fork.o\nobj-y += exit.o\n", .objs = "", .reason = "0 objects" },
	{ .path = "kernel/Makefile", .rules = true, .old_text = KERNEL_MK,
	  .new_text = "obj-y = fork.o\nobj-m += exit.o\n", .objs = "kernel/exit.o",
	  .reason = "1 object" },
	/* flags change how every object of the directory is built */
	{ .path = "kernel/Makefile", .rules = true, .old_text = KERNEL_MK,
	  .new_text = KERNEL_MK "ccflags-y += -DDEBUG\n", .objs = "kernel/exit.o kernel/fork.o",
	  .reason = "build rules of kernel/, 2 objects" },
	{ .path = "drivers/foo/Makefile", .rules = true, .old_text = FOO_MK,
	  .new_text = FOO_MK "foo-y += foo_new.o\n", .objs = "drivers/foo/foo_new.o",
	  .reason = "1 object" },
	{ .path = "drivers/foo/Makefile", .rules = true, .old_text = "", .new_text = FOO_MK,
	  .objs = "drivers/foo/foo_extra.o drivers/foo/foo_main.o", .reason = "2 objects" },
	{ .path = "Makefile", .rules = true, .old_text = "", .new_text = "", .flags = ALL_OBJECTS,
	  .objs = "drivers/foo/foo_main.o kernel/exit.o kernel/fork.o", .reason = "every object" },
	{ .path = "kernel/fork.c", .rules = true, .old_text = "", .new_text = "",
	  .objs = "kernel/fork.o", .reason = "1 object" },
};

static void test_kbuild_touched_one_file(void **state)
{
	const struct touch_case *c;
	struct kbuild_touch t;
	size_t i;
	int ret;

	for (i = 0; i < sizeof(touch_cases) / sizeof(*touch_cases); i++) {
		c = &touch_cases[i];
		kbuild_touch_init(&t);
		if (c->rules)
			ret = kbuild_touch_rules(&t, *state, c->path, c->old_text,
						   c->new_text);
		else
			ret = kbuild_touch_path(&t, *state, NULL, c->path, c->status);
		assert_int_equal(ret, 0);
		assert_int_equal(kbuild_touch_finish(&t, c->max), 0);
		if (t.reasons.nr != 1 || !strstr(t.reasons.v[0], c->reason))
			print_error("case %zu: '%s'\n", i, joined(&t.reasons));
		assert_string_equal(joined(&t.objs), c->objs);
		assert_string_equal(joined(&t.left_out), c->left_out ? c->left_out : "");
		assert_int_equal(t.reasons.nr, 1);
		assert_non_null(strstr(t.reasons.v[0], c->reason));
		assert_int_equal(t.config_changed, !!(c->flags & CONFIG_CHANGED));
		assert_int_equal(t.all_objects, !!(c->flags & ALL_OBJECTS));
		kbuild_touch_dispose(&t);
	}
}

static void test_kbuild_touched_commit(void **state)
{
	struct kbuild_touch t;

	kbuild_touch_init(&t);
	assert_int_equal(kbuild_touch_path(&t, *state, SRC, "kernel/exit.c", 'M'), 0);
	assert_int_equal(kbuild_touch_path(&t, *state, SRC, "include/linux/sched.h", 'M'), 0);
	assert_int_equal(kbuild_touch_path(&t, *state, SRC, "kernel/newthing.c", 'A'), 0);
	assert_int_equal(kbuild_touch_finish(&t, 0), 0);
	assert_string_equal(joined(&t.objs),
			    "drivers/foo/foo_main.o kernel/exit.o kernel/fork.o kernel/newthing.o");
	assert_int_equal(t.reasons.nr, 3);
	assert_int_equal(t.left_out.nr, 0);
	kbuild_touch_dispose(&t);
}

static void test_kbuild_config_diff(void **state)
{
	struct strvec syms = STRVEC_INIT;

	assert_int_equal(kbuild_config_diff(&syms, BUILD "/.config",
					    TEST_DATA_DIR "/kbuild/new.config"), 0);
	assert_string_equal(joined(&syms), "CONFIG_FOO CONFIG_GATE_OFF CONFIG_PRINTK CONFIG_SMP");
	strvec_dispose(&syms);
	assert_int_equal(kbuild_config_diff(&syms, BUILD "/none", BUILD "/.config"), -1);
	strvec_dispose(&syms);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_kbuild_db_update(void **state)
{
	char dir[] = "/tmp/test_kbuild.XXXXXX", path[256];
	struct strvec objs = STRVEC_INIT;
	struct kbuild_db *db;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/.a.o.cmd", dir);
	write_file(path, "source_a.o := " SRC "/kernel/exit.c\n\n"
		   "deps_a.o := \\\n  " SRC "/include/linux/sched.h \\\n\n");
	assert_int_equal(kbuild_db_load(&db, SRC, dir), 0);
	assert_dependents(db, "include/linux/sched.h", "a.o");

	write_file(path, "source_a.o := " SRC "/kernel/exit.c\n\n"
		   "deps_a.o := \\\n  " SRC "/include/linux/fork_only.h \\\n\n");
	strvec_push(&objs, "a.o");
	assert_int_equal(kbuild_db_update(db, &objs), 0);
	assert_dependents(db, "include/linux/sched.h", "");
	assert_dependents(db, "include/linux/fork_only.h", "a.o");

	unlink(path);
	assert_int_equal(kbuild_db_update(db, &objs), 0);
	assert_int_equal(kbuild_db_count(db), 0);
	assert_false(kbuild_db_builds(db, "a.o"));
	kbuild_db_free(db);
	strvec_dispose(&objs);
	rmdir(dir);

	assert_int_equal(kbuild_db_load(&db, SRC, "/nonexistent"), -1);
	assert_null(db);
	assert_non_null(strstr(gate_error_last(), "/nonexistent"));
}

static void test_kbuild_make_args(void **state)
{
	struct strvec objs = STRVEC_INIT, argv = STRVEC_INIT;
	struct kbuild_make_opts o;

	strvec_push(&objs, "kernel/fork.o");
	kbuild_make_opts_init(&o, an_find("gcc"));
	o.src_dir = "/s";
	o.build_dir = "/b";
	o.jobs = 2;
	o.kcflags = "-Wno-foo";
	assert_int_equal(kbuild_make_args(&argv, &o, &objs), 0);
	assert_string_equal(joined(&argv),
			    "make --directory=/s O=/b W=1 KCFLAGS=-Wno-foo -j2 -k kernel/fork.o");
	strvec_dispose(&argv);

	kbuild_make_opts_init(&o, an_find("clang"));
	o.build_dir = "/b-llvm";
	o.arch = "x86_64";
	o.silent = true;
	assert_int_equal(kbuild_make_args(&argv, &o, NULL), 0);
	assert_string_equal(joined(&argv), "make O=/b-llvm ARCH=x86_64 LLVM=1 W=1 -j1 -k -s");
	strvec_dispose(&argv);

	kbuild_make_opts_init(&o, an_find("smatch"));
	o.cf = "-Wsparse-all";
	assert_int_equal(kbuild_make_args(&argv, &o, &objs), 0);
	assert_string_equal(argv.v[2], "CHECK=smatch -p=kernel");
	assert_string_equal(joined(&argv),
			    "make C=2 CHECK=smatch -p=kernel CF=-Wsparse-all -j1 -k kernel/fork.o");
	strvec_dispose(&argv);

	/* Through ccache: gcc keeps the cross prefix, LLVM=1 clang needs none. */
	kbuild_make_opts_init(&o, an_find("gcc"));
	o.launcher = "ccache";
	o.cross_compile = "aarch64-linux-gnu-";
	assert_int_equal(kbuild_make_args(&argv, &o, NULL), 0);
	assert_string_equal(joined(&argv), "make CROSS_COMPILE=aarch64-linux-gnu- W=1 "
			    "CC=ccache aarch64-linux-gnu-gcc -j1 -k");
	strvec_dispose(&argv);
	o.llvm = true;
	assert_int_equal(kbuild_make_args(&argv, &o, NULL), 0);
	assert_string_equal(joined(&argv), "make CROSS_COMPILE=aarch64-linux-gnu- LLVM=1 W=1 "
			    "CC=ccache clang -j1 -k");
	strvec_dispose(&argv);
	strvec_dispose(&objs);
}

static void test_kbuild_make_prepare(void **state)
{
	char dir[] = "/tmp/test_kbuild.XXXXXX", path[256];
	struct strvec objs = STRVEC_INIT;
	struct kbuild_make_opts o;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/fork.o", dir);
	write_file(path, "");
	strvec_push(&objs, "fork.o");
	strvec_push(&objs, "never-built.o");

	kbuild_make_opts_init(&o, an_find("sparse"));
	o.build_dir = dir;
	assert_int_equal(kbuild_make_prepare(&o, &objs), 0);
	assert_int_equal(access(path, F_OK), 0);	/* C=2 re-checks anyway */

	kbuild_make_opts_init(&o, an_find("gcc"));
	o.build_dir = dir;
	assert_int_equal(kbuild_make_prepare(&o, &objs), 0);
	assert_int_equal(access(path, F_OK), -1);
	strvec_dispose(&objs);
	rmdir(dir);
}

static void test_kbuild_config_copies_file(void **state)
{
	char dir[] = "/tmp/test_kbuild.XXXXXX", path[256];
	struct kbuild_make_opts o;
	struct strbuf log = STRBUF_INIT;

	assert_non_null(mkdtemp(dir));
	kbuild_make_opts_init(&o, NULL);
	o.make = "true";
	o.build_dir = dir;
	assert_int_equal(kbuild_config(&o, BUILD "/.config", NULL, &log), 0);
	snprintf(path, sizeof(path), "%s/.config", dir);
	assert_int_equal(access(path, F_OK), 0);
	unlink(path);

	o.make = "false";
	assert_int_equal(kbuild_config(&o, "tinyconfig", NULL, &log), -1);
	assert_non_null(strstr(gate_error_last(), "tinyconfig"));
	strbuf_dispose(&log);
	rmdir(dir);
}

/*
 * A build made while the tree was reached through a symlink names every
 * file by that spelling: the db still maps them to the tree it is given
 * (canonically), or every object of the build would be "not built".
 */
static void test_kbuild_db_tree_spelt_through_symlink(void **state)
{
	char top[] = "/tmp/test_kbuild.XXXXXX", cmd[1024], src[128];
	struct kbuild_db *db;
	FILE *f;

	assert_non_null(mkdtemp(top));
	snprintf(cmd, sizeof(cmd), "mkdir -p %s/real/src/kernel %s/real/src/include/linux "
		 "%s/build/kernel && ln -s real %s/link && touch %s/real/src/kernel/a.c "
		 "%s/real/src/include/linux/x.h", top, top, top, top, top, top);
	assert_int_equal(system(cmd), 0);
	snprintf(cmd, sizeof(cmd), "%s/build/kernel/.a.o.cmd", top);
	f = fopen(cmd, "w");
	assert_non_null(f);
	fprintf(f, "cmd_kernel/a.o := gcc -c -o kernel/a.o %s/link/src/kernel/a.c\n\n"
		"source_kernel/a.o := %s/link/src/kernel/a.c\n\n"
		"deps_kernel/a.o := \\\n  %s/link/src/include/linux/x.h \\\n"
		"  /usr/include/stdio.h \\\n\n", top, top, top);
	fclose(f);
	snprintf(src, sizeof(src), "%s/real/src", top);
	snprintf(cmd, sizeof(cmd), "%s/build", top);
	assert_int_equal(kbuild_db_load(&db, src, cmd), 0);
	assert_true(kbuild_db_builds(db, "kernel/a.o"));
	assert_string_equal(kbuild_db_source(db, "kernel/a.o"), "kernel/a.c");
	assert_dependents(db, "kernel/a.c", "kernel/a.o");
	assert_dependents(db, "include/linux/x.h", "kernel/a.o");
	kbuild_db_free(db);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", top);
	assert_int_equal(system(cmd), 0);
}

/* A failed make says why in its errors, else in its last lines. */
static void test_kbuild_make_errors(void **state)
{
	static const char failed[] =
		"  CC      kernel/fork.o\n"
		"kernel/power/hibernate.c:279:12: error: no previous prototype [-Werror]\n"
		"cc1: all warnings being treated as errors\n"
		"make[4]: *** [scripts/Makefile.build:255: kernel/power/hibernate.o] Error 1\n"
		"  CC      kernel/exit.o\n";
	struct strbuf log = STRBUF_INIT, out = STRBUF_INIT;

	strbuf_addstr(&log, failed);
	kbuild_make_errors(&log, 12, &out);
	assert_string_equal(out.buf,
			    "\n    kernel/power/hibernate.c:279:12: error: no previous prototype [-Werror]"
			    "\n    make[4]: *** [scripts/Makefile.build:255: kernel/power/hibernate.o] Error 1");
	strbuf_reset(&out);
	kbuild_make_errors(&log, 1, &out);
	assert_null(strstr(out.buf, "make[4]"));
	strbuf_reset(&log);
	strbuf_reset(&out);
	strbuf_addstr(&log, "one\ntwo\nthree\nKilled\n\n");
	kbuild_make_errors(&log, 2, &out);
	assert_string_equal(out.buf, "\n    three\n    Killed");
	strbuf_reset(&log);
	strbuf_reset(&out);
	strbuf_addstr(&log, "only");
	kbuild_make_errors(&log, 5, &out);
	assert_string_equal(out.buf, "\n    only");
	strbuf_reset(&log);
	strbuf_reset(&out);
	kbuild_make_errors(&log, 5, &out);
	assert_string_equal(out.buf, "");
	strbuf_dispose(&log);
	strbuf_dispose(&out);
}

/* CONFIG_WERROR=y is told from =n, "is not set" and a longer name. */
static void test_kbuild_config_enabled(void **state)
{
	char path[] = "/tmp/test_kbuild_cfg.XXXXXX";
	int fd = mkstemp(path);
	static const char cfg[] = "CONFIG_WERROR_EXTRA=y\n# CONFIG_FOO is not set\n"
				  "CONFIG_BAR=m\nCONFIG_64BIT=y\n";

	assert_true(fd >= 0);
	assert_int_equal(write(fd, cfg, sizeof(cfg) - 1), (ssize_t)sizeof(cfg) - 1);
	close(fd);
	assert_false(kbuild_config_enabled(path, "CONFIG_WERROR"));
	assert_false(kbuild_config_enabled(path, "CONFIG_FOO"));
	assert_false(kbuild_config_enabled(path, "CONFIG_BAR"));
	assert_true(kbuild_config_enabled(path, "CONFIG_64BIT"));
	assert_false(kbuild_config_enabled("/nonexistent/.config", "CONFIG_64BIT"));
	unlink(path);
}

/* Everything a test asks of the fake tree's db, in one string. */
static void db_facts(struct kbuild_db *db, char *out, size_t n)
{
	static const char *const paths[] = { "include/linux/sched.h", "kernel/fork.c",
					     "CONFIG_FOO_DEBUG", "include/linux/fork_only.h" };
	struct strvec objs = STRVEC_INIT;

	snprintf(out, n, "%zu %s;", kbuild_db_count(db),
		 kbuild_db_source(db, "kernel/fork.o") ? kbuild_db_source(db, "kernel/fork.o") : "-");
	for (size_t i = 0; i < sizeof(paths) / sizeof(*paths); i++) {
		strvec_dispose(&objs);
		assert_int_equal(kbuild_db_dependents(db, paths[i], &objs), 0);
		snprintf(out + strlen(out), n - strlen(out), "%s;", joined(&objs));
	}
	strvec_dispose(&objs);
}

/* Runs the shell command fmt (with dir) and loads the db: its facts, saved if save. */
static void load_after(const char *src, const char *build, const char *fmt, bool save,
		       char *facts, size_t n)
{
	struct kbuild_db *db;

	if (fmt) {
		char cmd[1024];

		snprintf(cmd, sizeof(cmd), fmt, build);
		assert_int_equal(system(cmd), 0);
	}
	assert_int_equal(kbuild_db_load(&db, src, build), 0);
	db_facts(db, facts, n);
	if (save)
		assert_int_equal(kbuild_db_save(db), 0);
	kbuild_db_free(db);
}

/*
 * A load takes the saved parse of unchanged .cmd files and parses the
 * others: the same db as a parse of them all, also after a .cmd file
 * changed or went away. A damaged save is ignored, not trusted.
 */
static void test_kbuild_db_saved_parse(void **state)
{
	char top[] = "/tmp/test_kbuild_snap.XXXXXX", cmd[1024], src[64], build[64];
	char parsed[2048], restored[2048];

	assert_non_null(mkdtemp(top));
	snprintf(cmd, sizeof(cmd), "cp -r %s/kbuild/. %s/", TEST_DATA_DIR, top);
	assert_int_equal(system(cmd), 0);
	snprintf(src, sizeof(src), "%s/src", top);
	snprintf(build, sizeof(build), "%s/build", top);
	load_after(src, build, NULL, true, parsed, sizeof(parsed));
	/* an unchanged file is served from it: one zeroed in place, size and time kept, is not read */
	load_after(src, build, "cd %s/kernel && cp -p .fork.o.cmd ref && "
		   "dd if=/dev/zero of=.fork.o.cmd bs=1 count=200 conv=notrunc 2>/dev/null && "
		   "touch -r ref .fork.o.cmd", false, restored, sizeof(restored));
	assert_string_equal(restored, parsed);
	/* a changed .cmd file is parsed again, a removed one is gone */
	load_after(src, build, "cd %s/kernel && grep -v fork_only.h ref > .fork.o.cmd && "
		   "rm ref .exit.o.cmd", true, restored, sizeof(restored));
	assert_string_equal(restored, "2 kernel/fork.c;drivers/foo/foo_main.o kernel/fork.o;"
			    "kernel/fork.o;drivers/foo/foo_main.o;;");
	/* the next load from what that one saved, and from a truncated save */
	load_after(src, build, NULL, false, parsed, sizeof(parsed));
	assert_string_equal(parsed, restored);
	load_after(src, build, "truncate -s -3 %s/.mkt-gate-db", false, parsed, sizeof(parsed));
	assert_string_equal(parsed, restored);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", top);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kbuild_detect),
		cmocka_unit_test(test_kbuild_db_objects),
		cmocka_unit_test(test_kbuild_db_dependents),
		cmocka_unit_test(test_kbuild_touched_one_file),
		cmocka_unit_test(test_kbuild_touched_commit),
		cmocka_unit_test(test_kbuild_config_diff),
		cmocka_unit_test(test_kbuild_db_update),
		cmocka_unit_test(test_kbuild_make_args),
		cmocka_unit_test(test_kbuild_make_prepare),
		cmocka_unit_test(test_kbuild_config_copies_file),
		cmocka_unit_test(test_kbuild_db_tree_spelt_through_symlink),
		cmocka_unit_test(test_kbuild_make_errors),
		cmocka_unit_test(test_kbuild_config_enabled),
		cmocka_unit_test(test_kbuild_db_saved_parse),
	};

	return cmocka_run_group_tests(tests, setup_db, teardown_db);
}
