/* diff.c: touched files, hunk maps and renamed names of a commit, via libgit2.
 * The hunk map lets the delta tell a moved finding from a new one. */
#include "diff.h"
#include "error.h"
#include "strvec.h"
#include "treediff.h"

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

/* The text of hunk idx's removed lines into old, of its added lines into new. */
static int hunk_text(struct strvec *old, struct strvec *new, git_patch *patch,
		     size_t idx, size_t lines)
{
	for (size_t k = 0; k < lines; k++) {
		const git_diff_line *l;
		struct strvec *to;

		if (git_patch_get_line_in_hunk(&l, patch, idx, k))
			return gate_git_error("cannot read a diff line");
		to = l->origin == GIT_DIFF_LINE_DELETION ? old :
		     l->origin == GIT_DIFF_LINE_ADDITION ? new : NULL;
		if (to && strvec_pushf(to, "%.*s", (int)l->content_len, l->content))
			return gate_error("out of memory");
	}
	return 0;
}

static int add_hunks(struct gate_diff *out, struct gate_change *d,
		     git_patch *patch, bool learn)
{
	struct strvec old = STRVEC_INIT, new = STRVEC_INIT;
	size_t n = git_patch_num_hunks(patch);
	int ret = 0;

	for (size_t i = 0; i < n && !ret; i++) {
		const git_diff_hunk *h;
		size_t lines;
		struct gate_hunk gh;

		if (git_patch_get_hunk(&h, &lines, patch, i))
			return gate_git_error("cannot read a diff hunk");
		gh = (struct gate_hunk){
			(unsigned int)h->old_start, (unsigned int)h->old_lines,
			(unsigned int)h->new_start, (unsigned int)h->new_lines,
		};
		strvec_dispose(&old);
		strvec_dispose(&new);
		ret = learn ? hunk_text(&old, &new, patch, i, lines) : 0;
		if (!ret)
			ret = gate_diff_add_hunk(out, d, &gh, learn ? old.v : NULL,
						 learn ? new.v : NULL);
	}
	strvec_dispose(&old);
	strvec_dispose(&new);
	return ret;
}

static int add_delta(struct gate_diff *out, git_diff *diff, size_t idx,
		     int with_hunks, bool learn)
{
	const git_diff_delta *gd = git_diff_get_delta(diff, idx);
	struct gate_change *d = &out->v[out->nr];
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
		ret = add_hunks(out, d, patch, learn);
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
	if (gate_tree_diff(&diff, git, old_tree, new_tree, &opts))
		return -1;
	find.flags = GIT_DIFF_FIND_RENAMES;
	if (with_hunks && git_diff_find_similar(diff, &find))
		goto fail_git;
	n = git_diff_num_deltas(diff);
	out->v = calloc(n ? n : 1, sizeof(*out->v));
	if (!out->v) {
		gate_error("out of memory");
		goto out;
	}
	/* Nothing can be renamed when there was nothing before. */
	for (size_t i = 0; i < n; i++)
		if (add_delta(out, diff, i, with_hunks, with_hunks && old_tree))
			goto out;
	gate_diff_settle(out);
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
		free(d->v[i].pairs);
	}
	free(d->v);
	gate_renames_dispose(&d->renames);
	memset(d, 0, sizeof(*d));
}

const char *gate_change_path(const struct gate_change *d)
{
	return d->new_path ? d->new_path : d->old_path;
}

static size_t count(const char *const *v)
{
	size_t n = 0;

	while (v && v[n])
		n++;
	return n;
}

static int add_pairs(struct gate_change *d, const struct gate_hunk *h,
		     const long *pair, size_t n_old)
{
	struct gate_line_pair *p = realloc(d->pairs, (d->nr_pairs + n_old) * sizeof(*p));

	if (!p)
		return gate_error("out of memory");
	d->pairs = p;
	for (size_t i = 0; i < n_old; i++)
		if (pair[i] >= 0)
			p[d->nr_pairs++] = (struct gate_line_pair){
				h->old_start + (unsigned int)i,
				h->new_start + (unsigned int)pair[i],
			};
	return 0;
}

int gate_diff_add_hunk(struct gate_diff *diff, struct gate_change *d,
		       const struct gate_hunk *h, const char *const *old,
		       const char *const *new)
{
	size_t n_old = count(old), n_new = count(new);
	struct gate_hunk *v = realloc(d->hunks, (d->nr_hunks + 1) * sizeof(*v));
	long *pair;
	int ret;

	if (!v)
		return gate_error("out of memory");
	d->hunks = v;
	v[d->nr_hunks++] = *h;
	if (!old || !new)
		return 0;
	pair = calloc(n_old + 1, sizeof(*pair));
	if (!pair)
		return gate_error("out of memory");
	ret = gate_renames_hunk(&diff->renames, old, n_old, new, n_new, pair);
	if (!ret && n_old && n_new)
		ret = add_pairs(d, h, pair, n_old);
	free(pair);
	return ret;
}

void gate_diff_settle(struct gate_diff *diff)
{
	gate_renames_settle(&diff->renames);
}

/* The paired new line of changed line old_line, or 0. */
static unsigned int paired_line(const struct gate_change *d, unsigned int old_line)
{
	size_t lo = 0, hi = d->nr_pairs;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (d->pairs[mid].old_line == old_line)
			return d->pairs[mid].new_line;
		if (d->pairs[mid].old_line < old_line)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

unsigned int gate_change_map_line(const struct gate_change *d,
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
			return paired_line(d, old_line);
		shift += (long)h->new_lines - (long)h->old_lines;
	}
	return (unsigned int)((long)old_line + shift);
}

/* Whether line is one of the lines a hunk of d removed (old side) or added. */
static bool in_hunks(const struct gate_change *d, unsigned int line, bool new_side)
{
	for (size_t i = 0; i < d->nr_hunks; i++) {
		const struct gate_hunk *h = &d->hunks[i];
		unsigned int start = new_side ? h->new_start : h->old_start;
		unsigned int n = new_side ? h->new_lines : h->old_lines;

		if (line >= start && line - start < n)
			return true;
	}
	return false;
}

bool gate_change_removed(const struct gate_change *d, unsigned int old_line)
{
	return in_hunks(d, old_line, false);
}

bool gate_change_added(const struct gate_change *d, unsigned int new_line)
{
	return in_hunks(d, new_line, true);
}

const struct gate_change *gate_diff_find_old(const struct gate_diff *d,
					    const char *path)
{
	for (size_t i = 0; i < d->nr; i++)
		if (d->v[i].old_path && !strcmp(d->v[i].old_path, path))
			return &d->v[i];
	return NULL;
}

const struct gate_change *gate_diff_find_new(const struct gate_diff *d,
					    const char *path)
{
	for (size_t i = 0; i < d->nr; i++)
		if (d->v[i].new_path && !strcmp(d->v[i].new_path, path))
			return &d->v[i];
	return NULL;
}
