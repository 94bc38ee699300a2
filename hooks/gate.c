/* gate.c: runs the gate engine as a child over the unchecked part of a plan and keeps its results.
 * The engine is `<mkt-gate> range --json FILE <revs>`; its exit code is its verdict. */
#include "hook.h"
#include "error.h"
#include "exit.h"
#include "proc.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void hook_gate_outcome_init(struct hook_gate_outcome *o)
{
	memset(o, 0, sizeof(*o));
	o->verdict = HOOK_VERDICT_PASS;
	strbuf_init(&o->summary, 0);
	strbuf_init(&o->range, 0);
}

void hook_gate_outcome_dispose(struct hook_gate_outcome *o)
{
	strbuf_dispose(&o->summary);
	strbuf_dispose(&o->range);
}

/* $MKT_GATE_HOOK_GATE_CMD lets the tests put a script in the engine's place. */
int hook_gate_command(struct strvec *argv, const char *self)
{
	const char *cmd = getenv(HOOK_ENV_GATE_CMD);

	if (cmd && *cmd)
		return strvec_split(argv, cmd);
	return strvec_push(argv, self);
}

static int run_range(int *code, const struct hook_repo *r, const char *self,
		     const char *revs, const char *json)
{
	struct proc p;
	int ret = -1;

	proc_init(&p);
	p.dir = hook_repo_workdir(r);
	p.out_to_err = true;
	if (hook_gate_command(&p.args, self) || strvec_push(&p.args, "range") ||
	    strvec_push(&p.args, "--json") || strvec_push(&p.args, json) ||
	    strvec_push(&p.args, revs) ||
	    strvec_pushv(&p.env, hook_git_local_env))
		goto out;
	*code = proc_run(&p);
	if (*code >= 0)
		ret = 0;
out:
	proc_dispose(&p);
	return ret;
}

/* Runs one range and folds its verdict and stored results into o. */
static int gate_range(struct hook_gate_outcome *o, const struct hook_repo *r,
		      const char *self, const char *revs)
{
	struct strbuf json = STRBUF_INIT, sub = STRBUF_INIT;
	size_t stored = 0;
	int code, ret = -1;

	if (strbuf_addf(&sub, "tmp/report-%ld.json", (long)getpid()) ||
	    hook_repo_state_path(&json, r, sub.buf))
		goto out;
	unlink(json.buf);
	if ((o->range.len && strbuf_addch(&o->range, ' ')) ||
	    strbuf_addstr(&o->range, revs) ||
	    run_range(&code, r, self, revs, json.buf))
		goto out;
	o->exit_code = code;
	if (code == GATE_EXIT_OK || code == GATE_EXIT_FAIL)
		hook_result_store(&stored, r, json.buf);
	if (code == GATE_EXIT_FAIL) {
		o->verdict = HOOK_VERDICT_FAIL;
		if (!stored || hook_report_describe(&o->summary, json.buf))
			strbuf_addstr(&o->summary, "  (the findings are listed above)\n");
	} else if (code != GATE_EXIT_OK && o->verdict != HOOK_VERDICT_FAIL) {
		o->verdict = HOOK_VERDICT_ERROR;
	}
	ret = 0;
out:
	if (json.len)
		unlink(json.buf);
	strbuf_dispose(&json);
	strbuf_dispose(&sub);
	return ret;
}

/* Index of the oldest commit without a stored result, or nr if none. */
static size_t reuse_stored(struct hook_gate_outcome *o,
			   const struct hook_repo *r,
			   const struct hook_plan *plan)
{
	size_t first = plan->commits.nr;

	for (size_t i = 0; i < plan->commits.nr; i++) {
		const char *sha = plan->commits.v[i];
		enum hook_verdict v = hook_result_verdict(r, sha);

		if (v == HOOK_VERDICT_NONE) {
			if (first == plan->commits.nr)
				first = i;
			continue;
		}
		o->reused++;
		if (v == HOOK_VERDICT_FAIL) {
			o->verdict = HOOK_VERDICT_FAIL;
			hook_result_describe(&o->summary, r, sha);
		}
	}
	return first;
}

int hook_gate_plan(struct hook_gate_outcome *o, const struct hook_repo *r,
		   const char *self, const struct hook_plan *plan)
{
	struct strbuf revs = STRBUF_INIT;
	size_t first = reuse_stored(o, r, plan), last = plan->commits.nr - 1;
	const char *head;
	int ret = 0;

	o->truncated |= plan->truncated;
	if (first == plan->commits.nr || (o->verdict == HOOK_VERDICT_FAIL && !o->check_all))
		return 0;
	head = plan->commits.v[last];
	o->checked += plan->commits.nr - first;
	/* A root commit has no parent to write A..B with: gate it alone. */
	if (!*plan->parents.v[first]) {
		ret = gate_range(o, r, self, plan->commits.v[first]);
		if (ret || first == last)
			goto out;
		ret = strbuf_addf(&revs, "%s..%s", plan->commits.v[first], head);
	} else {
		ret = strbuf_addf(&revs, "%s..%s", plan->parents.v[first], head);
	}
	if (!ret)
		ret = gate_range(o, r, self, revs.buf);
out:
	strbuf_dispose(&revs);
	return ret;
}
