/* options.c: the option parser of options.h.
 * Prints only through opt_usage() and opt_exit(), called by cmd_*(). */
#include "options.h"
#include "error.h"
#include "exit.h"

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

int opt_exit(int result, const char *const *usage, const struct option *opts)
{
	if (result == OPT_HELP) {
		opt_usage(stdout, usage, opts);
		return GATE_EXIT_OK;
	}
	fprintf(stderr, "error: %s\n", gate_error_last());
	opt_usage(stderr, usage, opts);
	return GATE_EXIT_USAGE;
}
