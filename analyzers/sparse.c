/* sparse.c: reads sparse's output, which is ccdiag's format without flags,
 * naming each finding's rule from its message. Never prints or exits. */
#include "ccdiag.h"
#include "output.h"

#include <pthread.h>

/* First match wins: "incorrect type ... (different address spaces)" is a type. */
static struct an_regex kinds[] = {
	AN_REGEX("^incorrect type in "),
	AN_REGEX("dereference of noderef expression"),
	AN_REGEX("address space"),
	AN_REGEX("^context imbalance|^context problem"),
	AN_REGEX("^symbol '.*' was not declared"),
	AN_REGEX("^restricted |^cast (?:to|from) restricted|degrades to integer"),
	AN_REGEX("^Using plain integer as NULL pointer"),
	AN_REGEX("^(?:dubious|shift too big|constant .* is so big)"),
};

static const char *const kind_names[] = {
	"sparse:incorrect-type",
	"sparse:noderef",
	"sparse:address-space",
	"sparse:context-imbalance",
	"sparse:decl",
	"sparse:bitwise",
	"sparse:null",
	"sparse:arith",
};

static pthread_once_t kinds_once = PTHREAD_ONCE_INIT;

static void compile_kinds(void)
{
	an_regex_compile(kinds, AN_ARRAY_SIZE(kinds));
}

static int sparse_rule(struct strbuf *rule, const struct finding *f)
{
	pcre2_match_data *md = pcre2_match_data_create(1, NULL);
	const char *name = f->severity == FINDING_ERROR ? "sparse:error" :
		"sparse:other";

	if (!md)
		return -1;
	for (size_t i = 0; i < AN_ARRAY_SIZE(kinds); i++) {
		if (kinds[i].code &&
		    pcre2_match(kinds[i].code, (PCRE2_SPTR)f->message,
				PCRE2_ZERO_TERMINATED, 0, 0, md, NULL) >= 0) {
			name = kind_names[i];
			break;
		}
	}
	pcre2_match_data_free(md);
	return strbuf_addstr(rule, name);
}

static const struct an_ccdiag_dialect sparse = {
	.rule = sparse_rule,
	.indented_continuation = true,
};

int an_sparse_parse(struct finding_list *out, const char *text, size_t len,
		    const struct an_parse_opts *o)
{
	pthread_once(&kinds_once, compile_kinds);
	return an_ccdiag_parse_dialect(out, text, len, o, &sparse);
}
