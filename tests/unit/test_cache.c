/* test_cache.c: the on-disk result cache: what is stored comes back as it
 * was, and an entry it cannot trust (damaged, of another key or of an older
 * form) is a miss, never a wrong result. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cache.h"
#include "fs.h"

#define KEY "0123456789abcdef0123456789abcdef"

static char root[] = "/tmp/mkt-gate-test-cache.XXXXXX";

static int setup(void **state)
{
	(void)state;
	return mkdtemp(root) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	return system(cmd);
}

static void add(struct finding_list *l, const char *function, unsigned int line)
{
	struct finding f = { 0 };

	f.analyzer = strdup("gcc");
	f.file = strdup("a.c");
	f.line = line;
	f.function = strdup(function);
	f.severity = FINDING_ERROR;
	f.rule = strdup("-Wformat");
	f.message = strdup("format '%d' expects 'int'");
	assert_int_equal(finding_fingerprint(&f, NULL), 0);
	assert_int_equal(finding_list_take(l, &f), 0);
}

static void test_cache_entry_comes_back_as_stored(void **state)
{
	struct finding_list l = FINDING_LIST_INIT;
	struct gate_cache_entry e;

	(void)state;
	add(&l, "main", 3);
	add(&l, "", 0);
	assert_int_equal(gate_cache_store(root, KEY, &l, 1, "a.c:3: error"), 0);
	assert_int_equal(gate_cache_load(root, KEY, &e), 1);
	assert_int_equal(e.status, 1);
	assert_string_equal(e.output, "a.c:3: error");
	assert_int_equal(e.findings.nr, 2);
	for (size_t i = 0; i < l.nr; i++) {
		const struct finding *a = &l.v[i], *b = &e.findings.v[i];

		assert_string_equal(a->function, b->function);
		assert_int_equal(a->line, b->line);
		assert_int_equal(a->severity, b->severity);
		assert_string_equal(a->message, b->message);
		assert_string_equal(a->fingerprint, b->fingerprint);
	}
	gate_cache_entry_dispose(&e);
	finding_list_dispose(&l);
}

static void put_entry(const char *text)
{
	struct strbuf path = STRBUF_INIT, sb = STRBUF_INIT;

	strbuf_addf(&path, "%s/results/01", root);
	assert_int_equal(gate_mkdirs(path.buf), 0);
	strbuf_addf(&path, "/%s.json", KEY);
	strbuf_addstr(&sb, text);
	assert_int_equal(strbuf_write_file(&sb, path.buf), 0);
	strbuf_dispose(&sb);
	strbuf_dispose(&path);
}

static void assert_miss(void)
{
	struct gate_cache_entry e;

	assert_int_equal(gate_cache_load(root, KEY, &e), 0);
	assert_int_equal(e.findings.nr, 0);
	assert_null(e.output);
}

static void test_cache_untrusted_entry_is_a_miss(void **state)
{
	(void)state;
	/* The form of the cache before v2: severities as numbers. */
	put_entry("{\"key\":\"" KEY "\",\"status\":0,\"findings\":[{\"analyzer\":\"gcc\","
		  "\"file\":\"a.c\",\"message\":\"m\",\"line\":3,\"column\":0,"
		  "\"severity\":2}]}");
	assert_miss();
	put_entry("{\"key\":\"ffff\",\"status\":0,\"findings\":[]}");
	assert_miss();
	put_entry("{\"key\":\"" KEY "\",\"status\":0,\"findi");
	assert_miss();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cache_entry_comes_back_as_stored),
		cmocka_unit_test(test_cache_untrusted_entry_is_a_miss),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
