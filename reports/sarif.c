/* sarif.c: the SARIF 2.1.0 output for code-scanning services.
 * One run; the findings the series leaves behind are its results. */
#include "report.h"
#include "model.h"
#include "text.h"
#include "error.h"
#include "strbuf.h"

#include <stdlib.h>
#include <string.h>

#define SARIF_SCHEMA "https://json.schemastore.org/sarif-2.1.0.json"
#define INFO_URI "https://github.com/mkt-gate/mkt-gate"
#define SRCROOT "SRCROOT"

/* A new json string of s cleaned to one line, or NULL. */
static json_t *clean_string(const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	json_t *j = NULL;

	if (!rep_text_cleanstr(&sb, s ? s : "", REP_TEXT_ONELINE))
		j = json_stringn(sb.buf, sb.len);
	strbuf_dispose(&sb);
	return j;
}

static const char *level_of(const char *severity)
{
	if (!strcmp(severity, "error"))
		return "error";
	return strcmp(severity, "info") ? "warning" : "note";
}

static const char *rule_of(const json_t *f)
{
	return rep_str_or(f, "rule", rep_str_or(f, "analyzer", "mkt-gate"));
}

/* Percent-encodes what is not allowed in a URI path, keeping '/'. */
static int uri_path(struct strbuf *out, const char *path)
{
	static const char ok[] = "-._~/!$&'()*+,;=:@";

	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		int plain = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			    (*p >= '0' && *p <= '9') || strchr(ok, *p);

		if (plain ? strbuf_addch(out, *p) : strbuf_addf(out, "%%%02X", *p))
			return -1;
	}
	return 0;
}

/* The index of rule in rules, adding it when new; -1 out of memory. */
static int rule_index(json_t *rules, const json_t *f)
{
	const char *id = rule_of(f);
	json_t *r;
	size_t i;

	json_array_foreach(rules, i, r)
		if (!strcmp(rep_str_or(r, "id", ""), id))
			return (int)i;
	r = json_pack("{s:s, s:{s:o}, s:{s:s}}", "id", id,
		      "shortDescription", "text", clean_string(id),
		      "properties", "analyzer", rep_str_or(f, "analyzer", ""));
	if (!r || json_array_append_new(rules, r))
		return -1;
	return (int)json_array_size(rules) - 1;
}

static json_t *location(const json_t *f)
{
	struct strbuf uri = STRBUF_INIT;
	json_t *region, *loc = NULL;

	if (uri_path(&uri, rep_str(f, "file")))
		goto out;
	region = json_object();
	if (!region)
		goto out;
	if (rep_int(f, "line") > 0)
		json_object_set_new(region, "startLine",
				    json_integer(rep_int(f, "line")));
	if (rep_int(f, "line") > 0 && rep_int(f, "column") > 0)
		json_object_set_new(region, "startColumn",
				    json_integer(rep_int(f, "column")));
	loc = json_pack("{s:{s:{s:s, s:s}}}", "physicalLocation",
			"artifactLocation", "uri", uri.buf, "uriBaseId", SRCROOT);
	if (loc && json_object_size(region))
		json_object_set(json_object_get(loc, "physicalLocation"),
				"region", region);
	json_decref(region);
out:
	strbuf_dispose(&uri);
	return loc;
}

static json_t *result(const json_t *f, int index)
{
	json_t *r, *locs;

	r = json_pack("{s:s, s:i, s:s, s:{s:o}, s:{s:s}, s:s}",
		      "ruleId", rule_of(f), "ruleIndex", index,
		      "level", level_of(rep_str_or(f, "severity", "warning")),
		      "message", "text", clean_string(rep_str(f, "message")),
		      "partialFingerprints", "mktGate/v1",
		      rep_str_or(f, "fingerprint", ""),
		      "baselineState", "new");
	if (!r || !rep_str(f, "file"))
		return r;
	locs = json_pack("[o]", location(f));
	if (!locs || json_object_set_new(r, "locations", locs)) {
		json_decref(r);
		return NULL;
	}
	return r;
}

/* Skipped and failed checks become notifications of the invocation. */
static json_t *invocation(const json_t *report)
{
	const json_t *commit, *check;
	json_t *notes = json_array(), *inv;
	char sha[REP_SHORT_SHA];
	size_t i, k;

	json_array_foreach(rep_arr(report, "commits"), i, commit) {
		rep_short_sha(sha, rep_str(commit, "sha"));
		json_array_foreach(rep_arr(commit, "checks"), k, check) {
			const char *status = rep_str_or(check, "status", "");
			char text[512];

			if (strcmp(status, "skipped") && strcmp(status, "error"))
				continue;
			snprintf(text, sizeof(text), "%s: %s %s: %s.", sha,
				 rep_str_or(check, "analyzer", "?"), status,
				 rep_str_or(check, "reason", "no reason given"));
			json_array_append_new(notes, json_pack("{s:s, s:{s:o}}",
				"level", strcmp(status, "error") ? "note" : "error",
				"message", "text", clean_string(text)));
		}
	}
	inv = json_pack("{s:b, s:o}", "executionSuccessful",
			strcmp(rep_str_or(report, "verdict", ""), "error") != 0,
			"toolExecutionNotifications", notes);
	return inv;
}

static json_t *sarif_doc(const json_t *report)
{
	const char *repo = rep_str(report, "repository");
	struct strbuf root = STRBUF_INIT;
	json_t *doc, *rules = json_array(), *results = json_array(), *run;
	const json_t *f;
	size_t i;

	json_array_foreach(rep_arr(json_object_get(report, "series"), "new"), i, f) {
		int idx = rule_index(rules, f);

		if (idx < 0 || json_array_append_new(results, result(f, idx)))
			goto fail;
	}
	run = json_pack("{s:{s:{s:s, s:s, s:s, s:O}}, s:o, s:[o]}",
			"tool", "driver", "name", "mkt-gate",
			"version", rep_str_or(json_object_get(report, "tool"), "version", "0"),
			"informationUri", INFO_URI, "rules", rules,
			"results", results, "invocations", invocation(report));
	results = NULL;
	if (run && repo && (strbuf_addstr(&root, "file://") ||
			    uri_path(&root, repo) ||
			    (!str_ends_with(root.buf, "/") && strbuf_addch(&root, '/')) ||
			    json_object_set_new(run, "originalUriBaseIds",
				json_pack("{s:{s:s}}", SRCROOT, "uri", root.buf))))
		goto fail_run;
	doc = json_pack("{s:s, s:s, s:[o]}", "$schema", SARIF_SCHEMA,
			"version", "2.1.0", "runs", run);
	json_decref(rules);
	strbuf_dispose(&root);
	return doc;
fail_run:
	json_decref(run);
fail:
	json_decref(results);
	json_decref(rules);
	strbuf_dispose(&root);
	return NULL;
}

int rep_sarif_write(const json_t *report, const char *path)
{
	json_t *doc = sarif_doc(report);
	int ret;

	if (!doc)
		return gate_error("cannot build the SARIF log (out of memory)");
	ret = rep_json_write(doc, path);
	json_decref(doc);
	return ret;
}
