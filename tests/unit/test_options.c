/* test_options.c: the help styles of options.c: roff for man pages and the
 * words shell completion offers, both from the usage and table -h prints. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exit.h"
#include "options.h"
#include "strvec.h"

static const char *const usage[] = {
	"mkt-gate thing build|list [<options>]",
	"mkt-gate thing merge <file>... -o <file>",
	"mkt-gate thing [--from] <file>",
	"",
	".dots and -dashes in prose",
	NULL,
};

static const char *s_val;
static int b_val, i_val;
static const struct option opts[] = {
	OPT_STRING(0, "from", &s_val, "file", "read <file>"),
	OPT_GROUP("more"),
	OPT_BOOL('q', "quiet", &b_val, "say less"),
	OPT_INT('j', NULL, &i_val, "n", "jobs"),
	OPT_END(),
};

/* What f(...) printed, NUL-ended; the caller frees it. */
static char *man_text(const char *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	opt_man_text(f, s);
	fclose(f);
	return buf;
}

static void test_options_man_text_escapes(void **state)
{
	char *t = man_text(".start -x a\\b\n'quote\n\nnext");

	assert_string_equal(t, "\\&.start \\-x a\\eb\n\\&'quote\n.PP\nnext");
	free(t);
}

static void test_options_words_subcommands_and_long_options(void **state)
{
	struct strvec w = STRVEC_INIT;
	const char *want[] = { "build", "list", "merge", "--from=", "--quiet", "--help" };

	opt_help_style(OPT_STYLE_WORDS, &w);
	assert_int_equal(opt_exit(OPT_HELP, usage, opts), GATE_EXIT_OK);
	opt_help_style(OPT_STYLE_TEXT, NULL);
	assert_int_equal(w.nr, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < w.nr; i++)
		assert_string_equal(w.v[i], want[i]);
	strvec_dispose(&w);
}

static void test_options_man_sections_from_the_table(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *saved = stdout;

	stdout = open_memstream(&buf, &len);
	assert_non_null(stdout);
	opt_help_style(OPT_STYLE_MAN, NULL);
	assert_int_equal(opt_exit(OPT_HELP, usage, opts), GATE_EXIT_OK);
	opt_help_style(OPT_STYLE_TEXT, NULL);
	fclose(stdout);
	stdout = saved;
	assert_non_null(strstr(buf, ".SH SYNOPSIS\n.nf\nmkt\\-gate thing build|list [<options>]\n"));
	assert_non_null(strstr(buf, ".SH DESCRIPTION\n.PP\n\\&.dots and \\-dashes in prose\n"));
	assert_non_null(strstr(buf, ".TP\n\\fB\\-\\-from\\fR=\\fIfile\\fR\nread <file>\n"));
	assert_non_null(strstr(buf, ".SS \"more\"\n"));
	assert_non_null(strstr(buf, "\\fB\\-q\\fR, \\fB\\-\\-quiet\\fR\nsay less\n"));
	assert_non_null(strstr(buf, "\\fB\\-j\\fR \\fIn\\fR\njobs\n"));
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_options_man_text_escapes),
		cmocka_unit_test(test_options_words_subcommands_and_long_options),
		cmocka_unit_test(test_options_man_sections_from_the_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
