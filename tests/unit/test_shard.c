/* test_shard.c: unit tests of --shard K/N and --shard auto (shard.c): the
 * CI variables read, their errors, and whose item is whose. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shard.h"
#include "error.h"

static const char *const vars[] = {
	"MKT_GATE_SHARD_INDEX", "MKT_GATE_SHARD_TOTAL", "CI_NODE_INDEX", "CI_NODE_TOTAL",
};

static int clear_env(void **state)
{
	for (size_t i = 0; i < sizeof(vars) / sizeof(*vars); i++)
		unsetenv(vars[i]);
	return 0;
}

static void test_shard_explicit(void **state)
{
	struct gate_shard s;

	assert_int_equal(gate_shard_parse(&s, NULL), 0);
	assert_int_equal(s.n, 0);
	assert_true(gate_shard_has(&s, 7));
	assert_int_equal(gate_shard_parse(&s, "2/3"), 0);
	assert_string_equal(s.name, "2/3");
	assert_false(gate_shard_has(&s, 1));
	assert_true(gate_shard_has(&s, 2));
	assert_true(gate_shard_has(&s, 5));
	assert_false(gate_shard_has(&s, 6));
	assert_int_equal(gate_shard_parse(&s, "3/2"), -1);
	assert_int_equal(gate_shard_parse(&s, "0/2"), -1);
	assert_int_equal(gate_shard_parse(&s, "1/2x"), -1);
	assert_int_equal(gate_shard_parse(&s, "aut"), -1);
}

/* Every item lands in exactly one of N shards. */
static void test_shard_partition(void **state)
{
	struct gate_shard s[4];
	char spec[8];

	for (int k = 1; k <= 4; k++) {
		snprintf(spec, sizeof(spec), "%d/4", k);
		assert_int_equal(gate_shard_parse(&s[k - 1], spec), 0);
	}
	for (unsigned long long i = 1; i < 100; i++) {
		int owners = 0;

		for (int k = 0; k < 4; k++)
			owners += gate_shard_has(&s[k], i);
		assert_int_equal(owners, 1);
	}
}

static void test_shard_auto_gitlab_is_one_based(void **state)
{
	struct gate_shard s;

	setenv("CI_NODE_INDEX", "1", 1);
	setenv("CI_NODE_TOTAL", "3", 1);
	assert_int_equal(gate_shard_parse(&s, "auto"), 0);
	assert_string_equal(s.name, "1/3");
	assert_true(gate_shard_has(&s, 1));
	/* GitLab without parallel: sets the total alone, to 1 */
	unsetenv("CI_NODE_INDEX");
	setenv("CI_NODE_TOTAL", "1", 1);
	assert_int_equal(gate_shard_parse(&s, "auto"), 0);
	assert_string_equal(s.name, "1/1");
	setenv("CI_NODE_TOTAL", "2", 1);
	assert_int_equal(gate_shard_parse(&s, "auto"), -1);
	assert_non_null(strstr(gate_error_last(), "CI_NODE_INDEX is not"));
}

static void test_shard_auto_explicit_pair_wins(void **state)
{
	struct gate_shard s;

	setenv("CI_NODE_INDEX", "1", 1);
	setenv("CI_NODE_TOTAL", "3", 1);
	setenv("MKT_GATE_SHARD_INDEX", "4", 1);
	setenv("MKT_GATE_SHARD_TOTAL", "4", 1);
	assert_int_equal(gate_shard_parse(&s, "auto"), 0);
	assert_string_equal(s.name, "4/4");
	setenv("MKT_GATE_SHARD_INDEX", "5", 1);
	assert_int_equal(gate_shard_parse(&s, "auto"), -1);
	setenv("MKT_GATE_SHARD_INDEX", "0", 1);
	assert_int_equal(gate_shard_parse(&s, "auto"), -1);
	assert_non_null(strstr(gate_error_last(), "'0' is not a positive number"));
}

static void test_shard_auto_without_variables(void **state)
{
	struct gate_shard s;

	assert_int_equal(gate_shard_parse(&s, "auto"), -1);
	assert_non_null(strstr(gate_error_last(), "no shard in the environment"));
	assert_non_null(strstr(gate_error_last_hint(), "MKT_GATE_SHARD_INDEX"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_shard_explicit, clear_env),
		cmocka_unit_test_setup(test_shard_partition, clear_env),
		cmocka_unit_test_setup(test_shard_auto_gitlab_is_one_based, clear_env),
		cmocka_unit_test_setup(test_shard_auto_explicit_pair_wins, clear_env),
		cmocka_unit_test_setup(test_shard_auto_without_variables, clear_env),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
