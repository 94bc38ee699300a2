/* test_strbuf.c: unit tests of strbuf, strvec and the option parser.
 * These are the small APIs everything else stands on. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "strvec.h"
#include "options.h"
#include "error.h"

static void test_strbuf_invariants(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	assert_non_null(sb.buf);
	assert_int_equal(sb.buf[0], '\0');
	assert_int_equal(strbuf_addf(&sb, "%s-%d", "a", 42), 0);
	assert_string_equal(sb.buf, "a-42");
	assert_int_equal(strbuf_add(&sb, "x\0y", 3), 0);
	assert_int_equal(sb.len, 7);
	assert_int_equal(sb.buf[7], '\0');
	strbuf_dispose(&sb);
	assert_int_equal(sb.len, 0);
	assert_string_equal(sb.buf, "");
	assert_int_equal(strbuf_addstr(&sb, "reusable"), 0);
	strbuf_dispose(&sb);
}

static void test_strbuf_cap_refuses_and_keeps_contents(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	sb.cap = 8;
	assert_int_equal(strbuf_addstr(&sb, "12345678"), 0);
	assert_int_equal(strbuf_addch(&sb, '9'), -1);
	assert_string_equal(sb.buf, "12345678");
	assert_non_null(strstr(gate_error_last(), "limit"));
	strbuf_dispose(&sb);
}

static void test_strbuf_detach_hands_over(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	size_t len;
	char *s;

	strbuf_addstr(&sb, "owned");
	s = strbuf_detach(&sb, &len);
	assert_string_equal(s, "owned");
	assert_int_equal(len, 5);
	assert_int_equal(sb.len, 0);
	free(s);
	s = strbuf_detach(&sb, NULL);
	assert_string_equal(s, "");
	free(s);
}

static void test_strvec_split_quotes(void **state)
{
	struct strvec sv = STRVEC_INIT;

	assert_int_equal(strvec_split(&sv, "gcc -DX='a b' \"-I/p q\" c\\ d"), 0);
	assert_int_equal(sv.nr, 4);
	assert_string_equal(sv.v[1], "-DX=a b");
	assert_string_equal(sv.v[2], "-I/p q");
	assert_string_equal(sv.v[3], "c d");
	assert_null(sv.v[4]);
	assert_int_equal(strvec_split(&sv, "'open"), -1);
	strvec_dispose(&sv);
}

static void test_strvec_insert_and_equal(void **state)
{
	struct strvec a = STRVEC_INIT, b = STRVEC_INIT;

	assert_true(strvec_equal(&a, &b));
	assert_int_equal(strvec_insert(&a, 0, "gcc"), 0);
	assert_int_equal(strvec_insert(&a, 1, "-c"), 0);
	assert_int_equal(strvec_insert(&a, 0, "ccache"), 0);
	assert_int_equal(a.nr, 3);
	assert_string_equal(a.v[0], "ccache");
	assert_string_equal(a.v[1], "gcc");
	assert_string_equal(a.v[2], "-c");
	assert_null(a.v[3]);
	assert_false(strvec_equal(&a, &b));
	strvec_pushv(&b, (const char *[]){ "ccache", "gcc", "-c", NULL });
	assert_true(strvec_equal(&a, &b));
	strvec_pop(&b);
	strvec_push(&b, "-S");
	assert_false(strvec_equal(&a, &b));
	strvec_dispose(&a);
	strvec_dispose(&b);
}

/* Joined with the separator between, never before or after; appended. */
static void test_strvec_join(void **state)
{
	struct strvec sv = STRVEC_INIT;
	struct strbuf out = STRBUF_INIT;

	(void)state;
	assert_int_equal(strvec_join(&sv, ", ", &out), 0);
	assert_string_equal(out.buf, "");
	strbuf_addstr(&out, "--include=");
	strvec_push(&sv, "gcc");
	assert_int_equal(strvec_join(&sv, ",", &out), 0);
	assert_string_equal(out.buf, "--include=gcc");
	strvec_push(&sv, "");
	strvec_push(&sv, "clang");
	strbuf_reset(&out);
	assert_int_equal(strvec_join(&sv, ", ", &out), 0);
	assert_string_equal(out.buf, "gcc, , clang");
	strvec_dispose(&sv);
	strbuf_dispose(&out);
}

static void test_options_parse_forms(void **state)
{
	const char *json = NULL, *engine = NULL;
	int jobs = 0, quiet = 0, verbose = 0;
	struct option opts[] = {
		OPT_STRING(0, "json", &json, "file", "write JSON"),
		OPT_STRING(0, "engine", &engine, "name", "engine"),
		OPT_INT('j', "jobs", &jobs, "n", "jobs"),
		OPT_BOOL('q', "quiet", &quiet, "quiet"),
		OPT_BOOL('v', "verbose", &verbose, "verbose"),
		OPT_END(),
	};
	const char *argv[] = { "range", "--json=r.json", "-j4", "a..b",
			       "--engine", "host", "-qv", "--", "-x", NULL };
	int n = opt_parse(9, argv, opts, 0);

	assert_int_equal(n, 2);
	assert_string_equal(argv[0], "a..b");
	assert_string_equal(argv[1], "-x");
	assert_string_equal(json, "r.json");
	assert_string_equal(engine, "host");
	assert_int_equal(jobs, 4);
	assert_true(quiet && verbose);
}

static void test_options_reject_unknown_and_bad_numbers(void **state)
{
	int jobs = 0;
	struct option opts[] = {
		OPT_INT('j', "jobs", &jobs, "n", "jobs"),
		OPT_END(),
	};
	const char *a1[] = { "x", "--frobnicate", NULL };
	const char *a2[] = { "x", "-j", "many", NULL };
	const char *a3[] = { "x", "--jobs", NULL };
	const char *a4[] = { "x", "--help", NULL };

	assert_int_equal(opt_parse(2, a1, opts, 0), OPT_ERROR);
	assert_non_null(strstr(gate_error_last(), "frobnicate"));
	assert_int_equal(opt_parse(3, a2, opts, 0), OPT_ERROR);
	assert_non_null(strstr(gate_error_last(), "many"));
	assert_int_equal(opt_parse(2, a3, opts, 0), OPT_ERROR);
	assert_int_equal(opt_parse(2, a4, opts, 0), OPT_HELP);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strbuf_invariants),
		cmocka_unit_test(test_strbuf_cap_refuses_and_keeps_contents),
		cmocka_unit_test(test_strbuf_detach_hands_over),
		cmocka_unit_test(test_strvec_split_quotes),
		cmocka_unit_test(test_strvec_insert_and_equal),
		cmocka_unit_test(test_strvec_join),
		cmocka_unit_test(test_options_parse_forms),
		cmocka_unit_test(test_options_reject_unknown_and_bad_numbers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
