/* ccdiag.h: the dialects of the "file:line:col: severity: message" format
 * that gcc, clang, clang-tidy, sparse, kernel-doc and cppcheck share. */
#ifndef AN_CCDIAG_H
#define AN_CCDIAG_H

#include "analyzer.h"

/* Severity words that are not findings of their own. */
#define AN_SEV_NOTE (-1)	/* attached to the finding before it */
#define AN_SEV_SKIP (-2)	/* dropped (kernel-doc's "info") */

struct an_severity_word {
	const char *word;
	int severity;		/* enum finding_severity, or AN_SEV_* */
};

/*
 * What one tool does differently. words is terminated by a NULL word;
 * NULL means the compilers' (fatal error, error, warning, note, remark).
 * rule() names the rule of a message that carries no "[rule]" at its end;
 * NULL means the severity's name ("error", "warning"). no_file is a
 * location that stands for "no file" (cppcheck's "nofile").
 * indented_continuation: lines that repeat the location and then indent
 * the text (sparse's "expected ..."/"got ...") or just indent it, continue
 * the finding before them and go to its detail.
 */
struct an_ccdiag_dialect {
	const struct an_severity_word *words;
	int (*rule)(struct strbuf *rule, const struct finding *f);
	const char *no_file;
	bool indented_continuation;
};

int an_ccdiag_parse_dialect(struct finding_list *out, const char *text,
			    size_t len, const struct an_parse_opts *o,
			    const struct an_ccdiag_dialect *d);

#endif
