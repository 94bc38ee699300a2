/* scratch.h: the scratch source tree where every build happens, never the user's.
 * It follows the gated commits by writing only the files that change. */
#ifndef GATE_SCRATCH_H
#define GATE_SCRATCH_H

#include "repo.h"
#include "strbuf.h"
#include "strvec.h"

#include <stdbool.h>

/*
 * A scratch area lives under the cache directory, one per repository
 * and slot: dir/src holds the sources of one tree, dir/build the build
 * directory, dir/state records which tree src holds ("clean <oid>"), or
 * "dirty" while files are being written. A run that was killed while
 * writing leaves "dirty", and the next run rebuilds src from scratch:
 * that is the whole of crash recovery. A lock (flock, released by the
 * kernel when the process dies) gives each concurrent run its own slot.
 * dir, src and build are canonical (realpath), whatever the cache root's
 * spelling: tools print canonical paths, and the gate compares them.
 *
 * Life cycle: gate_scratch_open(), any number of gate_scratch_sync(),
 * gate_scratch_close(). Strings are owned by the struct.
 */
struct gate_scratch {
	char *dir;
	char *src;
	char *build;
	git_oid tree;
	bool has_tree;
	int lock_fd;
};

/* cache_root: where scratch areas live (NULL: the user's cache directory). */
int gate_scratch_open(struct gate_scratch *s, const struct gate_repo *repo,
		      const char *cache_root);
void gate_scratch_close(struct gate_scratch *s);

/*
 * Makes src hold exactly tree. Appends the repository-relative paths it
 * wrote or removed to changed (may be NULL); a full rewrite appends "*".
 */
int gate_scratch_sync(struct gate_scratch *s, git_repository *git,
		      const git_oid *tree, struct strvec *changed);

#endif
