/* test_an_function.c: an_enclosing_function() on a real source and on the
 * shapes of C that trip a naive scanner. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "analyzer.h"
#include "strbuf.h"

/* Asserts that line `line` of src lies in function `want` ("" for none). */
static void expect(const char *src, unsigned int line, const char *want)
{
	struct strbuf sb = STRBUF_INIT;

	assert_int_equal(an_enclosing_function(src, strlen(src), line, &sb), 0);
	if (strcmp(sb.buf, want))
		fail_msg("line %u: '%s', wanted '%s'", line, sb.buf, want);
	strbuf_dispose(&sb);
}

/* The lines gcc put "In function" on in gcc-w1.txt, and some it did not. */
static void test_an_function_matches_gcc(void **state)
{
	struct strbuf src = STRBUF_INIT;

	assert_int_equal(strbuf_read_file(&src, TEST_DATA_DIR
					  "/analyzers/src/bar.c"), 0);
	expect(src.buf, 11, "compute");
	expect(src.buf, 15, "compute");
	expect(src.buf, 17, "compute");
	expect(src.buf, 34, "no_return_value");
	expect(src.buf, 42, "missing_return");
	expect(src.buf, 46, "main");
	expect(src.buf, 49, "main");
	expect(src.buf, 57, "old_style");	/* K&R */
	expect(src.buf, 59, "old_style");
	expect(src.buf, 5, "");
	expect(src.buf, 7, "");
	expect(src.buf, 52, "");
	expect(src.buf, 1000, "");
	strbuf_dispose(&src);
}

static void test_an_function_kernel_shapes(void **state)
{
	static const char src[] =
		"#define BODY(x) { return x; }\n"			/* 1 */
		"#define LONG(x) \\\n"					/* 2 */
		"\tint x(void) { return 0; }\n"				/* 3 */
		"static const char *msg = \"int f(void) {\";\n"		/* 4 */
		"static char c = '{';\n"				/* 5 */
		"/* int g(void) {\n"					/* 6 */
		" * } */\n"						/* 7 */
		"__printf(2, 3) static inline int __maybe\n"		/* 8 */
		"log_it(int lvl, const char *fmt, ...)\n"		/* 9 */
		"{\n"							/* 10 */
		"\tif (lvl) {\n"					/* 11 */
		"\t\treturn '}';\n"					/* 12 */
		"\t}\n"							/* 13 */
		"\treturn 0; // }\n"					/* 14 */
		"}\n"							/* 15 */
		"SYSCALL_DEFINE3(open, const char __user *, name, int, flags,\n" /* 16 */
		"\t\tumode_t, mode)\n"					/* 17 */
		"{\n"							/* 18 */
		"\treturn do_open(name);\n"				/* 19 */
		"}\n"							/* 20 */
		"static DEFINE_MUTEX(lock);\n"				/* 21 */
		"struct ops my_ops = {\n"				/* 22 */
		"\t.open = open_it,\n"					/* 23 */
		"};\n"							/* 24 */
		"int proto(int a);\n"					/* 25 */
		"struct s { int (*fn)(void); };\n"			/* 26 */
		"static void __init kern_style(void) {\n"		/* 27 */
		"\tstruct s x = { 0 };\n"				/* 28 */
		"}\n"							/* 29 */
		"void locked(struct l *l) __acquires(l)\n"		/* 30 */
		"{\n"							/* 31 */
		"}\n"							/* 32 */
		"EXPORT_SYMBOL(locked);\n"				/* 33 */
		"int cut_short(void)\n"					/* 34 */
		"{\n"							/* 35 */
		"\tif (x) {\n";						/* 36 */

	expect(src, 1, "");
	expect(src, 3, "");
	expect(src, 4, "");
	expect(src, 6, "");
	expect(src, 8, "");
	expect(src, 9, "log_it");
	expect(src, 12, "log_it");
	expect(src, 14, "log_it");
	expect(src, 15, "log_it");
	expect(src, 17, "SYSCALL_DEFINE3(open");
	expect(src, 19, "SYSCALL_DEFINE3(open");
	expect(src, 21, "");
	expect(src, 23, "");
	expect(src, 25, "");
	expect(src, 26, "");
	expect(src, 28, "kern_style");
	expect(src, 31, "locked");
	expect(src, 33, "");
	expect(src, 36, "cut_short");
}

static void test_an_function_empty_and_binary(void **state)
{
	static const char bin[] = "int f(void)\n{\0\xff{\n}\n}\nint g(";
	struct strbuf sb = STRBUF_INIT;

	expect("", 1, "");
	assert_int_equal(an_enclosing_function(bin, sizeof(bin) - 1, 3, &sb), 0);
	assert_string_equal(sb.buf, "f");
	strbuf_dispose(&sb);
	expect("}}}} int h(void) { x; }", 1, "h");
	expect("\"unterminated\nint k(void)\n{\n}\n", 3, "k");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_an_function_matches_gcc),
		cmocka_unit_test(test_an_function_kernel_shapes),
		cmocka_unit_test(test_an_function_empty_and_binary),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
