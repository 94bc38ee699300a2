/* test_treediff.c: unit tests of treediff.c: the limited diff gives what
 * libgit2's whole tree-to-tree diff gives, renames and type changes included. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "treediff.h"

/* A repository with commits 'one' and 'two' that differ in every way a tree can. */
static const char script[] =
	"set -e; cd %s; git init -q; git config user.name t; git config user.email t@t\n"
	"mkdir -p a/b/c keep/deep gone same; echo x > a/b/c/file.c; echo k > keep/deep/k.c\n"
	"seq 1 200 > mv-me.txt; echo g > gone/g.c; echo s > same/s.c; echo t > typechange\n"
	"ln -s keep/deep/k.c link; echo m > mode.sh\n"
	"git add -A; git commit -qm one; git tag one\n"
	"echo y >> a/b/c/file.c; git mv mv-me.txt moved.txt; git rm -rq gone\n"
	"mkdir -p new/dir; echo n > new/dir/n.c; rm typechange; mkdir typechange\n"
	"echo in > typechange/in.c; chmod +x mode.sh; ln -sf same/s.c link\n"
	"git add -A; git commit -qm two; git tag two\n";

static git_repository *repo;
static char top[] = "/tmp/test_treediff.XXXXXX";

static int setup(void **state)
{
	char cmd[2048];

	git_libgit2_init();
	if (!mkdtemp(top))
		return -1;
	snprintf(cmd, sizeof(cmd), script, top);
	return system(cmd) || git_repository_open(&repo, top) ? -1 : 0;
}

static int teardown(void **state)
{
	char cmd[256];

	git_repository_free(repo);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", top);
	git_libgit2_shutdown();
	return system(cmd);
}

static git_tree *tree_of(const char *rev)
{
	git_object *o = NULL;
	git_tree *t = NULL;

	assert_int_equal(git_revparse_single(&o, repo, rev), 0);
	assert_int_equal(git_commit_tree(&t, (git_commit *)o), 0);
	git_object_free(o);
	return t;
}

/* Each delta as "status old new mode", after rename detection when asked. */
static void describe(git_diff *d, bool renames, struct strbuf *out)
{
	git_diff_find_options find = GIT_DIFF_FIND_OPTIONS_INIT;

	find.flags = GIT_DIFF_FIND_RENAMES;
	assert_int_equal(renames ? git_diff_find_similar(d, &find) : 0, 0);
	for (size_t i = 0; i < git_diff_num_deltas(d); i++) {
		const git_diff_delta *x = git_diff_get_delta(d, i);

		strbuf_addf(out, "%d %s %s %o\n", x->status, x->old_file.path,
			    x->new_file.path, x->new_file.mode);
	}
}

static void same_as_whole(const char *from, const char *to, bool renames)
{
	git_tree *a = from ? tree_of(from) : NULL, *b = tree_of(to);
	struct strbuf want = STRBUF_INIT, got = STRBUF_INIT;
	git_diff *whole = NULL, *limited = NULL;

	assert_int_equal(git_diff_tree_to_tree(&whole, repo, a, b, NULL), 0);
	assert_int_equal(gate_tree_diff(&limited, repo, a, b, NULL), 0);
	describe(whole, renames, &want);
	describe(limited, renames, &got);
	assert_true(want.len > 0);
	assert_string_equal(got.buf, want.buf);
	git_diff_free(whole);
	git_diff_free(limited);
	git_tree_free(a);
	git_tree_free(b);
	strbuf_dispose(&want);
	strbuf_dispose(&got);
}

static void test_treediff_same_deltas_as_whole_diff(void **state)
{
	same_as_whole("one", "two", false);
	same_as_whole("two", "one", false);
}

static void test_treediff_same_renames_as_whole_diff(void **state)
{
	struct strbuf got = STRBUF_INIT;
	git_tree *a = tree_of("one"), *b = tree_of("two");
	git_diff *d = NULL;

	same_as_whole("one", "two", true);
	assert_int_equal(gate_tree_diff(&d, repo, a, b, NULL), 0);
	describe(d, true, &got);
	assert_non_null(strstr(got.buf, "mv-me.txt moved.txt"));
	git_diff_free(d);
	git_tree_free(a);
	git_tree_free(b);
	strbuf_dispose(&got);
}

static void test_treediff_equal_and_empty_trees(void **state)
{
	git_tree *a = tree_of("two");
	git_diff *d = NULL;

	assert_int_equal(gate_tree_diff(&d, repo, a, a, NULL), 0);
	assert_int_equal(git_diff_num_deltas(d), 0);
	git_diff_free(d);
	git_tree_free(a);
	same_as_whole(NULL, "one", false);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_treediff_same_deltas_as_whole_diff),
		cmocka_unit_test(test_treediff_same_renames_as_whole_diff),
		cmocka_unit_test(test_treediff_equal_and_empty_trees),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
