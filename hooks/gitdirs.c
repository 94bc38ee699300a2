/* gitdirs.c: finds a repository's git dirs, hooks dir and state dir, and runs git in it.
 * Asks git itself (rev-parse), so core.hooksPath and worktrees mean what git means. */
#include "hook.h"
#include "error.h"
#include "fs.h"
#include "proc.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Set by git for the hook's own repository; a child in another dir must not see them. */
const char *const hook_git_local_env[] = {
	"GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_PREFIX",
	"GIT_COMMON_DIR", "GIT_OBJECT_DIRECTORY", "GIT_QUARANTINE_PATH",
	"GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_EDITOR_IS_HOOK", NULL,
};

static void repo_init(struct hook_repo *r)
{
	strbuf_init(&r->gitdir, 0);
	strbuf_init(&r->commondir, 0);
	strbuf_init(&r->hooksdir, 0);
	strbuf_init(&r->top, 0);
	strbuf_init(&r->statedir, 0);
}

void hook_repo_dispose(struct hook_repo *r)
{
	strbuf_dispose(&r->gitdir);
	strbuf_dispose(&r->commondir);
	strbuf_dispose(&r->hooksdir);
	strbuf_dispose(&r->top);
	strbuf_dispose(&r->statedir);
}

static int next_line(struct strbuf *dst, const char **p)
{
	const char *end = strchrnul(*p, '\n');
	int ret = strbuf_add(dst, *p, (size_t)(end - *p));

	*p = *end ? end + 1 : end;
	return ret;
}

/* Top of the worktree: the directory git ran in plus --show-cdup. */
static int set_top(struct hook_repo *r, const char *dir, const char *cdup)
{
	struct strbuf sb = STRBUF_INIT;
	char real[PATH_MAX];
	int ret = -1;

	if (strbuf_addf(&sb, "%s/%s", dir ? dir : ".", cdup))
		goto out;
	if (!realpath(sb.buf, real)) {
		gate_error("cannot resolve '%s': %s", sb.buf, strerror(errno));
		goto out;
	}
	ret = strbuf_addstr(&r->top, real);
out:
	strbuf_dispose(&sb);
	return ret;
}

int hook_repo_open(struct hook_repo *r, const char *dir)
{
	static const char *const args[] = {
		"rev-parse", "--path-format=absolute", "--is-bare-repository",
		"--git-dir", "--git-common-dir", "--git-path", "hooks",
		"--show-cdup", NULL,
	};
	struct strbuf out = STRBUF_INIT, bare = STRBUF_INIT;
	struct strbuf cdup = STRBUF_INIT, err = STRBUF_INIT;
	struct proc p;
	const char *s;
	int ret = -1;

	repo_init(r);
	proc_init(&p);
	p.dir = dir;
	if (strvec_push(&p.args, "git") || strvec_pushv(&p.args, args))
		goto out;
	/* An err buffer always: proc_capture() with NULL would read our fd 0. */
	if (proc_capture(&p, &out, &err, 30)) {
		strbuf_trim_trailing(&err);
		gate_error("not a git repository: '%s': %s", dir ? dir : ".",
			   err.buf);
		gate_error_hint("run this inside the repository to check");
		goto out;
	}
	s = out.buf;
	if (next_line(&bare, &s) || next_line(&r->gitdir, &s) ||
	    next_line(&r->commondir, &s) || next_line(&r->hooksdir, &s) ||
	    next_line(&cdup, &s))
		goto out;
	if (!r->commondir.len || !r->hooksdir.len) {
		gate_error("git rev-parse gave no git dir for '%s'", dir ? dir : ".");
		goto out;
	}
	if (strcmp(bare.buf, "true") && set_top(r, dir, cdup.buf))
		goto out;
	ret = strbuf_addf(&r->statedir, "%s/mkt-gate", r->commondir.buf);
out:
	strbuf_dispose(&out);
	strbuf_dispose(&bare);
	strbuf_dispose(&cdup);
	strbuf_dispose(&err);
	proc_dispose(&p);
	if (ret)
		hook_repo_dispose(r);
	return ret;
}

const char *hook_repo_workdir(const struct hook_repo *r)
{
	return r->top.len ? r->top.buf : r->gitdir.buf;
}

int hook_repo_state_path(struct strbuf *out, const struct hook_repo *r,
			 const char *sub)
{
	size_t start = out->len;

	if (strbuf_addf(out, "%s/%s", r->statedir.buf, sub))
		return -1;
	return gate_mkdirs_parent(out->buf + start);
}

int hook_git(struct strbuf *out, const struct hook_repo *r,
	     const char *const *args)
{
	struct strbuf err = STRBUF_INIT;
	struct proc p;
	int ret = -1;

	proc_init(&p);
	p.dir = hook_repo_workdir(r);
	if (strvec_push(&p.args, "git") || strvec_pushv(&p.args, args) ||
	    strvec_pushv(&p.env, hook_git_local_env) ||
	    strvec_pushf(&p.env, "GIT_DIR=%s", r->gitdir.buf))
		goto out;
	ret = proc_capture(&p, out, &err, 120);
	strbuf_trim_trailing(out);
	strbuf_trim_trailing(&err);
	if (ret > 0)
		gate_error("git %s failed: %s", args[0], err.buf);
out:
	strbuf_dispose(&err);
	proc_dispose(&p);
	return ret;
}

bool hook_is_oid(const char *s, size_t len)
{
	if (len != 40 && len != 64)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

bool hook_is_null_oid(const char *s)
{
	size_t n = strspn(s, "0");

	return !s[n] && (n == 40 || n == 64);
}
