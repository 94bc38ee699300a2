/* hook.h: the git hooks of mkt-gate: where they live, what they run, and the
 * state background checks keep under the git dir. Never prints or exits. */
#ifndef HOOKS_HOOK_H
#define HOOKS_HOOK_H

#include "strbuf.h"
#include "strvec.h"
#include "verdict.h"

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

/* Object ids: SHA-1 (40 hex) or SHA-256 (64 hex). */
#define HOOK_OID_MAX 64
#define HOOK_REF_MAX 1024

/* The hooks mkt-gate knows how to install. */
#define HOOK_PRE_PUSH "pre-push"
#define HOOK_POST_COMMIT "post-commit"
/* Suffix of the hook that was there before ours; ours runs it first. */
#define HOOK_CHAINED_SUFFIX ".mkt-gate-chained"
/* The marker line that tells our hook scripts from anyone else's. */
#define HOOK_MARKER "# mkt-gate-hook: v1"

/* Environment: the gate command (tests only), skipping, tuning. */
#define HOOK_ENV_GATE_CMD "MKT_GATE_HOOK_GATE_CMD"
#define HOOK_ENV_SKIP "MKT_GATE_SKIP"
#define HOOK_ENV_DEBOUNCE "MKT_GATE_HOOK_DEBOUNCE_MS"
#define HOOK_ENV_MAX_COMMITS "MKT_GATE_HOOK_MAX_COMMITS"

/*
 * repo.c: where one repository keeps things. Every path is absolute.
 * gitdir is this worktree's, commondir is shared by all linked worktrees
 * and holds statedir (<commondir>/mkt-gate) with the results, the queue
 * and the lock. top is empty in a bare repository.
 * Life cycle: hook_repo_open(), use, hook_repo_dispose().
 */
struct hook_repo {
	struct strbuf gitdir;
	struct strbuf commondir;
	struct strbuf hooksdir;
	struct strbuf top;
	struct strbuf statedir;
};

int hook_repo_open(struct hook_repo *r, const char *dir);
void hook_repo_dispose(struct hook_repo *r);
/* Where git and the gate run: the worktree top, or the git dir if bare. */
const char *hook_repo_workdir(const struct hook_repo *r);
/* Appends <statedir>/<sub> to out, creating statedir/<dir of sub>. */
int hook_repo_state_path(struct strbuf *out, const struct hook_repo *r,
			 const char *sub);
/*
 * Runs `git <args>` in the repository with its stdout in out (trailing
 * white space trimmed). Returns git's exit status, or -1 when it could
 * not run. Repository-local GIT_* variables a hook inherits are dropped.
 */
int hook_git(struct strbuf *out, const struct hook_repo *r,
	     const char *const *args);
/* The variables hook_git() and the gate must not inherit from git. */
extern const char *const hook_git_local_env[];
bool hook_is_oid(const char *s, size_t len);
bool hook_is_null_oid(const char *s);

/* script.c: the hook scripts we write, and how to recognise them. */
int hook_script_render(struct strbuf *out, const char *name,
		       const char *self);
bool hook_script_is_ours(const char *content, size_t len);
int hook_sq_quote(struct strbuf *out, const char *s);

/* install.c: what installing or removing one hook did. */
enum hook_action {
	HOOK_ACT_NONE,		/* already as wanted */
	HOOK_ACT_WRITTEN,	/* ours written, nothing was there */
	HOOK_ACT_CHAINED,	/* ours written, the old one chained */
	HOOK_ACT_UPDATED,	/* ours rewritten (another binary) */
	HOOK_ACT_RESTORED,	/* ours removed, the old one put back */
	HOOK_ACT_REMOVED,	/* ours removed, nothing was there */
	HOOK_ACT_FOREIGN,	/* not ours: left alone */
};

/* The hooks mkt-gate can install, NULL-terminated. */
extern const char *const hook_known_names[];
bool hook_name_known(const char *name);
int hook_install_one(enum hook_action *act, const char *hooksdir,
		     const char *name, const char *self, bool force);
int hook_uninstall_one(enum hook_action *act, const char *hooksdir,
		       const char *name);

/* pushline.c: one line of the pre-push hook's standard input. */
struct hook_push_update {
	char local_ref[HOOK_REF_MAX];
	char local_oid[HOOK_OID_MAX + 1];
	char remote_ref[HOOK_REF_MAX];
	char remote_oid[HOOK_OID_MAX + 1];
};

struct hook_push_list {
	struct hook_push_update *v;
	size_t nr;
	size_t alloc;
};

#define HOOK_PUSH_LIST_INIT { NULL, 0, 0 }

int hook_push_parse_line(struct hook_push_update *u, const char *line,
			 size_t len);
/* Parses every line of buf; an empty line is skipped, a bad one fails. */
int hook_push_parse(struct hook_push_list *l, const char *buf, size_t len);
void hook_push_list_dispose(struct hook_push_list *l);
bool hook_push_is_delete(const struct hook_push_update *u);
bool hook_push_is_new(const struct hook_push_update *u);

/* chain.c: runs the chained hook, if any, with our arguments and input. */
int hook_chain_run(int *status, const char *chained, const char *const *args,
		   const char *input, size_t len);

/*
 * plan.c: the commits a head has that were not checked yet, oldest
 * first, with the first parent of each ("" for a root commit).
 */
struct hook_plan {
	struct strvec commits;
	struct strvec parents;
	bool truncated;		/* more than the limit: only the newest kept */
};

void hook_plan_init(struct hook_plan *p);
void hook_plan_dispose(struct hook_plan *p);
/* Lists head --not <exclude...>, at most max_commits of them. */
int hook_plan_build(struct hook_plan *p, const struct hook_repo *r,
		    const char *head, const struct strvec *exclude);
unsigned int hook_plan_limit(void);
/* Drops all but the newest n commits. */
int hook_plan_keep_newest(struct hook_plan *p, size_t n);

/*
 * store.c: per-commit results, <statedir>/results/<sha>.json. A hook
 * verdict is the gate's verdict (verdict.h) by another name.
 */
enum hook_verdict {
	HOOK_VERDICT_NONE = GATE_VERDICT_NONE,	/* not checked yet */
	HOOK_VERDICT_SKIPPED = GATE_VERDICT_SKIPPED,
	HOOK_VERDICT_PASS = GATE_VERDICT_PASS,
	HOOK_VERDICT_FAIL = GATE_VERDICT_FAIL,
	HOOK_VERDICT_ERROR = GATE_VERDICT_ERROR,
};

const char *hook_verdict_name(enum hook_verdict v);
enum hook_verdict hook_verdict_parse(const char *s);
/* Splits a report into one stored result per commit; counts them. */
int hook_result_store(size_t *stored, const struct hook_repo *r,
		      const char *report_path);
enum hook_verdict hook_result_verdict(const struct hook_repo *r,
				      const char *sha);
/* Appends the stored result of sha, findings and all, as text. */
int hook_result_describe(struct strbuf *out, const struct hook_repo *r,
			 const char *sha);
/* Appends `file:line:col: severity: message [rule] (analyzer)` lines of a report file. */
int hook_report_describe(struct strbuf *out, const char *report_path);

/*
 * gate.c: runs `mkt-gate range` (or $MKT_GATE_HOOK_GATE_CMD) over what a
 * plan says is unchecked, reusing stored results: a stored fail refuses
 * at once, stored passes are not run again. The gate's own output goes
 * to our stderr. Failed commits, stored or fresh, are described in
 * summary.
 */
struct hook_gate_outcome {
	enum hook_verdict verdict;
	int exit_code;		/* of the last gate run, 0 if none ran */
	size_t checked;		/* commits the gate ran on */
	size_t reused;		/* commits whose stored result was used */
	bool truncated;		/* the plan was cut to its newest commits */
	/*
	 * Set by the caller: gate the unchecked commits even when a stored
	 * result already fails (a push stops at the failure; the background
	 * check must not leave the commits after it unchecked for good).
	 */
	bool check_all;
	struct strbuf summary;
	struct strbuf range;	/* the range the gate ran on, if it did */
};

void hook_gate_outcome_init(struct hook_gate_outcome *o);
void hook_gate_outcome_dispose(struct hook_gate_outcome *o);
int hook_gate_plan(struct hook_gate_outcome *o, const struct hook_repo *r,
		   const char *self, const struct hook_plan *plan);
int hook_gate_command(struct strvec *argv, const char *self);

/* prepush.c: gates every ref update of one push. */
int hook_prepush_check(struct hook_gate_outcome *o, const struct hook_repo *r,
		       const char *self, const struct hook_push_list *l);

/*
 * lock.c: one background run per repository. The lock is an flock()ed
 * file holding the holder's pid: the kernel releases it when the holder
 * dies, so a crashed run never blocks the next one, and a pid left in a
 * free lock file is reported as stale.
 */
struct hook_lock {
	int fd;
	pid_t stale_pid;	/* the dead holder a new holder replaced */
};

#define HOOK_LOCK_INIT { -1, 0 }

/* 0 taken, 1 held by a live process (its pid in *holder), -1 error. */
int hook_lock_acquire(struct hook_lock *l, pid_t *holder, const char *path);
void hook_lock_release(struct hook_lock *l);
/* The pid holding path, 0 when free; *stale gets a dead pid left in it. */
pid_t hook_lock_holder(const char *path, pid_t *stale);
bool hook_pid_alive(pid_t pid);

/*
 * queue.c: background checks by worktree. queue/<key> is a request (the
 * newest head wins, so a burst of commits is one request), running/<key>
 * the one a runner claimed, state/<key> the last one finished.
 */
struct hook_job {
	char key[17];
	char head[HOOK_OID_MAX + 1];
	struct strbuf gitdir;
	struct strbuf top;
	/* state/ only */
	struct strbuf range;
	enum hook_verdict verdict;
	long started;
	long finished;
	pid_t pid;
};

void hook_job_init(struct hook_job *j);
void hook_job_dispose(struct hook_job *j);
int hook_job_read(struct hook_job *j, const char *path);
int hook_job_write(const struct hook_job *j, const char *path);
int hook_queue_push(const struct hook_repo *r, const char *head);
/* 1 with a claimed job in j, 0 when nothing is claimable, -1 on error. */
int hook_queue_claim(struct hook_job *j, const struct hook_repo *r);
int hook_queue_finish(struct hook_job *j, const struct hook_repo *r);
/* Puts back jobs a crashed runner had claimed; call with the lock held. */
int hook_queue_recover(const struct hook_repo *r);
bool hook_queue_empty(const struct hook_repo *r);
/* Calls fn for each job in <statedir>/<sub> (queue, running or state). */
int hook_queue_each(const struct hook_repo *r, const char *sub,
		    int (*fn)(struct hook_job *j, void *data), void *data);

/* spawn.c: starts argv detached (own session, fds to log), no waiting. */
int hook_spawn_detached(const char *const *argv, const char *dir,
			const char *log_path);

/* runner.c: the background run: gates queued heads until none is left. */
int hook_runner_run(const struct hook_repo *r, const char *self, FILE *log);
/* post-commit: queues HEAD and starts a runner if none is running. */
int hook_postcommit_queue(bool *started, const struct hook_repo *r,
			  const char *self);

#endif
