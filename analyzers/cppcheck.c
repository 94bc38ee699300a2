/* cppcheck.c: reads cppcheck's diagnostics, printed with AN_CPPCHECK_TEMPLATE
 * so that they take ccdiag's format, into findings. Never prints or exits. */
#include "ccdiag.h"

/* cppcheck's six severities, folded into ours; "debug" is for its authors. */
static const struct an_severity_word cppcheck_words[] = {
	{ "error", FINDING_ERROR },
	{ "warning", FINDING_WARNING },
	{ "style", FINDING_INFO },
	{ "performance", FINDING_INFO },
	{ "portability", FINDING_INFO },
	{ "information", FINDING_INFO },
	{ "debug", AN_SEV_SKIP },
	{ NULL, 0 },
};

static const struct an_ccdiag_dialect cppcheck = {
	.words = cppcheck_words,
	.no_file = "nofile",
};

int an_cppcheck_parse(struct finding_list *out, const char *text, size_t len,
		      const struct an_parse_opts *o)
{
	return an_ccdiag_parse_dialect(out, text, len, o, &cppcheck);
}
