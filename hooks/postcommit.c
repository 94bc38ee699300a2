/* postcommit.c: what the post-commit hook does: queue HEAD and make sure a runner will see it.
 * Returns at once; the check itself runs detached (runner.c). */
#include "hook.h"
#include "error.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#define LOG_MAX ((off_t)1 << 20)

/* Keeps one older log around, so the log never grows without bound. */
static int open_log_path(struct strbuf *log, const struct hook_repo *r)
{
	struct strbuf old = STRBUF_INIT;
	struct stat st;

	if (hook_repo_state_path(log, r, "log"))
		return -1;
	if (!stat(log->buf, &st) && st.st_size > LOG_MAX &&
	    !strbuf_addf(&old, "%s.1", log->buf))
		rename(log->buf, old.buf);
	strbuf_dispose(&old);
	return 0;
}

/*
 * The request is written before the lock is looked at, and a runner
 * looks at the queue again after unlocking: so either the runner sees
 * the request, or we see the lock free and start one.
 */
int hook_postcommit_queue(bool *started, const struct hook_repo *r,
			  const char *self)
{
	static const char *const head_args[] = {
		"rev-parse", "--verify", "--quiet", "HEAD", NULL,
	};
	const char *argv[] = { self, "hook", "run-queue", NULL };
	struct strbuf head = STRBUF_INIT, lock = STRBUF_INIT;
	struct strbuf log = STRBUF_INIT;
	pid_t stale;
	int ret = -1;

	*started = false;
	if (hook_git(&head, r, head_args)) {
		gate_error("HEAD is not a commit yet");
		goto out;
	}
	if (hook_queue_push(r, head.buf) || hook_repo_state_path(&lock, r, "lock"))
		goto out;
	ret = 0;
	if (hook_lock_holder(lock.buf, &stale))
		goto out;
	ret = open_log_path(&log, r);
	if (!ret)
		ret = hook_spawn_detached(argv, hook_repo_workdir(r), log.buf);
	*started = !ret;
out:
	strbuf_dispose(&head);
	strbuf_dispose(&lock);
	strbuf_dispose(&log);
	return ret;
}
