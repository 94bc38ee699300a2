/* range.h: turns what the user typed (A..B, A...B, R) into commits, oldest first.
 * Reads the object database only; never moves a ref. */
#ifndef GATE_RANGE_H
#define GATE_RANGE_H

#include "repo.h"

#include <stdbool.h>
#include <stddef.h>

enum gate_merge_policy {
	GATE_MERGES_SKIP,		/* report merges as skipped */
	/*
	 * Walk first parents only, as git log --first-parent: each merge is
	 * gated against its first parent, the commits it brings in are not
	 * gated one by one.
	 */
	GATE_MERGES_FIRST_PARENT,
};

/*
 * Parses "skip" or "first-parent", the values of --merges and 'merges';
 * -1 sets no message: the caller names where the value came from.
 */
int gate_merge_policy_parse(const char *s, enum gate_merge_policy *out);

/*
 * One commit to gate. parent is the commit it is compared with (the
 * first parent); has_parent is false for a root commit, which is
 * compared with the empty tree. skip_reason is set (and owned) when the
 * commit is deliberately not checked.
 */
struct gate_commit {
	git_oid oid;
	git_oid parent;
	bool has_parent;
	char sha[GIT_OID_HEXSZ + 1];
	char *subject;
	char *author;
	char *skip_reason;
	bool is_merge;		/* more than one parent */
};

/*
 * The commits of a range, oldest first, in the order the series applies.
 * base is the commit the series starts from (the parent of the oldest
 * gated commit), has_base false when the range starts at a root commit.
 */
struct gate_range {
	char *spec;
	struct gate_commit *v;
	size_t nr, alloc;
	git_oid base;
	bool has_base;
	enum gate_merge_policy merges;
};

/*
 * Resolves spec: "A..B" (commits in B not in A), "A...B" (in either but
 * not both), or a single revision R (that commit alone), merges as the
 * policy says. A revision that does not resolve fails with a message
 * naming it; an empty range succeeds with nr == 0.
 */
int gate_range_resolve(struct gate_range *out, struct gate_repo *repo,
		       const char *spec, enum gate_merge_policy merges);
void gate_range_dispose(struct gate_range *r);

#endif
