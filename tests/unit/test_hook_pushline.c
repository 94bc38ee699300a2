/* test_hook_pushline.c: unit and property tests of the pre-push input parser.
 * Random valid lines must parse back exactly; random bytes must never crash or be misread. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hook.h"
#include "strbuf.h"

#define ROUNDS 20000

static const char zero40[] = "0000000000000000000000000000000000000000";

static unsigned int seed(void)
{
	const char *s = getenv("TEST_SEED");

	return s ? (unsigned int)strtoul(s, NULL, 10) : 20241128u;
}

static void random_oid(char *out, size_t len)
{
	bool zero = rand() % 8 == 0;

	for (size_t i = 0; i < len; i++)
		out[i] = zero ? '0' : "0123456789abcdef"[rand() % 16];
	out[len] = '\0';
}

/* A ref: printable, no space, 1..300 bytes (git allows more than refs/heads/x). */
static void random_ref(char *out)
{
	size_t len = 1 + (size_t)(rand() % 300);

	for (size_t i = 0; i < len; i++)
		out[i] = (char)('!' + rand() % ('~' - '!' + 1));
	out[len] = '\0';
}

static void random_update(struct hook_push_update *u)
{
	size_t olen = rand() % 4 ? 40 : 64;

	random_ref(u->local_ref);
	random_oid(u->local_oid, olen);
	random_ref(u->remote_ref);
	random_oid(u->remote_oid, olen);
}

static void format_update(struct strbuf *sb, const struct hook_push_update *u)
{
	strbuf_addf(sb, "%s %s %s %s", u->local_ref, u->local_oid,
		    u->remote_ref, u->remote_oid);
}

static void assert_same(const struct hook_push_update *a,
			const struct hook_push_update *b)
{
	assert_string_equal(a->local_ref, b->local_ref);
	assert_string_equal(a->local_oid, b->local_oid);
	assert_string_equal(a->remote_ref, b->remote_ref);
	assert_string_equal(a->remote_oid, b->remote_oid);
}

static void test_hook_pushline_git_examples(void **state)
{
	struct hook_push_list l = HOOK_PUSH_LIST_INIT;
	const char in[] =
		"refs/heads/master 67890abcdef67890abcdef67890abcdef67890ab refs/heads/foreign 12345abcdef12345abcdef12345abcdef12345ab\n"
		"\n"
		"(delete) 0000000000000000000000000000000000000000 refs/heads/gone 12345abcdef12345abcdef12345abcdef12345ab\n"
		"HEAD 67890abcdef67890abcdef67890abcdef67890ab refs/heads/new 0000000000000000000000000000000000000000\r\n";

	assert_int_equal(hook_push_parse(&l, in, strlen(in)), 0);
	assert_int_equal(l.nr, 3);
	assert_string_equal(l.v[0].remote_ref, "refs/heads/foreign");
	assert_false(hook_push_is_delete(&l.v[0]));
	assert_false(hook_push_is_new(&l.v[0]));
	assert_true(hook_push_is_delete(&l.v[1]));
	assert_string_equal(l.v[1].local_ref, "(delete)");
	assert_true(hook_push_is_new(&l.v[2]));
	assert_string_equal(l.v[2].remote_oid, zero40);
	hook_push_list_dispose(&l);
	assert_int_equal(hook_push_parse(&l, "", 0), 0);
	assert_int_equal(l.nr, 0);
	hook_push_list_dispose(&l);
}

static void test_hook_pushline_rejects_malformed(void **state)
{
	static const char *const bad[] = {
		"refs/heads/a 67890abcdef67890abcdef67890abcdef67890ab refs/heads/a",
		"refs/heads/a 67890abcdef67890abcdef67890abcdef67890ab refs/heads/a 12345 extra",
		"refs/heads/a  67890abcdef67890abcdef67890abcdef67890ab refs/heads/a 67890abcdef67890abcdef67890abcdef67890ab",
		"refs/heads/a 67890ABCDEF67890abcdef67890abcdef67890ab refs/heads/a 67890abcdef67890abcdef67890abcdef67890ab",
		"refs/heads/a 67890abcdef67890abcdef67890abcdef67890ab refs/heads/a 67890abcdef67890abcdef67890abcdef67890ab ",
		"refs/heads/a 67890abcdef67890abcdef67890abcdef67890ab refs/heads/a 67890abcdef67890abcdef67890abcdef67890a",
		"refs/heads/\ta 67890abcdef67890abcdef67890abcdef67890ab refs/heads/a 67890abcdef67890abcdef67890abcdef67890ab",
		"refs/heads/a 67890abcdef67890abcdef67890abcdef67890ab refs/heads/a 67890abcdef67890abcdef67890abcdef67890ab67890abcdef67890abcdef67890ab",
		NULL,
	};
	struct hook_push_update u;

	for (int i = 0; bad[i]; i++)
		assert_int_equal(hook_push_parse_line(&u, bad[i], strlen(bad[i])), -1);
}

/* Property: any list of valid updates, formatted as git does, parses back exactly. */
static void test_hook_pushline_roundtrip_property(void **state)
{
	struct hook_push_update want[8];
	struct strbuf sb = STRBUF_INIT;

	srand(seed());
	for (int round = 0; round < ROUNDS / 10; round++) {
		struct hook_push_list l = HOOK_PUSH_LIST_INIT;
		int n = rand() % 8;

		strbuf_reset(&sb);
		for (int i = 0; i < n; i++) {
			random_update(&want[i]);
			format_update(&sb, &want[i]);
			strbuf_addch(&sb, '\n');
		}
		assert_int_equal(hook_push_parse(&l, sb.buf, sb.len), 0);
		assert_int_equal(l.nr, n);
		for (int i = 0; i < n; i++)
			assert_same(&l.v[i], &want[i]);
		hook_push_list_dispose(&l);
	}
	strbuf_dispose(&sb);
}

/* Property: a parsed line always formats back to the very bytes it came from. */
static void check_sound(const char *line, size_t len)
{
	struct hook_push_update u;
	struct strbuf sb = STRBUF_INIT;

	if (hook_push_parse_line(&u, line, len))
		return;
	format_update(&sb, &u);
	if (len && line[len - 1] == '\r')
		len--;
	assert_int_equal(sb.len, len);
	assert_memory_equal(sb.buf, line, len);
	assert_true(hook_is_oid(u.local_oid, strlen(u.local_oid)));
	assert_int_equal(strlen(u.local_oid), strlen(u.remote_oid));
	strbuf_dispose(&sb);
}

static void test_hook_pushline_mutation_property(void **state)
{
	struct hook_push_update u;
	struct strbuf sb = STRBUF_INIT;

	srand(seed() + 1);
	for (int round = 0; round < ROUNDS; round++) {
		strbuf_reset(&sb);
		random_update(&u);
		format_update(&sb, &u);
		for (int m = rand() % 4; m >= 0; m--) {
			size_t at = (size_t)rand() % sb.len;

			switch (rand() % 3) {
			case 0:
				sb.buf[at] = (char)(rand() % 256);
				break;
			case 1:
				strbuf_setlen(&sb, at + 1);
				break;
			default:
				sb.buf[at] = " 0\n"[rand() % 3];
			}
		}
		check_sound(sb.buf, sb.len);
	}
	strbuf_dispose(&sb);
}

static void test_hook_pushline_random_bytes(void **state)
{
	char buf[512];

	srand(seed() + 2);
	for (int round = 0; round < ROUNDS; round++) {
		struct hook_push_list l = HOOK_PUSH_LIST_INIT;
		size_t len = (size_t)(rand() % (int)sizeof(buf));

		for (size_t i = 0; i < len; i++)
			buf[i] = (char)(rand() % 4 ? ' ' + rand() % 95 : rand() % 256);
		if (!hook_push_parse(&l, buf, len))
			for (size_t i = 0; i < l.nr; i++)
				assert_true(hook_is_oid(l.v[i].remote_oid,
							strlen(l.v[i].remote_oid)));
		hook_push_list_dispose(&l);
		check_sound(buf, len);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hook_pushline_git_examples),
		cmocka_unit_test(test_hook_pushline_rejects_malformed),
		cmocka_unit_test(test_hook_pushline_roundtrip_property),
		cmocka_unit_test(test_hook_pushline_mutation_property),
		cmocka_unit_test(test_hook_pushline_random_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
