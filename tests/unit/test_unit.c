/* test_unit.c: unit tests of unit.c's rules against silent loss: a checker gone
 * quiet, diagnostics a parser could not read, output that reached no unit. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"

struct fixture {
	struct gate_engine e;
	struct gate_run_opts o;
	struct config *cfg;
	struct strvec units;
	git_oid before, after;
	json_t *commit;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f || config_new(&f->cfg))
		return -1;
	f->o.cfg = f->cfg;
	f->o.fail_on = FINDING_WARNING;
	f->e.o = &f->o;
	f->e.scratch.src = "/nonexistent/src";
	f->e.an = calloc(1, sizeof(*f->e.an));
	if (!f->e.an)
		return -1;
	f->e.nr_an = 1;
	strvec_init(&f->e.an[0].command);
	strvec_init(&f->e.an[0].extra);
	strvec_init(&f->units);
	strvec_push(&f->units, "kernel/fork.o");
	/* The commit changes kernel/fork.c only. */
	f->e.diff.v = calloc(1, sizeof(*f->e.diff.v));
	f->e.diff.v[0].status = 'M';
	f->e.diff.v[0].old_path = strdup("kernel/fork.c");
	f->e.diff.v[0].new_path = strdup("kernel/fork.c");
	f->e.diff.nr = 1;
	memset(&f->before, 1, sizeof(f->before));
	memset(&f->after, 2, sizeof(f->after));
	f->commit = json_pack("{s:[]}", "checks");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	unit_memo_dispose(&f->e);
	gate_diff_dispose(&f->e.diff);
	unit_analyzers_dispose(&f->e);
	strvec_dispose(&f->units);
	config_free(f->cfg);
	json_decref(f->commit);
	free(f);
	return 0;
}

static void use(struct fixture *f, const char *analyzer)
{
	f->e.an[0].desc = an_find(analyzer);
	assert_non_null(f->e.an[0].desc);
	strvec_push(&f->e.an[0].command, analyzer);
}

/* A memo for the unit at tree, with what the tool printed and one finding in file. */
static struct unit_memo *memo(struct fixture *f, const git_oid *tree,
			      const char *output, const char *file)
{
	struct unit_memo *m = unit_memo_add(&f->e, &f->e.an[0], "kernel/fork.o", tree);
	struct finding x = { 0 };

	m->output = strdup(output);
	if (!file)
		return m;
	x.analyzer = strdup(f->e.an[0].desc->name);
	x.file = strdup(file);
	x.line = 12;
	x.rule = strdup("sparse:decl");
	x.message = strdup("symbol 'x' was not declared. Should it be static?");
	x.severity = FINDING_WARNING;
	assert_int_equal(finding_list_take(&m->findings, &x), 0);
	return m;
}

static const char *check_field(struct fixture *f, const char *key)
{
	json_t *c = json_array_get(json_object_get(f->commit, "checks"), 0);

	return json_string_value(json_object_get(c, key));
}

/* sparse says nothing after a commit that cannot have silenced it: lost, an error. */
static void test_unit_silent_checker_is_an_error(void **state)
{
	struct fixture *f = *state;

	use(f, "sparse");
	memo(f, &f->before, "include/linux/x.h:12:1: warning: ...\n", "include/linux/x.h");
	memo(f, &f->after, "", NULL);
	assert_int_equal(unit_checks(&f->e, f->commit, &f->units, &f->before, &f->after), 0);
	assert_string_equal(check_field(f, "status"), "error");
	assert_non_null(strstr(check_field(f, "reason"),
			       "sparse printed nothing for kernel/fork.o"));
}

/* What it found before was in the file the commit changed: fixing it all is fine. */
static void test_unit_checker_quiet_after_a_fix_passes(void **state)
{
	struct fixture *f = *state;

	use(f, "sparse");
	memo(f, &f->before, "kernel/fork.c:12:1: warning: ...\n", "kernel/fork.c");
	memo(f, &f->after, "", NULL);
	assert_int_equal(unit_checks(&f->e, f->commit, &f->units, &f->before, &f->after), 0);
	assert_string_equal(check_field(f, "status"), "pass");
}

/* A diagnostic line the analyzer's parser cannot read makes the result untrustworthy. */
static void test_unit_unread_diagnostics_are_an_error(void **state)
{
	static const char out[] = "/nonexistent/src/kernel/fork.c:3:1: error: not smatch's\n";
	struct fixture *f = *state;
	struct unit_memo *m;

	use(f, "smatch");
	memo(f, &f->before, "", NULL);
	m = unit_memo_add(&f->e, &f->e.an[0], "kernel/fork.o", &f->after);
	assert_int_equal(unit_memo_record(&f->e, m, 0, out, strlen(out), 0, NULL), 0);
	assert_non_null(m->error);
	assert_non_null(strstr(m->error, "could not be read, such as "
			       "'/nonexistent/src/kernel/fork.c:3:1: error: not smatch's'"));
	assert_int_equal(unit_checks(&f->e, f->commit, &f->units, &f->before, &f->after), 0);
	assert_string_equal(check_field(f, "status"), "error");
	/* The first reason stays: it is the one that explains the rest. */
	assert_int_equal(unit_memo_lost(m, "another %s", "reason"), 0);
	assert_null(strstr(m->error, "another"));
}

/*
 * Built ahead in another commit's pool, a unit whose tool could not run is
 * forgotten, so that its own commit builds it; a clean result, a result at
 * another tree and units not named stay.
 */
static void test_unit_forget_errors_of_units_built_ahead(void **state)
{
	struct fixture *f = *state;
	struct strvec ahead = STRVEC_INIT;
	struct unit_memo *m;

	use(f, "gcc");
	memo(f, &f->after, "clean", NULL);
	m = unit_memo_add(&f->e, &f->e.an[0], "lib/bitmap.o", &f->after);
	m->error = strdup("make stopped before it");
	m = unit_memo_add(&f->e, &f->e.an[0], "lib/bitmap.o", &f->before);
	m->error = strdup("an error at another tree");
	m = unit_memo_add(&f->e, &f->e.an[0], "lib/sort.o", &f->after);
	m->error = strdup("not built ahead: its commit's own");
	strvec_push(&ahead, "kernel/fork.o");
	strvec_push(&ahead, "lib/bitmap.o");
	unit_memo_forget_errors(&f->e, &ahead, &f->after);
	assert_int_equal(f->e.nr_memo, 3);
	assert_null(unit_memo_find(&f->e, &f->e.an[0], "lib/bitmap.o", &f->after));
	assert_non_null(unit_memo_find(&f->e, &f->e.an[0], "kernel/fork.o", &f->after));
	assert_non_null(unit_memo_find(&f->e, &f->e.an[0], "lib/bitmap.o", &f->before));
	assert_non_null(unit_memo_find(&f->e, &f->e.an[0], "lib/sort.o", &f->after));
	strvec_dispose(&ahead);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_unit_silent_checker_is_an_error,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_unit_checker_quiet_after_a_fix_passes,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_unit_unread_diagnostics_are_an_error,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_unit_forget_errors_of_units_built_ahead,
						setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
