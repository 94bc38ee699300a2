/* test_hook_script.c: unit tests of the hook scripts and of install/uninstall in a hooks dir.
 * Uninstall must give back the previous hook byte for byte, mode and all. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hook.h"
#include "error.h"
#include "strbuf.h"

static char dir[] = "/tmp/test_hook_script.XXXXXX";
static const char self[] = "/opt/it's here/mkt-gate";
static const char foreign[] = "#!/bin/sh\n# mkt-gate-hook: v1 is not ours\necho \"\0binary\"\n";

static int setup(void **state)
{
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) ? -1 : 0;
}

static void at(struct strbuf *sb, const char *name)
{
	strbuf_reset(sb);
	strbuf_addf(sb, "%s/%s", dir, name);
}

static void test_hook_script_render_and_marker(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	assert_int_equal(hook_script_render(&sb, HOOK_PRE_PUSH, self), 0);
	assert_true(hook_script_is_ours(sb.buf, sb.len));
	assert_non_null(strstr(sb.buf, "MKT_GATE_BIN='/opt/it'\\''s here/mkt-gate'\n"));
	assert_non_null(strstr(sb.buf, "hook=pre-push\n"));
	assert_non_null(strstr(sb.buf, "mkt-gate install --force"));
	assert_non_null(strstr(sb.buf, "MKT_GATE_SKIP=1"));
	assert_non_null(strstr(sb.buf, "--no-verify"));
	strbuf_reset(&sb);
	assert_int_equal(hook_script_render(&sb, HOOK_POST_COMMIT, self), 0);
	assert_true(hook_script_is_ours(sb.buf, sb.len));
	assert_null(strstr(sb.buf, "--no-verify"));
	strbuf_reset(&sb);
	assert_int_equal(hook_script_render(&sb, "pre-commit", self), -1);
	assert_int_equal(hook_script_render(&sb, HOOK_PRE_PUSH, "/a\nb"), -1);
	strbuf_dispose(&sb);
}

static void test_hook_script_marker_needs_whole_line(void **state)
{
	static const char late[] = "#!/bin/sh\n\n\n\n\n\n" HOOK_MARKER "\n";
	static const char ours[] = "#!/bin/sh\n" HOOK_MARKER;

	assert_false(hook_script_is_ours(foreign, sizeof(foreign) - 1));
	assert_false(hook_script_is_ours(late, strlen(late)));
	assert_true(hook_script_is_ours(ours, strlen(ours)));
	assert_false(hook_script_is_ours(ours, strlen(ours) - 1));
	assert_false(hook_script_is_ours("", 0));
}

static void write_foreign(const char *path, mode_t mode)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_add(&sb, foreign, sizeof(foreign) - 1);
	assert_int_equal(strbuf_write_file(&sb, path), 0);
	assert_int_equal(chmod(path, mode), 0);
	strbuf_dispose(&sb);
}

static void assert_foreign(const char *path, mode_t mode)
{
	struct strbuf sb = STRBUF_INIT;
	struct stat st;

	assert_int_equal(strbuf_read_file(&sb, path), 0);
	assert_int_equal(sb.len, sizeof(foreign) - 1);
	assert_memory_equal(sb.buf, foreign, sb.len);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, mode);
	strbuf_dispose(&sb);
}

static void test_hook_script_install_chains_and_restores(void **state)
{
	struct strbuf path = STRBUF_INIT, chained = STRBUF_INIT;
	enum hook_action act;
	struct stat st;

	at(&path, "pre-push");
	at(&chained, "pre-push" HOOK_CHAINED_SUFFIX);
	write_foreign(path.buf, 0710);
	assert_int_equal(hook_install_one(&act, dir, HOOK_PRE_PUSH, self, false), 0);
	assert_int_equal(act, HOOK_ACT_CHAINED);
	assert_foreign(chained.buf, 0710);
	assert_int_equal(stat(path.buf, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0755);
	assert_int_equal(hook_install_one(&act, dir, HOOK_PRE_PUSH, self, false), 0);
	assert_int_equal(act, HOOK_ACT_NONE);
	assert_int_equal(hook_install_one(&act, dir, HOOK_PRE_PUSH, "/usr/bin/mkt-gate", false), 0);
	assert_int_equal(act, HOOK_ACT_UPDATED);
	assert_foreign(chained.buf, 0710);
	assert_int_equal(hook_uninstall_one(&act, dir, HOOK_PRE_PUSH), 0);
	assert_int_equal(act, HOOK_ACT_RESTORED);
	assert_foreign(path.buf, 0710);
	assert_int_equal(access(chained.buf, F_OK), -1);
	assert_int_equal(hook_uninstall_one(&act, dir, HOOK_PRE_PUSH), 0);
	assert_int_equal(act, HOOK_ACT_FOREIGN);
	assert_foreign(path.buf, 0710);
	unlink(path.buf);
	strbuf_dispose(&path);
	strbuf_dispose(&chained);
}

static void test_hook_script_install_fresh_and_remove(void **state)
{
	struct strbuf path = STRBUF_INIT;
	enum hook_action act;

	at(&path, "post-commit");
	assert_int_equal(hook_install_one(&act, dir, HOOK_POST_COMMIT, self, false), 0);
	assert_int_equal(act, HOOK_ACT_WRITTEN);
	assert_int_equal(access(path.buf, X_OK), 0);
	assert_int_equal(hook_uninstall_one(&act, dir, HOOK_POST_COMMIT), 0);
	assert_int_equal(act, HOOK_ACT_REMOVED);
	assert_int_equal(access(path.buf, F_OK), -1);
	assert_int_equal(hook_uninstall_one(&act, dir, HOOK_POST_COMMIT), 0);
	assert_int_equal(act, HOOK_ACT_NONE);
	assert_int_equal(hook_install_one(&act, dir, "pre-commit", self, false), -1);
	strbuf_dispose(&path);
}

/* A foreign hook over an existing chained one: refused, or kept as .old with --force. */
static void test_hook_script_install_conflict(void **state)
{
	struct strbuf path = STRBUF_INIT, chained = STRBUF_INIT, old = STRBUF_INIT;
	enum hook_action act;

	at(&path, "pre-push");
	at(&chained, "pre-push" HOOK_CHAINED_SUFFIX);
	at(&old, "pre-push" HOOK_CHAINED_SUFFIX ".old");
	write_foreign(path.buf, 0755);
	write_foreign(chained.buf, 0700);
	assert_int_equal(hook_install_one(&act, dir, HOOK_PRE_PUSH, self, false), -1);
	assert_non_null(strstr(gate_error_last(), "exists already"));
	assert_foreign(path.buf, 0755);
	assert_int_equal(hook_install_one(&act, dir, HOOK_PRE_PUSH, self, true), 0);
	assert_int_equal(act, HOOK_ACT_CHAINED);
	assert_foreign(chained.buf, 0755);
	assert_foreign(old.buf, 0700);
	assert_int_equal(hook_uninstall_one(&act, dir, HOOK_PRE_PUSH), 0);
	assert_foreign(path.buf, 0755);
	unlink(path.buf);
	unlink(old.buf);
	strbuf_dispose(&path);
	strbuf_dispose(&chained);
	strbuf_dispose(&old);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hook_script_render_and_marker),
		cmocka_unit_test(test_hook_script_marker_needs_whole_line),
		cmocka_unit_test(test_hook_script_install_chains_and_restores),
		cmocka_unit_test(test_hook_script_install_fresh_and_remove),
		cmocka_unit_test(test_hook_script_install_conflict),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
