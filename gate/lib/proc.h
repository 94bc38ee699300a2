/* proc.h: starts child processes in their own process group and waits for them.
 * The one place that forks; every job, tool and git call goes through it. */
#ifndef GATE_PROC_H
#define GATE_PROC_H

#include "strbuf.h"
#include "strvec.h"

#include <stdbool.h>
#include <sys/types.h>

/*
 * Life cycle: proc_init(), fill in args/env/dir/fds, proc_start(), use
 * and close the pipe ends, proc_wait(). proc_run() and proc_capture()
 * do all of it for the common cases.
 *
 * env: "K=V" sets K, a bare "K" unsets it; the rest of the environment is
 * inherited. Standard fds (in, out, err): 0 inherits ours; -1 asks for a
 * pipe, whose end proc_start() stores back in the field and the caller
 * closes; a value > 2 is taken over, and is closed even when the start
 * fails. out_to_err sends the child's stdout to its stderr.
 *
 * Each child leads a process group of its own, so proc_kill() takes its
 * make and every compiler under it down, and proc_kill_all() (called from
 * the signal handler of main) stops every child still running.
 *
 * proc_wait() returns the exit status, 128 + the signal number when the
 * child was killed, or -1 when waiting failed. After an interrupt it also
 * kills what is left of the child's group once the child has ended.
 */
struct proc {
	struct strvec args;
	struct strvec env;
	const char *dir;
	int in, out, err;
	bool out_to_err;
	bool err_to_out;
	bool silent_exec_failure;
	pid_t pid;
};

void proc_init(struct proc *p);
/*
 * Makes front, then p's arguments, p's arguments: how a job is put inside
 * a wrapper (bwrap ... -- make). front is taken over and left empty.
 */
int proc_prepend_args(struct proc *p, struct strvec *front);
void proc_dispose(struct proc *p);
int proc_start(struct proc *p);
int proc_wait(struct proc *p);
void proc_kill(struct proc *p, int sig);
/* sig to every child group still running; the interrupt handler's stop. */
void proc_kill_all(int sig);

/* Runs to the end with inherited fds; returns the exit status or -1. */
int proc_run(struct proc *p);

/*
 * Runs p with stdout and stderr (merged unless err is NULL) captured into
 * out/err, stdin from /dev/null, and a timeout in seconds (0: none) after
 * which the whole group is killed and 128 + SIGKILL returned. Once timed
 * out or interrupted, the pipes are read only until the child has ended
 * (and a moment more): a process outside its group that still holds them
 * never keeps the caller waiting.
 */
int proc_capture(struct proc *p, struct strbuf *out, struct strbuf *err,
		 unsigned int timeout_s);

/* Whether `name` is an executable on PATH (or an existing path). */
bool proc_which(const char *name, struct strbuf *found);

#endif
