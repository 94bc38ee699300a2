/* test_result.c: the report model: a commit that built nothing says why, a
 * merge is marked as one, and a certain failure outranks an error. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "result.h"

/* A commit of these files and objects, with checks as given. */
static json_t *commit_of(const char *files, const char *objects, const char *checks)
{
	json_error_t jerr;
	json_t *c = json_loads(files, 0, &jerr), *o = json_object();

	assert_non_null(c);
	json_object_set_new(o, "touched_files", c);
	json_object_set_new(o, "objects", json_loads(objects, 0, &jerr));
	json_object_set_new(o, "checks", json_loads(checks, 0, &jerr));
	assert_non_null(json_object_get(o, "checks"));
	return o;
}

static const char *note_of(const json_t *commit, size_t i)
{
	return json_string_value(json_object_get(
		json_array_get(json_object_get(commit, "checks"), i), "note"));
}

#define PASS(a) "{\"analyzer\": \"" a "\", \"status\": \"pass\", \"new\": [], \"fixed\": []}"

static void test_result_note_names_the_files(void **state)
{
	json_t *c = commit_of("[\"README\", \"docs/x.c\"]", "[]",
			      "[" PASS("checkpatch") ", " PASS("gcc") ", " PASS("clang") ", "
			      "{\"analyzer\": \"sparse\", \"status\": \"error\", \"new\": [], \"fixed\": []}, "
			      "{\"analyzer\": \"x\", \"status\": \"pass\", \"new\": [{}], \"fixed\": []}]");

	assert_int_equal(gate_result_note_unbuilt(c, 1), 0);
	assert_null(note_of(c, 0));	/* before `from`: not a unit check */
	assert_string_equal(note_of(c, 1), "no unit to build for README, docs/x.c");
	assert_string_equal(note_of(c, 2), "no unit to build for README, docs/x.c");
	assert_null(note_of(c, 3));	/* it could not run: its reason says why */
	assert_null(note_of(c, 4));	/* it found something */
	json_decref(c);
}

static void test_result_note_long_and_empty(void **state)
{
	json_t *c = commit_of("[\"a\", \"b\", \"c\", \"d\", \"e\", \"f\"]", "[]", "[" PASS("gcc") "]");

	assert_int_equal(gate_result_note_unbuilt(c, 0), 0);
	assert_string_equal(note_of(c, 0), "no unit to build for a, b, c, d and 2 more");
	json_decref(c);
	c = commit_of("[]", "[]", "[" PASS("gcc") "]");
	assert_int_equal(gate_result_note_unbuilt(c, 0), 0);
	assert_string_equal(note_of(c, 0), "the commit changes no file");
	json_decref(c);
}

/* Something was built, or left out by the max_objects cap: no note. */
static void test_result_note_only_when_nothing_built(void **state)
{
	json_t *c = commit_of("[\"a.c\"]", "[\"a.c\"]", "[" PASS("gcc") "]");

	assert_int_equal(gate_result_note_unbuilt(c, 0), 0);
	assert_null(note_of(c, 0));
	json_decref(c);
	c = commit_of("[\"a.c\"]", "[]", "[" PASS("gcc") "]");
	json_object_set_new(c, "objects_left_out", json_pack("[s]", "a.o"));
	assert_int_equal(gate_result_note_unbuilt(c, 0), 0);
	assert_null(note_of(c, 0));
	json_decref(c);
}

static void test_result_commit_marks_a_merge(void **state)
{
	struct gate_commit gc = { .sha = "0123", .subject = "Merge x", .author = "a <a@b>",
				  .skip_reason = "merge commit", .is_merge = true };
	json_t *c = gate_result_commit_new(&gc, NULL);

	assert_true(json_is_true(json_object_get(c, "merge")));
	assert_string_equal(json_string_value(json_object_get(c, "verdict")), "skipped");
	json_decref(c);
	gc.is_merge = false;
	gc.skip_reason = NULL;
	c = gate_result_commit_new(&gc, NULL);
	assert_null(json_object_get(c, "merge"));
	json_decref(c);
}

#define CHECK(a, st) "{\"analyzer\": \"" a "\", \"status\": \"" st "\", \"new\": [], \"fixed\": []}"

/* A finished report of one commit with these checks: its verdict and exit code. */
static void expect_verdict(const char *checks, const char *verdict, int exit_code)
{
	json_t *r = json_object(), *c = commit_of("[\"a.c\"]", "[\"a.c\"]", checks);

	json_object_set_new(c, "verdict", json_string("pass"));
	json_object_set_new(r, "commits", json_pack("[o]", c));
	assert_int_equal(gate_result_finish(r, 0.0), 0);
	assert_string_equal(json_string_value(json_object_get(c, "verdict")), verdict);
	assert_string_equal(json_string_value(json_object_get(r, "verdict")), verdict);
	assert_int_equal(gate_result_exit_code(r), exit_code);
	json_decref(r);
}

/*
 * A commit that breaks the build: gcc fails with the new error, sparse could
 * not run after it. The failure is certain, so the commit fails (exit 1, a
 * Verified -1), not error; error wins only where nothing failed.
 */
static void test_result_failure_outranks_error(void **state)
{
	expect_verdict("[" CHECK("gcc", "fail") ", " CHECK("sparse", "error") "]", "fail", 1);
	expect_verdict("[" CHECK("sparse", "error") ", " CHECK("gcc", "fail") "]", "fail", 1);
	expect_verdict("[" CHECK("gcc", "pass") ", " CHECK("sparse", "error") "]", "error", 3);
	expect_verdict("[" CHECK("gcc", "pass") ", " CHECK("sparse", "skipped") "]", "pass", 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_result_note_names_the_files),
		cmocka_unit_test(test_result_note_long_and_empty),
		cmocka_unit_test(test_result_note_only_when_nothing_built),
		cmocka_unit_test(test_result_commit_marks_a_merge),
		cmocka_unit_test(test_result_failure_outranks_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
