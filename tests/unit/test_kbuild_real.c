/* test_kbuild_real.c: kbuild.c on the real Linux 6.1 baseline of tests/integration/lib/kernel.sh.
 * Skips unless MKT_GATE_KERNEL_SRC and MKT_GATE_KERNEL_BUILD name a built tree (t300 sets them). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "kbuild.h"
#include "error.h"
#include "proc.h"

struct real {
	const char *src;
	const char *build;
	struct kbuild_db *db;
	double load_s;
};

static struct real real;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int setup_real(void **state)
{
	double t0 = now();

	real.src = getenv("MKT_GATE_KERNEL_SRC");
	real.build = getenv("MKT_GATE_KERNEL_BUILD");
	if (!real.src || !real.build)
		return 0;
	if (kbuild_db_load(&real.db, real.src, real.build)) {
		print_error("kbuild_db_load: %s\n", gate_error_last());
		return -1;
	}
	real.load_s = now() - t0;
	return 0;
}

static int teardown_real(void **state)
{
	kbuild_db_free(real.db);
	return 0;
}

static void need_tree(void)
{
	if (!real.db)
		skip();
}

static void test_kbuild_real_db(void **state)
{
	need_tree();
	print_message("%zu objects loaded in %.3f s\n", kbuild_db_count(real.db),
		      real.load_s);
	assert_true(kbuild_detect(real.src));
	assert_true(kbuild_db_count(real.db) > 200);
	assert_true(real.load_s < 5.0);
	assert_true(kbuild_db_builds(real.db, "kernel/fork.o"));
	assert_true(kbuild_db_builds(real.db, "init/main.o"));
	assert_false(kbuild_db_builds(real.db, "kernel/kexec.o"));
	assert_string_equal(kbuild_db_source(real.db, "kernel/fork.o"), "kernel/fork.c");
}

static void test_kbuild_real_header(void **state)
{
	struct strvec objs = STRVEC_INIT;

	need_tree();
	assert_int_equal(kbuild_db_dependents(real.db, "include/linux/sched.h", &objs), 0);
	print_message("include/linux/sched.h: %zu dependents\n", objs.nr);
	assert_true(objs.nr > 50);
	assert_true(strvec_find(&objs, "kernel/fork.o") >= 0);
	assert_true(strvec_find(&objs, "init/main.o") >= 0);
	assert_true(strcmp(objs.v[0], objs.v[1]) < 0);
	strvec_dispose(&objs);

	/* objects depend on config symbols through include/config/ */
	assert_int_equal(kbuild_db_dependents(real.db, "CONFIG_SMP", &objs), 0);
	assert_true(objs.nr > 10);
	strvec_dispose(&objs);
}

static void test_kbuild_real_touched(void **state)
{
	struct kbuild_touch t;

	need_tree();
	kbuild_touch_init(&t);
	assert_int_equal(kbuild_touch_path(&t, real.db, NULL, "kernel/fork.c", 'M'), 0);
	assert_int_equal(kbuild_touch_finish(&t, 0), 0);
	assert_int_equal(t.objs.nr, 1);
	assert_string_equal(t.objs.v[0], "kernel/fork.o");
	kbuild_touch_dispose(&t);

	assert_int_equal(kbuild_touch_path(&t, real.db, NULL,
					"Documentation/process/howto.rst", 'M'), 0);
	assert_int_equal(kbuild_touch_path(&t, real.db, NULL, "tools/objtool/check.c", 'M'), 0);
	/* kexec.c is wired in under CONFIG_KEXEC, which tinyconfig leaves off */
	assert_int_equal(kbuild_touch_path(&t, real.db, NULL, "kernel/kexec.c", 'A'), 0);
	assert_int_equal(kbuild_touch_finish(&t, 0), 0);
	assert_int_equal(t.objs.nr, 0);
	assert_int_equal(t.reasons.nr, 3);
	assert_non_null(strstr(t.reasons.v[2], "not wired in"));
	kbuild_touch_dispose(&t);

	assert_int_equal(kbuild_touch_path(&t, real.db, NULL, "kernel/Makefile", 'M'), 0);
	assert_int_equal(kbuild_touch_finish(&t, 5), 0);
	assert_int_equal(t.objs.nr, 5);
	assert_true(t.left_out.nr > 5);
	kbuild_touch_dispose(&t);
}

/* A commit that adds a .c and wires it in touches only the new object. */
static void test_kbuild_real_wired_new_file(void **state)
{
	struct strbuf path = STRBUF_INIT, old_mk = STRBUF_INIT, new_mk = STRBUF_INIT;
	struct kbuild_touch t;

	need_tree();
	strbuf_addf(&path, "%s/kernel/Makefile", real.src);
	assert_int_equal(strbuf_read_file(&old_mk, path.buf), 0);
	strbuf_addf(&new_mk, "%sobj-y += gate_new.o\n", old_mk.buf);
	kbuild_touch_init(&t);
	assert_int_equal(kbuild_touch_rules(&t, real.db, "kernel/Makefile",
					      old_mk.buf, new_mk.buf), 0);
	assert_int_equal(kbuild_touch_finish(&t, 0), 0);
	assert_int_equal(t.objs.nr, 1);
	assert_string_equal(t.objs.v[0], "kernel/gate_new.o");
	kbuild_touch_dispose(&t);
	strbuf_dispose(&path);
	strbuf_dispose(&old_mk);
	strbuf_dispose(&new_mk);
}

/* Re-reading the .cmd files of rebuilt objects keeps the db consistent. */
static void test_kbuild_real_update(void **state)
{
	struct strvec objs = STRVEC_INIT, before = STRVEC_INIT, after = STRVEC_INIT;
	size_t count;

	need_tree();
	count = kbuild_db_count(real.db);
	assert_int_equal(kbuild_db_dependents(real.db, "include/linux/sched.h", &before), 0);
	strvec_push(&objs, "kernel/fork.o");
	strvec_push(&objs, "init/main.o");
	assert_int_equal(kbuild_db_update(real.db, &objs), 0);
	assert_int_equal(kbuild_db_count(real.db), count);
	assert_int_equal(kbuild_db_dependents(real.db, "include/linux/sched.h", &after), 0);
	assert_int_equal(before.nr, after.nr);
	strvec_dispose(&objs);
	strvec_dispose(&before);
	strvec_dispose(&after);
}

/* C=2 runs sparse on an object that is up to date, without rebuilding it. */
static void test_kbuild_real_sparse_recheck(void **state)
{
	struct strvec objs = STRVEC_INIT;
	struct strbuf out = STRBUF_INIT, path = STRBUF_INIT;
	struct kbuild_make_opts o;
	struct stat before, after;
	struct proc p;

	need_tree();
	if (!proc_which("sparse", NULL))
		skip();
	strbuf_addf(&path, "%s/kernel/fork.o", real.build);
	assert_int_equal(stat(path.buf, &before), 0);
	kbuild_make_opts_init(&o, an_find("sparse"));
	o.src_dir = real.src;
	o.build_dir = real.build;
	o.arch = "x86_64";
	strvec_push(&objs, "kernel/fork.o");
	assert_int_equal(kbuild_make_prepare(&o, &objs), 0);
	proc_init(&p);
	assert_int_equal(kbuild_make_args(&p.args, &o, &objs), 0);
	assert_int_equal(proc_capture(&p, &out, NULL, 300), 0);
	assert_non_null(strstr(out.buf, "CHECK"));
	assert_non_null(strstr(out.buf, "kernel/fork.c"));
	assert_int_equal(stat(path.buf, &after), 0);
	assert_int_equal(before.st_mtime, after.st_mtime);
	proc_dispose(&p);
	strvec_dispose(&objs);
	strbuf_dispose(&out);
	strbuf_dispose(&path);
}

static void remove_tree(const char *dir)
{
	struct proc p;

	proc_init(&p);
	strvec_push(&p.args, "rm");
	strvec_push(&p.args, "-rf");
	strvec_push(&p.args, dir);
	assert_int_equal(proc_run(&p), 0);
	proc_dispose(&p);
}

/* kbuild_config() gives the same .config as lib/kernel.sh's baseline. */
static void test_kbuild_real_config(void **state)
{
	char dir[] = "/var/tmp/test_kbuild_real.XXXXXX";
	struct strvec frags = STRVEC_INIT, syms = STRVEC_INIT;
	struct strbuf log = STRBUF_INIT, a = STRBUF_INIT, b = STRBUF_INIT;
	struct kbuild_make_opts o;

	need_tree();
	assert_non_null(mkdtemp(dir));
	kbuild_make_opts_init(&o, NULL);
	o.src_dir = real.src;
	o.build_dir = dir;
	o.arch = "x86_64";
	strvec_push(&frags, TEST_DATA_DIR "/kernel/gate-test.config");
	if (kbuild_config(&o, "tinyconfig", &frags, &log))
		print_error("%s\n%s\n", gate_error_last(), log.buf);
	strbuf_addf(&a, "%s/.config", real.build);
	strbuf_addf(&b, "%s/.config", dir);
	assert_int_equal(kbuild_config_diff(&syms, a.buf, b.buf), 0);
	assert_int_equal(syms.nr, 0);
	remove_tree(dir);
	strvec_dispose(&frags);
	strvec_dispose(&syms);
	strbuf_dispose(&log);
	strbuf_dispose(&a);
	strbuf_dispose(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kbuild_real_db),
		cmocka_unit_test(test_kbuild_real_header),
		cmocka_unit_test(test_kbuild_real_touched),
		cmocka_unit_test(test_kbuild_real_wired_new_file),
		cmocka_unit_test(test_kbuild_real_update),
		cmocka_unit_test(test_kbuild_real_sparse_recheck),
		cmocka_unit_test(test_kbuild_real_config),
	};

	return cmocka_run_group_tests(tests, setup_real, teardown_real);
}
