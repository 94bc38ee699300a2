/* patch_job.c: runs a commit's patch-level analyzers on a thread while the
 * engine goes on building; joined before the scratch tree moves. */
#include "patch_job.h"
#include "error.h"
#include "patch.h"
#include "result.h"
#include "unit.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct gate_patch_job {
	pthread_t thread;
	struct gate_engine *e;
	const struct gate_commit *c;
	json_t *cj;
	size_t at;		/* where in cj's checks they go: after the units' */
	json_t *checks;		/* the thread's own, inserted at finish */
	/* The engine's; load_waivers() replaces them only after the join. */
	const struct waivers *waivers;
	char *error;		/* the thread's error message, when it failed */
};

/* One check per patch-level analyzer, appended to j->checks. */
static int run_checks(struct gate_patch_job *j, const struct patch_ctx *pc)
{
	const struct gate_engine *e = j->e;

	for (size_t i = 0; i < e->nr_an; i++) {
		const struct unit_analyzer *a = &e->an[i];
		json_t *check;

		if (a->desc->kind != AN_KIND_PATCH)
			continue;
		if (a->skip_reason)
			check = gate_result_check_new(a->desc->name, "skipped", a->skip_reason);
		else if (patch_check(&check, pc, a->desc->name, a->fail_on))
			return -1;
		if (json_array_append_new(j->checks, check))
			return gate_error("out of memory");
	}
	return 0;
}

static void *job_main(void *arg)
{
	struct gate_patch_job *j = arg;
	struct gate_engine *e = j->e;
	struct gate_diff diff = { 0 };
	git_repository *git = NULL;
	int ret;

	ret = git_repository_open(&git, git_repository_path(e->repo->git)) ?
	      gate_git_error("cannot open the repository for the patch checks") :
	      gate_diff_commit(&diff, git, &j->c->oid);
	if (!ret) {
		struct patch_ctx pc = { git, j->c, &diff, e->o->cfg, e->scratch.src,
					e->backend->kernel_tree, j->waivers, e->o->ctr,
					e->o->ctr ? e->scratch.dir : NULL };

		ret = run_checks(j, &pc);
	}
	if (ret)
		j->error = strdup(gate_error_last());
	gate_diff_dispose(&diff);
	git_repository_free(git);
	return NULL;
}

static bool has_patch_analyzers(const struct gate_engine *e)
{
	for (size_t i = 0; i < e->nr_an; i++)
		if (e->an[i].desc->kind == AN_KIND_PATCH)
			return true;
	return false;
}

int gate_patch_job_start(struct gate_engine *e, const struct gate_commit *c,
			 json_t *cj)
{
	struct gate_patch_job *j;

	if (gate_patch_job_finish(e))
		return -1;
	if (!has_patch_analyzers(e))
		return 0;
	j = calloc(1, sizeof(*j));
	if (j)
		j->checks = json_array();
	if (!j || !j->checks) {
		free(j);
		return gate_error("out of memory");
	}
	j->e = e;
	j->c = c;
	j->cj = cj;
	j->waivers = e->waivers;
	for (size_t i = 0; i < e->nr_an; i++)
		j->at += e->an[i].desc->kind != AN_KIND_PATCH;
	if (pthread_create(&j->thread, NULL, job_main, j)) {
		json_decref(j->checks);
		free(j);
		return gate_error("cannot start a thread for the patch checks");
	}
	e->patch_job = j;
	return 0;
}

int gate_patch_job_finish(struct gate_engine *e)
{
	struct gate_patch_job *j = e->patch_job;
	json_t *checks, *check;
	size_t i;
	int ret = 0;

	if (!j)
		return 0;
	e->patch_job = NULL;
	pthread_join(j->thread, NULL);
	checks = json_object_get(j->cj, "checks");
	if (j->at > json_array_size(checks))
		j->at = json_array_size(checks);	/* the unit checks failed */
	json_array_foreach(j->checks, i, check)
		if (json_array_insert(checks, j->at + i, check))
			ret = gate_error("out of memory");
	if (j->error)
		ret = gate_error("%s", j->error);
	json_decref(j->checks);
	free(j->error);
	free(j);
	return ret;
}
