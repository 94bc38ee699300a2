/* renames.h: the identifiers one commit renamed, learnt from the lines it
 * edited. Pure text work over source lines; knows nothing of git or findings. */
#ifndef GATE_RENAMES_H
#define GATE_RENAMES_H

#include <stdbool.h>
#include <stddef.h>

struct strbuf;

/* Identifiers, unsorted while learning, sorted and unique once settled. */
struct gate_words {
	char **v;
	size_t nr, alloc;
};

struct gate_rename {
	char *from;
	char *to;
};

/*
 * A removed and an added line of one hunk are paired when their C tokens
 * are the same except at identifier positions: the added line is the
 * removed one, edited only in names. Each differing position proposes
 * "from -> to". gate_renames_settle() keeps a proposal only when it is a
 * rename of the whole commit: from always became to and nothing else
 * became to, from is on no added line and to on no removed line (the name
 * was replaced everywhere the commit touched it, and the new name is new).
 * C keywords are never renamed. So "return a;" -> "return b;" alone is
 * taken as a rename, but not when the commit keeps using a elsewhere.
 *
 * Life cycle: zero-initialise, gate_renames_hunk() for every hunk of the
 * commit, gate_renames_settle() once, then lookups; gate_renames_dispose()
 * frees everything. v holds the proposals while learning, the renames
 * sorted by from once settled.
 */
struct gate_renames {
	struct gate_rename *v;
	size_t nr, alloc;
	struct gate_words removed, added;
	bool settled;
};

/*
 * Learns from one hunk: old[0..n_old) are its removed lines, new[0..n_new)
 * its added lines, in order. pair[i] receives the index of the added line
 * that removed line i was paired with, or -1. Pairs keep the lines' order;
 * an identical line is preferred to one edited in names.
 */
int gate_renames_hunk(struct gate_renames *r, const char *const *old, size_t n_old,
		      const char *const *new, size_t n_new, long *pair);

/* Keeps only the proposals that hold for the whole commit (see above). */
void gate_renames_settle(struct gate_renames *r);

/* The new name of identifier name[0..len), or NULL when it was not renamed. */
const char *gate_renames_lookup(const struct gate_renames *r, const char *name,
				size_t len);

/* Appends text to out with every renamed identifier in it replaced. */
int gate_renames_apply(const struct gate_renames *r, struct strbuf *out,
		       const char *text);

void gate_renames_dispose(struct gate_renames *r);

#endif
