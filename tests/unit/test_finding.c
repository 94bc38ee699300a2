/* test_finding.c: the JSON form of a finding: report-v1's finding object,
 * the exact form the cache stores, and reading either back. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "finding.h"

static struct finding sample(void)
{
	struct finding f = { 0 };

	f.analyzer = strdup("gcc");
	f.file = strdup("src/a.c");
	f.line = 12;
	f.column = 7;
	f.function = strdup("main");
	f.severity = FINDING_WARNING;
	f.rule = strdup("-Wunused-variable");
	f.message = strdup("unused variable 'x'");
	f.detail = strdup("note: declared here");
	assert_int_equal(finding_fingerprint(&f, NULL), 0);
	return f;
}

static char *dump(const struct finding *f, unsigned int flags)
{
	json_t *o = finding_to_json(f, flags);
	char *s;

	assert_non_null(o);
	s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	assert_non_null(s);
	return s;
}

static void assert_same(const struct finding *a, const struct finding *b)
{
	assert_string_equal(a->analyzer, b->analyzer);
	assert_string_equal(a->file, b->file);
	assert_int_equal(a->line, b->line);
	assert_int_equal(a->column, b->column);
	assert_string_equal(a->function, b->function);
	assert_int_equal(a->severity, b->severity);
	assert_string_equal(a->rule, b->rule);
	assert_string_equal(a->message, b->message);
	assert_string_equal(a->fingerprint, b->fingerprint);
	assert_string_equal(a->detail, b->detail);
}

/* The report's finding object is a contract: its keys and their order. */
static void test_finding_report_form(void **state)
{
	struct finding f = sample();
	char *s = dump(&f, 0), want[512];

	(void)state;
	snprintf(want, sizeof(want), "{\"analyzer\":\"gcc\",\"file\":\"src/a.c\","
		 "\"line\":12,\"column\":7,\"function\":\"main\","
		 "\"severity\":\"warning\",\"rule\":\"-Wunused-variable\","
		 "\"message\":\"unused variable 'x'\",\"fingerprint\":\"%s\","
		 "\"detail\":\"note: declared here\"}", f.fingerprint);
	assert_string_equal(s, want);
	free(s);
	finding_dispose(&f);
}

static void test_finding_report_form_leaves_out_unknowns(void **state)
{
	struct finding f = { 0 };
	char *s;

	(void)state;
	f.analyzer = strdup("checkpatch");
	f.function = strdup("");
	f.detail = strdup("");
	f.severity = FINDING_ERROR;
	s = dump(&f, 0);
	assert_string_equal(s, "{\"analyzer\":\"checkpatch\",\"severity\":\"error\","
			    "\"message\":\"\",\"fingerprint\":\"\"}");
	free(s);
	s = dump(&f, FINDING_JSON_EXACT);
	assert_non_null(strstr(s, "\"function\":\"\""));
	assert_non_null(strstr(s, "\"detail\":\"\""));
	free(s);
	finding_dispose(&f);
}

static void round_trip(const struct finding *f, unsigned int flags,
		       struct finding *back)
{
	json_t *o = finding_to_json(f, flags);

	assert_non_null(o);
	assert_int_equal(finding_from_json(back, o), 0);
	json_decref(o);
}

static void test_finding_exact_form_round_trips(void **state)
{
	struct finding f = sample(), back;

	(void)state;
	round_trip(&f, FINDING_JSON_EXACT, &back);
	assert_same(&f, &back);
	finding_dispose(&back);
	round_trip(&f, 0, &back);
	assert_same(&f, &back);
	finding_dispose(&back);
	/* Only the exact form tells an empty function from none. */
	free(f.function);
	f.function = strdup("");
	round_trip(&f, FINDING_JSON_EXACT, &back);
	assert_string_equal(back.function, "");
	finding_dispose(&back);
	round_trip(&f, 0, &back);
	assert_null(back.function);
	finding_dispose(&back);
	finding_dispose(&f);
}

static void assert_rejected(const char *text)
{
	json_t *o = json_loads(text, 0, NULL);
	struct finding f;

	assert_non_null(o);
	assert_int_equal(finding_from_json(&f, o), -1);
	assert_null(f.analyzer);
	assert_null(f.message);
	json_decref(o);
}

static void test_finding_from_json_rejects_what_is_not_a_finding(void **state)
{
	(void)state;
	/* The cache's form before v2: the severity as a number. */
	assert_rejected("{\"analyzer\": \"gcc\", \"message\": \"m\", \"severity\": 1}");
	assert_rejected("{\"analyzer\": \"gcc\", \"message\": \"m\", \"severity\": \"bad\"}");
	assert_rejected("{\"message\": \"m\", \"severity\": \"info\"}");
	assert_rejected("{\"analyzer\": \"gcc\", \"severity\": \"info\"}");
	assert_rejected("{\"analyzer\": \"gcc\", \"message\": \"m\", \"severity\": \"info\", "
			"\"line\": -1}");
	assert_rejected("{\"analyzer\": \"gcc\", \"message\": \"m\", \"severity\": \"info\", "
			"\"file\": 3}");
	assert_rejected("{\"analyzer\": \"gcc\", \"message\": \"m\", \"severity\": \"info\", "
			"\"fingerprint\": \"0123456789abcdef0\"}");
	assert_rejected("[\"gcc\"]");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_finding_report_form),
		cmocka_unit_test(test_finding_report_form_leaves_out_unknowns),
		cmocka_unit_test(test_finding_exact_form_round_trips),
		cmocka_unit_test(test_finding_from_json_rejects_what_is_not_a_finding),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
