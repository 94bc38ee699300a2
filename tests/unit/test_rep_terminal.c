/* test_rep_terminal.c: the terminal summary names the touched code files that
 * nothing builds, with the backend's reason, for kbuild and compile_commands alike. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

/* The summary of a one-commit report with these objects and reasons. */
static char *summary(const char *objects, const char *left_out, const char *reasons)
{
	struct rep_terminal_opts o = { REP_COLOR_NEVER, 0 };
	char *text = NULL, *doc = NULL;
	size_t len = 0;
	json_error_t jerr;
	json_t *r;
	FILE *f;

	assert_true(asprintf(&doc, "{\"schema\": \"mkt-gate/report/v1\", \"range\": \"x\", "
			     "\"verdict\": \"pass\", \"series\": {\"new\": [], \"fixed\": []}, "
			     "\"commits\": [{\"sha\": \"%040d\", \"subject\": \"s\", "
			     "\"verdict\": \"pass\", \"checks\": [], \"objects\": %s, "
			     "\"objects_left_out\": %s, \"object_reasons\": %s}]}",
			     0, objects, left_out, reasons) > 0);
	r = json_loads(doc, 0, &jerr);
	assert_non_null(r);
	f = open_memstream(&text, &len);
	assert_int_equal(rep_terminal_summary(f, r, &o), 0);
	fclose(f);
	json_decref(r);
	free(doc);
	return text;
}

static void test_rep_terminal_unbuilt_compile_commands(void **state)
{
	char *s = summary("[\"lib/a.c\", \"lib/b.c#2\"]", "[]",
			  "[\"lib/a.c: 1 unit\", \"lib/b.c: 1 unit\", "
			  "\"lib/orphan.c: not in any target\", \"README: not read by any unit\", "
			  "\"include/x.h: not read by any unit\", \"util.h: 2 units\"]");

	assert_non_null(strstr(s, "    not built: lib/orphan.c: not in any target\n"));
	assert_non_null(strstr(s, "    not built: include/x.h: not read by any unit\n"));
	assert_null(strstr(s, "README"));
	assert_null(strstr(s, "lib/a.c: 1 unit"));
	assert_null(strstr(s, "util.h: 2 units"));
	free(s);
}

static void test_rep_terminal_unbuilt_kbuild(void **state)
{
	char *s = summary("[\"kernel/fork.o\", \"drivers/new.o\"]", "[\"mm/slab.o\"]",
			  "[\"kernel/fork.c: 1 object\", "
			  "\"drivers/new.c: new file, builds drivers/new.o\", "
			  "\"mm/slab.c: 1 object\", "
			  "\"drivers/off.c: not built by this config\", "
			  "\"tools/x.c: tools/ is not built by kbuild\", "
			  "\"Documentation/x.rst: documentation, not built\", "
			  "\"include/linux/sched.h: 40 objects\"]");

	assert_non_null(strstr(s, "    not built: drivers/off.c: not built by this config\n"));
	assert_non_null(strstr(s, "    not built: tools/x.c: tools/ is not built by kbuild\n"));
	assert_null(strstr(s, "fork.c"));
	assert_null(strstr(s, "drivers/new.c"));
	assert_null(strstr(s, "mm/slab.c"));
	assert_null(strstr(s, "x.rst"));
	assert_null(strstr(s, "sched.h"));
	free(s);
}

/* Reports of older versions, and tree-wide changes, have no reasons at all. */
static void test_rep_terminal_no_reasons(void **state)
{
	char *s = summary("[]", "[]", "[]");

	assert_null(strstr(s, "not built"));
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rep_terminal_unbuilt_compile_commands),
		cmocka_unit_test(test_rep_terminal_unbuilt_kbuild),
		cmocka_unit_test(test_rep_terminal_no_reasons),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
