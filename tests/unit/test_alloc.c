/* test_alloc.c: ALLOC_GROW: arrays grow keeping their contents, in few
 * steps, and a size that overflows fails cleanly, leaving the array as it was. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "error.h"

struct item {
	uint64_t a, b;
};

static void test_alloc_grows_keeping_contents(void **state)
{
	size_t nr = 0, alloc = 0, steps = 0, last = 0;
	int *v = NULL;

	(void)state;
	for (int i = 0; i < 100000; i++) {
		assert_int_equal(ALLOC_GROW(v, nr + 1, alloc), 0);
		assert_true(alloc >= nr + 1);
		steps += alloc != last;
		last = alloc;
		v[nr++] = i;
	}
	for (int i = 0; i < 100000; i++)
		assert_int_equal(v[i], i);
	/* Geometric growth: a handful of reallocations, not one per item. */
	assert_true(steps < 30);
	free(v);
}

static void test_alloc_no_change_when_it_fits(void **state)
{
	size_t alloc = 0;
	struct item *v = NULL, *before;

	(void)state;
	assert_int_equal(ALLOC_GROW(v, 10, alloc), 0);
	assert_true(alloc >= 10);
	before = v;
	assert_int_equal(ALLOC_GROW(v, alloc, alloc), 0);
	assert_ptr_equal(v, before);
	/* Asking for much more than the step gets at least that much. */
	assert_int_equal(ALLOC_GROW(v, 1000, alloc), 0);
	assert_true(alloc >= 1000);
	free(v);
}

static void test_alloc_overflow_fails_and_keeps_the_array(void **state)
{
	size_t nr = 0, alloc = 0;
	struct item *v = NULL, *before;

	(void)state;
	for (; nr < 3; nr++) {
		assert_int_equal(ALLOC_GROW(v, nr + 1, alloc), 0);
		v[nr].a = nr;
	}
	before = v;
	nr = alloc;
	gate_error_clear();
	assert_int_equal(ALLOC_GROW(v, SIZE_MAX / sizeof(*v) + 1, alloc), -1);
	assert_non_null(strstr(gate_error_last(), "out of memory"));
	assert_ptr_equal(v, before);
	assert_int_equal(alloc, nr);
	assert_int_equal(ALLOC_GROW(v, SIZE_MAX, alloc), -1);
	assert_ptr_equal(v, before);
	assert_int_equal(alloc, nr);
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(v[i].a, i);
	free(v);
}

/* The function form, for code that grows arrays of several item types. */
static void test_alloc_function_form(void **state)
{
	size_t alloc = 0;
	char *v = NULL;
	void *p = NULL;

	(void)state;
	assert_int_equal(gate_alloc_grow(&v, 1, 5, &alloc), 0);
	memcpy(v, "abcd", 5);
	assert_int_equal(gate_alloc_grow(&v, 1, 500, &alloc), 0);
	assert_string_equal(v, "abcd");
	free(v);
	alloc = 0;
	assert_int_equal(gate_alloc_grow(&p, 4, SIZE_MAX / 2, &alloc), -1);
	assert_null(p);
	assert_int_equal(alloc, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alloc_grows_keeping_contents),
		cmocka_unit_test(test_alloc_no_change_when_it_fits),
		cmocka_unit_test(test_alloc_overflow_fails_and_keeps_the_array),
		cmocka_unit_test(test_alloc_function_form),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
