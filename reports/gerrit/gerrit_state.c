/* gerrit_state.c: what the Gerrit watcher has voted on, kept in a JSON file so
 * that a restart neither votes twice nor misses a patch set. Never prints or exits. */
#include "gerrit.h"
#include "error.h"
#include "fs.h"
#include "strbuf.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int rep_gerrit_state_load(struct rep_gerrit_state *st, const char *path)
{
	json_error_t err;

	st->path = strdup(path);
	st->doc = NULL;
	if (!st->path)
		return gate_error("out of memory");
	if (access(path, F_OK) && errno == ENOENT) {
		st->doc = json_pack("{s:i,s:{}}", "version", 1, "voted");
		return st->doc ? 0 : gate_error("out of memory");
	}
	st->doc = json_load_file(path, 0, &err);
	if (!st->doc)
		return gate_error("cannot read the watcher state '%s': %s", path, err.text);
	if (!json_is_object(json_object_get(st->doc, "voted"))) {
		gate_error("watcher state '%s' has no \"voted\" object", path);
		gate_error_hint("move the file away to start afresh (every open change is then gated again)");
		return -1;
	}
	return 0;
}

bool rep_gerrit_state_has(const struct rep_gerrit_state *st, const char *revision)
{
	return json_object_get(json_object_get(st->doc, "voted"), revision) != NULL;
}

int rep_gerrit_state_add(struct rep_gerrit_state *st,
			 const struct rep_gerrit_patchset *ps, const char *verdict)
{
	struct strbuf text = STRBUF_INIT;
	char at[32];
	time_t now = time(NULL);
	char *dump = NULL;
	int ret = -1;

	strftime(at, sizeof(at), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
	if (json_object_set_new(json_object_get(st->doc, "voted"), ps->revision,
				json_pack("{s:s,s:I,s:I,s:s,s:s}", "change", ps->change,
					  "number", (json_int_t)ps->number,
					  "patchset", (json_int_t)ps->patchset,
					  "verdict", verdict, "at", at))) {
		gate_error("out of memory");
		goto out;
	}
	dump = json_dumps(st->doc, JSON_INDENT(2));
	if (!dump || strbuf_addstr(&text, dump) || strbuf_addch(&text, '\n'))
		goto out;
	if (gate_mkdirs_parent(st->path) || strbuf_write_file(&text, st->path))
		goto out;
	ret = 0;
out:
	free(dump);
	strbuf_dispose(&text);
	return ret;
}

void rep_gerrit_state_dispose(struct rep_gerrit_state *st)
{
	json_decref(st->doc);
	free(st->path);
	st->doc = NULL;
	st->path = NULL;
}
