/* test_renames.c: unit tests of the renamed identifiers learnt from a
 * commit's paired -/+ lines, and of when a name change is not a rename. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "renames.h"
#include "strbuf.h"

#define END NULL

/* Feeds one hunk; returns the pairing of its removed lines. */
static long hunk(struct gate_renames *r, const char *const *old,
		 const char *const *new)
{
	size_t n_old = 0, n_new = 0;
	long pair[8];

	while (old[n_old])
		n_old++;
	while (new[n_new])
		n_new++;
	assert_true(n_old <= 8);
	assert_int_equal(gate_renames_hunk(r, old, n_old, new, n_new, pair), 0);
	return n_old ? pair[0] : -1;
}

static const char *renamed(const struct gate_renames *r, const char *name)
{
	return gate_renames_lookup(r, name, strlen(name));
}

static void test_renames_edited_names_are_renames(void **state)
{
	struct gate_renames r = { 0 };
	struct strbuf out = STRBUF_INIT;

	/* Spacing does not matter; every position that differs is learnt. */
	assert_int_equal(hunk(&r, (const char *[]){ "int classify(int v);\n", END },
			      (const char *[]){ "int classify_value(int  v);\n", END }), 0);
	assert_int_equal(hunk(&r, (const char *[]){ "\treturn classify(other());\n", END },
			      (const char *[]){ "\treturn classify_value(other());\n", END }), 0);
	gate_renames_settle(&r);
	assert_string_equal(renamed(&r, "classify"), "classify_value");
	assert_null(renamed(&r, "other"));
	assert_null(renamed(&r, "classify_value"));

	/* In a message only whole identifiers are renamed. */
	assert_int_equal(gate_renames_apply(&r, &out,
		"'classify' calls classify_x, xclassify and classify"), 0);
	assert_string_equal(out.buf,
		"'classify_value' calls classify_x, xclassify and classify_value");
	strbuf_dispose(&out);
	gate_renames_dispose(&r);
}

static void test_renames_only_names_may_differ(void **state)
{
	struct gate_renames r = { 0 };

	/* A changed number, or a keyword, makes two lines unrelated. */
	assert_int_equal(hunk(&r, (const char *[]){ "x = 1;", END },
			      (const char *[]){ "y = 2;", END }), -1);
	assert_int_equal(hunk(&r, (const char *[]){ "static int n;", END },
			      (const char *[]){ "static long n;", END }), -1);
	assert_int_equal(hunk(&r, (const char *[]){ "f(a, b);", END },
			      (const char *[]){ "f(a);", END }), -1);
	gate_renames_settle(&r);
	assert_null(renamed(&r, "x"));
	assert_null(renamed(&r, "int"));
	assert_null(renamed(&r, "b"));
	gate_renames_dispose(&r);
}

static void test_renames_pairing_prefers_the_same_line(void **state)
{
	struct gate_renames r = { 0 };

	/* A line inserted above an unchanged one is not the old one, edited. */
	assert_int_equal(hunk(&r, (const char *[]){ "use(a);", END },
			      (const char *[]){ "use(b);", "use(a);", END }), 1);
	gate_renames_settle(&r);
	assert_null(renamed(&r, "a"));
	gate_renames_dispose(&r);
}

static void test_renames_must_hold_for_the_whole_commit(void **state)
{
	struct gate_renames r = { 0 };

	/* a -> b, but a is still used on an added line. */
	hunk(&r, (const char *[]){ "return a;", END }, (const char *[]){ "return b;", END });
	hunk(&r, (const char *[]){ END }, (const char *[]){ "use(a);", END });
	/* c -> d, but d was already there on a removed line. */
	hunk(&r, (const char *[]){ "c++;", END }, (const char *[]){ "d++;", END });
	hunk(&r, (const char *[]){ "d = 0;", END }, (const char *[]){ END });
	/* e became f in one place and g in another. */
	hunk(&r, (const char *[]){ "f1(e);", "f2(e);", END },
	     (const char *[]){ "f1(f);", "f2(g);", END });
	/* h and i both became j. */
	hunk(&r, (const char *[]){ "f3(h);", "f4(i);", END },
	     (const char *[]){ "f3(j);", "f4(j);", END });
	/* k -> l throughout: the one rename that holds. */
	hunk(&r, (const char *[]){ "k(1);", "k(2);", END },
	     (const char *[]){ "l(1);", "l(2);", END });
	gate_renames_settle(&r);
	assert_null(renamed(&r, "a"));
	assert_null(renamed(&r, "c"));
	assert_null(renamed(&r, "e"));
	assert_null(renamed(&r, "h"));
	assert_null(renamed(&r, "i"));
	assert_string_equal(renamed(&r, "k"), "l");
	gate_renames_dispose(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_renames_edited_names_are_renames),
		cmocka_unit_test(test_renames_only_names_may_differ),
		cmocka_unit_test(test_renames_pairing_prefers_the_same_line),
		cmocka_unit_test(test_renames_must_hold_for_the_whole_commit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
