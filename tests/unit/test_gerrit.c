/* test_gerrit.c: unit tests of review bodies, the reply parser (random bytes too),
 * Change-Id trailers, commit queries, query entries and the watcher state. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gerrit.h"
#include "model.h"
#include "report.h"
#include "error.h"
#include "strbuf.h"

#define SAMPLE TEST_DATA_DIR "/reports/sample.json"
#define WANT_DIR TEST_DATA_DIR "/gerrit"

static const struct rep_gerrit_opts opts = { "Verified", "OWNER" };

static json_t *sample_commit(json_t **report, size_t i)
{
	assert_int_equal(rep_load(report, SAMPLE), 0);
	return json_array_get(json_object_get(*report, "commits"), i);
}

static void check_review(const json_t *commit, const char *want_file)
{
	json_t *got = NULL, *want;
	json_error_t err;

	assert_int_equal(rep_gerrit_review(&got, commit, &opts), 0);
	want = json_load_file(want_file, 0, &err);
	assert_non_null(want);
	if (!json_equal(got, want)) {
		char *s = json_dumps(got, JSON_INDENT(2));

		print_message("got:\n%s\n", s);
		free(s);
		fail_msg("review body differs from %s", want_file);
	}
	json_decref(want);
	json_decref(got);
}

static void test_gerrit_review_fail_inline(void **state)
{
	json_t *report, *c = sample_commit(&report, 0);

	check_review(c, WANT_DIR "/review-sample-0.json");
	json_decref(report);
}

static void test_gerrit_review_pass(void **state)
{
	json_t *report, *c = sample_commit(&report, 1);

	check_review(c, WANT_DIR "/review-sample-1.json");
	json_decref(report);
}

/* A finding in a file outside the patch set goes to the message. */
static void test_gerrit_review_untouched_in_message(void **state)
{
	json_t *report, *c = sample_commit(&report, 0), *review = NULL;
	const char *msg;

	json_object_set_new(c, "touched_files", json_pack("[s]", "net/core/dev.c"));
	assert_int_equal(rep_gerrit_review(&review, c, &opts), 0);
	assert_null(json_object_get(json_object_get(review, "comments"),
				    "include/linux/netdevice.h"));
	assert_int_equal(json_array_size(json_object_get(json_object_get(review, "comments"),
							 "net/core/dev.c")), 2);
	msg = json_string_value(json_object_get(review, "message"));
	assert_non_null(strstr(msg, "outside the files of this patch set:\n"
			       "- include/linux/netdevice.h:4120: error: implicit"));
	json_decref(review);
	json_decref(report);
}

static void test_gerrit_review_error_no_vote(void **state)
{
	json_t *report, *c = sample_commit(&report, 0), *review = NULL;
	json_t *check = json_array_get(json_object_get(c, "checks"), 0);

	json_object_set_new(c, "verdict", json_string("error"));
	json_object_set_new(check, "status", json_string("error"));
	json_object_set_new(check, "reason", json_string("gcc could not run"));
	assert_int_equal(rep_gerrit_review(&review, c, &opts), 0);
	assert_null(json_object_get(review, "labels"));
	assert_non_null(strstr(json_string_value(json_object_get(review, "message")),
			       "- gcc: error: gcc could not run"));
	assert_true(json_is_true(json_object_get(review, "omit_duplicate_comments")));
	json_decref(review);
	json_object_set_new(c, "verdict", json_string("skipped"));
	assert_int_equal(rep_gerrit_review(&review, c, NULL), 0);
	assert_null(json_object_get(review, "labels"));
	assert_null(json_object_get(review, "notify"));
	json_decref(review);
	json_decref(report);
}

static void test_gerrit_review_label_name(void **state)
{
	const struct rep_gerrit_opts o = { "CI-Verified", NULL };
	json_t *report, *c = sample_commit(&report, 1), *review = NULL;

	assert_int_equal(rep_gerrit_review(&review, c, &o), 0);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(review, "labels"),
							    "CI-Verified")), 1);
	json_decref(review);
	json_decref(report);
}

static void test_gerrit_find_commit(void **state)
{
	json_t *report, *c = sample_commit(&report, 1);

	assert_ptr_equal(rep_gerrit_find_commit(report, "b2c3d4e5f607"), c);
	assert_null(rep_gerrit_find_commit(report, "b2c3"));
	assert_null(rep_gerrit_find_commit(report, "ffffffffff"));
	json_decref(report);
}

static void test_gerrit_parse_reply(void **state)
{
	const char *a = ")]}'\n{\"labels\": {\"Verified\": 1}}\n";
	const char *b = "[{\"_number\": 1}]";
	const char *bad = ")]}'\nUnauthorized";
	json_t *j = NULL;

	assert_int_equal(rep_gerrit_parse_reply(&j, a, strlen(a)), 0);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "labels"),
							    "Verified")), 1);
	json_decref(j);
	assert_int_equal(rep_gerrit_parse_reply(&j, b, strlen(b)), 0);
	assert_true(json_is_array(j));
	json_decref(j);
	assert_int_equal(rep_gerrit_parse_reply(&j, bad, strlen(bad)), -1);
	assert_null(j);
	assert_int_equal(rep_gerrit_parse_reply(&j, ")]}'", 4), -1);
	assert_int_equal(rep_gerrit_parse_reply(&j, "", 0), -1);
}

/* Random bytes, alone or after the prefix, never crash or leak. */
static void test_gerrit_parse_reply_fuzz(void **state)
{
	static const char *const seeds[] = {
		")]}'\n", ")]}'\n{\"a\":[1,2,{\"b\":", "[{\"_number\":", "\"\\u", "{",
	};
	char buf[256];

	srand(8);
	for (int i = 0; i < 20000; i++) {
		const char *seed = seeds[i % 5];
		size_t n = strlen(seed), len = n + (size_t)rand() % (sizeof(buf) - n);
		json_t *j = NULL, *ch;
		struct rep_gerrit_patchset ps;
		size_t k;

		memcpy(buf, seed, n);
		for (size_t b = n; b < len; b++)
			buf[b] = (char)(rand() % (i & 1 ? 256 : 96) + (i & 1 ? 0 : 32));
		if (rep_gerrit_parse_reply(&j, buf, len) == 0) {
			assert_non_null(j);
			json_array_foreach(j, k, ch)
				rep_gerrit_patchset(&ps, ch);
		} else {
			assert_null(j);
		}
		json_decref(j);
	}
}

static void test_gerrit_change_id(void **state)
{
	char id[REP_CHANGE_ID_SIZE];
	const char *msg = "net: fix\n\nChange-Id: I0000000000000000000000000000000000000000 is\n"
			  "not a trailer here\n\nSigned-off-by: A <a@b>\n"
			  "Change-Id: I1234567890abcdef1234567890abcdef12345678\n";

	assert_int_equal(rep_gerrit_change_id(id, msg), 1);
	assert_string_equal(id, "I1234567890abcdef1234567890abcdef12345678");
	assert_int_equal(rep_gerrit_change_id(id, "subject only\n"), 0);
	assert_int_equal(rep_gerrit_change_id(id, "s\n\nChange-Id: Ixyz\n"), 0);
	assert_int_equal(rep_gerrit_change_id(id, "s\n\nChange-Id: I1234567890ABCDEF1234567890abcdef12345678"), 0);
	assert_int_equal(rep_gerrit_change_id(id, ""), 0);
}

static void test_gerrit_patchset(void **state)
{
	const char *sha = "0123456789abcdef0123456789abcdef01234567";
	json_t *c = json_pack("{s:s,s:i,s:s,s:{s:{s:i,s:s}}}", "id", "p~master~I1",
			      "_number", 7, "current_revision", sha, "revisions", sha,
			      "_number", 2, "ref", "refs/changes/07/7/2");
	struct rep_gerrit_patchset ps;

	assert_int_equal(rep_gerrit_patchset(&ps, c), 0);
	assert_string_equal(ps.change, "p~master~I1");
	assert_int_equal(ps.number, 7);
	assert_int_equal(ps.patchset, 2);
	assert_string_equal(ps.ref, "refs/changes/07/7/2");
	json_object_set_new(json_object_get(json_object_get(c, "revisions"), sha), "ref",
			    json_string("refs/changes/07/7/2:refs/heads/master"));
	assert_int_equal(rep_gerrit_patchset(&ps, c), -1);
	json_object_set_new(json_object_get(json_object_get(c, "revisions"), sha), "ref",
			    json_string("refs/changes/../x/2"));
	assert_int_equal(rep_gerrit_patchset(&ps, c), -1);
	json_object_set_new(c, "current_revision", json_string("--upload-pack=x"));
	assert_int_equal(rep_gerrit_patchset(&ps, c), -1);
	json_object_set_new(c, "_number", json_string("7"));
	assert_int_equal(rep_gerrit_patchset(&ps, c), -1);
	assert_int_equal(rep_gerrit_patchset(&ps, NULL), -1);
	json_decref(c);
}

#define SHA "0123456789abcdef0123456789abcdef01234567"

static void test_gerrit_commit_query(void **state)
{
	struct strbuf q = STRBUF_INIT;

	assert_int_equal(rep_gerrit_commit_query(&q, SHA, NULL, NULL), 0);
	assert_string_equal(q.buf, "commit:" SHA);
	assert_int_equal(rep_gerrit_commit_query(&q, SHA, "kernel/linux", "for-next"), 0);
	assert_string_equal(q.buf, "commit:" SHA " project:kernel/linux branch:for-next");
	assert_int_equal(rep_gerrit_commit_query(&q, SHA, NULL, "v6.1.y"), 0);
	assert_string_equal(q.buf, "commit:" SHA " branch:v6.1.y");
	/* What Gerrit would read as an operator, a negation or two words is quoted. */
	assert_int_equal(rep_gerrit_commit_query(&q, SHA, "my proj", "-x:\"y\\"), 0);
	assert_string_equal(q.buf, "commit:" SHA " project:\"my proj\" branch:\"-x:\\\"y\\\\\"");
	assert_int_equal(rep_gerrit_commit_query(&q, "0123456", NULL, NULL), -1);
	assert_int_equal(rep_gerrit_commit_query(&q, SHA " OR is:open", NULL, NULL), -1);
	assert_int_equal(q.len, 0);
	strbuf_dispose(&q);
}

static json_t *query_entry(const char *project, const char *branch, int number)
{
	return json_pack("{s:s,s:s,s:i,s:s}", "project", project, "branch", branch,
			 "_number", number, "current_revision", SHA);
}

static void test_gerrit_change_of_commit(void **state)
{
	struct strbuf change = STRBUF_INIT;
	json_t *changes = json_array();

	assert_int_equal(rep_gerrit_change_of_commit(&change, changes, SHA, "commit:" SHA), -1);
	assert_non_null(strstr(gate_error_last(), "no Gerrit change holds commit " SHA));
	json_array_append_new(changes, query_entry("kernel/linux", "master", 101));
	assert_int_equal(rep_gerrit_change_of_commit(&change, changes, SHA, "commit:" SHA), 0);
	assert_string_equal(change.buf, "kernel/linux~101");
	json_array_append_new(changes, query_entry("kernel/linux", "stable", 104));
	assert_int_equal(rep_gerrit_change_of_commit(&change, changes, SHA, "commit:" SHA), -1);
	assert_string_equal(gate_error_last(), "commit " SHA " is in 2 Gerrit changes "
			    "(kernel/linux~101, kernel/linux~104): which one gets the vote?");
	assert_non_null(strstr(gate_error_last_hint(), "[gerrit] project and branch"));
	json_array_remove(changes, 0);
	json_object_del(json_array_get(changes, 0), "_number");
	assert_int_equal(rep_gerrit_change_of_commit(&change, changes, SHA, "commit:" SHA), -1);
	assert_int_equal(rep_gerrit_change_of_commit(&change, NULL, SHA, "commit:" SHA), -1);
	json_decref(changes);
	strbuf_dispose(&change);
}

static void test_gerrit_state_roundtrip(void **state)
{
	char dir[] = "/tmp/test-gerrit-XXXXXX";
	struct strbuf path = STRBUF_INIT;
	struct rep_gerrit_state st;
	struct rep_gerrit_patchset ps = { "p~master~I1", 7,
		"0123456789abcdef0123456789abcdef01234567", "refs/changes/07/7/2", 2 };

	assert_non_null(mkdtemp(dir));
	strbuf_addf(&path, "%s/sub/state.json", dir);
	assert_int_equal(rep_gerrit_state_load(&st, path.buf), 0);
	assert_false(rep_gerrit_state_has(&st, ps.revision));
	assert_int_equal(rep_gerrit_state_add(&st, &ps, "pass"), 0);
	rep_gerrit_state_dispose(&st);
	assert_int_equal(rep_gerrit_state_load(&st, path.buf), 0);
	assert_true(rep_gerrit_state_has(&st, ps.revision));
	assert_false(rep_gerrit_state_has(&st, "ffff"));
	rep_gerrit_state_dispose(&st);
	unlink(path.buf);
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/sub", dir);
	rmdir(path.buf);
	rmdir(dir);
	strbuf_dispose(&path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gerrit_review_fail_inline),
		cmocka_unit_test(test_gerrit_review_pass),
		cmocka_unit_test(test_gerrit_review_untouched_in_message),
		cmocka_unit_test(test_gerrit_review_error_no_vote),
		cmocka_unit_test(test_gerrit_review_label_name),
		cmocka_unit_test(test_gerrit_find_commit),
		cmocka_unit_test(test_gerrit_parse_reply),
		cmocka_unit_test(test_gerrit_parse_reply_fuzz),
		cmocka_unit_test(test_gerrit_change_id),
		cmocka_unit_test(test_gerrit_patchset),
		cmocka_unit_test(test_gerrit_commit_query),
		cmocka_unit_test(test_gerrit_change_of_commit),
		cmocka_unit_test(test_gerrit_state_roundtrip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
