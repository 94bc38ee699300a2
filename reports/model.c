/* model.c: accessors and the structural check of the report model.
 * Knows the shape of report-v1; never prints or exits. */
#include "model.h"
#include "text.h"
#include "error.h"
#include "strbuf.h"
#include "verdict.h"

#include <string.h>

const char *rep_str(const json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

const char *rep_str_or(const json_t *obj, const char *key, const char *def)
{
	const char *s = rep_str(obj, key);

	return s ? s : def;
}

double rep_num(const json_t *obj, const char *key)
{
	return json_number_value(json_object_get(obj, key));
}

long long rep_int(const json_t *obj, const char *key)
{
	return json_integer_value(json_object_get(obj, key));
}

const json_t *rep_arr(const json_t *obj, const char *key)
{
	const json_t *a = json_object_get(obj, key);

	return json_is_array(a) ? a : NULL;
}

void rep_short_sha(char out[REP_SHORT_SHA], const char *sha)
{
	size_t n = sha ? strnlen(sha, REP_SHORT_SHA - 1) : 0;

	memcpy(out, sha ? sha : "", n);
	out[n] = '\0';
}

int rep_finding_location(struct strbuf *out, const json_t *f, unsigned flags)
{
	const char *file = rep_str(f, "file");
	long long line = rep_int(f, "line");
	long long col = rep_int(f, "column");

	if (!file)
		return 0;
	if (rep_text_cleanstr(out, file, flags | REP_TEXT_ONELINE) ||
	    (line > 0 && strbuf_addf(out, ":%lld", line)) ||
	    (line > 0 && col > 0 && strbuf_addf(out, ":%lld", col)))
		return -1;
	return strbuf_addstr(out, ": ");
}

int rep_finding_format(struct strbuf *out, const json_t *f, unsigned flags)
{
	const char *rule = rep_str(f, "rule");
	const char *analyzer = rep_str(f, "analyzer");

	flags |= REP_TEXT_ONELINE;
	if (rep_finding_location(out, f, flags) ||
	    rep_text_cleanstr(out, rep_str_or(f, "severity", "warning"), flags) ||
	    strbuf_addstr(out, ": ") ||
	    rep_text_cleanstr(out, rep_str_or(f, "message", ""), flags))
		return -1;
	if (rule && (strbuf_addstr(out, " [") ||
		     rep_text_cleanstr(out, rule, flags) ||
		     strbuf_addch(out, ']')))
		return -1;
	if (analyzer && (strbuf_addstr(out, " (") ||
			 rep_text_cleanstr(out, analyzer, flags) ||
			 strbuf_addch(out, ')')))
		return -1;
	return 0;
}

/* Fails naming `where` and key when obj[key] is missing or of the wrong type. */
static int need(const json_t *obj, const char *where, const char *key,
		json_type type)
{
	const json_t *v = json_object_get(obj, key);

	if (!v)
		return gate_error("%s'%s' is missing", where, key);
	if (json_typeof(v) != type)
		return gate_error("%s'%s' has the wrong type", where, key);
	return 0;
}

static int need_verdict(const json_t *obj, const char *where, const char *key)
{
	if (need(obj, where, key, JSON_STRING))
		return -1;
	if (gate_verdict_parse(rep_str(obj, key)) == GATE_VERDICT_NONE)
		return gate_error("%s'%s' is not a verdict: '%s'", where, key,
				  rep_str(obj, key));
	return 0;
}

static int check_findings(const json_t *arr, const char *where)
{
	static const char *const keys[] = {
		"analyzer", "severity", "message", "fingerprint"
	};
	char at[160];
	size_t i, k;
	json_t *f;

	json_array_foreach(arr, i, f) {
		snprintf(at, sizeof(at), "%s[%zu]: ", where, i);
		if (!json_is_object(f))
			return gate_error("%snot an object", at);
		for (k = 0; k < sizeof(keys) / sizeof(*keys); k++)
			if (need(f, at, keys[k], JSON_STRING))
				return -1;
	}
	return 0;
}

static int check_check(const json_t *c, const char *where)
{
	char at[128];

	if (!json_is_object(c))
		return gate_error("%s: not an object", where);
	snprintf(at, sizeof(at), "%s: ", where);
	if (need(c, at, "analyzer", JSON_STRING) ||
	    need_verdict(c, at, "status") ||
	    need(c, at, "new", JSON_ARRAY) || need(c, at, "fixed", JSON_ARRAY))
		return -1;
	snprintf(at, sizeof(at), "%s.new", where);
	if (check_findings(json_object_get(c, "new"), at))
		return -1;
	snprintf(at, sizeof(at), "%s.fixed", where);
	return check_findings(json_object_get(c, "fixed"), at);
}

static int check_commit(const json_t *c, size_t idx)
{
	char at[64], sub[96];
	size_t i;
	json_t *chk;

	snprintf(at, sizeof(at), "commits[%zu]: ", idx);
	if (!json_is_object(c))
		return gate_error("%snot an object", at);
	if (need(c, at, "sha", JSON_STRING) ||
	    need(c, at, "subject", JSON_STRING) ||
	    need_verdict(c, at, "verdict") ||
	    need(c, at, "checks", JSON_ARRAY))
		return -1;
	json_array_foreach(json_object_get(c, "checks"), i, chk) {
		snprintf(sub, sizeof(sub), "commits[%zu].checks[%zu]", idx, i);
		if (check_check(chk, sub))
			return -1;
	}
	return 0;
}

static int check_series(const json_t *s)
{
	static const char *const keys[] = { "new", "fixed", "transient" };
	char at[32];

	for (size_t k = 0; k < sizeof(keys) / sizeof(*keys); k++) {
		const json_t *a = json_object_get(s, keys[k]);

		if (!a && k == 2)
			continue;
		if (need(s, "series: ", keys[k], JSON_ARRAY))
			return -1;
		snprintf(at, sizeof(at), "series.%s", keys[k]);
		if (check_findings(a, at))
			return -1;
	}
	return 0;
}

int rep_model_check(const json_t *report)
{
	const char *schema;
	size_t i;
	json_t *c;

	if (!json_is_object(report))
		return gate_error("the report is not a JSON object");
	schema = rep_str(report, "schema");
	if (!schema)
		return gate_error("'schema' is missing: not a mkt-gate report");
	if (strcmp(schema, "mkt-gate/report/v1"))
		return gate_error("unsupported schema '%s' (expected 'mkt-gate/report/v1')",
				  schema);
	if (need(report, "", "tool", JSON_OBJECT) ||
	    need(report, "", "range", JSON_STRING) ||
	    need_verdict(report, "", "verdict") ||
	    need(report, "", "commits", JSON_ARRAY) ||
	    need(report, "", "series", JSON_OBJECT))
		return -1;
	json_array_foreach(json_object_get(report, "commits"), i, c)
		if (check_commit(c, i))
			return -1;
	return check_series(json_object_get(report, "series"));
}
