/* checkpatch.c: reads what `checkpatch.pl --show-types --color=never` prints
 * (with or without --showfile) into findings. Never prints or exits. */
#include "analyzer.h"
#include "output.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

enum {
	RE_HEADER,
	RE_WHERE,
	RE_TOTAL,
};

static struct an_regex patterns[] = {
	/* 1 file and 2 line with --showfile, 3 level, 4 type, 5 message */
	[RE_HEADER] = AN_REGEX("^(?:([^\\s:][^:]*?)?:(\\d+): )?"
			       "(ERROR|WARNING|CHECK):([A-Z0-9_]+): (.*)$"),
	/* without --showfile: "#12: FILE: path:34:", or "#6: " in the log */
	[RE_WHERE] = AN_REGEX("^#\\d+: (?:FILE: (.+):(\\d+):)?\\s*$"),
	[RE_TOTAL] = AN_REGEX("^total: \\d+ errors, "),
};

static pthread_once_t patterns_once = PTHREAD_ONCE_INIT;

static void compile_patterns(void)
{
	an_regex_compile(patterns, AN_ARRAY_SIZE(patterns));
}

/*
 * Types about the commit as a whole. --showfile gives them the location of
 * the last file of the patch, which would be a lie.
 */
static const char *const commit_types[] = {
	"BAD_FIXES_TAG", "BAD_SIGN_OFF", "BAD_STABLE_ADDRESS_STYLE",
	"COMMIT_COMMENT_SYMBOL", "COMMIT_LOG_LONG_LINE", "COMMIT_MESSAGE",
	"DIFF_IN_COMMIT_MSG", "EMAIL_SUBJECT", "FILE_PATH_CHANGES",
	"FROM_SIGN_OFF_MISMATCH", "GERRIT_CHANGE_ID", "GIT_COMMIT_ID",
	"MISSING_SIGN_OFF", "NO_AUTHOR_SIGN_OFF", "UNKNOWN_COMMIT_ID",
};

static bool is_commit_type(const char *type)
{
	for (size_t i = 0; i < AN_ARRAY_SIZE(commit_types); i++)
		if (!strcmp(type, commit_types[i]))
			return true;
	return false;
}

static enum finding_severity level(struct an_output *o)
{
	size_t len;
	const char *s = an_output_group(o, 3, &len);

	if (s[0] == 'E')
		return FINDING_ERROR;
	return s[0] == 'W' ? FINDING_WARNING : FINDING_INFO;
}

static void add_finding(struct an_output *o)
{
	struct finding f = { 0 };

	f.severity = level(o);
	f.rule = an_output_group_dup(o, 4);
	f.message = an_output_group_dup(o, 5);
	if (f.rule && !is_commit_type(f.rule)) {
		f.file = an_output_group_path(o, 1);
		f.line = f.file ? an_output_group_uint(o, 2) : 0;
	}
	an_output_add(o, &f);
}

/* Without --showfile the location comes on the line after the header. */
static void set_where(struct an_output *o, struct finding *f)
{
	if (is_commit_type(f->rule))
		return;
	f->file = an_output_group_path(o, 1);
	f->line = f->file ? an_output_group_uint(o, 2) : 0;
}

int an_checkpatch_parse(struct finding_list *out, const char *text,
			size_t len, const struct an_parse_opts *opts)
{
	struct an_output o;
	struct finding *last = NULL;
	bool where_next = false;

	pthread_once(&patterns_once, compile_patterns);
	if (an_output_init(&o, out, text, len, opts))
		return -1;
	while (an_output_next(&o)) {
		if (an_output_match(&o, &patterns[RE_HEADER])) {
			add_finding(&o);
			last = an_output_last(&o);
			where_next = last && !last->file && last->rule;
		} else if (!o.line.len || an_output_match(&o, &patterns[RE_TOTAL])) {
			last = NULL;
			where_next = false;
		} else if (where_next && an_output_match(&o, &patterns[RE_WHERE])) {
			set_where(&o, last);
			where_next = false;
		} else if (last) {
			/* The quoted lines of the patch or the log. */
			an_output_add_detail(&o, last, o.line.buf, o.line.len);
			where_next = false;
		}
	}
	return an_output_finish(&o);
}
