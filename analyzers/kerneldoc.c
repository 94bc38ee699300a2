/* kerneldoc.c: reads what `scripts/kernel-doc -none` prints to stderr
 * ("file:line: warning: msg") into findings of rule "kernel-doc". Never prints. */
#include "ccdiag.h"

static int kerneldoc_rule(struct strbuf *rule, const struct finding *f)
{
	return strbuf_addstr(rule, "kernel-doc");
}

/* -v adds "info: Scanning doc for ..." lines, which are progress, not findings. */
static const struct an_severity_word kerneldoc_words[] = {
	{ "error", FINDING_ERROR },
	{ "warning", FINDING_WARNING },
	{ "info", AN_SEV_SKIP },
	{ NULL, 0 },
};

static const struct an_ccdiag_dialect kerneldoc = {
	.words = kerneldoc_words,
	.rule = kerneldoc_rule,
};

int an_kerneldoc_parse(struct finding_list *out, const char *text, size_t len,
		       const struct an_parse_opts *o)
{
	return an_ccdiag_parse_dialect(out, text, len, o, &kerneldoc);
}
