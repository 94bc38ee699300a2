/* diff.h: what one commit changed: the touched files and their hunk maps.
 * Built from libgit2 tree diffs with rename detection; reads only objects. */
#ifndef GATE_DIFF_H
#define GATE_DIFF_H

#include "repo.h"

#include <stddef.h>

struct gate_hunk {
	unsigned int old_start, old_lines;
	unsigned int new_start, new_lines;
};

/*
 * One touched file. status is 'A' (added), 'M' (modified), 'D' (deleted)
 * or 'R' (renamed, possibly also modified). old_path is NULL for an added
 * file, new_path NULL for a deleted one. Hunks are in file order.
 */
struct gate_delta {
	char status;
	char *old_path;
	char *new_path;
	struct gate_hunk *hunks;
	size_t nr_hunks;
};

struct gate_diff {
	struct gate_delta *v;
	size_t nr;
};

/*
 * Diffs old_tree (NULL: the empty tree) against new_tree. with_hunks
 * asks for the hunk maps, which a scratch-tree sync does not need.
 */
int gate_diff_trees(struct gate_diff *out, git_repository *git,
		    git_tree *old_tree, git_tree *new_tree, int with_hunks);
/* The same for a commit against its first parent (or the empty tree). */
int gate_diff_commit(struct gate_diff *out, git_repository *git,
		     const git_oid *commit);
void gate_diff_dispose(struct gate_diff *d);

/* The path a file has after the change (old_path for a deletion). */
const char *gate_delta_path(const struct gate_delta *d);

/*
 * Where line old_line of the old file is after the change: its new line
 * number, or 0 when the change rewrote or removed that line.
 */
unsigned int gate_delta_map_line(const struct gate_delta *d,
				 unsigned int old_line);

/* The delta whose old path is path, or NULL when the commit left it alone. */
const struct gate_delta *gate_diff_find_old(const struct gate_diff *d,
					    const char *path);

#endif
