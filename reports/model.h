/* model.h: reading the report model (a jansson document of report-v1).
 * Accessors shared by the renderers; never prints or exits. */
#ifndef REP_MODEL_H
#define REP_MODEL_H

#include <jansson.h>
#include <stddef.h>

struct strbuf;

/*
 * The accessors are forgiving: a missing key or a value of the wrong type
 * reads as NULL, 0 or an empty array, so a renderer never crashes on a
 * report that rep_model_check() accepted but that lacks optional fields.
 * Returned pointers are borrowed from the document.
 */
const char *rep_str(const json_t *obj, const char *key);
const char *rep_str_or(const json_t *obj, const char *key, const char *def);
double rep_num(const json_t *obj, const char *key);
long long rep_int(const json_t *obj, const char *key);
/* The array at key, or NULL, which jansson's array calls treat as empty. */
const json_t *rep_arr(const json_t *obj, const char *key);

/* The first 12 characters of a commit id, always NUL-terminated. */
#define REP_SHORT_SHA 13
void rep_short_sha(char out[REP_SHORT_SHA], const char *sha);

/*
 * The one-line form of a finding, a contract with editors and scripts:
 * `file:line:col: severity: message [rule] (analyzer)`, as gcc prints it
 * plus who said it, so that gcc's and clang's same warning differ. It is
 * shortened to `file:line: ...` without a column, to `file: ...` without
 * a line and to `severity: ...` without a file. The text is cleaned with
 * rep_text_clean(flags | REP_TEXT_ONELINE). rep_finding_location() appends
 * only the `file:line:col: ` part (nothing without a file).
 */
int rep_finding_location(struct strbuf *out, const json_t *finding,
			 unsigned flags);
int rep_finding_format(struct strbuf *out, const json_t *finding,
		       unsigned flags);

/*
 * Checks the structure every renderer relies on: the schema id, the
 * required keys and their types, down to each finding. On failure records
 * what is wrong and where (e.g. "commits[1].checks[0]: 'analyzer' is
 * missing") and returns -1.
 */
int rep_model_check(const json_t *report);

#endif
