/* test_tu_command.c: the command lines of cppcheck, clang-tidy and sparse for one
 * translation unit, built from a compiler command with flags to keep and to drop. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "analyzer.h"
#include "strbuf.h"
#include "strvec.h"

static const char *const cc[] = {
	"/usr/bin/gcc", "-DNDEBUG", "-D", "VERSION=\"1.0\"", "-I/src/include", "-I",
	"inc", "-isystem", "/opt/sys", "-include", "config.h", "-std=gnu11", "-O2",
	"-Wall", "-Werror", "-fPIC", "-UFOO", "-o", "obj/a.o", "-c", "/src/a.c", NULL,
};

/* The command, words joined by single spaces. */
static void build(struct strbuf *out, const char *name, const char *tool,
		  const char *extra_words)
{
	struct strvec argv = STRVEC_INIT, tool_cmd = STRVEC_INIT;
	struct strvec cc_args = STRVEC_INIT, extra = STRVEC_INIT;

	strvec_split(&tool_cmd, tool);
	strvec_pushv(&cc_args, cc);
	if (extra_words)
		strvec_split(&extra, extra_words);
	assert_int_equal(an_tu_command(&argv, an_find(name), &tool_cmd, &cc_args,
				       "/src/a.c", extra_words ? &extra : NULL), 0);
	strbuf_reset(out);
	for (size_t i = 0; i < argv.nr; i++)
		strbuf_addf(out, "%s%s", i ? " " : "", argv.v[i]);
	strvec_dispose(&argv);
	strvec_dispose(&tool_cmd);
	strvec_dispose(&cc_args);
	strvec_dispose(&extra);
}

/* The command of analyzer name run as tool with extra must be want. */
static void expect(const char *name, const char *tool, const char *extra, const char *want)
{
	struct strbuf s = STRBUF_INIT;

	build(&s, name, tool, extra);
	assert_string_equal(s.buf, want);
	strbuf_dispose(&s);
}

static void test_tu_command_cppcheck(void **state)
{
	expect("cppcheck", "cppcheck", "--enable=all",
	       "cppcheck --template={file}:{line}:{column}: {severity}: {message} [{id}] "
	       "--enable=warning,style,performance,portability --inline-suppr --quiet "
	       "-DNDEBUG -DVERSION=\"1.0\" -I/src/include -Iinc --include=config.h "
	       "--std=c11 -UFOO --enable=all /src/a.c");
}

static void test_tu_command_clang_tidy(void **state)
{
	expect("clang-tidy", "clang-tidy-14 --quiet", "--checks=-*,bugprone-*",
	       "clang-tidy-14 --quiet --checks=-*,bugprone-* /src/a.c -- -DNDEBUG "
	       "-DVERSION=\"1.0\" -I/src/include -Iinc -isystem /opt/sys -include "
	       "config.h -std=gnu11 -UFOO");
}

static void test_tu_command_sparse(void **state)
{
	expect("sparse", "sparse", NULL,
	       "sparse -DNDEBUG -DVERSION=\"1.0\" -I/src/include -Iinc -isystem "
	       "/opt/sys -include config.h -std=gnu11 -UFOO /src/a.c");
	expect("smatch", "smatch -p=kernel", "-Wsparse-all",
	       "smatch -p=kernel -DNDEBUG -DVERSION=\"1.0\" -I/src/include -Iinc -isystem "
	       "/opt/sys -include config.h -std=gnu11 -UFOO -Wsparse-all /src/a.c");
}

static void test_tu_command_edges(void **state)
{
	struct strvec argv = STRVEC_INIT, tool = STRVEC_INIT, args = STRVEC_INIT;
	static const char *const dangling[] = { "cc", "-std=c99", "-I", NULL };
	static const char *const stds[][2] = {
		{ "gnu89", "--std=c89" }, { "c99", "--std=c99" }, { "gnu17", "--std=c11" },
		{ "gnu++17", "--std=c++17" },
	};

	strvec_push(&tool, "gcc");
	assert_int_equal(an_tu_command(&argv, an_find("gcc"), &tool, &args, "a.c", NULL), -1);
	assert_int_equal(argv.nr, 0);
	strvec_dispose(&tool);

	/* A flag missing its value at the end is dropped. */
	strvec_push(&tool, "cppcheck");
	strvec_pushv(&args, dangling);
	assert_int_equal(an_tu_command(&argv, an_find("cppcheck"), &tool, &args, "a.c", NULL), 0);
	assert_string_equal(argv.v[argv.nr - 2], "--std=c99");
	assert_string_equal(argv.v[argv.nr - 1], "a.c");
	for (size_t i = 0; i < sizeof(stds) / sizeof(stds[0]); i++) {
		strvec_dispose(&argv);
		strvec_dispose(&args);
		strvec_push(&args, "cc");
		strvec_pushf(&args, "-std=%s", stds[i][0]);
		assert_int_equal(an_tu_command(&argv, an_find("cppcheck"), &tool, &args,
					       "a.c", NULL), 0);
		assert_string_equal(argv.v[argv.nr - 2], stds[i][1]);
	}
	strvec_dispose(&argv);
	strvec_dispose(&tool);
	strvec_dispose(&args);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tu_command_cppcheck),
		cmocka_unit_test(test_tu_command_clang_tidy),
		cmocka_unit_test(test_tu_command_sparse),
		cmocka_unit_test(test_tu_command_edges),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
