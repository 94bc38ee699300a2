/* json.c: the JSON output and the loading of saved reports.
 * The JSON file is the model itself, dumped; never prints or exits. */
#include "report.h"
#include "model.h"
#include "error.h"
#include "strbuf.h"

#include <stdio.h>
#include <stdlib.h>

int rep_json_write(const json_t *report, const char *path)
{
	struct strbuf sb = STRBUF_INIT;
	char *text;
	int ret = -1;

	text = json_dumps(report, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (!text)
		return gate_error("cannot serialise the report to JSON");
	if (strbuf_addstr(&sb, text) || strbuf_addch(&sb, '\n'))
		goto out_free;
	ret = strbuf_write_file(&sb, path);
out_free:
	strbuf_dispose(&sb);
	free(text);
	return ret;
}

int rep_load(json_t **out, const char *path)
{
	json_error_t err;
	json_t *report;

	*out = NULL;
	report = json_load_file(path, JSON_REJECT_DUPLICATES, &err);
	if (!report)
		return gate_error("'%s' is not valid JSON: line %d: %s", path,
				  err.line, err.text);
	if (rep_model_check(report)) {
		char why[512];

		snprintf(why, sizeof(why), "%s", gate_error_last());
		gate_error("'%s' is not a mkt-gate report: %s", path, why);
		json_decref(report);
		return -1;
	}
	*out = report;
	return 0;
}
