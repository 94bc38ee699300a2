/* cmd_hook.c: `mkt-gate hook <name>`, what the installed hook scripts run, and the
 * background runner: the hooks' verdicts and hints to the user; the work is hooks/'. */
#include "hook.h"
#include "builtin.h"
#include "error.h"
#include "exit.h"
#include "options.h"
#include "text.h"
#include "setup.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define INPUT_CAP ((size_t)16 << 20)

static const char *const hook_usage[] = {
	"mkt-gate hook pre-push|post-commit [--chained=PATH] [-q|-v] [--] [<args>...]",
	"mkt-gate hook run-queue",
	NULL,
};

static bool skip_requested(void)
{
	const char *s = getenv(HOOK_ENV_SKIP);

	return s && *s && strcmp(s, "0");
}

static void print_bypass_hints(void)
{
	fprintf(stderr, "hint: push anyway with 'git push --no-verify' or 'MKT_GATE_SKIP=1 git push'\n");
	fprintf(stderr, "hint: 'mkt-gate status' lists the stored results\n");
}

/* Whether any line of the push updates a ref to new commits. */
static bool push_has_work(const struct hook_push_list *l)
{
	for (size_t i = 0; i < l->nr; i++)
		if (!hook_push_is_delete(&l->v[i]) &&
		    strcmp(l->v[i].local_oid, l->v[i].remote_oid))
			return true;
	return false;
}

static int report_push(const struct hook_gate_outcome *o, struct gate_ctx *ctx)
{
	if (o->truncated)
		fprintf(stderr, "warning: mkt-gate checked only the newest %u commits of this push\n",
			hook_plan_limit());
	if (o->verdict == HOOK_VERDICT_PASS) {
		if (!ctx->quiet && (o->checked || o->reused))
			fprintf(stderr, "mkt-gate: pass (%zu commits checked, %zu results reused)\n",
				o->checked, o->reused);
		return GATE_EXIT_OK;
	}
	if (o->verdict == HOOK_VERDICT_FAIL) {
		fprintf(stderr, "error: mkt-gate refused the push: these commits add new findings\n");
		rep_text_fputs(stderr, o->summary.buf, 0);
		fprintf(stderr, "hint: fix the commits (git commit --amend, git rebase -i), then push again\n");
	} else {
		fprintf(stderr, "error: mkt-gate could not decide on '%s' (the gate exited %d)\n",
			o->range.buf, o->exit_code);
	}
	print_bypass_hints();
	return GATE_EXIT_FAIL;
}

static int pre_push(const char *chained, int argc, const char **argv,
		    struct gate_ctx *ctx)
{
	struct strbuf in = STRBUF_INIT;
	struct hook_push_list l = HOOK_PUSH_LIST_INIT;
	struct hook_gate_outcome o;
	struct hook_repo repo;
	int status, ret = GATE_EXIT_INFRA;

	hook_gate_outcome_init(&o);
	in.cap = INPUT_CAP;
	if (strbuf_read_fd(&in, 0) ||
	    hook_chain_run(&status, chained, argv, in.buf, in.len)) {
		gate_error_print("error");
		goto out;
	}
	if (status) {
		fprintf(stderr, "error: the pre-push hook chained by mkt-gate ('%s') refused the push (exit %d)\n",
			chained, status);
		ret = GATE_EXIT_FAIL;
		goto out;
	}
	ret = GATE_EXIT_OK;
	if (skip_requested())
		goto out;
	if (hook_push_parse(&l, in.buf, in.len)) {
		gate_error_print("error");
		print_bypass_hints();
		ret = GATE_EXIT_USAGE;
		goto out;
	}
	if (!push_has_work(&l))
		goto out;
	if (hook_repo_open(&repo, NULL)) {
		gate_error_print("error");
		ret = GATE_EXIT_INFRA;
		goto out;
	}
	if (hook_prepush_check(&o, &repo, ctx->self, &l)) {
		gate_error_print("error");
		print_bypass_hints();
		ret = GATE_EXIT_INFRA;
	} else {
		ret = report_push(&o, ctx);
	}
	hook_repo_dispose(&repo);
out:
	hook_push_list_dispose(&l);
	hook_gate_outcome_dispose(&o);
	strbuf_dispose(&in);
	return ret;
}

/* git ignores what post-commit returns; so do we, after saying what went wrong. */
static int post_commit(const char *chained, const char **argv,
		       struct gate_ctx *ctx)
{
	struct hook_repo repo;
	bool started;
	int status;

	if (hook_chain_run(&status, chained, argv, "", 0))
		gate_error_print("warning");
	if (skip_requested())
		return GATE_EXIT_OK;
	if (hook_repo_open(&repo, NULL)) {
		gate_error_print("warning");
		return GATE_EXIT_OK;
	}
	if (hook_postcommit_queue(&started, &repo, ctx->self)) {
		gate_error_print("warning");
		fprintf(stderr, "hint: 'mkt-gate commit' checks HEAD in the foreground\n");
	} else if (ctx->verbose) {
		fprintf(stderr, "mkt-gate: HEAD queued for a check in the background%s\n",
			started ? "" : " (a check is running already)");
	}
	hook_repo_dispose(&repo);
	return GATE_EXIT_OK;
}

static int run_queue(struct gate_ctx *ctx)
{
	struct hook_repo repo;
	int ret = GATE_EXIT_OK;

	if (hook_repo_open(&repo, NULL)) {
		gate_error_print("error");
		return GATE_EXIT_INFRA;
	}
	if (hook_runner_run(&repo, ctx->self, stderr)) {
		gate_error_print("error");
		ret = GATE_EXIT_INFRA;
	}
	hook_repo_dispose(&repo);
	return ret;
}

int cmd_hook(int argc, const char **argv, struct gate_ctx *ctx)
{
	const char *chained = NULL, *name;
	int n;
	struct option opts[] = {
		OPT_STRING(0, "chained", &chained, "path",
			   "the hook that was installed before ours: run it first"),
		OPT_BOOL('q', "quiet", &ctx->quiet, "pre-push: say nothing when the push passes"),
		OPT_BOOL('v', "verbose", &ctx->verbose,
			 "post-commit: say that HEAD was queued for a check"),
		OPT_END(),
	};

	n = setup_parse(argc, argv, opts, 0, ctx);
	if (n < 0)
		return opt_exit(n, hook_usage, opts);
	if (n < 1) {
		opt_usage(stderr, hook_usage, opts);
		return GATE_EXIT_USAGE;
	}
	name = argv[0];
	if (!strcmp(name, HOOK_PRE_PUSH))
		return pre_push(chained, n - 1, argv + 1, ctx);
	if (!strcmp(name, HOOK_POST_COMMIT))
		return post_commit(chained, argv + 1, ctx);
	if (!strcmp(name, "run-queue") && n == 1)
		return run_queue(ctx);
	fprintf(stderr, "error: unknown hook '%s'\n", name);
	opt_usage(stderr, hook_usage, opts);
	return GATE_EXIT_USAGE;
}
