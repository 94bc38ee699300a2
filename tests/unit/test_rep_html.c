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

static char *render(const struct rep_source *src)
{
	char path[] = "/tmp/test_rep_html.XXXXXX";
	struct strbuf sb = STRBUF_INIT;
	json_t *r = NULL;
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(rep_load(&r, SAMPLE), 0);
	assert_int_equal(rep_html_write(r, path, src), 0);
	assert_int_equal(strbuf_read_file(&sb, path), 0);
	unlink(path);
	json_decref(r);
	return strbuf_detach(&sb, NULL);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rep_html_snippet_marks_line),
		cmocka_unit_test(test_rep_html_escapes_and_works_without_source),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
