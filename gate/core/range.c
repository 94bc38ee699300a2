/* range.c: the libgit2 revwalk behind `mkt-gate range` and `commit`.
 * Resolves revisions, walks oldest first, and describes each commit. */
#include "range.h"
#include "alloc.h"
#include "error.h"
#include "shallow.h"
#include "strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SHALLOW_HINT "fetch the history it needs: 'git fetch --deepen=<n>' or 'git fetch --unshallow'"

static int resolve_one(git_object **out, git_repository *git, const char *rev)
{
	if (!git_revparse_single(out, git, rev))
		return 0;
	if (git_repository_is_shallow(git)) {
		gate_error("revision '%s' not found in this shallow clone", rev);
		gate_error_hint(SHALLOW_HINT);
		return -1;
	}
	gate_error("revision '%s' not found", rev);
	gate_error_hint("check the name with 'git log --oneline -1 %s', or give a commit id",
			rev);
	return -1;
}

/*
 * A commit to gate whose parent is not here: gating it against nothing
 * (or skipping it) would pass what was never checked.
 */
static int parent_missing(git_repository *git, const git_oid *commit)
{
	char hex[GIT_OID_HEXSZ + 1];

	gate_error("commit %.12s cannot be gated: its parent is not in this %s",
		   gate_oid_hex(commit, hex),
		   git_repository_is_shallow(git) ? "shallow clone" : "repository");
	gate_error_hint(SHALLOW_HINT);
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

/* Whether c's first parent is here to be gated against (see parent_missing). */
static bool parent_here(git_repository *git, const struct gate_commit *c,
			const struct gate_oidset *boundary)
{
	git_commit *parent = NULL;

	if (gate_oidset_has(boundary, &c->oid))
		return false;
	if (!c->has_parent)
		return true;
	if (git_commit_lookup(&parent, git, &c->parent))
		return false;
	git_commit_free(parent);
	return true;
}

static int describe(struct gate_commit *c, git_repository *git,
		    enum gate_merge_policy merges, const struct gate_oidset *boundary)
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
	c->is_merge = git_commit_parentcount(commit) > 1;
	if (c->is_merge && merges == GATE_MERGES_SKIP)
		c->skip_reason = strdup("merge commit: skipped (--merges=first-parent gates it against its first parent)");
	git_commit_free(commit);
	if (!c->subject || !c->author)
		return gate_error("out of memory");
	if (!c->skip_reason && !parent_here(git, c, boundary))
		return parent_missing(git, &c->oid);
	return 0;
}

/*
 * In a shallow clone nothing is hidden by walking below the hidden tips
 * (that reads absent parents): what the hidden set holds is hidden, and a
 * boundary commit that is not is a commit to gate without its parent.
 */
struct shallow_walk {
	const struct gate_oidset *hidden, *boundary;
	git_oid cut;
	bool has_cut;
};

static int shallow_hide(const git_oid *id, void *payload)
{
	struct shallow_walk *s = payload;

	if (gate_oidset_has(s->hidden, id))
		return 1;
	if (!gate_oidset_has(s->boundary, id))
		return 0;
	if (!s->has_cut)
		git_oid_cpy(&s->cut, id);
	s->has_cut = true;
	return 1;
}

static int walk_setup(git_revwalk *w, const git_oid *push, size_t npush,
		      const git_oid *hide, size_t nhide, struct shallow_walk *sw)
{
	if (git_revwalk_sorting(w, GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE) ||
	    (sw && git_revwalk_add_hide_cb(w, shallow_hide, sw)))
		return -1;
	for (size_t i = 0; i < npush; i++)
		if (git_revwalk_push(w, &push[i]))
			return -1;
	for (size_t i = 0; i < nhide; i++)
		if (git_revwalk_hide(w, &hide[i]))
			return -1;
	return 0;
}

static int walk(struct gate_range *r, git_repository *git, const git_oid *push,
		size_t npush, const git_oid *hide, size_t nhide,
		struct shallow_walk *sw)
{
	git_revwalk *w = NULL;
	git_oid oid;
	int err, ret = -1;

	if (git_revwalk_new(&w, git) || walk_setup(w, push, npush, hide, nhide, sw) ||
	    (r->merges == GATE_MERGES_FIRST_PARENT && git_revwalk_simplify_first_parent(w)))
		goto fail_git;
	while (!(err = git_revwalk_next(&oid, w))) {
		if (ALLOC_GROW(r->v, r->nr + 1, r->alloc))
			goto out;
		memset(&r->v[r->nr], 0, sizeof(r->v[0]));
		git_oid_cpy(&r->v[r->nr++].oid, &oid);
	}
	/* A commit that cannot be read ends nothing: it is an error. */
	if (err != GIT_ITEROVER)
		goto fail_git;
	ret = sw && sw->has_cut ? parent_missing(git, &sw->cut) : 0;
	goto out;
fail_git:
	gate_git_error("cannot walk the commits");
	if (git_repository_is_shallow(git))
		gate_error_hint(SHALLOW_HINT);
out:
	git_revwalk_free(w);
	return ret;
}

/* Pushes only the tips that are neither hidden nor cut off (see shallow_hide). */
static int walk_tips(struct gate_range *r, git_repository *git,
		     const git_oid *tips, size_t n, struct shallow_walk *sw)
{
	git_oid push[2];
	size_t npush = 0;

	for (size_t i = 0; i < n; i++) {
		if (gate_oidset_has(sw->hidden, &tips[i]))
			continue;
		if (gate_oidset_has(sw->boundary, &tips[i]))
			return parent_missing(git, &tips[i]);
		git_oid_cpy(&push[npush++], &tips[i]);
	}
	return npush ? walk(r, git, push, npush, NULL, 0, sw) : 0;
}

/* A..B (or A...B) in a shallow clone, without reading past its boundary. */
static int walk_shallow(struct gate_range *r, git_repository *git,
			const git_oid ends[2], bool symmetric, const char *from,
			const char *to)
{
	struct gate_oidset boundary, hidden = { 0 }, other = { 0 };
	struct shallow_walk sw = { &hidden, &boundary };
	int ret = -1;

	if (gate_shallow_boundary(&boundary, git) ||
	    gate_shallow_reach(&hidden, git, &boundary, &ends[0], 1))
		goto out;
	if (symmetric) {
		/* What both reach: their common ancestors, as far as this clone goes. */
		if (gate_shallow_reach(&other, git, &boundary, &ends[1], 1))
			goto out;
		gate_oidset_intersect(&hidden, &other);
		if (!hidden.nr) {
			gate_error("'%s' and '%s' have no common ancestor in this shallow clone",
				   from, to);
			gate_error_hint(SHALLOW_HINT);
			goto out;
		}
	}
	ret = walk_tips(r, git, ends + !symmetric, 1 + symmetric, &sw);
out:
	gate_oidset_dispose(&boundary);
	gate_oidset_dispose(&hidden);
	gate_oidset_dispose(&other);
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
	if (git_repository_is_shallow(git)) {
		ret = walk_shallow(r, git, ends, symmetric, from.buf, to.buf);
		goto out;
	}
	if (!symmetric) {
		ret = walk(r, git, &ends[1], 1, &ends[0], 1, NULL);
		goto out;
	}
	/* A...B: what either side has and the other has not. */
	if (git_merge_base(&base, git, &ends[0], &ends[1])) {
		if (git_error_last() && git_error_last()->klass != GIT_ERROR_MERGE) {
			gate_git_error("cannot find a common ancestor");
			goto out;
		}
		gate_error("'%s' and '%s' have no common ancestor", from.buf, to.buf);
		goto out;
	}
	ret = walk(r, git, ends, 2, &base, 1, NULL);
out:
	strbuf_dispose(&from);
	strbuf_dispose(&to);
	return ret;
}

int gate_merge_policy_parse(const char *s, enum gate_merge_policy *out)
{
	if (!strcmp(s, "skip"))
		*out = GATE_MERGES_SKIP;
	else if (!strcmp(s, "first-parent"))
		*out = GATE_MERGES_FIRST_PARENT;
	else
		return -1;
	return 0;
}

int gate_range_resolve(struct gate_range *out, struct gate_repo *repo,
		       const char *spec, enum gate_merge_policy merges)
{
	struct gate_oidset boundary = { 0 };

	memset(out, 0, sizeof(*out));
	out->merges = merges;
	out->spec = strdup(spec);
	if (!out->spec)
		return gate_error("out of memory");
	if (walk_spec(out, repo->git, spec) || gate_shallow_boundary(&boundary, repo->git))
		goto fail;
	for (size_t i = 0; i < out->nr; i++)
		if (describe(&out->v[i], repo->git, merges, &boundary))
			goto fail;
	if (out->nr) {
		out->has_base = out->v[0].has_parent;
		out->base = out->v[0].parent;
	}
	gate_oidset_dispose(&boundary);
	return 0;
fail:
	gate_oidset_dispose(&boundary);
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
