/* treediff.h: libgit2's tree-to-tree diff, limited to where the trees differ.
 * Found by descending only into subtrees whose ids differ. */
#ifndef GATE_TREEDIFF_H
#define GATE_TREEDIFF_H

#include <git2.h>

/*
 * git_diff_tree_to_tree() of old_tree and new_tree (either may be NULL,
 * the empty tree), with opts (may be NULL; any pathspec in it is
 * replaced). libgit2 reads every entry of both trees, about 25 ms for
 * two kernel trees one file apart; here only the trees on the path to a
 * difference are read, and libgit2 diffs just the paths found, so
 * rename detection and patches work as on a whole diff. Returns 0, or -1
 * with the error set.
 */
int gate_tree_diff(git_diff **out, git_repository *git, git_tree *old_tree,
		   git_tree *new_tree, const git_diff_options *opts);

#endif
