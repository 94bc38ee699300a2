/* cmd_install.c: `mkt-gate install` and `uninstall`: options in, one line per
 * hook out. Writing, chaining and restoring the hooks is hooks/install.c's. */
#include "builtin.h"
#include "error.h"
#include "exit.h"
#include "hook.h"
#include "options.h"
#include "setup.h"

#include <stdio.h>
#include <string.h>

static const char *const install_usage[] = {
	"mkt-gate install [--hooks=LIST] [--force] [-q]",
	NULL,
};

static const char *const uninstall_usage[] = {
	"mkt-gate uninstall [--hooks=LIST] [-q]",
	NULL,
};

static const char *act_text(enum hook_action act)
{
	switch (act) {
	case HOOK_ACT_NONE:
		return "already as it should be";
	case HOOK_ACT_WRITTEN:
		return "installed";
	case HOOK_ACT_CHAINED:
		return "installed; the hook that was there runs first";
	case HOOK_ACT_UPDATED:
		return "updated to run this mkt-gate";
	case HOOK_ACT_RESTORED:
		return "removed; the previous hook is back";
	case HOOK_ACT_REMOVED:
		return "removed";
	case HOOK_ACT_FOREIGN:
		return "not mkt-gate's hook: left alone";
	}
	return "?";
}

/* Splits "a,b" into names, checking each; NULL means every known hook. */
static int parse_hook_list(struct strvec *names, const char *list)
{
	if (!list)
		return strvec_pushv(names, hook_known_names);
	while (*list) {
		size_t n = strcspn(list, ", ");

		if (n && strvec_pushf(names, "%.*s", (int)n, list))
			return -1;
		if (n && !hook_name_known(names->v[names->nr - 1]))
			return gate_error("unknown hook '%s' (known: %s, %s)",
					  names->v[names->nr - 1],
					  HOOK_PRE_PUSH, HOOK_POST_COMMIT);
		list += n + !!list[n];
	}
	if (!names->nr)
		return gate_error("no hook named in --hooks");
	return 0;
}

static int run_each(bool install, const char *list, bool force,
		    struct gate_ctx *ctx)
{
	struct strvec names = STRVEC_INIT;
	struct hook_repo repo;
	enum hook_action act;
	int ret = GATE_EXIT_USAGE;

	if (parse_hook_list(&names, list)) {
		gate_error_print("error");
		goto out;
	}
	if (hook_repo_open(&repo, NULL)) {
		gate_error_print("error");
		goto out;
	}
	ret = GATE_EXIT_OK;
	for (size_t i = 0; i < names.nr; i++) {
		const char *n = names.v[i];

		if (install ? hook_install_one(&act, repo.hooksdir.buf, n,
					       ctx->self, force) :
			      hook_uninstall_one(&act, repo.hooksdir.buf, n)) {
			gate_error_print("error");
			ret = GATE_EXIT_INFRA;
			continue;
		}
		if (!ctx->quiet)
			printf("%s: %s (%s/%s)\n", n, act_text(act),
			       repo.hooksdir.buf, n);
	}
	hook_repo_dispose(&repo);
out:
	strvec_dispose(&names);
	return ret;
}

/* The options are read through the table's pointers after parsing. */
static int parse_and_run(int argc, const char **argv, bool install,
			 const struct option *opts, const char *const *hooks,
			 const int *force, struct gate_ctx *ctx)
{
	const char *const *usage = install ? install_usage : uninstall_usage;
	int n = setup_parse(argc, argv, opts, 0, ctx);

	if (n < 0)
		return opt_exit(n, usage, opts);
	if (n > 0) {
		fprintf(stderr, "error: unexpected argument '%s'\n", argv[0]);
		opt_usage(stderr, usage, opts);
		return GATE_EXIT_USAGE;
	}
	return run_each(install, *hooks, *force, ctx);
}

int cmd_install(int argc, const char **argv, struct gate_ctx *ctx)
{
	const char *hooks = NULL;
	int force = 0;
	struct option opts[] = {
		OPT_STRING(0, "hooks", &hooks, "list",
			   "hooks to install (default: pre-push,post-commit)"),
		OPT_BOOL(0, "force", &force,
			 "point our hooks at this binary, chain over an older chained hook"),
		OPT_BOOL('q', "quiet", &ctx->quiet, "say nothing but errors"),
		OPT_END(),
	};

	return parse_and_run(argc, argv, true, opts, &hooks, &force, ctx);
}

int cmd_uninstall(int argc, const char **argv, struct gate_ctx *ctx)
{
	const char *hooks = NULL;
	int force = 0;
	struct option opts[] = {
		OPT_STRING(0, "hooks", &hooks, "list",
			   "hooks to remove (default: all of ours)"),
		OPT_BOOL('q', "quiet", &ctx->quiet, "say nothing but errors"),
		OPT_END(),
	};

	return parse_and_run(argc, argv, false, opts, &hooks, &force, ctx);
}
