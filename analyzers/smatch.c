/* smatch.c: reads smatch's stdout ("file:line func() warn: message") into
 * findings. Never prints or exits.
 *
 * smatch is not packaged for Debian 12, so this parser is written from its
 * documented format (sm_printf() in smatch's smatch.h prints
 * "%s:%d %s() " before each message) and tested on hand-written samples
 * (tests/data/analyzers/smatch-handwritten.txt), not on recorded runs.
 */
#include "analyzer.h"
#include "output.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/*
 * 1 file, 2 line, 3 function ("(null)" at file scope), 4 kind, 5 message.
 * Not "info:" (it needs --info) nor "parse error:" (smatch giving up).
 */
static struct an_regex line_re =
	AN_REGEX("^([^\\s:][^:]*?):(\\d+)(?::\\d+)? (\\S*?)\\(\\) "
		 "(warn|error): (.*)$");

static pthread_once_t line_once = PTHREAD_ONCE_INIT;

static void compile_line(void)
{
	an_regex_compile(&line_re, 1);
}

static void add_finding(struct an_output *o)
{
	struct finding f = { 0 };
	size_t len;
	const char *kind = an_output_group(o, 4, &len);
	const char *fn;

	f.severity = kind[0] == 'e' ? FINDING_ERROR : FINDING_WARNING;
	f.rule = an_output_strdup(o, kind[0] == 'e' ? "smatch:error" :
				  "smatch:warn");
	f.file = an_output_group_path(o, 1);
	f.line = an_output_group_uint(o, 2);
	fn = an_output_group(o, 3, &len);
	if (len && !(len == 6 && !memcmp(fn, "(null)", 6)))
		f.function = an_output_group_dup(o, 3);
	f.message = an_output_group_dup(o, 5);
	if (!f.message)
		f.message = an_output_strdup(o, "");
	an_output_add(o, &f);
}

int an_smatch_parse(struct finding_list *out, const char *text, size_t len,
		    const struct an_parse_opts *opts)
{
	struct an_output o;

	pthread_once(&line_once, compile_line);
	if (an_output_init(&o, out, text, len, opts))
		return -1;
	while (an_output_next(&o))
		if (an_output_match(&o, &line_re))
			add_finding(&o);
	return an_output_finish(&o);
}
