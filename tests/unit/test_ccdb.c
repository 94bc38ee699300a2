/* test_ccdb.c: what the compile_commands backend makes of paths and databases:
 * build-tree links resolved to sources, bear's databases merged, object targets. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buildsys.h"
#include "ccdb.h"
#include "fs.h"
#include "strbuf.h"

/* A scratch area: src/ with util/util.h and lib/a.c, build/ with links. */
struct area {
	char dir[64];
	char src[128], build[128], state[128];
};

static void put(const char *dir, const char *rel, const char *text)
{
	struct strbuf p = STRBUF_INIT, t = STRBUF_INIT;

	strbuf_addf(&p, "%s/%s", dir, rel);
	strbuf_addstr(&t, text);
	assert_int_equal(gate_write_file_mkdirs(&t, p.buf), 0);
	strbuf_dispose(&p);
	strbuf_dispose(&t);
}

static void area_make(struct area *a)
{
	struct strbuf p = STRBUF_INIT;

	strcpy(a->dir, "/tmp/test_ccdb.XXXXXX");
	assert_non_null(mkdtemp(a->dir));
	snprintf(a->src, sizeof(a->src), "%s/src", a->dir);
	snprintf(a->build, sizeof(a->build), "%s/build", a->dir);
	snprintf(a->state, sizeof(a->state), "%s/state", a->dir);
	put(a->src, "util/util.h", "int u;\n");
	put(a->src, "lib/a.c", "int a;\n");
	put(a->build, "gen/gen.h", "#define G 1\n");
	assert_int_equal(gate_mkdirs(a->state), 0);
	/* As rdma-core's build does: include/util/util.h -> ../../../src/util/util.h */
	strbuf_addf(&p, "%s/include/util", a->build);
	assert_int_equal(gate_mkdirs(p.buf), 0);
	strbuf_addstr(&p, "/util.h");
	assert_int_equal(symlink("../../../src/util/util.h", p.buf), 0);
	strbuf_dispose(&p);
}

static void area_free(struct area *a)
{
	gate_remove_tree(a->dir);
}

static void expect_resolved(const struct ccdb *db, const char *dir, const char *printed,
			    const char *want)
{
	struct strbuf out = STRBUF_INIT;

	assert_int_equal(ccdb_resolve(db, dir, printed, &out), 0);
	assert_string_equal(out.buf, want);
	strbuf_dispose(&out);
}

static void test_ccdb_resolve_links_and_generated_files(void **state)
{
	struct area a;
	struct ccdb db;
	struct strbuf p = STRBUF_INIT, json = STRBUF_INIT;

	area_make(&a);
	strbuf_addf(&json, "[]");
	strbuf_addf(&p, "%s/db.json", a.state);
	assert_int_equal(strbuf_write_file(&json, p.buf), 0);
	ccdb_init(&db, "/home/u/proj", a.src, a.build, a.state);
	assert_int_equal(ccdb_load(&db, CCDB_BUILD_SYSTEM, p.buf, NULL), 0);

	strbuf_reset(&p);
	strbuf_addf(&p, "%s/include/util/util.h", a.build);
	expect_resolved(&db, a.build, p.buf, "util/util.h");
	expect_resolved(&db, a.build, "include/util/util.h", "util/util.h");
	expect_resolved(&db, a.build, "gen/gen.h", "(build)/gen/gen.h");
	expect_resolved(&db, a.build, "../src/lib/a.c", "lib/a.c");
	/* Already relative to the sources, as the parser leaves them. */
	expect_resolved(&db, a.build, "lib/a.c", "lib/a.c");
	expect_resolved(&db, a.build, "/usr/include/stdio.h", "/usr/include/stdio.h");
	expect_resolved(&db, a.build, "nowhere.h", "nowhere.h");

	ccdb_dispose(&db);
	strbuf_dispose(&p);
	strbuf_dispose(&json);
	area_free(&a);
}

/* An in-tree build (make): the commands compile a copy, whose own files are generated. */
static void test_ccdb_resolve_in_a_copy(void **state)
{
	struct area a;
	struct ccdb db;
	struct strbuf p = STRBUF_INIT, json = STRBUF_INIT;

	area_make(&a);
	put(a.build, "util/util.h", "int u;\n");
	put(a.build, "config.h", "#define C 1\n");
	strbuf_addf(&json, "[{\"directory\": \"%s/lib\", \"file\": \"a.c\", "
		    "\"arguments\": [\"cc\", \"-c\", \"-o\", \"a.o\", \"a.c\"]},"
		    "{\"directory\": \"%s\", \"file\": \"conftest.c\", "
		    "\"arguments\": [\"cc\", \"conftest.c\"]}]", a.build, a.build);
	put(a.build, "lib/a.c", "int a;\n");
	strbuf_addf(&p, "%s/db.json", a.state);
	assert_int_equal(strbuf_write_file(&json, p.buf), 0);
	ccdb_init(&db, "/home/u/proj", a.src, a.build, a.state);
	assert_int_equal(ccdb_load(&db, CCDB_BUILD_SYSTEM, p.buf, a.build), 0);

	/* conftest.c is no file of the repository: not a unit. */
	assert_int_equal(db.nr, 1);
	assert_string_equal(db.v[0].file, "lib/a.c");
	assert_string_equal(db.v[0].output, "a.o");
	/* Relative to where make ran, not to the top. */
	expect_resolved(&db, db.v[0].dir, "a.c", "lib/a.c");
	expect_resolved(&db, db.v[0].dir, "../util/util.h", "util/util.h");
	expect_resolved(&db, a.build, "config.h", "(build)/config.h");

	ccdb_dispose(&db);
	strbuf_dispose(&p);
	strbuf_dispose(&json);
	area_free(&a);
}

/* A depfile naming a header through the build tree's link: the unit reads the source. */
static void test_ccdb_deps_through_links(void **state)
{
	struct area a;
	struct ccdb db;
	struct strbuf p = STRBUF_INIT, json = STRBUF_INIT, dep = STRBUF_INIT;

	area_make(&a);
	strbuf_addf(&json, "[{\"directory\": \"%s\", \"file\": \"%s/lib/a.c\", "
		    "\"command\": \"cc -I%s/include -o CMakeFiles/a.dir/lib/a.c.o -c %s/lib/a.c\"}]",
		    a.build, a.src, a.build, a.src);
	strbuf_addf(&p, "%s/db.json", a.state);
	assert_int_equal(strbuf_write_file(&json, p.buf), 0);
	strbuf_addf(&dep, "x.o: %s/lib/a.c \\\n %s/include/util/util.h gen/gen.h \\\n"
		    " /usr/include/stdio.h\n", a.src, a.build);
	put(a.state, "deps/lib%a.c.d", dep.buf);
	ccdb_init(&db, "/home/u/proj", a.src, a.build, a.state);
	assert_int_equal(ccdb_load(&db, CCDB_BUILD_SYSTEM, p.buf, NULL), 0);

	assert_int_equal(db.nr, 1);
	assert_string_equal(db.v[0].output, "CMakeFiles/a.dir/lib/a.c.o");
	assert_true(db.v[0].deps_known);
	assert_true(ccdb_tu_reads(&db.v[0], "util/util.h"));
	assert_int_equal(db.v[0].deps.nr, 1);

	ccdb_dispose(&db);
	strbuf_dispose(&p);
	strbuf_dispose(&json);
	strbuf_dispose(&dep);
	area_free(&a);
}

/* bear's newest database wins per source and object; gone sources go. */
static void test_ccdb_merge_bear_databases(void **state)
{
	struct area a;
	struct strbuf old = STRBUF_INIT, fresh = STRBUF_INIT, p = STRBUF_INIT;
	struct strbuf q = STRBUF_INIT, got = STRBUF_INIT;

	area_make(&a);
	put(a.src, "b.c", "int b;\n");
	strbuf_addf(&old, "[{\"directory\": \"%s\", \"file\": \"lib/a.c\", \"output\": \"a.o\", "
		    "\"arguments\": [\"cc\", \"-DOLD\"]},"
		    "{\"directory\": \"%s\", \"file\": \"b.c\", \"arguments\": [\"cc\", \"-DB\"]},"
		    "{\"directory\": \"%s\", \"file\": \"gone.c\", \"arguments\": [\"cc\"]}]",
		    a.src, a.src, a.src);
	strbuf_addf(&fresh, "[{\"directory\": \"%s\", \"file\": \"lib/a.c\", \"output\": \"a.o\", "
		    "\"arguments\": [\"cc\", \"-DNEW\"]}]", a.src);
	strbuf_addf(&p, "%s/db.json", a.state);
	strbuf_addf(&q, "%s/bear.json", a.state);
	assert_int_equal(strbuf_write_file(&old, p.buf), 0);
	assert_int_equal(strbuf_write_file(&fresh, q.buf), 0);

	assert_int_equal(buildsys_merge_db(p.buf, q.buf), 0);
	assert_int_equal(strbuf_read_file(&got, p.buf), 0);
	assert_non_null(strstr(got.buf, "-DNEW"));
	assert_null(strstr(got.buf, "-DOLD"));
	assert_non_null(strstr(got.buf, "-DB"));
	assert_null(strstr(got.buf, "gone.c"));

	/* No database yet: the fresh one is it. */
	unlink(p.buf);
	assert_int_equal(buildsys_merge_db(p.buf, q.buf), 0);
	strbuf_reset(&got);
	assert_int_equal(strbuf_read_file(&got, p.buf), 0);
	assert_non_null(strstr(got.buf, "-DNEW"));
	/* bear that wrote nothing readable is an error, not an empty project. */
	put(a.state, "bear.json", "not json");
	assert_int_equal(buildsys_merge_db(p.buf, q.buf), -1);

	strbuf_dispose(&old);
	strbuf_dispose(&fresh);
	strbuf_dispose(&p);
	strbuf_dispose(&q);
	strbuf_dispose(&got);
	area_free(&a);
}

static void expect_target(const struct buildsys *b, const struct ccdb_tu *tu,
			  const char *want_dir, const char *want)
{
	struct strbuf t = STRBUF_INIT;
	const char *dir = NULL;

	if (!want) {
		assert_int_equal(buildsys_target(b, tu, &dir, &t), -1);
	} else {
		assert_non_null(want_dir);
		assert_int_equal(buildsys_target(b, tu, &dir, &t), 0);
		assert_string_equal(dir, want_dir);
		assert_string_equal(t.buf, want);
	}
	strbuf_dispose(&t);
}

/* ninja and make object targets, from the database's output or -o. */
static void test_ccdb_object_targets(void **state)
{
	struct buildsys b = { 0 };
	struct ccdb_tu tu = { 0 };
	struct area a;
	char lib[160], other[160], link[160], via_link[200], out[200];

	area_make(&a);
	snprintf(lib, sizeof(lib), "%s/lib", a.build);
	snprintf(other, sizeof(other), "%s/other", a.dir);
	snprintf(link, sizeof(link), "%s/link", a.dir);
	snprintf(via_link, sizeof(via_link), "%s/../link/lib", link);
	assert_int_equal(gate_mkdirs(lib), 0);
	assert_int_equal(gate_mkdirs(other), 0);
	assert_int_equal(symlink("build", link), 0);
	b.src = a.src;
	b.build = a.build;
	tu.file = "lib/a.c";

	b.kind = BUILDSYS_CMAKE;
	b.ninja = true;
	tu.dir = a.build;
	tu.output = "CMakeFiles/demo.dir/lib/a.c.o";
	expect_target(&b, &tu, a.build, "CMakeFiles/demo.dir/lib/a.c.o");
	/* The database may spell the build directory through links and "..". */
	tu.dir = via_link;
	tu.output = "../x.dir/a.c.o";
	expect_target(&b, &tu, a.build, "x.dir/a.c.o");

	/* CMake's Makefile generator: the directory's own target for the source. */
	b.ninja = false;
	tu.dir = a.build;
	expect_target(&b, &tu, a.build, "lib/a.c.o");
	tu.dir = lib;
	expect_target(&b, &tu, lib, "a.c.o");
	tu.dir = other;
	expect_target(&b, &tu, NULL, NULL);

	b.kind = BUILDSYS_MESON;
	b.ninja = true;
	tu.dir = a.build;
	tu.output = "demo.p/lib_a.c.o";
	expect_target(&b, &tu, a.build, "demo.p/lib_a.c.o");

	/* make: relative to where it ran (bear names outputs in full). */
	b.kind = BUILDSYS_MAKE;
	b.ninja = false;
	tu.dir = lib;
	snprintf(out, sizeof(out), "%s/a.o", lib);
	tu.output = out;
	expect_target(&b, &tu, lib, "a.o");
	tu.output = NULL;
	expect_target(&b, &tu, NULL, NULL);
	b.kind = BUILDSYS_NONE;
	tu.output = "a.o";
	expect_target(&b, &tu, NULL, NULL);
	area_free(&a);
}

static void test_ccdb_build_files_and_kinds(void **state)
{
	struct area a;

	assert_true(ccdb_is_build_file("CMakeLists.txt"));
	assert_true(ccdb_is_build_file("sub/meson.build"));
	assert_true(ccdb_is_build_file("src/Makefile.am"));
	assert_true(ccdb_is_build_file("configure.ac"));
	assert_true(ccdb_is_build_file("cmake/Find.cmake"));
	assert_false(ccdb_is_build_file("src/main.c"));
	assert_false(ccdb_is_build_file("Makefile.c"));

	area_make(&a);
	assert_int_equal(buildsys_detect(a.src), BUILDSYS_NONE);
	put(a.src, "configure.ac", "AC_INIT\n");
	assert_int_equal(buildsys_detect(a.src), BUILDSYS_MAKE);
	put(a.src, "meson.build", "project('x')\n");
	assert_int_equal(buildsys_detect(a.src), BUILDSYS_MESON);
	put(a.src, "CMakeLists.txt", "project(x)\n");
	assert_int_equal(buildsys_detect(a.src), BUILDSYS_CMAKE);
	area_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ccdb_resolve_links_and_generated_files),
		cmocka_unit_test(test_ccdb_resolve_in_a_copy),
		cmocka_unit_test(test_ccdb_deps_through_links),
		cmocka_unit_test(test_ccdb_merge_bear_databases),
		cmocka_unit_test(test_ccdb_object_targets),
		cmocka_unit_test(test_ccdb_build_files_and_kinds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
