/* repo.c: opens the user's repository and names its directories.
 * Also owns libgit2's global init and the translation of its errors. */
#include "repo.h"
#include "error.h"

#include <stdlib.h>
#include <string.h>

int gate_git_error(const char *doing)
{
	const git_error *e = git_error_last();

	return gate_error("%s: %s", doing, e && e->message ? e->message :
			  "unknown libgit2 error");
}

const char *gate_oid_hex(const git_oid *oid, char *buf)
{
	git_oid_tostr(buf, GIT_OID_HEXSZ + 1, oid);
	return buf;
}

static char *dup_dir(const char *p)
{
	size_t n = strlen(p);
	char *d;

	/* libgit2 returns directories with a trailing slash; we don't. */
	while (n > 1 && p[n - 1] == '/')
		n--;
	d = strndup(p, n);
	return d;
}

int gate_repo_open(struct gate_repo *r, const char *path)
{
	memset(r, 0, sizeof(*r));
	git_libgit2_init();
	if (git_repository_open_ext(&r->git, path, 0, NULL)) {
		gate_error("'%s' is not inside a git repository", path);
		gate_error_hint("run mkt-gate from inside the repository to gate");
		git_libgit2_shutdown();
		return -1;
	}
	if (git_repository_workdir(r->git))
		r->top = dup_dir(git_repository_workdir(r->git));
	r->gitdir = dup_dir(git_repository_path(r->git));
	r->commondir = dup_dir(git_repository_commondir(r->git));
	if (!r->gitdir || !r->commondir) {
		gate_repo_close(r);
		return gate_error("out of memory");
	}
	return 0;
}

void gate_repo_close(struct gate_repo *r)
{
	if (!r->git)
		return;
	git_repository_free(r->git);
	free(r->top);
	free(r->gitdir);
	free(r->commondir);
	memset(r, 0, sizeof(*r));
	git_libgit2_shutdown();
}
