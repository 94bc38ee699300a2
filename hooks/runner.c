/* runner.c: the detached background run: takes the lock, gates each queued head, stores the results.
 * Logs to the FILE it is given (the log under the state dir); never touches worktree, index or refs. */
#include "hook.h"
#include "error.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define REPLAY_WAIT_MAX_S 3600
#define DEBOUNCE_DEFAULT_MS 1000

static void __attribute__((format(printf, 2, 3)))
log_line(FILE *log, const char *fmt, ...)
{
	char stamp[32];
	time_t now = time(NULL);
	va_list ap;

	strftime(stamp, sizeof(stamp), "%Y-%m-%d %H:%M:%S", localtime(&now));
	fprintf(log, "%s [%ld] ", stamp, (long)getpid());
	va_start(ap, fmt);
	vfprintf(log, fmt, ap);
	va_end(ap);
	fputc('\n', log);
	fflush(log);
}

/* Lets a burst of commits (a rebase, `git am`) land before we look. */
static void debounce(void)
{
	const char *s = getenv(HOOK_ENV_DEBOUNCE);
	long ms = s ? strtol(s, NULL, 10) : DEBOUNCE_DEFAULT_MS;

	if (ms > 0 && ms < 600000)
		nanosleep(&(struct timespec){ ms / 1000, (ms % 1000) * 1000000L },
			  NULL);
}

/*
 * Excludes what remotes have, and the head gated last time, so a
 * repository without remotes is not gated back to its root. With no
 * history of runs and a long list, only the newest commit is gated.
 */
static int plan_job(struct hook_plan *plan, const struct hook_repo *r,
		    const struct hook_job *j, const char *last)
{
	struct strvec exclude = STRVEC_INIT;
	int ret = -1;

	if (strvec_push(&exclude, "--not") || strvec_push(&exclude, "--remotes") ||
	    (*last && strvec_push(&exclude, last)))
		goto out;
	ret = hook_plan_build(plan, r, j->head, &exclude);
	if (ret && *last) {
		hook_plan_dispose(plan);
		strvec_pop(&exclude);
		ret = hook_plan_build(plan, r, j->head, &exclude);
	}
	if (!ret && plan->truncated && !*last)
		ret = hook_plan_keep_newest(plan, 1);
out:
	strvec_dispose(&exclude);
	return ret;
}

/* The head the last finished run of this worktree gated, "" if none. */
static void last_gated(char *last, const struct hook_repo *r, const char *key)
{
	struct strbuf path = STRBUF_INIT;
	struct hook_job prev;

	hook_job_init(&prev);
	*last = '\0';
	if (!strbuf_addf(&path, "%s/state/%s", r->statedir.buf, key) &&
	    !access(path.buf, F_OK) && !hook_job_read(&prev, path.buf) &&
	    prev.verdict != HOOK_VERDICT_ERROR)
		memcpy(last, prev.head, sizeof(prev.head));
	hook_job_dispose(&prev);
	strbuf_dispose(&path);
}

static int gate_job(struct hook_job *j, const struct hook_repo *r,
		    const char *self, FILE *log)
{
	struct hook_gate_outcome o;
	struct hook_plan plan;
	char last[HOOK_OID_MAX + 1];
	int ret;

	hook_gate_outcome_init(&o);
	o.check_all = true;
	hook_plan_init(&plan);
	last_gated(last, r, j->key);
	ret = plan_job(&plan, r, j, last);
	if (!ret)
		ret = hook_gate_plan(&o, r, self, &plan);
	j->verdict = ret ? HOOK_VERDICT_ERROR : o.verdict;
	strbuf_reset(&j->range);
	strbuf_addstr(&j->range, o.range.len ? o.range.buf : "nothing new to check");
	if (ret)
		log_line(log, "error: %s", gate_error_last());
	log_line(log, "%s: %s (%s)", j->head, hook_verdict_name(j->verdict),
		 j->range.buf);
	hook_plan_dispose(&plan);
	hook_gate_outcome_dispose(&o);
	return ret;
}

/* Gates one claimed job in its own worktree and files the result. */
static int run_job(struct hook_job *j, const struct hook_repo *home,
		   const char *self, FILE *log)
{
	struct strbuf running = STRBUF_INIT;
	struct hook_repo r;
	int ret = -1;

	j->pid = getpid();
	j->started = (long)time(NULL);
	if (!strbuf_addf(&running, "%s/running/%s", home->statedir.buf, j->key))
		hook_job_write(j, running.buf);
	log_line(log, "checking %s in '%s'", j->head,
		 j->top.len ? j->top.buf : j->gitdir.buf);
	if (hook_repo_open(&r, j->top.len ? j->top.buf : j->gitdir.buf)) {
		log_line(log, "error: %s", gate_error_last());
		j->verdict = HOOK_VERDICT_ERROR;
	} else {
		gate_job(j, &r, self, log);
		hook_repo_dispose(&r);
	}
	ret = hook_queue_finish(j, home);
	strbuf_dispose(&running);
	return ret;
}

/*
 * Holds the lock while jobs remain. After unlocking, it looks at the
 * queue once more (see hook_postcommit_queue), so no request is left
 * behind without a runner.
 */
int hook_runner_run(const struct hook_repo *r, const char *self, FILE *log)
{
	struct hook_lock lock = HOOK_LOCK_INIT;
	struct strbuf path = STRBUF_INIT;
	struct hook_job j;
	int waited = 0, got, ret = -1;
	pid_t holder;

	if (hook_repo_state_path(&path, r, "lock"))
		goto out;
	for (;;) {
		got = hook_lock_acquire(&lock, &holder, path.buf);
		if (got < 0)
			goto out;
		if (got) {
			log_line(log, "pid %ld holds the lock and takes the queue",
				 (long)holder);
			break;
		}
		if (lock.stale_pid)
			log_line(log, "broke the stale lock of pid %ld",
				 (long)lock.stale_pid);
		hook_queue_recover(r);
		for (;;) {
			debounce();
			hook_job_init(&j);
			got = hook_queue_claim(&j, r);
			if (got == 1)
				run_job(&j, r, self, log);
			hook_job_dispose(&j);
			if (got == 2 && waited++ < REPLAY_WAIT_MAX_S)
				sleep(1);
			else if (got != 1)
				break;
		}
		hook_lock_release(&lock);
		if (hook_queue_empty(r) || got == 2)
			break;
	}
	ret = 0;
out:
	strbuf_dispose(&path);
	return ret;
}
