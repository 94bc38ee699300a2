/* diff.h: what one commit changed: touched files, hunk maps, renamed names.
 * Built from libgit2 tree diffs with rename detection; reads only objects. */
#ifndef GATE_DIFF_H
#define GATE_DIFF_H

#include "renames.h"
#include "repo.h"

#include <stdbool.h>
#include <stddef.h>

struct gate_hunk {
	unsigned int old_start, old_lines;
	unsigned int new_start, new_lines;
};

/* A removed line and the added line that is it, edited at most in names. */
struct gate_line_pair {
	unsigned int old_line, new_line;
};

/*
 * One touched file. status is 'A' (added), 'M' (modified), 'D' (deleted)
 * or 'R' (renamed, possibly also modified). old_path is NULL for an added
 * file, new_path NULL for a deleted one. Hunks are in file order, and so
 * are pairs (the hunks' lines the commit only edited in names).
 */
struct gate_change {
	char status;
	char *old_path;
	char *new_path;
	struct gate_hunk *hunks;
	size_t nr_hunks;
	struct gate_line_pair *pairs;
	size_t nr_pairs;
};

/* renames: the identifiers the commit renamed (see renames.h). */
struct gate_diff {
	struct gate_change *v;
	size_t nr;
	struct gate_renames renames;
};

/*
 * Diffs old_tree (NULL: the empty tree) against new_tree. with_hunks
 * asks for the hunk maps and the renamed names, which a scratch-tree sync
 * does not need.
 */
int gate_diff_trees(struct gate_diff *out, git_repository *git,
		    git_tree *old_tree, git_tree *new_tree, int with_hunks);
/* The same for a commit against its first parent (or the empty tree). */
int gate_diff_commit(struct gate_diff *out, git_repository *git,
		     const git_oid *commit);
void gate_diff_dispose(struct gate_diff *d);

/*
 * Appends hunk h to d, learning from the text of its removed lines
 * (old[0] is line h->old_start) and its added lines which of them are
 * edits of one another and which names the commit renamed. With old and
 * new NULL it records the hunk alone. gate_diff_settle() ends the
 * learning once every hunk is in; gate_diff_trees() does both.
 */
int gate_diff_add_hunk(struct gate_diff *diff, struct gate_change *d,
		       const struct gate_hunk *h, const char *const *old,
		       const char *const *new);
void gate_diff_settle(struct gate_diff *diff);

/* The path a file has after the change (old_path for a deletion). */
const char *gate_change_path(const struct gate_change *d);

/*
 * Where line old_line of the old file is after the change: its new line
 * number (a changed line's when the change only edited names in it), or
 * 0 when the change rewrote or removed that line.
 */
unsigned int gate_change_map_line(const struct gate_change *d,
				 unsigned int old_line);

/* Whether the change removed (or edited) line old_line of the old file. */
bool gate_change_removed(const struct gate_change *d, unsigned int old_line);
/* Whether the change added (or edited) line new_line of the new file. */
bool gate_change_added(const struct gate_change *d, unsigned int new_line);

/* The delta whose old path is path, or NULL when the commit left it alone. */
const struct gate_change *gate_diff_find_old(const struct gate_diff *d,
					    const char *path);
/* The delta whose new path is path, or NULL when the commit left it alone. */
const struct gate_change *gate_diff_find_new(const struct gate_diff *d,
					    const char *path);

#endif
