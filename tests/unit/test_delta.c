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

static void add_rule(struct finding_list *l, const char *file, unsigned int line,
		     const char *function, const char *rule, const char *message)
{
	struct finding f = { 0 };

	f.analyzer = strdup("gcc");
	f.file = strdup(file);
	f.line = line;
	f.function = function ? strdup(function) : NULL;
	f.rule = strdup(rule);
	f.message = strdup(message);
	f.severity = FINDING_WARNING;
	assert_int_equal(finding_list_take(l, &f), 0);
}

static void add(struct finding_list *l, const char *file, unsigned int line,
		const char *function, const char *message)
{
	add_rule(l, file, line, function, "-Wunused-variable", message);
}

#define FALLS "this statement may fall through"

static void add_fall(struct finding_list *l, const char *file, unsigned int line,
		     const char *function)
{
	add_rule(l, file, line, function, "-Wimplicit-fallthrough", FALLS);
}

/* One modified (or renamed) file with one hunk. */
static void one_hunk(struct gate_diff *d, struct gate_change *delta,
		     struct gate_hunk *h, char status, const char *old_path,
		     const char *new_path)
{
	memset(delta, 0, sizeof(*delta));
	delta->status = status;
	delta->old_path = (char *)old_path;
	delta->new_path = (char *)new_path;
	delta->hunks = h;
	delta->nr_hunks = 1;
	memset(d, 0, sizeof(*d));
	d->v = delta;
	d->nr = 1;
}

/* Starts a touched file of a diff built the way gate_diff_trees() builds it. */
static void touch(struct gate_diff *d, char status, const char *old_path,
		  const char *new_path)
{
	struct gate_change *v = realloc(d->v, (d->nr + 1) * sizeof(*v));

	assert_non_null(v);
	d->v = v;
	memset(&v[d->nr], 0, sizeof(*v));
	v[d->nr].status = status;
	v[d->nr].old_path = old_path ? strdup(old_path) : NULL;
	v[d->nr].new_path = new_path ? strdup(new_path) : NULL;
	d->nr++;
}

static size_t nr_lines(const char *const *v)
{
	size_t n = 0;

	while (v[n])
		n++;
	return n;
}

/*
 * A hunk of the last touched file, as git numbers it: the removed lines
 * from old_start, the added ones from new_start (for a side with no lines,
 * its start is the line before the hunk).
 */
static void hunk(struct gate_diff *d, unsigned int old_start, const char *const *old,
		 unsigned int new_start, const char *const *new)
{
	struct gate_hunk h = { old_start, (unsigned int)nr_lines(old),
			       new_start, (unsigned int)nr_lines(new) };

	assert_int_equal(gate_diff_add_hunk(d, &d->v[d->nr - 1], &h, old, new), 0);
}

static const char *const none[] = { NULL };

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
	struct gate_change delta;
	struct gate_finding_delta r;

	one_hunk(&d, &delta, &h, 'M', "b.c", "b.c");
	add(&b, "b.c", 10, "b", "unused variable 'x'");
	add(&a, "b.c", 13, "b", "unused variable 'x'");
	run(&r, &b, &a, &d);
	assert_int_equal(r.added.nr, 0);
	assert_int_equal(r.fixed.nr, 0);
	assert_int_equal(r.preexisting, 1);
	assert_int_equal(gate_change_map_line(&delta, 10), 13);
	assert_int_equal(gate_change_map_line(&delta, 1), 1);
	gate_finding_delta_dispose(&r);
	finding_list_dispose(&a);
	finding_list_dispose(&b);
}

static void test_delta_same_warning_twice_counts_twice(void **state)
{
	struct finding_list b = FINDING_LIST_INIT, a = FINDING_LIST_INIT;
	struct gate_hunk h = { 20, 0, 21, 1 };	/* one line inserted after line 20 */
	struct gate_diff d;
	struct gate_change delta;
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
	struct gate_change delta;
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

/* The lists, diff and result of one rename scenario, per test. */
struct scene {
	struct finding_list b, a;
	struct gate_diff d;
	struct gate_finding_delta r;
};

static int scene_new(void **state)
{
	struct scene *s = calloc(1, sizeof(*s));

	*state = s;
	return s ? 0 : -1;
}

static int scene_free(void **state)
{
	struct scene *s = *state;

	gate_finding_delta_dispose(&s->r);
	gate_diff_dispose(&s->d);
	finding_list_dispose(&s->a);
	finding_list_dispose(&s->b);
	free(s);
	return 0;
}

/* Compares the scene's lists through diff (its own, or NULL). */
static void expect(struct scene *s, const struct gate_diff *diff, size_t added,
		   size_t fixed, size_t preexisting)
{
	gate_finding_delta_dispose(&s->r);
	run(&s->r, &s->b, &s->a, diff);
	assert_int_equal(s->r.added.nr, added);
	assert_int_equal(s->r.fixed.nr, fixed);
	assert_int_equal(s->r.preexisting, preexisting);
}

/* The classify() of the issue, renamed: two fall-throughs, at lines 8 and 10. */
static void rename_classify(struct scene *s)
{
	static const char *const old[] = { "int classify(int v)\n", NULL };
	static const char *const new[] = { "int classify_value(int v)\n", NULL };

	touch(&s->d, 'M', "a.c", "a.c");
	hunk(&s->d, 3, old, 3, new);
	add_fall(&s->b, "a.c", 8, "classify");
	add_fall(&s->b, "a.c", 10, "classify");
	add_fall(&s->a, "a.c", 8, "classify_value");
	add_fall(&s->a, "a.c", 10, "classify_value");
}

static void test_delta_renamed_function_keeps_its_findings(void **state)
{
	struct scene *s = *state;

	rename_classify(s);
	gate_diff_settle(&s->d);
	assert_string_equal(gate_renames_lookup(&s->d.renames, "classify", 8),
			    "classify_value");
	assert_int_equal(gate_change_map_line(&s->d.v[0], 3), 3);
	expect(s, &s->d, 0, 0, 2);
	/* What the fingerprints alone say: two new, two fixed. */
	expect(s, NULL, 2, 2, 0);
}

static void test_delta_renamed_variable_keeps_its_findings(void **state)
{
	static const char *const static_old[] = { "static int counter;\n", NULL };
	static const char *const static_new[] = { "static int hits;\n", NULL };
	static const char *const local_old[] = { "\tint tmp = 0;\n", NULL };
	static const char *const local_new[] = { "\tint scratch = 0;\n", NULL };
	struct scene *s = *state;

	touch(&s->d, 'M', "a.c", "a.c");
	hunk(&s->d, 3, static_old, 3, static_new);
	hunk(&s->d, 9, local_old, 9, local_new);
	gate_diff_settle(&s->d);
	/* The warnings sit on the very lines that were edited. */
	add(&s->b, "a.c", 3, NULL, "'counter' defined but not used");
	add(&s->a, "a.c", 3, NULL, "'hits' defined but not used");
	add(&s->b, "a.c", 9, "f", "unused variable 'tmp'");
	add(&s->a, "a.c", 9, "f", "unused variable 'scratch'");
	expect(s, &s->d, 0, 0, 2);
}

/* classify() leaves a.c (lines 5-16) for b.c (lines 8-19). */
static void move_classify(struct gate_diff *d)
{
	static const char *const body[] = {
		"int classify(int v)\n", "{\n", "\tint r = 0;\n", "\tswitch (v) {\n",
		"\tcase 0:\n", "\t\tr += 1;\n", "\tcase 1:\n", "\t\tr += 2;\n",
		"\tdefault:\n", "\t\tbreak;\n", "\t}\n", "}\n", NULL,
	};

	touch(d, 'M', "a.c", "a.c");
	hunk(d, 5, body, 4, none);
	touch(d, 'M', "b.c", "b.c");
	hunk(d, 7, none, 8, body);
	gate_diff_settle(d);
}

static void test_delta_moved_function_keeps_its_findings(void **state)
{
	struct scene *s = *state;

	move_classify(&s->d);
	add_fall(&s->b, "a.c", 10, "classify");
	add_fall(&s->b, "a.c", 12, "classify");
	add_fall(&s->a, "b.c", 13, "classify");
	add_fall(&s->a, "b.c", 15, "classify");
	expect(s, &s->d, 0, 0, 2);

	/* Still a multiset: a third one in the moved function is new. */
	add_fall(&s->a, "b.c", 17, "classify");
	expect(s, &s->d, 1, 0, 2);
	assert_int_equal(s->r.added.v[0].line, 17);
}

static void test_delta_moved_needs_the_same_function(void **state)
{
	struct scene *s = *state;

	move_classify(&s->d);
	/* b.c's own function, which the commit did not touch, gains one. */
	add_fall(&s->b, "a.c", 10, "classify");
	add_fall(&s->a, "b.c", 3, "other");
	add_fall(&s->a, "b.c", 13, "classify_other");
	expect(s, &s->d, 2, 1, 0);
}

static void test_delta_rename_does_not_hide_a_new_warning(void **state)
{
	static const char *const case3[] = { "\tcase 3:\n", "\t\tr += 4;\n", NULL };
	struct scene *s = *state;

	/* ...and "case 3:" is added after "r += 3;" (line 12), which now falls through. */
	rename_classify(s);
	hunk(&s->d, 12, none, 13, case3);
	gate_diff_settle(&s->d);
	add_fall(&s->a, "a.c", 12, "classify_value");
	expect(s, &s->d, 1, 0, 2);
	assert_int_equal(s->r.added.v[0].line, 12);
	assert_string_equal(s->r.added.v[0].function, "classify_value");
}

static void test_delta_rename_needs_the_place(void **state)
{
	static const char *const old[] = { "static int count;\n", NULL };
	static const char *const new[] = { "static int total;\n", NULL };
	static const char *const added[] = { "\tint total;\n", NULL };
	struct scene *s = *state;

	/* count is renamed total in a.c; b.c's h() had its own count... */
	touch(&s->d, 'M', "a.c", "a.c");
	hunk(&s->d, 3, old, 3, new);
	touch(&s->d, 'M', "b.c", "b.c");
	hunk(&s->d, 29, none, 30, added);
	gate_diff_settle(&s->d);
	assert_string_equal(gate_renames_lookup(&s->d.renames, "count", 5), "total");
	/* ...whose warning, on a line the commit left alone, is fixed, while a
	 * new total on an added line of h() is new: not the same finding. */
	add(&s->b, "b.c", 5, "h", "unused variable 'count'");
	add(&s->a, "b.c", 30, "h", "unused variable 'total'");
	expect(s, &s->d, 1, 1, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_delta_moved_warning_is_not_new),
		cmocka_unit_test(test_delta_same_warning_twice_counts_twice),
		cmocka_unit_test(test_delta_renamed_file_keeps_its_findings),
		cmocka_unit_test(test_delta_header_through_units_counts_once),
		cmocka_unit_test(test_delta_numbers_do_not_change_identity),
		cmocka_unit_test_setup_teardown(test_delta_renamed_function_keeps_its_findings,
						scene_new, scene_free),
		cmocka_unit_test_setup_teardown(test_delta_renamed_variable_keeps_its_findings,
						scene_new, scene_free),
		cmocka_unit_test_setup_teardown(test_delta_moved_function_keeps_its_findings,
						scene_new, scene_free),
		cmocka_unit_test_setup_teardown(test_delta_moved_needs_the_same_function,
						scene_new, scene_free),
		cmocka_unit_test_setup_teardown(test_delta_rename_does_not_hide_a_new_warning,
						scene_new, scene_free),
		cmocka_unit_test_setup_teardown(test_delta_rename_needs_the_place,
						scene_new, scene_free),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
