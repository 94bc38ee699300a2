/* store.c: stores a gate report as one result per commit (results/<sha>.json)
 * and reads them back. Each is itself a valid report-v1 of one commit; never prints. */
#include "hook.h"
#include "error.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *hook_verdict_name(enum hook_verdict v)
{
	return gate_verdict_name((enum gate_verdict)v);
}

enum hook_verdict hook_verdict_parse(const char *s)
{
	return (enum hook_verdict)gate_verdict_parse(s);
}

/* Only a result about to be written needs its directories made. */
static int result_path(struct strbuf *out, const struct hook_repo *r,
		       const char *sha, bool create)
{
	struct strbuf sub = STRBUF_INIT;
	int ret;

	if (!hook_is_oid(sha, strlen(sha)))
		return gate_error("not an object id: '%s'", sha);
	ret = strbuf_addf(&sub, "results/%s.json", sha);
	if (!ret)
		ret = create ? hook_repo_state_path(out, r, sub.buf) :
			       strbuf_addf(out, "%s/%s", r->statedir.buf, sub.buf);
	strbuf_dispose(&sub);
	return ret;
}

/* series.new/fixed of a one-commit report: what its checks found. */
static int collect(json_t *dst, const json_t *checks, const char *key)
{
	size_t i;
	json_t *check;

	json_array_foreach(checks, i, check) {
		json_t *found = json_object_get(check, key);

		if (json_is_array(found) && json_array_extend(dst, found))
			return gate_error("cannot build the stored result");
	}
	return 0;
}

static json_t *one_commit_report(const json_t *root, json_t *commit,
				 const char *sha)
{
	json_t *out = json_object(), *series = json_object();
	json_t *news = json_array(), *fixed = json_array();
	const json_t *checks = json_object_get(commit, "checks");
	const json_t *parent = json_object_get(commit, "parent");

	if (!out || !series || !news || !fixed || collect(news, checks, "new") ||
	    collect(fixed, checks, "fixed"))
		goto fail;
	json_object_set(out, "schema", json_object_get(root, "schema"));
	json_object_set(out, "tool", json_object_get(root, "tool"));
	if (json_object_get(root, "repository"))
		json_object_set(out, "repository", json_object_get(root, "repository"));
	json_object_set_new(out, "range", json_string(sha));
	if (json_is_string(parent) && hook_is_oid(json_string_value(parent),
						  json_string_length(parent)))
		json_object_set(out, "base", (json_t *)parent);
	json_object_set(out, "verdict", json_object_get(commit, "verdict"));
	json_object_set_new(out, "commits", json_pack("[O]", commit));
	json_object_set_new(series, "new", news);
	json_object_set_new(series, "fixed", fixed);
	json_object_set_new(out, "series", series);
	return out;
fail:
	json_decref(out);
	json_decref(series);
	json_decref(news);
	json_decref(fixed);
	return NULL;
}

static int store_one(const struct hook_repo *r, const json_t *root,
		     json_t *commit, const char *sha)
{
	struct strbuf path = STRBUF_INIT, text = STRBUF_INIT;
	json_t *one = one_commit_report(root, commit, sha);
	char *dump = NULL;
	int ret = -1;

	if (!one || result_path(&path, r, sha, true))
		goto out;
	dump = json_dumps(one, JSON_INDENT(1) | JSON_SORT_KEYS);
	if (!dump || strbuf_addstr(&text, dump) || strbuf_addch(&text, '\n')) {
		gate_error("cannot write '%s'", path.buf);
		goto out;
	}
	ret = strbuf_write_file(&text, path.buf);
out:
	free(dump);
	json_decref(one);
	strbuf_dispose(&path);
	strbuf_dispose(&text);
	return ret;
}

/* "error" is not stored: the next run should try that commit again. */
int hook_result_store(size_t *stored, const struct hook_repo *r,
		      const char *report_path)
{
	json_error_t jerr;
	json_t *root = json_load_file(report_path, 0, &jerr), *commit;
	size_t i;
	int ret = -1;

	*stored = 0;
	if (!root)
		return gate_error("cannot read the report '%s': %s", report_path,
				  jerr.text);
	json_array_foreach(json_object_get(root, "commits"), i, commit) {
		const char *sha = json_string_value(json_object_get(commit, "sha"));
		enum hook_verdict v = hook_verdict_parse(
			json_string_value(json_object_get(commit, "verdict")));

		if (!sha || !hook_is_oid(sha, strlen(sha)) ||
		    v == HOOK_VERDICT_NONE || v == HOOK_VERDICT_ERROR)
			continue;
		if (store_one(r, root, commit, sha))
			goto out;
		(*stored)++;
	}
	ret = 0;
out:
	json_decref(root);
	return ret;
}

static json_t *load_result(const struct hook_repo *r, const char *sha)
{
	struct strbuf path = STRBUF_INIT;
	json_t *root = NULL;

	if (!result_path(&path, r, sha, false) && !access(path.buf, F_OK))
		root = json_load_file(path.buf, 0, NULL);
	strbuf_dispose(&path);
	return root;
}

enum hook_verdict hook_result_verdict(const struct hook_repo *r,
				      const char *sha)
{
	json_t *root = load_result(r, sha);
	enum hook_verdict v;

	v = hook_verdict_parse(json_string_value(json_object_get(root, "verdict")));
	json_decref(root);
	return v;
}

static int describe_finding(struct strbuf *out, const json_t *f)
{
	const char *file = json_string_value(json_object_get(f, "file"));
	json_int_t line = json_integer_value(json_object_get(f, "line"));
	json_int_t col = json_integer_value(json_object_get(f, "column"));
	const char *rule = json_string_value(json_object_get(f, "rule"));
	const char *sev = json_string_value(json_object_get(f, "severity"));
	const char *msg = json_string_value(json_object_get(f, "message"));
	const char *an = json_string_value(json_object_get(f, "analyzer"));

	/* The terminal's form (reports/model.h): file:line:col: ... [rule] (analyzer) */
	if (strbuf_addstr(out, "    ") ||
	    (file && strbuf_addf(out, "%s:", file)) ||
	    (file && line > 0 && strbuf_addf(out, "%lld:", (long long)line)) ||
	    (file && line > 0 && col > 0 && strbuf_addf(out, "%lld:", (long long)col)) ||
	    strbuf_addf(out, "%s%s: %s", file ? " " : "", sev ? sev : "warning",
			msg ? msg : "(no message)") ||
	    (rule && strbuf_addf(out, " [%s]", rule)) ||
	    (an && strbuf_addf(out, " (%s)", an)))
		return -1;
	return strbuf_addch(out, '\n');
}

static int describe_commit(struct strbuf *out, const json_t *commit)
{
	const char *sha = json_string_value(json_object_get(commit, "sha"));
	const char *subj = json_string_value(json_object_get(commit, "subject"));
	const char *verdict = json_string_value(json_object_get(commit, "verdict"));
	const json_t *check, *f;
	size_t i, j;

	if (strbuf_addf(out, "  %.12s %s: %s\n", sha ? sha : "?",
			subj ? subj : "", verdict ? verdict : "?"))
		return -1;
	json_array_foreach(json_object_get(commit, "checks"), i, check) {
		const char *status = json_string_value(json_object_get(check, "status"));
		const char *reason = json_string_value(json_object_get(check, "reason"));
		const char *an = json_string_value(json_object_get(check, "analyzer"));

		if (status && !strcmp(status, "error") &&
		    strbuf_addf(out, "    %s: could not run: %s\n", an ? an : "?",
				reason ? reason : "no reason given"))
			return -1;
		json_array_foreach(json_object_get(check, "new"), j, f)
			if (describe_finding(out, f))
				return -1;
	}
	return 0;
}

/* The commits that did not pass, each with its new findings. */
static int describe_report(struct strbuf *out, const json_t *root)
{
	const json_t *commit;
	size_t i;

	json_array_foreach(json_object_get(root, "commits"), i, commit) {
		const char *v = json_string_value(json_object_get(commit, "verdict"));
		enum hook_verdict verdict = hook_verdict_parse(v);

		if (verdict != HOOK_VERDICT_FAIL && verdict != HOOK_VERDICT_ERROR)
			continue;
		if (describe_commit(out, commit))
			return -1;
	}
	return 0;
}

/* Takes over root, which is NULL when what could not be read. */
static int describe_loaded(struct strbuf *out, json_t *root, const char *what)
{
	int ret;

	if (!root)
		return gate_error("cannot read the result of '%s'", what);
	ret = describe_report(out, root);
	json_decref(root);
	return ret;
}

int hook_report_describe(struct strbuf *out, const char *report_path)
{
	return describe_loaded(out, json_load_file(report_path, 0, NULL),
			       report_path);
}

int hook_result_describe(struct strbuf *out, const struct hook_repo *r,
			 const char *sha)
{
	return describe_loaded(out, load_result(r, sha), sha);
}
