/* options.h: table-driven command-line option parsing, in the manner of git.
 * The help text is generated from the table, so it cannot drift from the code. */
#ifndef GATE_OPTIONS_H
#define GATE_OPTIONS_H

#include <stdio.h>

struct strvec;

enum opt_type {
	OPT_T_END,
	OPT_T_BOOL,	/* int *: set to 1 (--no-NAME sets 0) */
	OPT_T_INT,	/* int *: a decimal number */
	OPT_T_STRING,	/* const char **: borrowed from argv */
	OPT_T_GROUP,	/* a heading in the help text */
};

struct option {
	enum opt_type type;
	int short_name;
	const char *long_name;
	void *value;
	const char *argh;
	const char *help;
};

#define OPT_BOOL(s, l, v, h) { OPT_T_BOOL, (s), (l), (v), NULL, (h) }
#define OPT_INT(s, l, v, a, h) { OPT_T_INT, (s), (l), (v), (a), (h) }
#define OPT_STRING(s, l, v, a, h) { OPT_T_STRING, (s), (l), (v), (a), (h) }
#define OPT_GROUP(h) { OPT_T_GROUP, 0, NULL, NULL, NULL, (h) }
#define OPT_END() { OPT_T_END, 0, NULL, NULL, NULL, NULL }

/* opt_parse() results below zero. */
#define OPT_HELP (-2)
#define OPT_ERROR (-1)

/*
 * Parses argv[1..argc-1] (argv[0] is the command name), stores option
 * values through the table, and moves the remaining arguments to the
 * front of argv. Returns their count, OPT_HELP for -h/--help, or
 * OPT_ERROR with the reason in gate_error_last(). "--" ends the options.
 * With stop_at_non_option the first argument that is not an option ends
 * the parsing (for commands that pass the rest on, like `boot -- cmd`).
 */
int opt_parse(int argc, const char **argv, const struct option *opts,
	      int stop_at_non_option);

/*
 * Prints the usage lines and the option table to f. usage is NULL-ended:
 * the usage lines, then optionally an empty string and lines of prose.
 */
void opt_usage(FILE *f, const char *const *usage, const struct option *opts);

/*
 * What a cmd_*() does with a negative opt_parse() result: on OPT_HELP the
 * help goes to stdout (in the style opt_help_style() set) and it returns
 * 0; on OPT_ERROR "error: ..." and the usage go to stderr and it returns
 * the usage exit code 2.
 */
int opt_exit(int result, const char *const *usage, const struct option *opts);

/*
 * The help of every command is written once, in its usage and table;
 * `mkt-gate help` renders it in other forms by running the command with
 * -h after choosing a style here. OPT_STYLE_MAN prints the SYNOPSIS,
 * DESCRIPTION and OPTIONS sections of a man page in roff; OPT_STYLE_WORDS
 * prints nothing and appends to words what a shell completes after the
 * command: its subcommands (the word after the command in each usage
 * line, split at '|'), then its long options ("--name=" when they take
 * a value) and --help. words is borrowed until the style is set again.
 */
enum opt_help_style {
	OPT_STYLE_TEXT,
	OPT_STYLE_MAN,
	OPT_STYLE_WORDS,
};

void opt_help_style(enum opt_help_style style, struct strvec *words);

/* Prints s as roff text: escapes '\' and '-', and a '.' or '\'' that starts a line. */
void opt_man_text(FILE *f, const char *s);

#endif
