/* test_rep_text.c: unit tests of the text cleaning and escaping of reports.
 * What may reach a terminal, an XML or an HTML file is decided there. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "model.h"
#include "text.h"
#include "strbuf.h"

static void check_clean(const char *in, size_t len, unsigned flags,
			const char *want)
{
	struct strbuf sb = STRBUF_INIT;

	assert_int_equal(rep_text_clean(&sb, in, len, flags), 0);
	assert_string_equal(sb.buf, want);
	strbuf_dispose(&sb);
}

static void test_rep_text_strips_ansi(void **state)
{
	const char *s = "\033[01;35mwarning: \033[0m\033]8;;http://x\007link"
			"\033]8;;\033\\ \033(Bok";

	check_clean(s, strlen(s), 0, "warning: link ok");
	check_clean("cut\033[3", 6, 0, "cut");
}

static void test_rep_text_replaces_controls(void **state)
{
	check_clean("a\001b\007c\x7f", 6, 0,
		    "a\xe2\x90\x81" "b\xe2\x90\x87" "c\xe2\x90\xa1");
	check_clean("l1\r\nl2\tx", 8, 0, "l1\nl2\tx");
	check_clean("l1\r\nl2\tx", 8, REP_TEXT_ONELINE, "l1 l2 x");
	check_clean("nul\0byte", 8, 0, "nul\xe2\x90\x80" "byte");
}

static void test_rep_text_replaces_invalid_utf8(void **state)
{
	/* a lone continuation, an overlong '/', a surrogate, a cut sequence */
	check_clean("\x80|\xc0\xaf|\xed\xa0\x80|\xe2\x82", 11, 0,
		    "\\x80|\\xC0\\xAF|\\xED\\xA0\\x80|\\xE2\\x82");
	/* valid multibyte text passes; U+FFFE and C1 controls do not */
	check_clean("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\xa7", 14, 0,
		    "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\xa7");
	check_clean("\xef\xbf\xbe\xc2\x85", 5, 0, "\\uFFFE\\u0085");
}

static void test_rep_text_escapes_markup(void **state)
{
	const char *s = "<script>alert(\"x\")</script> & 'y'";

	check_clean(s, strlen(s), REP_TEXT_HTML,
		    "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;");
}

static void test_rep_text_tail_trims(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	assert_int_equal(rep_text_tail(&sb, "\n\nkeep\n  \n", 100, 0), 0);
	assert_string_equal(sb.buf, "keep");
	strbuf_reset(&sb);
	assert_int_equal(rep_text_tail(&sb, "aaaaaaaaaa\nbbbb\ncccc", 12, 0), 0);
	assert_string_equal(sb.buf, "[... 11 bytes trimmed ...]\nbbbb\ncccc");
	strbuf_dispose(&sb);
}

static void test_rep_text_stops_at_cap(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	sb.cap = 4;
	assert_int_equal(rep_text_cleanstr(&sb, "<<<<", REP_TEXT_HTML), -1);
	assert_true(sb.len <= 4);
	strbuf_dispose(&sb);
}

static void test_rep_text_finding_format(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	json_t *f = json_pack("{s:s, s:i, s:s, s:s, s:s}", "file", "a.c",
			      "line", 3, "severity", "error",
			      "message", "bad\033[0m\nthing", "rule", "R1");

	assert_int_equal(rep_finding_format(&sb, f, 0), 0);
	assert_string_equal(sb.buf, "a.c:3: error: bad thing [R1]");
	/* gcc's form, and who said it: gcc and clang must not look alike */
	json_object_set_new(f, "column", json_integer(7));
	json_object_set_new(f, "analyzer", json_string("clang\033[1m"));
	strbuf_reset(&sb);
	assert_int_equal(rep_finding_format(&sb, f, 0), 0);
	assert_string_equal(sb.buf, "a.c:3:7: error: bad thing [R1] (clang)");
	strbuf_reset(&sb);
	assert_int_equal(rep_finding_location(&sb, f, 0), 0);
	assert_string_equal(sb.buf, "a.c:3:7: ");
	/* a column without a line means nothing */
	json_object_del(f, "line");
	json_object_del(f, "rule");
	strbuf_reset(&sb);
	assert_int_equal(rep_finding_format(&sb, f, 0), 0);
	assert_string_equal(sb.buf, "a.c: error: bad thing (clang)");
	json_object_del(f, "file");
	json_object_del(f, "analyzer");
	strbuf_reset(&sb);
	assert_int_equal(rep_finding_format(&sb, f, 0), 0);
	assert_string_equal(sb.buf, "error: bad thing");
	json_decref(f);
	strbuf_dispose(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rep_text_strips_ansi),
		cmocka_unit_test(test_rep_text_replaces_controls),
		cmocka_unit_test(test_rep_text_replaces_invalid_utf8),
		cmocka_unit_test(test_rep_text_escapes_markup),
		cmocka_unit_test(test_rep_text_tail_trims),
		cmocka_unit_test(test_rep_text_stops_at_cap),
		cmocka_unit_test(test_rep_text_finding_format),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
