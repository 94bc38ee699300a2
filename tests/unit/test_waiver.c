/* test_waiver.c: the .mkt-gate-waivers parser and matcher: fingerprints, patterns,
 * reasons, bad lines named by file:line, and a property test on random input. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "waiver.h"

static struct finding make(const char *analyzer, const char *rule, const char *file,
			   const char *message)
{
	struct finding f = { 0 };

	f.analyzer = (char *)analyzer;
	f.rule = (char *)rule;
	f.file = (char *)file;
	f.message = (char *)message;
	finding_fingerprint(&f, NULL);
	return f;
}

static struct waivers *parse(const char *text)
{
	struct waivers *w = NULL;

	assert_int_equal(waivers_parse(&w, "w", text, strlen(text)), 0);
	assert_non_null(w);
	return w;
}

static void test_waiver_fingerprint(void **state)
{
	struct finding f = make("gcc", "-Wunused-variable", "a.c", "unused variable 'x'");
	struct finding g = make("gcc", "-Wunused-variable", "a.c", "unused variable 'y'");
	char text[128];
	struct waivers *w;

	snprintf(text, sizeof(text), "# accepted\n\n  %s   # legacy code\n", f.fingerprint);
	for (char *p = text; *p; p++)
		if (*p >= 'a' && *p <= 'f')
			*p = (char)(*p - 'a' + 'A');	/* either case */
	w = parse(text);
	assert_int_equal(waivers_count(w), 1);
	assert_true(waivers_match(w, &f));
	assert_false(waivers_match(w, &g));
	waivers_free(w);
}

static void test_waiver_pattern(void **state)
{
	struct finding f[] = {
		make("gcc", "-Wunused-variable", "drivers/foo/core.c", "unused variable 'tmp'"),
		make("commit-msg", "commit-msg:signoff", NULL, "no Signed-off-by: from the author"),
	};
	static const struct {
		const char *line;
		bool want[2];
	} cases[] = {
		{ "gcc:-Wunused-variable:drivers/*", { true, false } },
		{ "*:*:*/foo/*.c:variable 'tmp' # ok", { true, false } },
		{ "gcc:-Wunused-*:drivers/foo/core.c:variable 'other'", { false, false } },
		{ "clang:-Wunused-variable:*", { false, false } },
		/* A path glob matches the whole path; no file is "". */
		{ "gcc:-Wunused-variable:foo/core.c", { false, false } },
		{ "*:*:*", { true, true } },
		/* The rule with or without its analyzer's prefix. */
		{ "commit-msg:signoff:*", { false, true } },
		{ "commit-msg:signoff:*:Signed-off-by: from", { false, true } },
		{ "commit-msg:signoff:x", { false, false } },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct waivers *w = parse(cases[i].line);

		for (size_t k = 0; k < 2; k++)
			assert_int_equal(waivers_match(w, &f[k]), cases[i].want[k]);
		waivers_free(w);
	}
}

static void test_waiver_apply(void **state)
{
	struct finding_list l = FINDING_LIST_INIT;
	struct finding f = make("checkpatch", "LONG_LINE", "a.c", "line too long");
	struct finding g = make("checkpatch", "SPACING", "a.c", "spaces needed");
	struct waivers *w = parse("checkpatch:LONG_LINE:*\n");

	assert_int_equal(finding_list_append_copy(&l, &f), 0);
	assert_int_equal(finding_list_append_copy(&l, &g), 0);
	waivers_apply(w, &l);
	assert_true(l.v[0].waived);
	assert_false(l.v[1].waived);
	waivers_apply(NULL, &l);
	assert_false(waivers_match(NULL, &g));
	finding_list_dispose(&l);
	waivers_free(w);
}

static void expect_bad_n(const char *text, size_t len, const char *where)
{
	struct waivers *w = (struct waivers *)1;

	assert_int_equal(waivers_parse(&w, "repo/.mkt-gate-waivers", text, len), -1);
	assert_null(w);
	assert_non_null(strstr(gate_error_last(), where));
	assert_non_null(strstr(gate_error_last_hint(), "analyzer:rule:path-glob"));
}

static void expect_bad(const char *text, const char *where)
{
	expect_bad_n(text, strlen(text), where);
}

static void test_waiver_bad_lines(void **state)
{
	expect_bad("gcc:-Wall:*\nnot a waiver\n", "repo/.mkt-gate-waivers:2: bad waiver 'not a waiver'");
	expect_bad("0123456789abcde\n", ":1: bad waiver");
	expect_bad("0123456789abcdefg\n", ":1:");
	expect_bad("gcc:-Wall\n", ":1:");
	expect_bad("gcc::a.c\n", ":1:");
	expect_bad(":x:a.c\n", ":1:");
	expect_bad("gcc:x:\n", ":1:");
	expect_bad("# c\n\ngcc:x:a.c:\n", ":3:");
	expect_bad_n("gcc:x:a.c\n\0\n", 12, ":2: bad waiver '(a NUL byte)'");
}

static void test_waiver_load(void **state)
{
	char dir[] = "/tmp/test_waiver.XXXXXX";
	char path[64];
	struct waivers *w = NULL;
	FILE *f;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/.mkt-gate-waivers", dir);
	assert_int_equal(waivers_load(&w, path), 0);	/* missing: empty */
	assert_int_equal(waivers_count(w), 0);
	waivers_free(w);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("gcc:*:*\r\nsparse:decl:*.c\n", f);
	fclose(f);
	assert_int_equal(waivers_load(&w, path), 0);
	assert_int_equal(waivers_count(w), 2);
	waivers_free(w);
	f = fopen(path, "w");
	fputs("gcc:*:*\nbad\n", f);
	fclose(f);
	assert_int_equal(waivers_load(&w, path), -1);
	assert_non_null(strstr(gate_error_last(), ".mkt-gate-waivers:2:"));
	unlink(path);
	rmdir(dir);
	waivers_free(NULL);
}

/* Random bytes never crash the parser: it either fails or gives a set. */
static void test_waiver_fuzz(void **state)
{
	static const char alphabet[] = "ab:*#\t \n0123456789abcdef/.\r-";
	char buf[256];

	srand(4242);
	for (int round = 0; round < 20000; round++) {
		size_t n = (size_t)(rand() % (int)sizeof(buf));
		struct waivers *w = NULL;
		struct finding f = make("a", "b", round % 2 ? "a/b.c" : NULL, "m 1");

		for (size_t i = 0; i < n; i++)
			buf[i] = round % 3 ? alphabet[rand() % (int)(sizeof(alphabet) - 1)] :
					     (char)(rand() % 256);
		if (waivers_parse(&w, "fuzz", buf, n) == 0) {
			assert_non_null(w);
			waivers_match(w, &f);
		} else {
			assert_null(w);
		}
		waivers_free(w);
	}
}

/* A pattern made from a finding's own fields, any one replaced by "*", matches it. */
static void test_waiver_property(void **state)
{
	static const char chars[] = "abcXYZ_-./0123456789 ";
	char field[4][24], orig[4][24], line[160];

	srand(7);
	for (int round = 0; round < 5000; round++) {
		struct waivers *w;
		struct finding f;

		for (int k = 0; k < 4; k++) {
			size_t n = 1 + (size_t)(rand() % 20);

			for (size_t i = 0; i < n; i++)
				field[k][i] = chars[rand() % (int)(sizeof(chars) - 2)];
			field[k][n] = '\0';
		}
		memcpy(orig, field, sizeof(orig));
		f = make(orig[0], orig[1], orig[2], orig[3]);
		snprintf(field[rand() % 3], 24, "*");
		snprintf(line, sizeof(line), "%s:%s:%s:%s\n%s\n", field[0], field[1],
			 field[2], field[3], f.fingerprint);
		w = parse(line);
		assert_int_equal(waivers_count(w), 2);
		assert_true(waivers_match(w, &f));
		waivers_free(w);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_waiver_fingerprint),
		cmocka_unit_test(test_waiver_pattern),
		cmocka_unit_test(test_waiver_apply),
		cmocka_unit_test(test_waiver_bad_lines),
		cmocka_unit_test(test_waiver_load),
		cmocka_unit_test(test_waiver_fuzz),
		cmocka_unit_test(test_waiver_property),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
