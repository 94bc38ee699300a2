/* repo.h: the repository being gated, opened read-only through libgit2.
 * Nothing here ever writes to the user's working tree, index, stash or refs. */
#ifndef GATE_REPO_H
#define GATE_REPO_H

#include <git2.h>
#include <stdbool.h>

/*
 * Life cycle: gate_repo_open() from a path inside the working tree (or a
 * bare repository), gate_repo_close(). All strings are owned by the
 * struct: top is the working tree's top directory (NULL for a bare
 * repository), gitdir this worktree's git dir, commondir the one shared by
 * all linked worktrees (where hooks and our state live).
 */
struct gate_repo {
	git_repository *git;
	char *top;
	char *gitdir;
	char *commondir;
};

int gate_repo_open(struct gate_repo *r, const char *path);
void gate_repo_close(struct gate_repo *r);

/* Records libgit2's last error, prefixed by what we were doing. */
int gate_git_error(const char *doing);

/*
 * Appends the content of the file at path in tree to out; fails with the
 * error recorded when the tree has no such file. gate_commit_read_file()
 * does the same for a commit's tree, or its first parent's with parent.
 */
struct strbuf;
int gate_tree_read_file(git_repository *git, git_tree *tree, const char *path,
			struct strbuf *out);
int gate_commit_read_file(git_repository *git, const git_oid *commit,
			  bool parent, const char *path, struct strbuf *out);

/* Full 40-hex id of oid into buf (at least 41 bytes). */
const char *gate_oid_hex(const git_oid *oid, char *buf);

#endif
