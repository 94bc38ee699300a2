/* install.c: writes our hooks into the hooks dir, chains the ones found there, and restores them.
 * Every replacement is a rename, so git never sees a half-written hook. */
#include "hook.h"
#include "commands.h"
#include "error.h"
#include "exit.h"
#include "options.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const known_hooks[] = { HOOK_PRE_PUSH, HOOK_POST_COMMIT, NULL };

bool hook_name_known(const char *name)
{
	for (int i = 0; known_hooks[i]; i++)
		if (!strcmp(name, known_hooks[i]))
			return true;
	return false;
}

/* 1 if path exists (without following a symlink), 0 if not, -1 on error. */
static int exists(const char *path, struct stat *st)
{
	if (!lstat(path, st))
		return 1;
	if (errno == ENOENT)
		return 0;
	return gate_error("cannot read '%s': %s", path, strerror(errno));
}

/* Written aside and renamed in, so git never runs half a script. */
static int write_script(const char *path, const struct strbuf *text)
{
	if (strbuf_write_file(text, path))
		return -1;
	if (chmod(path, 0755))
		return gate_error("cannot make '%s' executable: %s", path,
				  strerror(errno));
	return 0;
}

/*
 * Keeps the foreign hook at path as chained. A hard link leaves path in
 * place until ours replaces it, so a crash in between loses nothing; on a
 * file system without hard links a rename does the same job.
 */
static int chain_foreign(const char *path, const char *chained, bool force)
{
	struct strbuf old = STRBUF_INIT;
	struct stat st;
	int ret = -1, have = exists(chained, &st);

	if (have < 0)
		goto out;
	if (have && !force) {
		gate_error("'%s' is not mkt-gate's hook, and '%s' exists already",
			   path, chained);
		gate_error_hint("run 'mkt-gate install --force' to chain it anyway (the older chained hook is kept as '%s.old')",
				chained);
		goto out;
	}
	if (have && (strbuf_addf(&old, "%s.old", chained) ||
		     rename(chained, old.buf))) {
		gate_error("cannot move '%s' aside: %s", chained, strerror(errno));
		goto out;
	}
	if (link(path, chained) && rename(path, chained)) {
		gate_error("cannot keep '%s' as '%s': %s", path, chained,
			   strerror(errno));
		goto out;
	}
	ret = 0;
out:
	strbuf_dispose(&old);
	return ret;
}

static int hook_paths(struct strbuf *path, struct strbuf *chained,
		      const char *hooksdir, const char *name)
{
	if (!hook_name_known(name))
		return gate_error("unknown hook '%s'", name);
	if (strbuf_addf(path, "%s/%s", hooksdir, name) ||
	    strbuf_addf(chained, "%s%s", path->buf, HOOK_CHAINED_SUFFIX))
		return -1;
	return 0;
}

/* 1 when path is a regular file with our marker, 0 when not, -1 on error. */
static int is_ours(const char *path, const struct stat *st,
		   struct strbuf *content)
{
	if (!S_ISREG(st->st_mode))
		return 0;
	if (strbuf_read_file(content, path))
		return -1;
	return hook_script_is_ours(content->buf, content->len);
}

int hook_install_one(enum hook_action *act, const char *hooksdir,
		     const char *name, const char *self, bool force)
{
	struct strbuf path = STRBUF_INIT, chained = STRBUF_INIT;
	struct strbuf want = STRBUF_INIT, have = STRBUF_INIT;
	struct stat st;
	int ret = -1, found, ours = 0;

	if (hook_paths(&path, &chained, hooksdir, name) ||
	    hook_script_render(&want, name, self))
		goto out;
	if (mkdir(hooksdir, 0777) && errno != EEXIST) {
		gate_error("cannot create '%s': %s", hooksdir, strerror(errno));
		goto out;
	}
	found = exists(path.buf, &st);
	if (found > 0)
		ours = is_ours(path.buf, &st, &have);
	if (found < 0 || ours < 0)
		goto out;
	*act = !found ? HOOK_ACT_WRITTEN : ours ? HOOK_ACT_UPDATED : HOOK_ACT_CHAINED;
	if (ours && have.len == want.len && !memcmp(have.buf, want.buf, want.len) &&
	    (st.st_mode & 0111)) {
		*act = HOOK_ACT_NONE;
		ret = 0;
		goto out;
	}
	if (found && !ours && chain_foreign(path.buf, chained.buf, force))
		goto out;
	ret = write_script(path.buf, &want);
out:
	strbuf_dispose(&path);
	strbuf_dispose(&chained);
	strbuf_dispose(&want);
	strbuf_dispose(&have);
	return ret;
}

int hook_uninstall_one(enum hook_action *act, const char *hooksdir,
		       const char *name)
{
	struct strbuf path = STRBUF_INIT, chained = STRBUF_INIT;
	struct strbuf have = STRBUF_INIT;
	struct stat st;
	int ret = -1, found, ours = 0, kept;

	if (hook_paths(&path, &chained, hooksdir, name))
		goto out;
	found = exists(path.buf, &st);
	if (found > 0)
		ours = is_ours(path.buf, &st, &have);
	kept = exists(chained.buf, &st);
	if (found < 0 || ours < 0 || kept < 0)
		goto out;
	ret = 0;
	*act = HOOK_ACT_NONE;
	if (found && !ours) {
		*act = HOOK_ACT_FOREIGN;
	} else if (kept) {
		*act = HOOK_ACT_RESTORED;
		if (rename(chained.buf, path.buf))
			ret = gate_error("cannot restore '%s': %s", path.buf,
					 strerror(errno));
	} else if (found) {
		*act = HOOK_ACT_REMOVED;
		if (unlink(path.buf))
			ret = gate_error("cannot remove '%s': %s", path.buf,
					 strerror(errno));
	}
out:
	strbuf_dispose(&path);
	strbuf_dispose(&chained);
	strbuf_dispose(&have);
	return ret;
}

static const char *const install_usage[] = {
	"mkt-gate install [--hooks=LIST] [--force]",
	NULL,
};

static const char *const uninstall_usage[] = {
	"mkt-gate uninstall [--hooks=LIST]",
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
		return strvec_pushv(names, known_hooks);
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
	int n = opt_parse(argc, argv, opts, 0);

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
		OPT_END(),
	};

	return parse_and_run(argc, argv, false, opts, &hooks, &force, ctx);
}
