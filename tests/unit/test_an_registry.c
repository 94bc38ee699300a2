/* test_an_registry.c: the table of analyzers and the installed-tool probe,
 * run against the real gcc and a command that does not exist. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "analyzer.h"

static void test_an_registry_table(void **state)
{
	static const char *const names[] = {
		"gcc", "clang", "sparse", "smatch", "checkpatch", "kernel-doc",
		"cppcheck", "clang-tidy", "commit-msg",
	};
	size_t n;
	const struct an_desc *all = an_all(&n);

	assert_int_equal(n, sizeof(names) / sizeof(names[0]));
	for (size_t i = 0; i < n; i++) {
		const struct an_desc *d = an_find(names[i]);

		assert_non_null(d);
		assert_true(d >= all && d < all + n);
		assert_true(!d->default_command == !d->parse);
		assert_true(!d->default_command == !d->install_hint);
	}
	assert_null(an_find("lint"));
	assert_int_equal(an_find("checkpatch")->kind, AN_KIND_PATCH);
	assert_int_equal(an_find("sparse")->kind, AN_KIND_OBJECT);
}

static void test_an_registry_probe(void **state)
{
	struct an_probe p;

	assert_int_equal(an_probe(an_find("gcc"), NULL, &p), 0);
	assert_true(p.found);
	assert_non_null(strstr(p.path, "gcc"));
	assert_true(p.version[0] >= '1' && p.version[0] <= '9');
	assert_non_null(strchr(p.version, '.'));

	assert_int_equal(an_probe(an_find("sparse"), "/nonexistent/sparse -v", &p), 0);
	assert_false(p.found);

	assert_int_equal(an_probe(an_find("commit-msg"), NULL, &p), 0);
	assert_true(p.found);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_an_registry_table),
		cmocka_unit_test(test_an_registry_probe),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
