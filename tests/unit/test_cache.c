/* test_cache.c: the on-disk result cache: what is stored comes back as it was,
 * an entry it cannot trust is a miss, and a killed tool's output is never kept. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cache.h"
#include "error.h"
#include "fs.h"
#include "interrupt.h"
#include "unit.h"

#define KEY "0123456789abcdef0123456789abcdef"
#define WARNING "a.c:3:6: warning: unused variable 'x' [-Wunused-variable]\n"

static char root[] = "/tmp/test_cache.XXXXXX";

static int setup(void **state)
{
	(void)state;
	return mkdtemp(root) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	return gate_remove_tree(root);
}

static void one_finding(struct finding_list *l)
{
	struct finding f = { 0 };

	f.analyzer = strdup("gcc");
	f.file = strdup("a.c");
	f.rule = strdup("-Wunused-variable");
	f.message = strdup("unused variable 'x'");
	f.severity = FINDING_WARNING;
	f.line = 3;
	assert_int_equal(finding_list_take(l, &f), 0);
}

/* The names in root/results/xx/: what a store left behind. */
static int entries(char *names, size_t size)
{
	char dir[256];
	struct dirent *de;
	int n = 0;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/results/%.2s", root, KEY);
	names[0] = '\0';
	d = opendir(dir);
	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		strncat(names, de->d_name, size - strlen(names) - 2);
		strcat(names, " ");
		n++;
	}
	if (d)
		closedir(d);
	return n;
}

static void test_cache_store_then_load(void **state)
{
	struct finding_list l = FINDING_LIST_INIT;
	struct gate_cache_entry e;
	char names[512];

	(void)state;
	one_finding(&l);
	assert_int_equal(gate_cache_store(root, KEY, &l, 1, WARNING), 0);
	/* Written through a temporary file and a rename: nothing else is left. */
	assert_int_equal(entries(names, sizeof(names)), 1);
	assert_string_equal(names, KEY ".json ");
	assert_int_equal(gate_cache_load(root, KEY, &e), 1);
	assert_int_equal(e.status, 1);
	assert_int_equal(e.findings.nr, 1);
	assert_string_equal(e.findings.v[0].message, "unused variable 'x'");
	gate_cache_entry_dispose(&e);
	finding_list_dispose(&l);
}

static void test_cache_refuses_killed(void **state)
{
	struct finding_list l = FINDING_LIST_INIT;
	struct gate_cache_entry e;
	const char *key = "ffffffffffffffff0000000000000000";

	(void)state;
	/* 143: our own SIGTERM; 137: a timeout's SIGKILL. */
	assert_int_equal(gate_cache_store(root, key, &l, 128 + SIGTERM, ""), -1);
	assert_int_equal(gate_cache_store(root, key, &l, 128 + SIGKILL, ""), -1);
	assert_int_equal(gate_cache_load(root, key, &e), 0);
	assert_int_equal(e.findings.nr, 0);
}

static void test_cache_ignores_killed_entry(void **state)
{
	const char *key = "eeeeeeeeeeeeeeee0000000000000000";
	char dir[256], path[320];
	struct gate_cache_entry e;
	FILE *f;

	(void)state;
	/* An entry an older mkt-gate wrote for a killed tool is never served. */
	snprintf(dir, sizeof(dir), "%s/results/ee", root);
	assert_int_equal(gate_mkdirs(dir), 0);
	snprintf(path, sizeof(path), "%s/%s.json", dir, key);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "{\"key\": \"%s\", \"status\": 143, \"findings\": []}", key);
	fclose(f);
	assert_int_equal(gate_cache_load(root, key, &e), 0);
	assert_int_equal(access(path, F_OK), -1);
}

static void memo_engine(struct gate_engine *e, struct unit_analyzer *a,
			struct config **cfg, struct gate_run_opts *o)
{
	memset(e, 0, sizeof(*e));
	memset(a, 0, sizeof(*a));
	memset(o, 0, sizeof(*o));
	assert_int_equal(config_new(cfg), 0);
	o->cfg = *cfg;
	e->o = o;
	e->scratch.src = root;
	a->desc = an_find("gcc");
	assert_non_null(a->desc);
	strvec_init(&a->command);
	strvec_init(&a->extra);
	strvec_push(&a->command, "gcc");
}

/* What unit_memo_record() makes of WARNING with the given exit status. */
static void record(int status, bool *error, size_t *nr)
{
	struct gate_run_opts o;
	struct gate_engine e;
	struct unit_analyzer a;
	struct config *cfg;
	struct unit_memo *m;
	git_oid tree = { { 0 } };

	memo_engine(&e, &a, &cfg, &o);
	m = unit_memo_add(&e, &a, "a.c", &tree);
	assert_non_null(m);
	assert_int_equal(unit_memo_record(&e, m, status, WARNING, strlen(WARNING), 0.1,
					  root), 0);
	*error = m->error != NULL;
	*nr = m->findings.nr;
	unit_memo_dispose(&e);
	strvec_dispose(&a.command);
	strvec_dispose(&a.extra);
	config_free(cfg);
}

static void test_cache_killed_memo_has_no_findings(void **state)
{
	bool error;
	size_t nr;

	(void)state;
	record(0, &error, &nr);
	assert_false(error);
	assert_int_equal(nr, 1);
	/* Killed half-way: what it printed is no verdict, it is an error. */
	record(128 + SIGTERM, &error, &nr);
	assert_true(error);
	assert_int_equal(nr, 0);
}

static void no_children(int sig)
{
	(void)sig;
}

/* Last: the interrupt flag cannot be cleared. */
static void test_cache_refuses_interrupted(void **state)
{
	struct finding_list l = FINDING_LIST_INIT;
	struct gate_cache_entry e;
	const char *key = "dddddddddddddddd0000000000000000";
	bool error;
	size_t nr;

	(void)state;
	gate_interrupt_install(no_children);
	raise(SIGINT);
	alarm(0);	/* the grace period would only kill children we lack */
	assert_true(gate_interrupted());
	/* It exited 0, but after Ctrl-C: it may have caught SIGTERM and stopped. */
	one_finding(&l);
	assert_int_equal(gate_cache_store(root, key, &l, 0, ""), -1);
	assert_int_equal(gate_cache_load(root, key, &e), 0);
	record(0, &error, &nr);
	assert_true(error);
	assert_int_equal(nr, 0);
	finding_list_dispose(&l);
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
		cmocka_unit_test(test_cache_store_then_load),
		cmocka_unit_test(test_cache_refuses_killed),
		cmocka_unit_test(test_cache_ignores_killed_entry),
		cmocka_unit_test(test_cache_killed_memo_has_no_findings),
		cmocka_unit_test(test_cache_refuses_interrupted),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
