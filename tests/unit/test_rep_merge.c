/* test_rep_merge.c: unit tests of merging shard reports and of the
 * structural check of loaded reports, on tests/data/reports/sample.json. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "model.h"
#include "report.h"
#include "error.h"

#define SAMPLE TEST_DATA_DIR "/reports/sample.json"

static json_t *sample(void)
{
	json_t *r = NULL;

	assert_int_equal(rep_load(&r, SAMPLE), 0);
	return r;
}

/* A shard: the sample keeping only the commits at the given indexes. */
static json_t *shard(const json_t *full, const int *keep, size_t n)
{
	json_t *s = json_deep_copy(full), *commits = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append(commits, json_array_get(
			json_object_get(full, "commits"), (size_t)keep[i]));
	json_object_set_new(s, "commits", commits);
	return s;
}

static const char *sha_at(const json_t *r, size_t i)
{
	return rep_str(json_array_get(json_object_get(r, "commits"), i), "sha");
}

static void test_rep_merge_orders_by_parent(void **state)
{
	json_t *full = sample(), *in[2], *m = NULL;
	const int a[] = { 2, 0 }, b[] = { 1, 2 };

	in[0] = shard(full, a, 2);
	in[1] = shard(full, b, 2);
	assert_int_equal(rep_merge(&m, in, 2), 0);
	assert_int_equal(json_array_size(json_object_get(m, "commits")), 3);
	for (size_t i = 0; i < 3; i++)
		assert_string_equal(sha_at(m, i), sha_at(full, i));
	assert_string_equal(rep_str(m, "verdict"), "fail");
	/* the series is the one run's, recomputed over the merged commits */
	assert_true(json_equal(json_object_get(m, "series"),
			       json_object_get(full, "series")));
	assert_int_equal(rep_model_check(m), 0);
	json_decref(m);
	json_decref(in[0]);
	json_decref(in[1]);
	json_decref(full);
}

static void test_rep_merge_checked_wins_and_verdict(void **state)
{
	json_t *full = sample(), *in[2], *m = NULL, *c, *k;
	const int all[] = { 0, 1, 2 };
	size_t i;

	in[0] = shard(full, all, 3);
	in[1] = shard(full, all, 3);
	/* shard 0 did not check commit 1; shard 1 did and it failed to run */
	c = json_array_get(json_object_get(in[0], "commits"), 1);
	json_array_set_new(json_object_get(in[0], "commits"), 1,
			   json_pack("{s:O, s:O, s:s, s:[]}", "sha",
				     json_object_get(c, "sha"), "subject",
				     json_object_get(c, "subject"), "verdict",
				     "skipped", "checks"));
	c = json_array_get(json_object_get(in[1], "commits"), 1);
	json_object_set_new(c, "verdict", json_string("error"));
	json_array_foreach(json_object_get(c, "checks"), i, k)
		json_object_set_new(k, "status", json_string("error"));
	assert_int_equal(rep_merge(&m, in, 2), 0);
	assert_int_equal(json_array_size(json_object_get(m, "commits")), 3);
	assert_string_equal(rep_str(json_array_get(json_object_get(m, "commits"), 1),
				    "verdict"), "error");
	/* another commit of the sample fails: a certain failure outranks it */
	assert_string_equal(rep_str(m, "verdict"), "fail");
	json_decref(m);
	json_decref(in[0]);
	json_decref(in[1]);
	json_decref(full);
}

static void test_rep_merge_refuses_other_range(void **state)
{
	json_t *in[2], *m = NULL;

	in[0] = sample();
	in[1] = sample();
	json_object_set_new(in[1], "range", json_string("v1..v2"));
	assert_int_equal(rep_merge(&m, in, 2), -1);
	assert_null(m);
	assert_non_null(strstr(gate_error_last(), "'v1..v2'"));
	assert_int_equal(rep_merge(&m, in, 0), -1);
	json_decref(in[0]);
	json_decref(in[1]);
}

static void test_rep_model_check_names_the_problem(void **state)
{
	json_t *r = sample();
	json_t *f = json_array_get(json_object_get(json_object_get(r, "series"),
						   "new"), 2);

	json_object_set_new(f, "severity", json_integer(3));
	assert_int_equal(rep_model_check(r), -1);
	assert_string_equal(gate_error_last(),
			    "series.new[2]: 'severity' has the wrong type");
	json_object_set_new(r, "verdict", json_string("maybe"));
	assert_int_equal(rep_model_check(r), -1);
	assert_non_null(strstr(gate_error_last(), "not a verdict: 'maybe'"));
	json_object_set_new(r, "schema", json_string("other/v9"));
	assert_int_equal(rep_model_check(r), -1);
	assert_non_null(strstr(gate_error_last(), "unsupported schema"));
	json_decref(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rep_merge_orders_by_parent),
		cmocka_unit_test(test_rep_merge_checked_wins_and_verdict),
		cmocka_unit_test(test_rep_merge_refuses_other_range),
		cmocka_unit_test(test_rep_model_check_names_the_problem),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
