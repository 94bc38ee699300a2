/* test_ctr_recipe.c: recipe header parsing, by example and as a property test.
 * The random cases run from a fixed seed, so a failure repeats. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "recipe.h"
#include "error.h"
#include "strbuf.h"

#define ORIGIN "/r/tool.recipe"
#define FUZZ_ROUNDS 5000

static void expect_error(const char *text, const char *msg)
{
	struct ctr_recipe r;

	ctr_recipe_init(&r);
	assert_int_equal(ctr_recipe_parse(&r, ORIGIN, text), -1);
	assert_string_equal(gate_error_last(), msg);
	ctr_recipe_dispose(&r);
}

static void test_ctr_recipe_full_header(void **state)
{
	struct ctr_recipe r;

	ctr_recipe_init(&r);
	assert_int_equal(ctr_recipe_parse(&r, ORIGIN,
		"# builds a newer sparse\n"
		"git_url: https://git.kernel.org/pub/scm/devel/sparse/sparse.git\n"
		"git_commit:   v0.6.4  \n"
		"other_files: fix.patch sub/extra.h\n"
		"\n"
		"set -e\nmake install\n"), 0);
	assert_string_equal(r.git_url, "https://git.kernel.org/pub/scm/devel/sparse/sparse.git");
	assert_string_equal(r.git_commit, "v0.6.4");
	assert_int_equal(r.other_files.nr, 2);
	assert_string_equal(r.other_files.v[0], "fix.patch");
	assert_string_equal(r.other_files.v[1], "sub/extra.h");
	assert_string_equal(r.script, "set -e\nmake install\n");
	ctr_recipe_dispose(&r);
}

static void test_ctr_recipe_script_starts_without_blank_line(void **state)
{
	struct ctr_recipe r;

	ctr_recipe_init(&r);
	assert_int_equal(ctr_recipe_parse(&r, ORIGIN, "#!/bin/sh\necho hi\n"), 0);
	assert_null(r.git_url);
	assert_int_equal(r.other_files.nr, 0);
	assert_string_equal(r.script, "#!/bin/sh\necho hi\n");
	ctr_recipe_dispose(&r);

	ctr_recipe_init(&r);
	assert_int_equal(ctr_recipe_parse(&r, ORIGIN,
		"git_url: /srv/x.git\r\ngit_commit: abc\r\nmake\r\n"), 0);
	assert_string_equal(r.git_commit, "abc");
	assert_string_equal(r.script, "make\r\n");
	ctr_recipe_dispose(&r);
}

static void test_ctr_recipe_errors(void **state)
{
	expect_error("git_url: a\ngit_url: b\ngit_commit: c\n\nmake\n",
		     ORIGIN ":2: 'git_url' given twice");
	expect_error("git_rul: a\n\nmake\n", ORIGIN ":1: unknown key 'git_rul' in the recipe header");
	assert_string_equal(gate_error_last_hint(),
			    "recipe keys are git_url, git_commit and other_files; a blank line ends the header");
	expect_error("git_url:\n\nmake\n", ORIGIN ":1: no value for 'git_url'");
	expect_error("git_url: x\n\nmake\n", ORIGIN ": 'git_url' needs a 'git_commit'");
	expect_error("git_commit: x\n\nmake\n", ORIGIN ": 'git_commit' without a 'git_url'");
	expect_error("other_files: a b\n\n  \n\t\n", ORIGIN ": the recipe has no build script after its header");
	expect_error("", ORIGIN ": the recipe has no build script after its header");
	expect_error("other_files: ok ../up\n\nmake\n",
		     ORIGIN ": other file '../up' is outside the recipe's directory");
	expect_error("other_files: /etc/passwd\n\nmake\n",
		     ORIGIN ": other file '/etc/passwd' is outside the recipe's directory");
	expect_error("other_files: a/../../b\n\nmake\n",
		     ORIGIN ": other file 'a/../../b' is outside the recipe's directory");
	expect_error("git_url: u\ngit_commit: --upload-pack=x\n\nmake\n",
		     ORIGIN ": 'git_commit' '--upload-pack=x' is not a revision");
	expect_error("other_files: a\nother_files: b\n\nmake\n",
		     ORIGIN ":2: 'other_files' given twice");
}

static void test_ctr_recipe_load_names(void **state)
{
	char dir[] = "/tmp/test_ctr_recipe.XXXXXX";
	struct strbuf path = STRBUF_INIT, text = STRBUF_INIT;
	struct ctr_recipe r;

	assert_non_null(mkdtemp(dir));
	strbuf_addf(&path, "%s/smatch.recipe", dir);
	strbuf_addstr(&text, "other_files: a.patch\n\nmake\n");
	assert_int_equal(strbuf_write_file(&text, path.buf), 0);
	ctr_recipe_init(&r);
	assert_int_equal(ctr_recipe_load(&r, path.buf), 0);
	assert_string_equal(r.name, "smatch");
	assert_string_equal(r.dir, dir);
	ctr_recipe_dispose(&r);
	unlink(path.buf);
	ctr_recipe_init(&r);
	assert_int_equal(ctr_recipe_load(&r, path.buf), -1);
	ctr_recipe_dispose(&r);
	rmdir(dir);
	strbuf_dispose(&path);
	strbuf_dispose(&text);
}

static const char *pick(const char *const *words, size_t n)
{
	return words[(size_t)rand() % n];
}

/* Random valid recipes, written out and parsed back, give what was written. */
static void test_ctr_recipe_roundtrip_property(void **state)
{
	static const char *const urls[] = { "https://h/x.git", "/srv/git/t", "git://a/b" };
	static const char *const files[] = { "a.patch", "d/b.h", "c", "x-y_z.diff" };
	static const char *const lines[] = { "make", "echo 'a: b'", "cd src && make",
					     "#!/bin/sh", "# note", "", "  ", "./configure" };

	srand(4242);
	for (int round = 0; round < FUZZ_ROUNDS; round++) {
		struct strbuf text = STRBUF_INIT, script = STRBUF_INIT;
		bool git = rand() % 2;
		int nfiles = rand() % 4, nlines = 1 + rand() % 5;
		struct ctr_recipe r;

		if (git)
			strbuf_addf(&text, "git_commit: v%d\ngit_url: %s\n", round,
				    pick(urls, 3));
		if (rand() % 3 == 0)
			strbuf_addstr(&text, "# a comment in the header\n");
		if (nfiles) {
			strbuf_addstr(&text, "other_files:");
			for (int i = 0; i < nfiles; i++)
				strbuf_addf(&text, " %s", files[i]);
			strbuf_addch(&text, '\n');
		}
		strbuf_addch(&text, '\n');
		strbuf_addstr(&script, "run\n");
		for (int i = 0; i < nlines; i++)
			strbuf_addf(&script, "%s\n", pick(lines, 8));
		strbuf_addstr(&text, script.buf);

		ctr_recipe_init(&r);
		assert_int_equal(ctr_recipe_parse(&r, ORIGIN, text.buf), 0);
		assert_int_equal(!!r.git_url, git);
		assert_int_equal(!!r.git_commit, git);
		assert_int_equal(r.other_files.nr, nfiles);
		for (int i = 0; i < nfiles; i++)
			assert_string_equal(r.other_files.v[i], files[i]);
		assert_string_equal(r.script, script.buf);
		ctr_recipe_dispose(&r);
		strbuf_dispose(&text);
		strbuf_dispose(&script);
	}
}

/* Random text never crashes the parser, and what it accepts is well formed. */
static void test_ctr_recipe_random_input_property(void **state)
{
	static const char alphabet[] = "gitu_rlcomfes: \n\n#!./ab\r\t";

	srand(777);
	for (int round = 0; round < FUZZ_ROUNDS; round++) {
		size_t len = (size_t)(rand() % 120);
		char *text = malloc(len + 1);
		struct ctr_recipe r;

		assert_non_null(text);
		for (size_t i = 0; i < len; i++)
			text[i] = alphabet[(size_t)rand() % (sizeof(alphabet) - 1)];
		text[len] = '\0';
		ctr_recipe_init(&r);
		if (!ctr_recipe_parse(&r, ORIGIN, text)) {
			assert_non_null(r.script);
			assert_true(r.script[strspn(r.script, " \t\r\n")] != '\0');
			assert_true(!r.git_url == !r.git_commit);
			assert_non_null(strstr(text, r.script));
			for (size_t i = 0; i < r.other_files.nr; i++)
				assert_true(r.other_files.v[i][0] != '/');
		} else {
			assert_true(gate_error_last()[0] != '\0');
		}
		ctr_recipe_dispose(&r);
		free(text);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ctr_recipe_full_header),
		cmocka_unit_test(test_ctr_recipe_script_starts_without_blank_line),
		cmocka_unit_test(test_ctr_recipe_errors),
		cmocka_unit_test(test_ctr_recipe_load_names),
		cmocka_unit_test(test_ctr_recipe_roundtrip_property),
		cmocka_unit_test(test_ctr_recipe_random_input_property),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
