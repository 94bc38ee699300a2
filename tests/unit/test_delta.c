/* test_delta.c: unit tests of the finding delta: what a commit introduced and
 * fixed, by fingerprint and multiset, never by line number. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "delta.h"

static void add(struct finding_list *l, const char *file, unsigned int line,
		const char *function, const char *message)
{
	struct finding f = { 0 };

	f.analyzer = strdup("gcc");
	f.file = strdup(file);
	f.line = line;
	f.function = strdup(function);
	f.rule = strdup("-Wunused-variable");
	f.message = strdup(message);
	f.severity = FINDING_WARNING;
	assert_int_equal(finding_list_take(l, &f), 0);
}

/* One modified (or renamed) file with one hunk. */
static void one_hunk(struct gate_diff *d, struct gate_delta *delta,
		     struct gate_hunk *h, char status, const char *old_path,
		     const char *new_path)
{
	memset(delta, 0, sizeof(*delta));
	delta->status = status;
	delta->old_path = (char *)old_path;
	delta->new_path = (char *)new_path;
	delta->hunks = h;
	delta->nr_hunks = 1;
	d->v = delta;
	d->nr = 1;
}

static void run(struct gate_finding_delta *out, struct finding_list *before,
		struct finding_list *after, const struct gate_diff *diff)
{
	gate_finding_delta_init(out);
	assert_int_equal(gate_findings_fingerprint(before, diff), 0);
	assert_int_equal(gate_findings_fingerprint(after, NULL), 0);
	assert_int_equal(gate_findings_delta(out, before, after, diff), 0);
}

static void test_delta_moved_warning_is_not_new(void **state)
{
	struct finding_list b = FINDING_LIST_INIT, a = FINDING_LIST_INIT;
	struct gate_hunk h = { 1, 0, 2, 3 };	/* three lines inserted after line 1 */
	struct gate_diff d;
	struct gate_delta delta;
	struct gate_finding_delta r;

	one_hunk(&d, &delta, &h, 'M', "b.c", "b.c");
	add(&b, "b.c", 10, "b", "unused variable 'x'");
	add(&a, "b.c", 13, "b", "unused variable 'x'");
	run(&r, &b, &a, &d);
	assert_int_equal(r.added.nr, 0);
	assert_int_equal(r.fixed.nr, 0);
	assert_int_equal(r.preexisting, 1);
	assert_int_equal(gate_delta_map_line(&delta, 10), 13);
	assert_int_equal(gate_delta_map_line(&delta, 1), 1);
	gate_finding_delta_dispose(&r);
	finding_list_dispose(&a);
	finding_list_dispose(&b);
}

static void test_delta_same_warning_twice_counts_twice(void **state)
{
	struct finding_list b = FINDING_LIST_INIT, a = FINDING_LIST_INIT;
	struct gate_hunk h = { 20, 0, 21, 1 };	/* one line inserted after line 20 */
	struct gate_diff d;
	struct gate_delta delta;
	struct gate_finding_delta r;

	one_hunk(&d, &delta, &h, 'M', "a.c", "a.c");
	/* The same message in the same function: one fingerprint, counted twice. */
	add(&b, "a.c", 12, "f", "comparison of integer expressions of different signedness");
	add(&a, "a.c", 12, "f", "comparison of integer expressions of different signedness");
	add(&a, "a.c", 21, "f", "comparison of integer expressions of different signedness");
	run(&r, &b, &a, &d);
	assert_string_equal(a.v[0].fingerprint, a.v[1].fingerprint);
	assert_int_equal(r.added.nr, 1);
	/* The hunk map says which instance is the old one: line 12 stayed. */
	assert_int_equal(r.added.v[0].line, 21);
	assert_int_equal(r.preexisting, 1);
	gate_finding_delta_dispose(&r);

	/* And removing one of two is one fixed finding. */
	run(&r, &a, &b, NULL);
	assert_int_equal(r.added.nr, 0);
	assert_int_equal(r.fixed.nr, 1);
	gate_finding_delta_dispose(&r);
	finding_list_dispose(&a);
	finding_list_dispose(&b);
}

static void test_delta_renamed_file_keeps_its_findings(void **state)
{
	struct finding_list b = FINDING_LIST_INIT, a = FINDING_LIST_INIT;
	struct gate_hunk h = { 1, 1, 1, 1 };
	struct gate_diff d;
	struct gate_delta delta;
	struct gate_finding_delta r;

	one_hunk(&d, &delta, &h, 'R', "old/name.c", "new/name.c");
	add(&b, "old/name.c", 7, "g", "unused variable 'y'");
	add(&a, "new/name.c", 7, "g", "unused variable 'y'");
	run(&r, &b, &a, &d);
	assert_int_equal(r.added.nr, 0);
	assert_int_equal(r.fixed.nr, 0);
	gate_finding_delta_dispose(&r);

	/* Without the rename map the same lists would be one new, one fixed. */
	gate_finding_delta_init(&r);
	assert_int_equal(gate_findings_fingerprint(&b, NULL), 0);
	assert_int_equal(gate_findings_delta(&r, &b, &a, NULL), 0);
	assert_int_equal(r.added.nr, 1);
	assert_int_equal(r.fixed.nr, 1);
	gate_finding_delta_dispose(&r);
	finding_list_dispose(&a);
	finding_list_dispose(&b);
}

static void test_delta_header_through_units_counts_once(void **state)
{
	struct finding_list u[3] = { FINDING_LIST_INIT, FINDING_LIST_INIT, FINDING_LIST_INIT };
	struct finding_list *units[3] = { &u[0], &u[1], &u[2] };
	struct finding_list merged = FINDING_LIST_INIT;

	for (int i = 0; i < 3; i++) {
		add(&u[i], "include/x.h", 5, "helper", "unused variable 'z'");
		assert_int_equal(gate_findings_fingerprint(&u[i], NULL), 0);
	}
	/* The second unit also has the same warning twice in its own .c. */
	add(&u[1], "b.c", 3, "b", "unused variable 'w'");
	add(&u[1], "b.c", 9, "b", "unused variable 'w'");
	assert_int_equal(gate_findings_fingerprint(&u[1], NULL), 0);
	assert_int_equal(gate_findings_merge_units(&merged, units, 3), 0);
	assert_int_equal(merged.nr, 3);
	for (int i = 0; i < 3; i++)
		finding_list_dispose(&u[i]);
	finding_list_dispose(&merged);
}

static void test_delta_numbers_do_not_change_identity(void **state)
{
	struct finding_list b = FINDING_LIST_INIT, a = FINDING_LIST_INIT;
	struct gate_finding_delta r;

	add(&b, "c.c", 40, "h", "array subscript 12 is above array bounds of 'int[4]' declared at c.c:31");
	add(&a, "c.c", 44, "h", "array subscript 12 is above array bounds of 'int[4]' declared at c.c:35");
	add(&a, "c.c", 50, "h", "unused variable 'var2'");
	add(&b, "c.c", 49, "h", "unused variable 'var1'");
	run(&r, &b, &a, NULL);
	assert_int_equal(r.added.nr, 1);
	assert_string_equal(r.added.v[0].message, "unused variable 'var2'");
	assert_int_equal(r.fixed.nr, 1);
	assert_string_equal(r.fixed.v[0].message, "unused variable 'var1'");
	gate_finding_delta_dispose(&r);
	finding_list_dispose(&a);
	finding_list_dispose(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_delta_moved_warning_is_not_new),
		cmocka_unit_test(test_delta_same_warning_twice_counts_twice),
		cmocka_unit_test(test_delta_renamed_file_keeps_its_findings),
		cmocka_unit_test(test_delta_header_through_units_counts_once),
		cmocka_unit_test(test_delta_numbers_do_not_change_identity),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
