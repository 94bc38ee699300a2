/* gerrit.c: Gerrit's ReviewInput from one report commit, commit queries, and
 * reading Gerrit's replies. Pure functions: no network, never prints or exits. */
#include "gerrit.h"
#include "model.h"
#include "text.h"
#include "error.h"
#include "strbuf.h"

#include <ctype.h>
#include <string.h>

#define XSSI_PREFIX ")]}'"

static bool is_touched(const json_t *commit, const char *file)
{
	const json_t *files = rep_arr(commit, "touched_files");
	size_t i;
	json_t *f;

	json_array_foreach(files, i, f)
		if (json_is_string(f) && !strcmp(json_string_value(f), file))
			return true;
	return false;
}

/* "gcc: warning: unused variable 'ret' [-Wunused-variable]" */
static json_t *comment_new(const json_t *finding)
{
	struct strbuf msg = STRBUF_INIT;
	const char *rule = rep_str(finding, "rule");
	const char *sev = rep_str_or(finding, "severity", "warning");
	long long line = rep_int(finding, "line");
	json_t *c = NULL;

	strbuf_addf(&msg, "%s: %s: ", rep_str_or(finding, "analyzer", "?"), sev);
	rep_text_cleanstr(&msg, rep_str_or(finding, "message", ""), REP_TEXT_ONELINE);
	if (rule) {
		strbuf_addstr(&msg, " [");
		rep_text_cleanstr(&msg, rule, REP_TEXT_ONELINE);
		strbuf_addch(&msg, ']');
	}
	c = json_object();
	if (!c)
		goto out;
	if (line > 0)
		json_object_set_new(c, "line", json_integer(line));
	json_object_set_new(c, "message", json_string(msg.buf));
	json_object_set_new(c, "unresolved", json_boolean(strcmp(sev, "info")));
out:
	strbuf_dispose(&msg);
	return c;
}

static int add_comment(json_t *comments, const char *file, const json_t *finding)
{
	json_t *list = json_object_get(comments, file);
	json_t *c = comment_new(finding);

	if (!c)
		return gate_error("out of memory");
	if (!list) {
		list = json_array();
		if (json_object_set_new(comments, file, list)) {
			json_decref(c);
			return gate_error("out of memory");
		}
	}
	return json_array_append_new(list, c) ? gate_error("out of memory") : 0;
}

static void summarise_check(struct strbuf *msg, const json_t *check)
{
	const char *status = rep_str_or(check, "status", "?");
	const char *reason = rep_str(check, "reason");

	strbuf_addstr(msg, "- ");
	rep_text_cleanstr(msg, rep_str_or(check, "analyzer", "?"), REP_TEXT_ONELINE);
	strbuf_addf(msg, ": %s", status);
	if (!strcmp(status, "pass") || !strcmp(status, "fail"))
		strbuf_addf(msg, " (%zu new, %zu fixed)",
			    json_array_size(rep_arr(check, "new")),
			    json_array_size(rep_arr(check, "fixed")));
	if (reason) {
		strbuf_addstr(msg, ": ");
		rep_text_cleanstr(msg, reason, REP_TEXT_ONELINE);
	}
	strbuf_addch(msg, '\n');
}

static size_t count_new(const json_t *commit)
{
	const json_t *checks = rep_arr(commit, "checks");
	size_t i, n = 0;
	json_t *check;

	json_array_foreach(checks, i, check)
		n += json_array_size(rep_arr(check, "new"));
	return n;
}

static void headline(struct strbuf *msg, const json_t *commit)
{
	const char *verdict = rep_str_or(commit, "verdict", "error");
	const char *reason = rep_str(commit, "reason");
	char sha[REP_SHORT_SHA];
	size_t n = count_new(commit);

	rep_short_sha(sha, rep_str_or(commit, "sha", ""));
	if (!strcmp(verdict, "pass"))
		strbuf_addf(msg, "mkt-gate: pass, nothing new found in %s", sha);
	else if (!strcmp(verdict, "fail"))
		strbuf_addf(msg, "mkt-gate: fail, %zu new finding%s in %s", n,
			    n == 1 ? "" : "s", sha);
	else if (!strcmp(verdict, "skipped"))
		strbuf_addf(msg, "mkt-gate: %s was not checked, no vote", sha);
	else
		strbuf_addf(msg, "mkt-gate: error, the gate could not decide on %s, no vote",
			    sha);
	if (reason) {
		strbuf_addstr(msg, ": ");
		rep_text_cleanstr(msg, reason, REP_TEXT_ONELINE);
	}
	strbuf_addstr(msg, "\n");
}

/* Inline comments where Gerrit takes them, the rest listed in elsewhere. */
static int place_findings(json_t *comments, struct strbuf *elsewhere,
			  const json_t *commit)
{
	const json_t *checks = rep_arr(commit, "checks");
	size_t i, j;
	json_t *check, *f;

	json_array_foreach(checks, i, check) {
		json_array_foreach(rep_arr(check, "new"), j, f) {
			const char *file = rep_str(f, "file");

			if (file && is_touched(commit, file)) {
				if (add_comment(comments, file, f))
					return -1;
				continue;
			}
			strbuf_addstr(elsewhere, "- ");
			rep_finding_format(elsewhere, f, 0);
			strbuf_addch(elsewhere, '\n');
		}
	}
	return 0;
}

static int build_message(struct strbuf *msg, json_t *comments,
			 const json_t *commit)
{
	struct strbuf elsewhere = STRBUF_INIT;
	const json_t *checks = rep_arr(commit, "checks");
	size_t i;
	json_t *check;
	int ret = -1;

	headline(msg, commit);
	if (json_array_size(checks))
		strbuf_addstr(msg, "\nanalyzers:\n");
	json_array_foreach(checks, i, check)
		summarise_check(msg, check);
	if (place_findings(comments, &elsewhere, commit))
		goto out;
	if (elsewhere.len)
		strbuf_addf(msg, "\nnew findings outside the files of this patch set:\n%s",
			    elsewhere.buf);
	strbuf_trim_trailing(msg);
	ret = 0;
out:
	strbuf_dispose(&elsewhere);
	return ret;
}

static int vote_of(const json_t *commit)
{
	const char *verdict = rep_str_or(commit, "verdict", "error");

	if (!strcmp(verdict, "pass"))
		return 1;
	if (!strcmp(verdict, "fail"))
		return -1;
	return 0;
}

int rep_gerrit_review(json_t **out, const json_t *commit,
		      const struct rep_gerrit_opts *o)
{
	struct strbuf msg = STRBUF_INIT;
	json_t *review = json_object();
	json_t *comments = json_object();
	int vote = vote_of(commit);
	int ret = -1;

	*out = NULL;
	if (!review || !comments) {
		gate_error("out of memory");
		goto out;
	}
	if (build_message(&msg, comments, commit))
		goto out;
	json_object_set_new(review, "tag", json_string(REP_GERRIT_TAG));
	json_object_set_new(review, "message", json_string(msg.buf));
	if (vote)
		json_object_set_new(review, "labels",
				    json_pack("{s:i}", o && o->label ? o->label : "Verified",
					      vote));
	if (json_object_size(comments))
		json_object_set(review, "comments", comments);
	json_object_set_new(review, "omit_duplicate_comments", json_true());
	if (o && o->notify)
		json_object_set_new(review, "notify", json_string(o->notify));
	*out = review;
	review = NULL;
	ret = 0;
out:
	json_decref(comments);
	json_decref(review);
	strbuf_dispose(&msg);
	return ret;
}

const json_t *rep_gerrit_find_commit(const json_t *report, const char *rev)
{
	size_t i, len = strlen(rev);
	json_t *c;

	if (len < 7)
		return NULL;
	json_array_foreach(rep_arr(report, "commits"), i, c)
		if (!strncmp(rep_str_or(c, "sha", ""), rev, len))
			return c;
	return NULL;
}

int rep_gerrit_parse_reply(json_t **out, const char *buf, size_t len)
{
	json_error_t err;
	size_t plen = strlen(XSSI_PREFIX);

	*out = NULL;
	if (len >= plen && !memcmp(buf, XSSI_PREFIX, plen)) {
		buf += plen;
		len -= plen;
	}
	*out = json_loadb(buf, len, JSON_DECODE_ANY, &err);
	if (!*out)
		return gate_error("Gerrit's reply is not JSON: %s at byte %d",
				  err.text, err.position);
	return 0;
}

static bool is_change_id(const char *s, size_t len)
{
	if (len != REP_CHANGE_ID_SIZE - 1 || s[0] != 'I')
		return false;
	for (size_t i = 1; i < len; i++)
		if (!isxdigit((unsigned char)s[i]) || isupper((unsigned char)s[i]))
			return false;
	return true;
}

int rep_gerrit_change_id(char out[REP_CHANGE_ID_SIZE], const char *message)
{
	const char *p, *next, *para = message;
	size_t key = strlen("Change-Id:");
	int found = 0;

	/* Trailers live in the last paragraph: find where it starts. */
	for (p = message; *p; p++)
		if (p[0] == '\n' && p[1] == '\n' && p[2] && p[2] != '\n')
			para = p + 2;
	for (p = para; *p; p = next) {
		size_t line = strcspn(p, "\n");
		const char *v = p + key;
		size_t len;

		next = p + line + (p[line] ? 1 : 0);
		if (line < key || strncmp(p, "Change-Id:", key))
			continue;
		v += strspn(v, " \t");
		len = strcspn(v, " \t\r\n");
		if (!is_change_id(v, len))
			continue;
		memcpy(out, v, len);
		out[len] = '\0';
		found = 1;
	}
	return found;
}

static bool all_digits(const char *s, size_t len)
{
	if (!len)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return true;
}

/* refs/changes/NN/CHANGE/PS and nothing else reaches git fetch. */
static bool is_change_ref(const char *ref)
{
	const char *p = ref + strlen("refs/changes/");
	int parts = 0;

	if (!str_starts_with(ref, "refs/changes/"))
		return false;
	while (*p) {
		size_t len = strcspn(p, "/");

		if (!all_digits(p, len))
			return false;
		parts++;
		p += len + (p[len] ? 1 : 0);
	}
	return parts == 3 && !str_ends_with(ref, "/");
}

static bool is_sha(const char *s)
{
	size_t len = strspn(s, "0123456789abcdef");

	return !s[len] && (len == 40 || len == 64);
}

int rep_gerrit_patchset(struct rep_gerrit_patchset *out, const json_t *change)
{
	const json_t *revs = json_object_get(change, "revisions");
	const json_t *rev, *num;

	memset(out, 0, sizeof(*out));
	out->change = rep_str(change, "id");
	out->revision = rep_str(change, "current_revision");
	num = json_object_get(change, "_number");
	if (!out->change || !out->revision || !json_is_integer(num))
		return gate_error("a change in Gerrit's reply lacks 'id', '_number' or 'current_revision'");
	out->number = json_integer_value(num);
	rev = json_object_get(revs, out->revision);
	out->ref = rep_str(rev, "ref");
	num = json_object_get(rev, "_number");
	if (!is_sha(out->revision))
		return gate_error("change '%s': 'current_revision' is not a commit id",
				  out->change);
	if (!out->ref || !json_is_integer(num) || !is_change_ref(out->ref))
		return gate_error("change '%s': the current revision lacks 'ref' or '_number'",
				  out->change);
	out->patchset = json_integer_value(num);
	return 0;
}

/* A value Gerrit's query grammar reads as one word needs no quotes. */
static bool is_query_word(const char *s)
{
	if (!*s || *s == '-')
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("_./+@-", *s))
			return false;
	return true;
}

static int add_operator(struct strbuf *q, const char *name, const char *value)
{
	if (!value)
		return 0;
	strbuf_addf(q, " %s:", name);
	if (is_query_word(value))
		return strbuf_addstr(q, value);
	strbuf_addch(q, '"');
	for (; *value; value++) {
		if (*value == '"' || *value == '\\')
			strbuf_addch(q, '\\');
		strbuf_addch(q, *value);
	}
	return strbuf_addch(q, '"');
}

int rep_gerrit_commit_query(struct strbuf *out, const char *sha,
			    const char *project, const char *branch)
{
	strbuf_reset(out);
	if (!is_sha(sha))
		return gate_error("'%s' is not a full commit id", sha);
	if (strbuf_addf(out, "commit:%s", sha) ||
	    add_operator(out, "project", project) ||
	    add_operator(out, "branch", branch))
		return gate_error("out of memory");
	return 0;
}

/* "project~number", the change id Gerrit's REST API prefers. */
static int change_name(struct strbuf *out, const json_t *change)
{
	const char *project = rep_str(change, "project");
	const json_t *num = json_object_get(change, "_number");

	if (!project || !json_is_integer(num))
		return gate_error("a change in Gerrit's reply lacks 'project' or '_number'");
	return strbuf_addf(out, "%s~%lld", project, (long long)json_integer_value(num));
}

static int too_many(const json_t *changes, const char *sha)
{
	struct strbuf names = STRBUF_INIT;
	size_t i;
	json_t *c;

	json_array_foreach(changes, i, c) {
		if (i)
			strbuf_addstr(&names, ", ");
		if (change_name(&names, c))
			goto out;
	}
	gate_error("commit %s is in %zu Gerrit changes (%s): which one gets the vote?",
		   sha, json_array_size(changes), names.buf);
	gate_error_hint("set [gerrit] project and branch to those of the change to vote on");
out:
	strbuf_dispose(&names);
	return -1;
}

int rep_gerrit_change_of_commit(struct strbuf *change, const json_t *changes,
				const char *sha, const char *query)
{
	strbuf_reset(change);
	if (!json_is_array(changes))
		return gate_error("Gerrit's answer to the query '%s' is not a list of changes",
				  query);
	if (json_array_size(changes) > 1)
		return too_many(changes, sha);
	if (!json_array_size(changes)) {
		gate_error("no Gerrit change holds commit %s (query '%s')", sha, query);
		gate_error_hint("push it for review first, or check [gerrit] project and branch");
		return -1;
	}
	return change_name(change, json_array_get(changes, 0));
}
