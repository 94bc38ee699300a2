/* diff.c: touched files and hunk maps of a commit, through libgit2.
 * The hunk map lets the delta tell a moved finding from a new one. */
#include "diff.h"
#include "error.h"

#include <stdlib.h>
#include <string.h>

static char status_char(git_delta_t s)
{
	switch (s) {
	case GIT_DELTA_ADDED:
	case GIT_DELTA_COPIED:
		return 'A';
	case GIT_DELTA_DELETED:
		return 'D';
	case GIT_DELTA_RENAMED:
		return 'R';
	default:
		return 'M';
	}
}

static int add_hunks(struct gate_delta *d, git_patch *patch)
{
	size_t n = git_patch_num_hunks(patch);

	if (!n)
		return 0;
	d->hunks = calloc(n, sizeof(*d->hunks));
	if (!d->hunks)
		return gate_error("out of memory");
	for (size_t i = 0; i < n; i++) {
		const git_diff_hunk *h;

		if (git_patch_get_hunk(&h, NULL, patch, i))
			return gate_git_error("cannot read a diff hunk");
		d->hunks[i] = (struct gate_hunk){
			(unsigned int)h->old_start, (unsigned int)h->old_lines,
			(unsigned int)h->new_start, (unsigned int)h->new_lines,
		};
	}
	d->nr_hunks = n;
	return 0;
}

static int add_delta(struct gate_diff *out, git_diff *diff, size_t idx,
		     int with_hunks)
{
	const git_diff_delta *gd = git_diff_get_delta(diff, idx);
	struct gate_delta *d = &out->v[out->nr];
	git_patch *patch = NULL;
	int ret = 0;

	memset(d, 0, sizeof(*d));
	d->status = status_char(gd->status);
	if (d->status != 'A')
		d->old_path = strdup(gd->old_file.path);
	if (d->status != 'D')
		d->new_path = strdup(gd->new_file.path);
	out->nr++;
	if ((d->status != 'A' && !d->old_path) ||
	    (d->status != 'D' && !d->new_path))
		return gate_error("out of memory");
	if (!with_hunks)
		return 0;
	if (git_patch_from_diff(&patch, diff, idx))
		return gate_git_error("cannot compute the patch");
	if (patch)
		ret = add_hunks(d, patch);
	git_patch_free(patch);
	return ret;
}

int gate_diff_trees(struct gate_diff *out, git_repository *git,
		    git_tree *old_tree, git_tree *new_tree, int with_hunks)
{
	git_diff_options opts = GIT_DIFF_OPTIONS_INIT;
	git_diff_find_options find = GIT_DIFF_FIND_OPTIONS_INIT;
	git_diff *diff = NULL;
	size_t n;
	int ret = -1;

	memset(out, 0, sizeof(*out));
	opts.context_lines = 0;
	if (git_diff_tree_to_tree(&diff, git, old_tree, new_tree, &opts))
		return gate_git_error("cannot diff the trees");
	find.flags = GIT_DIFF_FIND_RENAMES;
	if (with_hunks && git_diff_find_similar(diff, &find))
		goto fail_git;
	n = git_diff_num_deltas(diff);
	out->v = calloc(n ? n : 1, sizeof(*out->v));
	if (!out->v) {
		gate_error("out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		if (add_delta(out, diff, i, with_hunks))
			goto out;
	ret = 0;
	goto out;
fail_git:
	gate_git_error("cannot detect renames");
out:
	git_diff_free(diff);
	if (ret)
		gate_diff_dispose(out);
	return ret;
}

int gate_diff_commit(struct gate_diff *out, git_repository *git,
		     const git_oid *oid)
{
	git_commit *c = NULL, *parent = NULL;
	git_tree *old_tree = NULL, *new_tree = NULL;
	int ret = -1;

	if (git_commit_lookup(&c, git, oid) || git_commit_tree(&new_tree, c))
		goto fail_git;
	if (git_commit_parentcount(c) &&
	    (git_commit_parent(&parent, c, 0) ||
	     git_commit_tree(&old_tree, parent)))
		goto fail_git;
	ret = gate_diff_trees(out, git, old_tree, new_tree, 1);
	goto out;
fail_git:
	gate_git_error("cannot read the commit's trees");
out:
	git_tree_free(old_tree);
	git_tree_free(new_tree);
	git_commit_free(parent);
	git_commit_free(c);
	return ret;
}

void gate_diff_dispose(struct gate_diff *d)
{
	for (size_t i = 0; i < d->nr; i++) {
		free(d->v[i].old_path);
		free(d->v[i].new_path);
		free(d->v[i].hunks);
	}
	free(d->v);
	memset(d, 0, sizeof(*d));
}

const char *gate_delta_path(const struct gate_delta *d)
{
	return d->new_path ? d->new_path : d->old_path;
}

unsigned int gate_delta_map_line(const struct gate_delta *d,
				 unsigned int old_line)
{
	long shift = 0;

	for (size_t i = 0; i < d->nr_hunks; i++) {
		const struct gate_hunk *h = &d->hunks[i];
		/* A pure insertion's old_start names the line before it. */
		unsigned int first = h->old_lines ? h->old_start : h->old_start + 1;

		if (old_line < first)
			break;
		if (h->old_lines && old_line < h->old_start + h->old_lines)
			return 0;
		shift += (long)h->new_lines - (long)h->old_lines;
	}
	return (unsigned int)((long)old_line + shift);
}

const struct gate_delta *gate_diff_find_old(const struct gate_diff *d,
					    const char *path)
{
	for (size_t i = 0; i < d->nr; i++)
		if (d->v[i].old_path && !strcmp(d->v[i].old_path, path))
			return &d->v[i];
	return NULL;
}
