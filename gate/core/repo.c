/* repo.c: opens the user's repository and names its directories.
 * Also owns libgit2's global init and the translation of its errors. */
#include "repo.h"
#include "error.h"
#include "strbuf.h"

#include <stdlib.h>
#include <string.h>
#include <stdbool.h>
#include <unistd.h>
#include <sys/stat.h>

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

/*
 * Whether the nearest .git above path belongs to someone else: libgit2 1.5
 * refuses such a repository but says "config value 'safe.directory' was
 * not found" instead of GIT_EOWNER.
 */
static bool owned_by_other(const char *path)
{
	char *dir = realpath(path, NULL);
	struct strbuf git = STRBUF_INIT;
	struct stat st;
	bool other = false;
	char *slash;

	while (dir && *dir) {
		strbuf_reset(&git);
		strbuf_addf(&git, "%s/.git", dir);
		if (!lstat(git.buf, &st)) {
			other = st.st_uid != geteuid();
			break;
		}
		slash = strrchr(dir, '/');
		if (!slash)
			break;
		*slash = '\0';
	}
	free(dir);
	strbuf_dispose(&git);
	return other;
}

int gate_repo_open(struct gate_repo *r, const char *path)
{
	int err;

	memset(r, 0, sizeof(*r));
	git_libgit2_init();
	err = git_repository_open_ext(&r->git, path, 0, NULL);
	if (err == GIT_EOWNER || (err && owned_by_other(path))) {
		/* As git itself: a tree someone else owns may run their hooks as us. */
		gate_error("the repository at '%s' belongs to another user", path);
		gate_error_hint("if you trust it: git config --global --add safe.directory <its top>");
	} else if (err) {
		gate_error("'%s' is not inside a git repository", path);
		gate_error_hint("run mkt-gate from inside the repository to gate");
	}
	if (err) {
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

int gate_tree_read_file(git_repository *git, git_tree *tree, const char *path,
			struct strbuf *out)
{
	git_tree_entry *e = NULL;
	git_blob *blob = NULL;
	int ret;

	if (git_tree_entry_bypath(&e, tree, path) ||
	    git_blob_lookup(&blob, git, git_tree_entry_id(e)))
		ret = gate_git_error("cannot read a file of the commit");
	else
		ret = strbuf_add(out, git_blob_rawcontent(blob),
				 (size_t)git_blob_rawsize(blob));
	git_blob_free(blob);
	git_tree_entry_free(e);
	return ret;
}

int gate_commit_read_file(git_repository *git, const git_oid *commit,
			  bool parent, const char *path, struct strbuf *out)
{
	git_commit *c = NULL, *p = NULL;
	git_tree *t = NULL;
	int ret;

	if (git_commit_lookup(&c, git, commit) ||
	    (parent && git_commit_parent(&p, c, 0)) ||
	    git_commit_tree(&t, parent ? p : c))
		ret = gate_git_error("cannot read the commit");
	else
		ret = gate_tree_read_file(git, t, path, out);
	git_tree_free(t);
	git_commit_free(p);
	git_commit_free(c);
	return ret;
}
