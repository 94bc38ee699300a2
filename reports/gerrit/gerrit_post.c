/* gerrit_post.c: posts the reviews of a report's commits to their Gerrit
 * changes, found by commit. Never prints or exits: the summary is the caller's. */
#include "gerrit.h"
#include "model.h"
#include "config.h"
#include "strbuf.h"

#include <git2.h>
#include <string.h>

void rep_gerrit_opts_from_config(struct rep_gerrit_opts *o, const struct config *cfg)
{
	o->label = config_get(cfg, "gerrit", "label");
	o->notify = config_get(cfg, "gerrit", "notify");
	if (!o->label)
		o->label = "Verified";
}

int rep_gerrit_post_commit(struct rep_gerrit *g, const struct rep_gerrit_opts *o,
			   const json_t *commit, const char *change,
			   const char *revision, struct strbuf *summary)
{
	json_t *review = NULL, *labels;
	char sha[REP_SHORT_SHA];
	int ret = -1;

	rep_short_sha(sha, revision);
	if (rep_gerrit_review(&review, commit, o))
		goto out;
	if (rep_gerrit_set_review(g, change, revision, review)) {
		strbuf_addf(summary, "failed to post on change '%s' revision %s\n", change, sha);
		goto out;
	}
	labels = json_object_get(review, "labels");
	if (labels)
		strbuf_addf(summary, "posted %s%+d on change '%s' revision %s (%s)\n",
			    o->label, (int)json_integer_value(json_object_get(labels, o->label)),
			    change, sha, rep_str_or(commit, "verdict", "?"));
	else
		strbuf_addf(summary, "posted a message without a vote on change '%s' revision %s (%s)\n",
			    change, sha, rep_str_or(commit, "verdict", "?"));
	ret = 0;
out:
	json_decref(review);
	return ret;
}

/*
 * True when the commit's message was read and has no Change-Id trailer; a
 * report read away from its repository is looked up by commit all the same.
 */
static bool lacks_change_id(const json_t *commit, git_repository *git)
{
	char id[REP_CHANGE_ID_SIZE];
	git_commit *c = NULL;
	git_oid oid;
	bool lacks = false;

	if (rep_str(commit, "change_id") || !git)
		return false;
	if (!git_oid_fromstr(&oid, rep_str_or(commit, "sha", "")) &&
	    !git_commit_lookup(&c, git, &oid))
		lacks = !rep_gerrit_change_id(id, git_commit_message(c));
	git_commit_free(c);
	return lacks;
}

/* The change holding sha: a commit query, narrowed by [gerrit] project and branch. */
static int change_of(struct strbuf *change, struct rep_gerrit *g,
		     const struct config *cfg, const char *sha)
{
	struct strbuf query = STRBUF_INIT;
	json_t *changes = NULL;
	int ret = -1;

	if (rep_gerrit_commit_query(&query, sha, config_get(cfg, "gerrit", "project"),
				    config_get(cfg, "gerrit", "branch")) ||
	    rep_gerrit_query(g, query.buf, &changes))
		goto out;
	ret = rep_gerrit_change_of_commit(change, changes, sha, query.buf);
out:
	json_decref(changes);
	strbuf_dispose(&query);
	return ret;
}

static int post_all(struct rep_gerrit *g, const json_t *report,
		    const struct config *cfg, git_repository *git,
		    struct strbuf *summary)
{
	struct strbuf change = STRBUF_INIT;
	struct rep_gerrit_opts o;
	char short_sha[REP_SHORT_SHA];
	size_t i;
	json_t *c;
	int ret = 0;

	rep_gerrit_opts_from_config(&o, cfg);
	json_array_foreach(rep_arr(report, "commits"), i, c) {
		const char *sha = rep_str_or(c, "sha", "");

		rep_short_sha(short_sha, sha);
		if (!strcmp(rep_str_or(c, "verdict", ""), "skipped"))
			continue;
		if (lacks_change_id(c, git)) {
			strbuf_addf(summary, "not posted: commit %s has no Change-Id trailer\n",
				    short_sha);
			continue;
		}
		ret = change_of(&change, g, cfg, sha);
		if (!ret)
			ret = rep_gerrit_post_commit(g, &o, c, change.buf, sha, summary);
		if (ret)
			break;
	}
	strbuf_dispose(&change);
	return ret;
}

int rep_gerrit_post_report(const json_t *report, const struct config *cfg,
			   struct strbuf *summary)
{
	const char *top = rep_str(report, "repository");
	struct rep_gerrit *g = NULL;
	git_repository *git = NULL;
	int ret = -1;

	git_libgit2_init();
	if (top && git_repository_open_ext(&git, top, 0, NULL))
		git = NULL;
	if (rep_gerrit_new(&g, cfg))
		goto out;
	ret = post_all(g, report, cfg, git, summary);
out:
	rep_gerrit_free(g);
	git_repository_free(git);
	git_libgit2_shutdown();
	return ret;
}
