/* test_scratch.c: unit tests of scratch.c: the scratch area's paths, whatever
 * way the user spelt the directory that holds it. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scratch.h"

/* A build_dir through a symlink and a '..' gives canonical paths: tools print those. */
static void test_scratch_paths_are_canonical(void **state)
{
	char top[] = "/tmp/test_scratch.XXXXXX", path[256], want[256];
	struct gate_repo repo = { 0 };
	struct gate_scratch s;

	assert_non_null(mkdtemp(top));
	snprintf(path, sizeof(path), "mkdir -p %s/real/cache %s/sub && ln -s real %s/link",
		 top, top, top);
	assert_int_equal(system(path), 0);
	repo.top = "/home/u/linux";
	repo.commondir = "/home/u/linux/.git";
	snprintf(path, sizeof(path), "%s/sub/../link/cache", top);
	assert_int_equal(gate_scratch_open(&s, &repo, path), 0);
	snprintf(want, sizeof(want), "%s/real/cache/linux-", top);
	assert_memory_equal(s.dir, want, strlen(want));
	assert_non_null(strstr(s.dir, "/slot-0"));
	assert_int_equal(strncmp(s.src, s.dir, strlen(s.dir)), 0);
	assert_string_equal(s.src + strlen(s.dir), "/src");
	assert_string_equal(s.build + strlen(s.dir), "/build");
	gate_scratch_close(&s);
	snprintf(path, sizeof(path), "rm -rf %s", top);
	assert_int_equal(system(path), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scratch_paths_are_canonical),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
