/* shallow.h: the history of a shallow clone, which stops at commits whose
 * parents were never fetched; libgit2 1.5 walks into those and fails. */
#ifndef GATE_SHALLOW_H
#define GATE_SHALLOW_H

#include <git2.h>
#include <stdbool.h>
#include <stddef.h>

/*
 * A set of object ids: filled with gate_oidset_add(), then sorted by
 * gate_oidset_seal() before any gate_oidset_has(). Zero-initialised is
 * empty; gate_oidset_dispose() frees the contents.
 */
struct gate_oidset {
	git_oid *v;
	size_t nr, alloc;
};

int gate_oidset_add(struct gate_oidset *s, const git_oid *id);
void gate_oidset_seal(struct gate_oidset *s);
bool gate_oidset_has(const struct gate_oidset *s, const git_oid *id);
/* Keeps in a only what b has too; both sealed. */
void gate_oidset_intersect(struct gate_oidset *a, const struct gate_oidset *b);
void gate_oidset_dispose(struct gate_oidset *s);

/*
 * The boundary of a shallow clone: the commits its shallow file lists,
 * whose parents are absent. Empty for a complete clone. Sealed.
 */
int gate_shallow_boundary(struct gate_oidset *out, git_repository *git);

/*
 * Every commit the clone has that is reachable from tips, boundary
 * commits included, without reading past the boundary. Sealed.
 */
int gate_shallow_reach(struct gate_oidset *out, git_repository *git,
		       const struct gate_oidset *boundary, const git_oid *tips,
		       size_t n);

#endif
