/* test_hook_lock.c: unit tests of the background-run lock: exclusion, release, staleness.
 * A lock left by a dead pid must never block; a live holder must. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hook.h"
#include "strbuf.h"

static char dir[] = "/tmp/test_hook_lock.XXXXXX";
static char path[256];

static int setup(void **state)
{
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof(path), "%s/lock", dir);
	return 0;
}

static int teardown(void **state)
{
	unlink(path);
	rmdir(dir);
	return 0;
}

static pid_t dead_pid(void)
{
	pid_t pid = fork();

	if (!pid)
		_exit(0);
	waitpid(pid, NULL, 0);
	return pid;
}

static void test_hook_lock_excludes_and_releases(void **state)
{
	struct hook_lock a = HOOK_LOCK_INIT, b = HOOK_LOCK_INIT;
	pid_t holder, stale;

	unlink(path);
	assert_int_equal(hook_lock_acquire(&a, &holder, path), 0);
	assert_int_equal(a.stale_pid, 0);
	assert_int_equal(hook_lock_holder(path, &stale), getpid());
	assert_int_equal(hook_lock_acquire(&b, &holder, path), 1);
	assert_int_equal(holder, getpid());
	assert_int_equal(b.fd, -1);
	hook_lock_release(&a);
	assert_int_equal(hook_lock_holder(path, &stale), 0);
	assert_int_equal(stale, 0);
	assert_int_equal(hook_lock_acquire(&b, &holder, path), 0);
	hook_lock_release(&b);
	hook_lock_release(&b);
}

static void test_hook_lock_breaks_stale(void **state)
{
	struct hook_lock l = HOOK_LOCK_INIT;
	struct strbuf sb = STRBUF_INIT;
	pid_t dead = dead_pid(), holder, stale;

	assert_false(hook_pid_alive(dead));
	assert_true(hook_pid_alive(getpid()));
	strbuf_addf(&sb, "%ld\n", (long)dead);
	assert_int_equal(strbuf_write_file(&sb, path), 0);
	assert_int_equal(hook_lock_holder(path, &stale), 0);
	assert_int_equal(stale, dead);
	assert_int_equal(hook_lock_acquire(&l, &holder, path), 0);
	assert_int_equal(l.stale_pid, dead);
	hook_lock_release(&l);
	strbuf_dispose(&sb);
}

/* A holder that dies without unlocking: the kernel frees the lock. */
static void test_hook_lock_dies_with_holder(void **state)
{
	struct hook_lock l = HOOK_LOCK_INIT;
	int go[2];
	pid_t pid, holder, stale;
	char c;

	unlink(path);
	assert_int_equal(pipe(go), 0);
	pid = fork();
	if (!pid) {
		struct hook_lock mine = HOOK_LOCK_INIT;

		if (hook_lock_acquire(&mine, &holder, path))
			_exit(1);
		if (write(go[1], "x", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	assert_int_equal(read(go[0], &c, 1), 1);
	assert_int_equal(hook_lock_acquire(&l, &holder, path), 1);
	assert_int_equal(holder, pid);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	assert_int_equal(hook_lock_holder(path, &stale), 0);
	assert_int_equal(stale, pid);
	assert_int_equal(hook_lock_acquire(&l, &holder, path), 0);
	assert_int_equal(l.stale_pid, pid);
	hook_lock_release(&l);
	close(go[0]);
	close(go[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hook_lock_excludes_and_releases),
		cmocka_unit_test(test_hook_lock_breaks_stale),
		cmocka_unit_test(test_hook_lock_dies_with_holder),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
