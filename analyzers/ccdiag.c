/* ccdiag.c: reads compiler-style diagnostics (gcc, clang, clang-tidy and,
 * through dialects, sparse, kernel-doc, cppcheck) into findings. Never prints. */
#include "ccdiag.h"
#include "output.h"
#include "error.h"

#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

enum {
	RE_DIAG,
	RE_CONTEXT,
	RE_TOPLEVEL,
	RE_CHAIN,
	RE_CONT,
};

static struct an_regex patterns[] = {
	/* 1 location, 2 line, 3 column, 4 severity, 5 message */
	[RE_DIAG] = AN_REGEX("^([^\\s:][^:]*?)(?::(\\d+)(?::(\\d+))?)?: "
			     "([a-z]+(?: error)?): (.*)$"),
	/* 1 file, 2 function */
	[RE_CONTEXT] = AN_REGEX("^([^\\s:][^:]*?): In (?:static |member )?"
				"function '(.*)':$"),
	[RE_TOPLEVEL] = AN_REGEX("^([^\\s:][^:]*?): At (?:top level|global scope):$"),
	[RE_CHAIN] = AN_REGEX("^(?:In file included from |In function '.*',$|"
			      "\\s+from |\\s+inlined from )"),
	/* 1 the text that continues the finding */
	[RE_CONT] = AN_REGEX("^(?:[^\\s:][^:]*?:\\d+(?::\\d+)?:\\s{2,}|\\s+)(\\S.*)$"),
};

static pthread_once_t patterns_once = PTHREAD_ONCE_INIT;

static void compile_patterns(void)
{
	an_regex_compile(patterns, AN_ARRAY_SIZE(patterns));
}

static const struct an_severity_word compiler_words[] = {
	{ "fatal error", FINDING_ERROR },
	{ "error", FINDING_ERROR },
	{ "warning", FINDING_WARNING },
	{ "remark", FINDING_INFO },
	{ "note", AN_SEV_NOTE },
	{ NULL, 0 },
};

struct ccdiag {
	struct an_output o;
	const struct an_ccdiag_dialect *d;
	char *ctx_file;		/* file of the last "In function" line */
	struct strbuf function;	/* its function; empty at top level */
	struct strbuf chain;	/* "In file included from" lines not yet used */
	char *chain_file;	/* the file the chain leads to, once seen */
	bool continuing;	/* the last line belonged to a finding */
};

/* Whether the severity word of the current line is one the tool uses. */
static bool severity_of(struct ccdiag *c, int *sev)
{
	const struct an_severity_word *w = c->d->words ? c->d->words : compiler_words;
	size_t len;
	const char *s = an_output_group(&c->o, 4, &len);

	for (; w->word; w++) {
		if (strlen(w->word) == len && !memcmp(w->word, s, len)) {
			*sev = w->severity;
			return true;
		}
	}
	return false;
}

/*
 * The "[-Wflag]" at the end of a message, if any: *rule_len is 0 when the
 * message carries none.
 */
static size_t split_rule(const char *msg, size_t len, const char **rule,
			 size_t *rule_len)
{
	const char *open;

	*rule_len = 0;
	if (len < 4 || msg[len - 1] != ']')
		return len;
	open = memrchr(msg, '[', len);
	if (!open || open == msg || open[-1] != ' ' ||
	    !(open[1] == '-' || isalpha((unsigned char)open[1])))
		return len;
	for (const char *p = open + 1; p < msg + len - 1; p++)
		if (!isalnum((unsigned char)*p) && !strchr("_.=+,-", *p))
			return len;
	*rule = open + 1;
	*rule_len = msg + len - 1 - *rule;
	while (open > msg && open[-1] == ' ')
		open--;
	return open - msg;
}

/*
 * The rule of "[-Werror,-Wfoo]" (clang), "[-Werror=foo]" (gcc) or
 * "[check,-warnings-as-errors]" (clang-tidy) is the check itself, so that a
 * finding keeps its identity whether or not warnings were made errors.
 */
static int normalize_rule(struct strbuf *sb, const char *rule, size_t len)
{
	const char *end = rule + len;

	while (rule < end) {
		const char *comma = memchr(rule, ',', end - rule);
		size_t n = (comma ? comma : end) - rule;

		if (n > 8 && !memcmp(rule, "-Werror=", 8)) {
			if (strbuf_addstr(sb, "-W"))
				return -1;
			rule += 8;
			n -= 8;
		} else if ((n == 7 && !memcmp(rule, "-Werror", 7)) ||
			   (n == 19 && !memcmp(rule, "-warnings-as-errors", 19)) || !n) {
			rule += n + (comma != NULL);
			continue;
		}
		/* gcc writes "-Wformat=" for the option that takes a level. */
		return strbuf_add(sb, rule, n - (n > 1 && rule[n - 1] == '='));
	}
	return 0;
}

static int set_message_and_rule(struct ccdiag *c, struct finding *f)
{
	struct strbuf rule = STRBUF_INIT;
	size_t len, rule_len = 0, msg_len;
	const char *msg = an_output_group(&c->o, 5, &len), *r = NULL;
	int ret = -1;

	msg_len = c->d->rule ? len : split_rule(msg, len, &r, &rule_len);
	f->message = strndup(msg, msg_len);
	if (!f->message)
		goto out;
	if (c->d->rule)
		ret = c->d->rule(&rule, f);
	else if (rule_len)
		ret = normalize_rule(&rule, r, rule_len);
	else
		ret = strbuf_addstr(&rule, finding_severity_name(f->severity));
	if (!ret && !rule.len)
		ret = strbuf_addstr(&rule, finding_severity_name(f->severity));
	if (!ret)
		f->rule = strbuf_detach(&rule, NULL);
out:
	strbuf_dispose(&rule);
	if (ret)
		c->o.err = gate_error("out of memory");
	return ret;
}

/* A location without a line that is no file: "cc1", "<command-line>". */
static bool is_program(struct ccdiag *c)
{
	size_t len, line_len;
	const char *loc = an_output_group(&c->o, 1, &len);

	if (c->d->no_file && strlen(c->d->no_file) == len &&
	    !memcmp(loc, c->d->no_file, len))
		return true;
	return !an_output_group(&c->o, 2, &line_len) &&
		!memchr(loc, '/', len) && !memchr(loc, '.', len);
}

static bool same_file(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}

/*
 * The chain of includes leading to a header belongs to every finding in
 * that header until the compiler moves on to another file. "In function"
 * holds for the compiler's findings only, which have a column: kbuild's
 * W=1 runs kernel-doc right after gcc, and its "file:line: warning:" lines
 * would otherwise take the function of gcc's last finding.
 */
static void attach_context(struct ccdiag *c, struct finding *f)
{
	if (c->function.len && f->column && same_file(f->file, c->ctx_file))
		f->function = an_output_strdup(&c->o, c->function.buf);
	if (!c->chain.len)
		return;
	if (!c->chain_file && f->file)
		c->chain_file = an_output_strdup(&c->o, f->file);
	if (same_file(f->file, c->chain_file)) {
		an_output_add_detail(&c->o, f, c->chain.buf, c->chain.len);
	} else {
		strbuf_reset(&c->chain);
		free(c->chain_file);
		c->chain_file = NULL;
	}
}

static void add_chain_line(struct ccdiag *c, bool first)
{
	if (first) {
		strbuf_reset(&c->chain);
		free(c->chain_file);
		c->chain_file = NULL;
	} else if (c->chain.len && strbuf_addch(&c->chain, '\n')) {
		c->o.err = -1;
	}
	if (c->chain.len + c->o.line.len < AN_OUTPUT_MAX_DETAIL &&
	    strbuf_add(&c->chain, c->o.line.buf, c->o.line.len))
		c->o.err = -1;
}

static void add_note(struct ccdiag *c)
{
	struct finding *last = an_output_last(&c->o);
	size_t len, line_len;
	const char *msg = an_output_group(&c->o, 5, &len);

	/* sparse: "file.c: note: in included file:" opens a chain. */
	if (!an_output_group(&c->o, 2, &line_len) &&
	    len >= 16 && !memcmp(msg, "in included file", 16)) {
		add_chain_line(c, true);
		return;
	}
	if (last && c->continuing)
		an_output_add_detail(&c->o, last, c->o.line.buf, c->o.line.len);
}

/* Adds group n of the line to the detail of the last finding. */
static void add_continuation(struct ccdiag *c, int n)
{
	struct finding *last = an_output_last(&c->o);
	size_t len;
	const char *s = an_output_group(&c->o, n, &len);

	if (last && s)
		an_output_add_detail(&c->o, last, s, len);
}

/* sparse says "error: Expected ; ..." then, same place, "error: got }". */
static bool continues_last(struct ccdiag *c)
{
	struct finding *last = an_output_last(&c->o);
	size_t len;
	const char *msg = an_output_group(&c->o, 5, &len);

	return c->d->indented_continuation && c->continuing && last &&
		len > 4 && !memcmp(msg, "got ", 4) &&
		last->line == an_output_group_uint(&c->o, 2);
}

static void add_finding(struct ccdiag *c, int severity)
{
	struct an_output *o = &c->o;
	struct finding f = { 0 };

	if (continues_last(c)) {
		add_continuation(c, 5);
		return;
	}
	f.severity = severity;
	if (!is_program(c))
		f.file = an_output_group_path(o, 1);
	f.line = an_output_group_uint(o, 2);
	f.column = an_output_group_uint(o, 3);
	if (set_message_and_rule(c, &f)) {
		finding_dispose(&f);
		return;
	}
	attach_context(c, &f);
	an_output_add(o, &f);
}

static void set_context(struct ccdiag *c, bool in_function)
{
	free(c->ctx_file);
	c->ctx_file = an_output_group_path(&c->o, 1);
	strbuf_reset(&c->function);
	if (in_function)
		an_output_group_add(&c->o, 2, &c->function);
}


static void parse_line(struct ccdiag *c)
{
	struct an_output *o = &c->o;
	int sev;

	/* Source echo and caret lines match nothing and change nothing. */
	if (an_output_match(o, &patterns[RE_DIAG]) && severity_of(c, &sev)) {
		if (sev == AN_SEV_NOTE)
			add_note(c);
		else if (sev >= 0)
			add_finding(c, sev);
		c->continuing = sev != AN_SEV_SKIP;
	} else if (an_output_match(o, &patterns[RE_CONTEXT])) {
		set_context(c, true);
		c->continuing = false;
	} else if (an_output_match(o, &patterns[RE_TOPLEVEL])) {
		set_context(c, false);
		c->continuing = false;
	} else if (an_output_match(o, &patterns[RE_CHAIN])) {
		add_chain_line(c, o->line.buf[0] == 'I');
		c->continuing = false;
	} else if (c->d->indented_continuation && c->continuing &&
		   an_output_match(o, &patterns[RE_CONT])) {
		add_continuation(c, 1);
	}
}

int an_ccdiag_parse_dialect(struct finding_list *out, const char *text,
			    size_t len, const struct an_parse_opts *o,
			    const struct an_ccdiag_dialect *d)
{
	struct ccdiag c = { .d = d };
	int ret;

	pthread_once(&patterns_once, compile_patterns);
	if (an_output_init(&c.o, out, text, len, o))
		return -1;
	strbuf_init(&c.function, 64);
	strbuf_init(&c.chain, 256);
	while (an_output_next(&c.o))
		parse_line(&c);
	ret = an_output_finish(&c.o);
	strbuf_dispose(&c.chain);
	strbuf_dispose(&c.function);
	free(c.chain_file);
	free(c.ctx_file);
	return ret;
}

static const struct an_ccdiag_dialect compilers = { NULL, NULL, NULL, false };

int an_ccdiag_parse(struct finding_list *out, const char *text, size_t len,
		    const struct an_parse_opts *o)
{
	return an_ccdiag_parse_dialect(out, text, len, o, &compilers);
}
