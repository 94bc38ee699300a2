/* treediff.c: the paths two trees differ in, without reading equal subtrees,
 * then libgit2's diff of only those paths (see treediff.h). */
#include "treediff.h"
#include "error.h"
#include "repo.h"
#include "strbuf.h"
#include "strvec.h"

#include <string.h>

static int walk(struct strvec *paths, git_repository *git, const git_tree *a,
		const git_tree *b, struct strbuf *prefix);

/* prefix/name, or every path below it when it is a tree (one side only). */
static int add_entry(struct strvec *paths, git_repository *git,
		     const git_tree_entry *te, struct strbuf *prefix)
{
	size_t len = prefix->len;
	git_tree *sub = NULL;
	int ret;

	if (strbuf_addstr(prefix, git_tree_entry_name(te)))
		return -1;
	if (git_tree_entry_type(te) != GIT_OBJECT_TREE) {
		ret = strvec_push(paths, prefix->buf) ? gate_error("out of memory") : 0;
	} else if (git_tree_lookup(&sub, git, git_tree_entry_id(te))) {
		ret = gate_git_error("cannot read a tree");
	} else {
		ret = strbuf_addch(prefix, '/') ? -1 : walk(paths, git, NULL, sub, prefix);
	}
	git_tree_free(sub);
	strbuf_setlen(prefix, len);
	return ret;
}

/* An entry of a that b has as well: equal, both trees (descend) or else both paths. */
static int add_pair(struct strvec *paths, git_repository *git, const git_tree_entry *x,
		    const git_tree_entry *y, struct strbuf *prefix)
{
	size_t len = prefix->len;
	git_tree *tx = NULL, *ty = NULL;
	int ret;

	if (git_tree_entry_filemode(x) == git_tree_entry_filemode(y) &&
	    git_oid_equal(git_tree_entry_id(x), git_tree_entry_id(y)))
		return 0;
	if (git_tree_entry_type(x) != GIT_OBJECT_TREE ||
	    git_tree_entry_type(y) != GIT_OBJECT_TREE)
		return add_entry(paths, git, x, prefix) || add_entry(paths, git, y, prefix) ?
		       -1 : 0;
	if (git_tree_lookup(&tx, git, git_tree_entry_id(x)) ||
	    git_tree_lookup(&ty, git, git_tree_entry_id(y)))
		ret = gate_git_error("cannot read a tree");
	else
		ret = strbuf_addf(prefix, "%s/", git_tree_entry_name(x)) ? -1 :
		      walk(paths, git, tx, ty, prefix);
	strbuf_setlen(prefix, len);
	git_tree_free(tx);
	git_tree_free(ty);
	return ret;
}

/* The paths under prefix where a and b (NULL: empty) differ. */
static int walk(struct strvec *paths, git_repository *git, const git_tree *a,
		const git_tree *b, struct strbuf *prefix)
{
	size_t na = a ? git_tree_entrycount(a) : 0, nb = b ? git_tree_entrycount(b) : 0;
	int ret = 0;

	for (size_t i = 0; i < na && !ret; i++) {
		const git_tree_entry *x = git_tree_entry_byindex(a, i);
		const git_tree_entry *y = b ? git_tree_entry_byname(b, git_tree_entry_name(x)) :
					  NULL;

		ret = y ? add_pair(paths, git, x, y, prefix) : add_entry(paths, git, x, prefix);
	}
	for (size_t i = 0; i < nb && !ret; i++) {
		const git_tree_entry *y = git_tree_entry_byindex(b, i);

		if (!a || !git_tree_entry_byname(a, git_tree_entry_name(y)))
			ret = add_entry(paths, git, y, prefix);
	}
	return ret;
}

int gate_tree_diff(git_diff **out, git_repository *git, git_tree *old_tree,
		   git_tree *new_tree, const git_diff_options *opts)
{
	git_diff_options o = GIT_DIFF_OPTIONS_INIT;
	struct strvec paths = STRVEC_INIT;
	struct strbuf prefix = STRBUF_INIT;
	int ret;

	*out = NULL;
	if (opts)
		o = *opts;
	/* The empty tree against a whole one: every path differs anyway. */
	if (!old_tree || !new_tree) {
		o.pathspec.count = 0;
		return git_diff_tree_to_tree(out, git, old_tree, new_tree, &o) ?
		       gate_git_error("cannot diff the trees") : 0;
	}
	ret = walk(&paths, git, old_tree, new_tree, &prefix);
	/* An exact path that no tree has: nothing to diff, and nothing read. */
	if (!ret && !paths.nr && strvec_push(&paths, "\x01"))
		ret = gate_error("out of memory");
	if (!ret) {
		o.pathspec.strings = (char **)paths.v;
		o.pathspec.count = paths.nr;
		o.flags |= GIT_DIFF_DISABLE_PATHSPEC_MATCH;
		if (git_diff_tree_to_tree(out, git, old_tree, new_tree, &o))
			ret = gate_git_error("cannot diff the trees");
	}
	strvec_dispose(&paths);
	strbuf_dispose(&prefix);
	return ret;
}
