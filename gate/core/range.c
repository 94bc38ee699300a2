/* range.c: the libgit2 revwalk behind `mkt-gate range` and `commit`.
 * Resolves revisions, walks oldest first, and describes each commit. */
#include "range.h"
#include "alloc.h"
#include "error.h"
#include "strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int resolve_one(git_object **out, git_repository *git, const char *rev)
{
	if (!git_revparse_single(out, git, rev))
		return 0;
	gate_error("revision '%s' not found", rev);
	gate_error_hint("check the name with 'git log --oneline -1 %s', or give a commit id",
			rev);
	return -1;
}

static int peel_commit(git_oid *out, git_object *obj, const char *rev)
{
	git_object *c = NULL;

	if (git_object_peel(&c, obj, GIT_OBJECT_COMMIT))
		return gate_error("revision '%s' is not a commit", rev);
	git_oid_cpy(out, git_object_id(c));
	git_object_free(c);
	return 0;
}

/* Splits "A..B"/"A...B" into its ends; a missing end means HEAD, as in git. */
static int split_spec(const char *spec, struct strbuf *from, struct strbuf *to,
		      bool *symmetric)
{
	const char *dots = strstr(spec, "..");

	*symmetric = false;
	if (!dots)
		return 0;
	*symmetric = dots[2] == '.';
	strbuf_add(from, spec, (size_t)(dots - spec));
	strbuf_addstr(to, dots + (*symmetric ? 3 : 2));
	if (!from->len)
		strbuf_addstr(from, "HEAD");
	if (!to->len)
		strbuf_addstr(to, "HEAD");
	return 1;
}

static int resolve_end(git_oid *out, git_repository *git, const char *rev)
{
	git_object *obj = NULL;
	int ret;

	if (resolve_one(&obj, git, rev))
		return -1;
	ret = peel_commit(out, obj, rev);
	git_object_free(obj);
	return ret;
}

static int describe(struct gate_commit *c, git_repository *git,
		    enum gate_merge_policy merges)
{
	git_commit *commit = NULL;
	const git_signature *a;
	const char *summary;

	if (git_commit_lookup(&commit, git, &c->oid))
		return gate_git_error("cannot read commit");
	gate_oid_hex(&c->oid, c->sha);
	summary = git_commit_summary(commit);
	c->subject = strdup(summary ? summary : "");
	a = git_commit_author(commit);
	if (asprintf(&c->author, "%s <%s>", a->name, a->email) < 0)
		c->author = NULL;
	c->has_parent = git_commit_parentcount(commit) > 0;
	if (c->has_parent)
		git_oid_cpy(&c->parent, git_commit_parent_id(commit, 0));
	if (git_commit_parentcount(commit) > 1 && merges == GATE_MERGES_SKIP)
		c->skip_reason = strdup("merge commit: skipped (set 'merges = first-parent' to gate it against its first parent)");
	git_commit_free(commit);
	if (!c->subject || !c->author)
		return gate_error("out of memory");
	return 0;
}

static int walk(struct gate_range *r, git_repository *git, const git_oid *push,
		size_t npush, const git_oid *hide, size_t nhide)
{
	git_revwalk *w = NULL;
	git_oid oid;
	int ret = -1;

	if (git_revwalk_new(&w, git) ||
	    git_revwalk_sorting(w, GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE))
		goto fail_git;
	for (size_t i = 0; i < npush; i++)
		if (git_revwalk_push(w, &push[i]))
			goto fail_git;
	for (size_t i = 0; i < nhide; i++)
		if (git_revwalk_hide(w, &hide[i]))
			goto fail_git;
	while (!git_revwalk_next(&oid, w)) {
		if (ALLOC_GROW(r->v, r->nr + 1, r->alloc))
			goto out;
		memset(&r->v[r->nr], 0, sizeof(r->v[0]));
		git_oid_cpy(&r->v[r->nr++].oid, &oid);
	}
	ret = 0;
	goto out;
fail_git:
	gate_git_error("cannot walk the commits");
out:
	git_revwalk_free(w);
	return ret;
}

static int single(struct gate_range *r, const char *spec, git_repository *git)
{
	struct gate_commit *c;

	c = calloc(1, sizeof(*c));
	if (!c)
		return gate_error("out of memory");
	r->v = c;
	r->alloc = 1;
	if (resolve_end(&c->oid, git, spec))
		return -1;
	r->nr = 1;
	return 0;
}

static int walk_spec(struct gate_range *r, git_repository *git,
		     const char *spec)
{
	struct strbuf from = STRBUF_INIT, to = STRBUF_INIT;
	git_oid ends[2], base;
	bool symmetric;
	int ret = -1;

	if (!split_spec(spec, &from, &to, &symmetric)) {
		/* A single revision: that commit alone. */
		ret = single(r, spec, git);
		goto out;
	}
	if (resolve_end(&ends[0], git, from.buf) ||
	    resolve_end(&ends[1], git, to.buf))
		goto out;
	if (!symmetric) {
		ret = walk(r, git, &ends[1], 1, &ends[0], 1);
		goto out;
	}
	/* A...B: what either side has and the other has not. */
	if (git_merge_base(&base, git, &ends[0], &ends[1])) {
		gate_error("'%s' and '%s' have no common ancestor", from.buf, to.buf);
		goto out;
	}
	ret = walk(r, git, ends, 2, &base, 1);
out:
	strbuf_dispose(&from);
	strbuf_dispose(&to);
	return ret;
}

int gate_range_resolve(struct gate_range *out, struct gate_repo *repo,
		       const char *spec, enum gate_merge_policy merges)
{
	memset(out, 0, sizeof(*out));
	out->spec = strdup(spec);
	if (!out->spec)
		return gate_error("out of memory");
	if (walk_spec(out, repo->git, spec))
		goto fail;
	for (size_t i = 0; i < out->nr; i++)
		if (describe(&out->v[i], repo->git, merges))
			goto fail;
	if (out->nr) {
		out->has_base = out->v[0].has_parent;
		out->base = out->v[0].parent;
	}
	return 0;
fail:
	gate_range_dispose(out);
	return -1;
}

void gate_range_dispose(struct gate_range *r)
{
	for (size_t i = 0; i < r->nr; i++) {
		free(r->v[i].subject);
		free(r->v[i].author);
		free(r->v[i].skip_reason);
	}
	free(r->v);
	free(r->spec);
	memset(r, 0, sizeof(*r));
}
