/* test_verdict.c: unit tests of the verdicts: names, parsing and the order
 * that decides a commit's and a report's verdict (skipped < pass < fail < error). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "verdict.h"

static void test_verdict_names_round_trip(void **state)
{
	static const char *const names[] = { "skipped", "pass", "fail", "error" };

	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++) {
		enum gate_verdict v = gate_verdict_parse(names[i]);

		assert_int_not_equal(v, GATE_VERDICT_NONE);
		assert_string_equal(gate_verdict_name(v), names[i]);
	}
}

static void test_verdict_unknown_is_none(void **state)
{
	(void)state;
	assert_int_equal(gate_verdict_parse(NULL), GATE_VERDICT_NONE);
	assert_int_equal(gate_verdict_parse(""), GATE_VERDICT_NONE);
	assert_int_equal(gate_verdict_parse("none"), GATE_VERDICT_NONE);
	assert_int_equal(gate_verdict_parse("PASS"), GATE_VERDICT_NONE);
	assert_int_equal(gate_verdict_parse("passed"), GATE_VERDICT_NONE);
	assert_string_equal(gate_verdict_name(GATE_VERDICT_NONE), "none");
	assert_string_equal(gate_verdict_name((enum gate_verdict)42), "none");
}

static void test_verdict_worst_orders_by_weight(void **state)
{
	static const enum gate_verdict order[] = {
		GATE_VERDICT_NONE, GATE_VERDICT_SKIPPED, GATE_VERDICT_PASS,
		GATE_VERDICT_ERROR, GATE_VERDICT_FAIL,
	};
	size_t n = sizeof(order) / sizeof(*order);

	(void)state;
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < n; j++) {
			enum gate_verdict w = order[i > j ? i : j];

			assert_int_equal(gate_verdict_worst(order[i], order[j]), w);
		}
	}
}

static void test_verdict_worst_of_names(void **state)
{
	const char *commits[] = { "pass", "skipped", "fail", "pass" };
	enum gate_verdict v = GATE_VERDICT_SKIPPED;

	(void)state;
	for (size_t i = 0; i < sizeof(commits) / sizeof(*commits); i++)
		v = gate_verdict_worst(v, gate_verdict_parse(commits[i]));
	assert_string_equal(gate_verdict_name(v), "fail");
	/* A name that is not a verdict never wins. */
	v = gate_verdict_worst(GATE_VERDICT_SKIPPED, gate_verdict_parse("bogus"));
	assert_string_equal(gate_verdict_name(v), "skipped");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_verdict_names_round_trip),
		cmocka_unit_test(test_verdict_unknown_is_none),
		cmocka_unit_test(test_verdict_worst_orders_by_weight),
		cmocka_unit_test(test_verdict_worst_of_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
