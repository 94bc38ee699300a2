/* options.c: the option parser of options.h.
 * Prints only through opt_usage() and opt_exit(), called by cmd_*(). */
#include "options.h"
#include "error.h"
#include "exit.h"
#include "strvec.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

static int set_int(const struct option *o, const char *arg, const char *name)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno || end == arg || *end || v < INT_MIN || v > INT_MAX)
		return gate_error("option '%s' expects a number, not '%s'",
				  name, arg);
	*(int *)o->value = (int)v;
	return 0;
}

static int store(const struct option *o, const char *arg, const char *name)
{
	switch (o->type) {
	case OPT_T_INT:
		return set_int(o, arg, name);
	case OPT_T_STRING:
		*(const char **)o->value = arg;
		return 0;
	default:
		GATE_BUG("store() on an option without a value");
	}
}

static const struct option *find_long(const struct option *opts,
				      const char *name, size_t len, int *neg)
{
	*neg = 0;
	for (; opts->type != OPT_T_END; opts++) {
		if (!opts->long_name)
			continue;
		if (strlen(opts->long_name) == len &&
		    !strncmp(opts->long_name, name, len))
			return opts;
		if (opts->type == OPT_T_BOOL && len > 3 &&
		    !strncmp(name, "no-", 3) &&
		    strlen(opts->long_name) == len - 3 &&
		    !strncmp(opts->long_name, name + 3, len - 3)) {
			*neg = 1;
			return opts;
		}
	}
	return NULL;
}

static int parse_long(const char **argv, int *i, const struct option *opts)
{
	const char *name = argv[*i] + 2;
	const char *eq = strchr(name, '=');
	size_t len = eq ? (size_t)(eq - name) : strlen(name);
	const struct option *o;
	int neg;

	o = find_long(opts, name, len, &neg);
	if (!o)
		return gate_error("unknown option '--%.*s'", (int)len, name);
	if (o->type == OPT_T_BOOL) {
		if (eq)
			return gate_error("option '--%s' takes no value",
					  o->long_name);
		*(int *)o->value = !neg;
		return 0;
	}
	if (eq)
		return store(o, eq + 1, argv[*i]);
	if (!argv[*i + 1])
		return gate_error("option '--%s' requires a value", o->long_name);
	(*i)++;
	return store(o, argv[*i], argv[*i - 1]);
}

static int parse_short(const char **argv, int *i, const struct option *opts)
{
	const char *p = argv[*i] + 1;

	for (; *p; p++) {
		const struct option *o = opts;

		while (o->type != OPT_T_END &&
		       (o->type == OPT_T_GROUP || o->short_name != *p))
			o++;
		if (o->type == OPT_T_END)
			return gate_error("unknown switch '%c'", *p);
		if (o->type == OPT_T_BOOL) {
			*(int *)o->value = 1;
			continue;
		}
		if (p[1])
			return store(o, p + 1, argv[*i]);
		if (!argv[*i + 1])
			return gate_error("switch '%c' requires a value", *p);
		(*i)++;
		return store(o, argv[*i], argv[*i - 1]);
	}
	return 0;
}

int opt_parse(int argc, const char **argv, const struct option *opts,
	      int stop_at_non_option)
{
	int i, out = 0;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "-h") || !strcmp(a, "--help"))
			return OPT_HELP;
		if (!strcmp(a, "--")) {
			i++;
			break;
		}
		if (a[0] != '-' || !a[1]) {
			if (stop_at_non_option)
				break;
			argv[out++] = a;
			continue;
		}
		if ((a[1] == '-' ? parse_long(argv, &i, opts) :
				   parse_short(argv, &i, opts)))
			return OPT_ERROR;
	}
	while (i < argc)
		argv[out++] = argv[i++];
	argv[out] = NULL;
	return out;
}

static void usage_line(FILE *f, const struct option *o)
{
	char head[64];
	int n = 0;

	if (o->short_name)
		n = snprintf(head, sizeof(head), "-%c%s", o->short_name,
			     o->long_name ? ", " : "");
	else
		n = snprintf(head, sizeof(head), "    ");
	if (o->long_name)
		n += snprintf(head + n, sizeof(head) - (size_t)n, "--%s",
			      o->long_name);
	if (o->argh)
		snprintf(head + n, sizeof(head) - (size_t)n, "%s<%s>",
			 o->long_name ? "=" : " ", o->argh);
	if (strlen(head) > 24)
		fprintf(f, "    %s\n%30s%s\n", head, "", o->help);
	else
		fprintf(f, "    %-24s  %s\n", head, o->help);
}

void opt_usage(FILE *f, const char *const *usage, const struct option *opts)
{
	fprintf(f, "usage: %s\n", usage[0]);
	for (usage++; *usage && **usage; usage++)
		fprintf(f, "   or: %s\n", *usage);
	/* After an empty line, prose: indented, never another "or:". */
	for (; *usage; usage++)
		fprintf(f, "%s%s\n", **usage ? "    " : "", *usage);
	fputc('\n', f);
	for (; opts->type != OPT_T_END; opts++) {
		if (opts->type == OPT_T_GROUP)
			fprintf(f, "\n%s\n", opts->help);
		else
			usage_line(f, opts);
	}
}

static enum opt_help_style help_style;
static struct strvec *help_words;

void opt_help_style(enum opt_help_style style, struct strvec *words)
{
	help_style = style;
	help_words = words;
}

void opt_man_text(FILE *f, const char *s)
{
	int bol = 1;

	for (; *s; s++) {
		if (bol && (*s == '.' || *s == '\''))
			fputs("\\&", f);
		if (bol && *s == '\n')
			fputs(".PP", f);
		if (*s == '\\')
			fputs("\\e", f);
		else if (*s == '-')
			fputs("\\-", f);
		else
			fputc(*s, f);
		bol = *s == '\n';
	}
}

static void man_option(FILE *f, const struct option *o)
{
	fputs(".TP\n", f);
	if (o->short_name)
		fprintf(f, "\\fB\\-%c\\fR%s", o->short_name, o->long_name ? ", " : "");
	if (o->long_name) {
		fputs("\\fB\\-\\-", f);
		opt_man_text(f, o->long_name);
		fputs("\\fR", f);
	}
	if (o->argh) {
		fputs(o->long_name ? "=\\fI" : " \\fI", f);
		opt_man_text(f, o->argh);
		fputs("\\fR", f);
	}
	fputc('\n', f);
	opt_man_text(f, o->help);
	fputc('\n', f);
}

/* Prose: one paragraph per run of lines, an empty line between them. */
static void man_prose(FILE *f, const char *const *lines)
{
	fputs(".PP\n", f);
	for (; *lines; lines++) {
		if (**lines)
			opt_man_text(f, *lines);
		else
			fputs(".PP", f);
		fputc('\n', f);
	}
}

/* A one-line group is a heading; a longer one is prose (boot's notes). */
static void man_group(FILE *f, const char *text)
{
	int heading = !strchr(text, '\n');

	fputs(heading ? ".SS \"" : ".PP\n", f);
	opt_man_text(f, text);
	fputs(heading ? "\"\n" : "\n", f);
}

static void man_usage(FILE *f, const char *const *usage, const struct option *opts)
{
	fputs(".SH SYNOPSIS\n.nf\n", f);
	for (; *usage && **usage; usage++) {
		opt_man_text(f, *usage);
		fputc('\n', f);
	}
	fputs(".fi\n", f);
	if (*usage && usage[1]) {
		fputs(".SH DESCRIPTION\n", f);
		man_prose(f, usage + 1);
	}
	if (opts->type != OPT_T_END)
		fputs(".SH OPTIONS\n", f);
	for (; opts->type != OPT_T_END; opts++) {
		if (opts->type == OPT_T_GROUP)
			man_group(f, opts->help);
		else
			man_option(f, opts);
	}
}

/* "mkt-gate CMD SUB|SUB2 ...": each SUB, when it is a word and not <arg> or [opt]. */
static int usage_subcommands(struct strvec *out, const char *line)
{
	struct strvec w = STRVEC_INIT;
	int ret = strvec_split(&w, line);

	if (!ret && w.nr > 2 && isalpha((unsigned char)w.v[2][0])) {
		for (const char *p = w.v[2]; !ret && *p; p += *p == '|') {
			size_t n = strcspn(p, "|");

			ret = strvec_pushf(out, "%.*s", (int)n, p);
			p += n;
		}
	}
	strvec_dispose(&w);
	return ret;
}

static int collect_words(struct strvec *out, const char *const *usage,
			 const struct option *opts)
{
	for (; *usage && **usage; usage++)
		if (usage_subcommands(out, *usage))
			return -1;
	for (; opts->type != OPT_T_END; opts++)
		if (opts->long_name &&
		    strvec_pushf(out, "--%s%s", opts->long_name, opts->argh ? "=" : ""))
			return -1;
	/* opt_parse() takes it in every table */
	return strvec_push(out, "--help");
}

static int print_help(const char *const *usage, const struct option *opts)
{
	switch (help_style) {
	case OPT_STYLE_MAN:
		man_usage(stdout, usage, opts);
		break;
	case OPT_STYLE_WORDS:
		if (collect_words(help_words, usage, opts)) {
			fprintf(stderr, "fatal: out of memory\n");
			return GATE_EXIT_INFRA;
		}
		break;
	default:
		opt_usage(stdout, usage, opts);
	}
	return GATE_EXIT_OK;
}

int opt_exit(int result, const char *const *usage, const struct option *opts)
{
	if (result == OPT_HELP)
		return print_help(usage, opts);
	fprintf(stderr, "error: %s\n", gate_error_last());
	opt_usage(stderr, usage, opts);
	return GATE_EXIT_USAGE;
}
