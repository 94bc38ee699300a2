/* patch_job.h: the patch-level analyzers of one commit on a thread of their
 * own, overlapping the builds until the scratch tree moves on. */
#ifndef GATE_PATCH_JOB_H
#define GATE_PATCH_JOB_H

#include <jansson.h>

struct gate_engine;
struct gate_commit;

/*
 * checkpatch, commit-msg and kernel-doc read the commit, its parent and
 * the scratch tree at the commit, never write it: so they run while the
 * engine builds the commit's units, boots it and builds the next commit's
 * before-state (the same tree), and are finished before the scratch tree
 * changes. The thread opens the repository on its own (libgit2 objects
 * are used by one thread at a time) and reads its own diff; it shares the
 * engine's waivers, which the engine loads only after the job is joined.
 *
 * Life cycle: gate_patch_job_start() puts the job in e->patch_job (one at
 * a time: a pending job is finished first); gate_patch_job_finish()
 * waits for it, inserts its checks into the commit's `checks` at the
 * place they were started from, and frees it; it does nothing when no
 * job is pending and returns -1 with the job's error when it failed.
 */
int gate_patch_job_start(struct gate_engine *e, const struct gate_commit *c,
			 json_t *cj);
int gate_patch_job_finish(struct gate_engine *e);

#endif
