/* finding.h: one diagnostic from one analyzer, and lists of them.
 * The currency between analyzers, the delta and the report model. */
#ifndef GATE_FINDING_H
#define GATE_FINDING_H

#include <stdbool.h>
#include <stddef.h>

enum finding_severity {
	FINDING_INFO = 0,
	FINDING_WARNING = 1,
	FINDING_ERROR = 2,
};

/*
 * Every string is owned by the finding and freed by finding_dispose().
 * file is relative to the repository top (NULL for a commit-level
 * finding such as a missing Signed-off-by); line and column are 1-based,
 * 0 when unknown. detail holds attached notes and include chains, shown
 * to people but never part of the identity.
 */
struct finding {
	char *analyzer;
	char *file;
	unsigned int line;
	unsigned int column;
	char *function;
	enum finding_severity severity;
	char *rule;
	char *message;
	char *detail;
	char fingerprint[17];
	bool waived;
};

struct finding_list {
	struct finding *v;
	size_t nr;
	size_t alloc;
};

#define FINDING_LIST_INIT { NULL, 0, 0 }

void finding_dispose(struct finding *f);
int finding_copy(struct finding *dst, const struct finding *src);

void finding_list_init(struct finding_list *l);
void finding_list_dispose(struct finding_list *l);
/* Takes over the contents of *f (which is left zeroed) on success. */
int finding_list_take(struct finding_list *l, struct finding *f);
int finding_list_append_copy(struct finding_list *l, const struct finding *f);

const char *finding_severity_name(enum finding_severity s);
int finding_severity_parse(const char *s, enum finding_severity *out);

/*
 * The JSON form of a finding, the one place that knows its keys: the
 * finding object of report-v1, keys in a fixed order, line and column
 * left out when 0, function and detail when empty, a missing message
 * written as "". FINDING_JSON_EXACT keeps an empty function or detail, so
 * that finding_from_json() gives back the finding as it was held: the
 * form the result cache stores. waived is in neither form.
 * finding_to_json() returns a new reference, NULL when out of memory.
 * finding_from_json() reads either form into f (which the caller disposes
 * of on success); on a value that is not a finding it records why and
 * returns -1 with f left empty.
 */
struct json_t;
#define FINDING_JSON_EXACT 0x1u
struct json_t *finding_to_json(const struct finding *f, unsigned int flags);
int finding_from_json(struct finding *f, const struct json_t *o);

/*
 * Normalises a message for identity: numbers that are not part of an
 * identifier (line references, counts, sizes, addresses) become '#', so a
 * finding keeps its identity when code moves. Appends to out.
 */
struct strbuf;
int finding_normalize_message(struct strbuf *out, const char *msg);

/*
 * Computes f->fingerprint from analyzer, rule, file (as_file when not
 * NULL, so a finding of a renamed file keeps its identity), enclosing
 * function and normalised message. Never from the line number.
 */
int finding_fingerprint(struct finding *f, const char *as_file);

#endif
