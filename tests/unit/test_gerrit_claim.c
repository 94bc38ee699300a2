/* test_gerrit_claim.c: unit tests of how a watcher reads Gerrit's record of a
 * patch set (gerrit_claim.c): votes, reviews, claims, releases, expiry. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "gerrit.h"

#define SHA "0123456789abcdef0123456789abcdef01234567"
#define ME 1000001
#define NOW 1796000000	/* 2026-11-30 (UTC) */

static const struct rep_gerrit_patchset ps = {
	"demo~1", 1, SHA, "refs/changes/01/1/2", 2,
};

static struct rep_gerrit_claim me(void)
{
	struct rep_gerrit_claim c = { ME, "Verified", 3600, "w:1:aa" };

	return c;
}

static json_t *change(void)
{
	return json_pack("{s:s, s:{s:{s:[]}}, s:[]}", "current_revision", SHA,
			 "labels", "Verified", "all", "messages");
}

/* Gerrit's date of NOW - age seconds. */
static void date_of(char out[40], long age)
{
	time_t t = NOW - age;
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 40, "%Y-%m-%d %H:%M:%S.000000000", &tm);
}

static void add_message(json_t *c, long long account, const char *tag,
			const char *text, long long ps_number, long age)
{
	char date[40];

	date_of(date, age);
	json_array_append_new(json_object_get(c, "messages"),
			      json_pack("{s:{s:I}, s:s, s:s, s:s, s:I}", "author",
					"_account_id", (json_int_t)account, "tag", tag,
					"message", text, "date", date,
					"_revision_number", (json_int_t)ps_number));
}

static void claim(json_t *c, const char *id, const char *verb, long age)
{
	char text[128];

	snprintf(text, sizeof(text), "mkt-gate: watcher %s %s patch set 2", id, verb);
	add_message(c, ME, REP_GERRIT_CLAIM_TAG, text, 2, age);
}

static void vote(json_t *c, long long account, int value)
{
	json_array_append_new(json_object_get(json_object_get(json_object_get(c, "labels"),
							      "Verified"), "all"),
			      json_pack("{s:i, s:I}", "value", value, "_account_id",
					(json_int_t)account));
}

static void test_gerrit_claim_votes(void **state)
{
	struct rep_gerrit_claim c = me();
	json_t *ch = change();

	assert_int_equal(rep_gerrit_seen(ch, &c, &ps, NOW), REP_GERRIT_OPEN);
	vote(ch, 1000777, 1);	/* a human's vote is not ours */
	vote(ch, ME, 0);	/* a reviewer without a vote */
	assert_int_equal(rep_gerrit_seen(ch, &c, &ps, NOW), REP_GERRIT_OPEN);
	vote(ch, ME, -1);
	assert_int_equal(rep_gerrit_seen(ch, &c, &ps, NOW), REP_GERRIT_REVIEWED);
	json_object_set_new(ch, "current_revision", json_string("ff" SHA));
	assert_int_equal(rep_gerrit_seen(ch, &c, &ps, NOW), REP_GERRIT_OUTDATED);
	json_decref(ch);
}

/* A review without a vote (the gate could not decide) counts as well. */
static void test_gerrit_claim_review_message(void **state)
{
	struct rep_gerrit_claim c = me();
	json_t *ch = change();

	add_message(ch, ME, REP_GERRIT_TAG, "mkt-gate: error", 1, 10);
	add_message(ch, 1000777, REP_GERRIT_TAG, "mkt-gate: pass", 2, 10);
	assert_int_equal(rep_gerrit_seen(ch, &c, &ps, NOW), REP_GERRIT_OPEN);
	add_message(ch, ME, REP_GERRIT_TAG, "mkt-gate: error", 2, 10);
	assert_int_equal(rep_gerrit_seen(ch, &c, &ps, NOW), REP_GERRIT_REVIEWED);
	json_decref(ch);
}

static void test_gerrit_claim_first_live_claim_wins(void **state)
{
	struct rep_gerrit_claim c = me();
	json_t *ch = change();

	claim(ch, "w:1:aa", "claims", 5);
	claim(ch, "w:2:bb", "claims", 4);
	assert_int_equal(rep_gerrit_seen(ch, &c, &ps, NOW), REP_GERRIT_OURS);
	strcpy(c.id, "w:2:bb");
	assert_int_equal(rep_gerrit_seen(ch, &c, &ps, NOW), REP_GERRIT_CLAIMED);
	json_decref(ch);
}

static void test_gerrit_claim_release_and_expiry(void **state)
{
	struct rep_gerrit_claim c = me();
	json_t *ch = change();

	/* a crashed watcher's claim, older than the timeout */
	claim(ch, "w:9:99", "claims", 4000);
	claim(ch, "w:3:cc", "claims", 30);
	claim(ch, "w:3:cc", "releases", 20);
	/* another account's message that looks like a claim */
	add_message(ch, 1000777, REP_GERRIT_CLAIM_TAG,
		    "mkt-gate: watcher w:7:77 claims patch set 2", 2, 15);
	claim(ch, "w:1:aa", "claims", 10);
	assert_int_equal(rep_gerrit_seen(ch, &c, &ps, NOW), REP_GERRIT_OURS);
	/* a release by a watcher that does not hold the claim changes nothing */
	claim(ch, "w:3:cc", "releases", 5);
	assert_int_equal(rep_gerrit_seen(ch, &c, &ps, NOW), REP_GERRIT_OURS);
	json_decref(ch);

	/* without its release, w:3:cc still holds it; a claim after a release is lost */
	ch = change();
	claim(ch, "w:9:99", "claims", 4000);
	claim(ch, "w:3:cc", "claims", 30);
	claim(ch, "w:1:aa", "claims", 10);
	assert_int_equal(rep_gerrit_seen(ch, &c, &ps, NOW), REP_GERRIT_CLAIMED);
	claim(ch, "w:3:cc", "releases", 5);
	assert_int_equal(rep_gerrit_seen(ch, &c, &ps, NOW), REP_GERRIT_OPEN);
	/* with a longer timeout the old claim is live again */
	c.timeout_s = 5000;
	strcpy(c.id, "w:9:99");
	assert_int_equal(rep_gerrit_seen(ch, &c, &ps, NOW), REP_GERRIT_OURS);
	json_decref(ch);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gerrit_claim_votes),
		cmocka_unit_test(test_gerrit_claim_review_message),
		cmocka_unit_test(test_gerrit_claim_first_live_claim_wins),
		cmocka_unit_test(test_gerrit_claim_release_and_expiry),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
