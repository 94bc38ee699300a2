/* pool.h: runs many child processes at once, -j of them at a time.
 * Each job's output is captured on its own, so logs never interleave. */
#ifndef GATE_POOL_H
#define GATE_POOL_H

#include "proc.h"
#include "strbuf.h"

#include <stddef.h>

/*
 * A job: fill in proc (args, env, dir) and timeout_s, then hand an array
 * of jobs to gate_pool_run(). Afterwards status holds the exit status
 * (128 + signal when killed, -1 when it could not start, with the reason
 * in output), output the merged stdout and stderr, seconds the wall time.
 * A job that never started because of an interrupt has started == 0.
 * One failing job never stops the others.
 */
struct gate_job {
	struct proc proc;
	unsigned int timeout_s;
	int status;
	int started;
	double seconds;
	struct strbuf output;
	void *data;
	/*
	 * What the job is expected to cost, in any unit shared by the jobs
	 * of one run (0 when unknown): heavier jobs start first, so that the
	 * last job to end is a short one and no CPU idles long at the end.
	 */
	double weight;
};

void gate_job_init(struct gate_job *j);
void gate_job_dispose(struct gate_job *j);

/*
 * Runs jobs[0..n) on `workers` threads, heaviest first, else in order;
 * stops starting jobs on Ctrl-C.
 */
int gate_pool_run(struct gate_job *jobs, size_t n, int workers);

/* The number of CPUs, the default -j. */
int gate_cpu_count(void);

#endif
