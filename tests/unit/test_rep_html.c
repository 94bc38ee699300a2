/* test_rep_html.c: unit tests of the HTML report: code snippets through
 * struct rep_source, the marked line, and escaping of hostile text. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report.h"
#include "strbuf.h"

#define SAMPLE TEST_DATA_DIR "/reports/sample.json"

struct fake {
	int calls;
};

/* Every file has 2000 lines "line N <tag>"; eq.c is unreadable. */
static int fake_read(void *data, const char *sha, const char *path,
		     struct strbuf *out)
{
	struct fake *fk = data;

	fk->calls++;
	if (strstr(path, "eq.c"))
		return -1;
	for (int i = 1; i <= 2000; i++)
		if (strbuf_addf(out, "line %d <b>\t%s\n", i, sha))
			return -1;
	return 0;
}

static char *render_report(const json_t *r, const struct rep_source *src)
{
	char path[] = "/tmp/test_rep_html.XXXXXX";
	struct strbuf sb = STRBUF_INIT;
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(rep_html_write(r, path, src), 0);
	assert_int_equal(strbuf_read_file(&sb, path), 0);
	unlink(path);
	return strbuf_detach(&sb, NULL);
}

static char *render(const struct rep_source *src)
{
	json_t *r = NULL;
	char *html;

	assert_int_equal(rep_load(&r, SAMPLE), 0);
	html = render_report(r, src);
	json_decref(r);
	return html;
}

static void test_rep_html_snippet_marks_line(void **state)
{
	struct fake fk = { 0 };
	struct rep_source src = { fake_read, &fk };
	char *html = render(&src);

	assert_true(fk.calls > 0);
	assert_non_null(strstr(html, "<span class=\"hit\"><i>1042</i>line 1042 "
				     "&lt;b&gt;\ta1b2c3d4e5f6"));
	assert_non_null(strstr(html, "<span><i>1039</i>line 1039"));
	assert_non_null(strstr(html, "<span><i>1045</i>line 1045"));
	assert_null(strstr(html, "<i>1046</i>"));
	assert_null(strstr(html, "<i>1</i>"));
	/* a fixed finding shows the parent's content */
	assert_non_null(strstr(html, "<i>877</i>line 877 &lt;b&gt;\t1f2e3d4c"));
	free(html);
}

static void test_rep_html_escapes_and_works_without_source(void **state)
{
	char *html = render(NULL);

	assert_null(strstr(html, "<script>alert"));
	assert_non_null(strstr(html, "&lt;script&gt;alert(1)&lt;/script&gt; "
				     "&amp; &quot;quoted&quot; &#39;path&#39;"));
	assert_null(strstr(html, "\033"));
	assert_null(strstr(html, "<pre class=\"code\">"));
	assert_non_null(strstr(html, "data-analyzer=\"sparse\""));
	free(html);
}

/*
 * Many findings in one file read it once, not once each (20,000 findings
 * took 54 s), and each still shows its own lines, clamped to the file.
 */
static void test_rep_html_one_read_per_file(void **state)
{
	struct fake fk = { 0 };
	struct rep_source src = { fake_read, &fk };
	json_t *r = NULL, *commit, *check, *news, *f0;
	char *html;

	assert_int_equal(rep_load(&r, SAMPLE), 0);
	commit = json_array_get(json_object_get(r, "commits"), 0);
	while (json_array_size(json_object_get(r, "commits")) > 1)
		json_array_remove(json_object_get(r, "commits"), 1);
	json_array_clear(json_object_get(commit, "checks"));
	check = json_pack("{s:s, s:s, s:[], s:[], s:i}", "analyzer", "gcc", "status", "fail",
			  "new", "fixed", "preexisting", 0);
	json_array_append_new(json_object_get(commit, "checks"), check);
	news = json_object_get(check, "new");
	for (int i = 1; i <= 2001; i++) {
		f0 = json_pack("{s:s, s:s, s:i, s:s, s:s, s:s, s:s}", "analyzer", "gcc",
			       "file", "many.c", "line", i, "severity", "warning",
			       "rule", "-Wx", "message", "m", "fingerprint", "0123456789abcdef");
		json_array_append_new(news, f0);
	}
	html = render_report(r, &src);
	assert_int_equal(fk.calls, 1);
	assert_non_null(strstr(html, "<pre class=\"code\"><span class=\"hit\"><i>1</i>line 1 "));
	/* line 2001 is past the end: lines 1998 to 2000, none marked */
	assert_non_null(strstr(html, "<pre class=\"code\"><span><i>1998</i>"));
	assert_non_null(strstr(html, "<span class=\"hit\"><i>2000</i>line 2000 "));
	assert_null(strstr(html, "<i>2001</i>"));
	free(html);
	json_decref(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rep_html_snippet_marks_line),
		cmocka_unit_test(test_rep_html_escapes_and_works_without_source),
		cmocka_unit_test(test_rep_html_one_read_per_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
