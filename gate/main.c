/* main.c: mkt-gate-full's entry point: global options, the command table and
 * `help`, which renders each command's own help as text, man page or words. */
#include "analyzer.h"
#include "builtin.h"
#include "error.h"
#include "exit.h"
#include "interrupt.h"
#include "options.h"
#include "proc.h"
#include "setup.h"
#include "strvec.h"

#include <ctype.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct command {
	const char *name;
	int (*fn)(int argc, const char **argv, struct gate_ctx *ctx);
	const char *summary;
};

static int cmd_help(int argc, const char **argv, struct gate_ctx *ctx);

static const struct command commands[] = {
	{ "range", cmd_range, "gate every commit of a range (default: @{upstream}..HEAD)" },
	{ "commit", cmd_commit, "gate one commit (default: HEAD)" },
	{ "init", cmd_init, "write a commented .mkt-gate.conf for this tree" },
	{ "install", cmd_install, "install the git hooks in this repository" },
	{ "uninstall", cmd_uninstall, "remove the hooks and restore what was there before" },
	{ "hook", cmd_hook, "entry point of the installed hooks" },
	{ "status", cmd_status, "show background checks and their verdicts" },
	{ "doctor", cmd_doctor, "list analyzers and engines, found or not, and what to install" },
	{ "image", cmd_image, "build or list the support container images" },
	{ "boot", cmd_boot, "boot the built kernel in QEMU" },
	{ "report", cmd_report, "render or merge saved JSON reports" },
	{ "gerrit", cmd_gerrit, "vote on Gerrit changes" },
	{ "help", cmd_help, "show the help, manual page or completion words of a command" },
};

#define NR_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static const char *const main_usage[] = {
	"mkt-gate [--version] [--help] [-q | -v] <command> [<args>]",
	"",
	"Gates each commit of a patch series on its own: builds what it touches",
	"with compilers and static analyzers, compares with its parent and",
	"reports only what the commit introduced or fixed.",
	NULL,
};

#define NR_MAIN_OPTIONS 4

/* The global options, one table for main() and for help. */
static void main_options(struct option opts[NR_MAIN_OPTIONS], int *version,
			 struct gate_ctx *ctx)
{
	const struct option t[NR_MAIN_OPTIONS] = {
		OPT_BOOL(0, "version", version, "print the version and exit"),
		OPT_BOOL('q', "quiet", &ctx->quiet,
			 "say only verdicts and errors (as the command's own -q)"),
		OPT_BOOL('v', "verbose", &ctx->verbose,
			 "say more: progress and details (as the command's own -v)"),
		OPT_END(),
	};

	memcpy(opts, t, sizeof(t));
}

static const char exit_codes[] =
	"0 passed, 1 something new was found, 2 usage, configuration or "
	"input error, 3 a tool or engine could not run and nothing failed for "
	"certain (a certain failure is 1)";

static const char *const help_usage[] = {
	"mkt-gate help [--man] [<command>]",
	"mkt-gate help --words",
	"",
	"Prints the help of mkt-gate or of a command. --man prints it as the",
	"manual page (roff, what man(1) reads); --words prints, one line per",
	"command, the subcommands and options shell completion offers.",
	NULL,
};

static void print_help(FILE *f, const struct option *opts)
{
	opt_usage(f, main_usage, opts);
	fprintf(f, "\ncommands:\n");
	for (size_t i = 0; i < NR_COMMANDS; i++)
		fprintf(f, "    %-10s  %s\n", commands[i].name,
			commands[i].summary);
	fprintf(f, "\nexit codes: %s\n", exit_codes);
	fprintf(f, "'mkt-gate <command> --help' describes a command\n");
}

static const struct command *find_command(const char *name)
{
	for (size_t i = 0; i < NR_COMMANDS; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

/* Runs `mkt-gate c [sub] -h`: its help in the style options.h was set to. */
static int run_help(const struct command *c, const char *sub, struct gate_ctx *ctx)
{
	const char *argv[] = { c->name, sub ? sub : "-h", sub ? "-h" : NULL, NULL };

	return c->fn(sub ? 3 : 2, argv, ctx);
}

static void man_header(const char *page, const char *summary)
{
	printf(".TH \"");
	for (const char *p = page; *p; p++)
		putchar(toupper((unsigned char)*p));
	printf("\" 1 \"\" \"mkt-gate %s\" \"mkt-gate manual\"\n.nh\n.ad l\n.SH NAME\n", MKT_GATE_VERSION);
	opt_man_text(stdout, page);
	printf(" \\- ");
	opt_man_text(stdout, summary);
	putchar('\n');
}

/* mkt-gate(1): the global options, every command, configuration and exit codes. */
static int man_main(void)
{
	struct gate_ctx dummy = { 0 };
	struct option opts[NR_MAIN_OPTIONS];
	int version = 0;

	main_options(opts, &version, &dummy);

	man_header("mkt-gate", "gate each commit of a patch series with compilers and analyzers");
	opt_help_style(OPT_STYLE_MAN, NULL);
	opt_exit(OPT_HELP, main_usage, opts);
	printf(".SH COMMANDS\n");
	for (size_t i = 0; i < NR_COMMANDS; i++) {
		printf(".TP\n\\fB%s\\fR\n", commands[i].name);
		opt_man_text(stdout, commands[i].summary);
		printf("; see \\fBmkt-gate-%s\\fR(1)\n", commands[i].name);
	}
	printf(".SH CONFIGURATION\n");
	opt_man_text(stdout,
		     "Layers, lowest first: the built-in defaults, ~/.config/mkt-gate/config, "
		     ".mkt-gate.conf at the top of the repository (mkt-gate init writes one), "
		     "--config FILE, and the command line. Commented examples are in "
		     MKT_GATE_DATADIR "/configs.\n");
	printf(".SH EXIT STATUS\n");
	opt_man_text(stdout, exit_codes);
	printf(".\n.SH SEE ALSO\n");
	for (size_t i = 0; i < NR_COMMANDS; i++)
		printf("\\fBmkt-gate-%s\\fR(1), ", commands[i].name);
	printf("\\fBgit\\fR(1)\n");
	return GATE_EXIT_OK;
}

static int man_command(const struct command *c, struct gate_ctx *ctx)
{
	char page[64];
	int ret;

	snprintf(page, sizeof(page), "mkt-gate-%s", c->name);
	man_header(page, c->summary);
	opt_help_style(OPT_STYLE_MAN, NULL);
	ret = run_help(c, NULL, ctx);
	printf(".SH SEE ALSO\n\\fBmkt-gate\\fR(1) for the configuration files and the exit codes\n");
	return ret;
}

/* Prints "KEY word...": the words of v, or only its options. */
static void print_words(const char *key, const struct strvec *v, bool only_options)
{
	printf("%s", key);
	for (size_t i = 0; i < v->nr; i++)
		if (!only_options || v->v[i][0] == '-')
			printf(" %s", v->v[i]);
	putchar('\n');
}

static int words_of(const struct command *c, const char *sub, struct strvec *out,
		    struct gate_ctx *ctx)
{
	opt_help_style(OPT_STYLE_WORDS, out);
	return run_help(c, sub, ctx);
}

/* A subcommand gets a line of its own when its options differ (report merge). */
static int print_command_words(const struct command *c, struct gate_ctx *ctx)
{
	struct strvec w = STRVEC_INIT, sw = STRVEC_INIT;
	char key[64];
	int ret = words_of(c, NULL, &w, ctx);

	if (!ret)
		print_words(c->name, &w, false);
	for (size_t i = 0; !ret && i < w.nr && w.v[i][0] != '-'; i++) {
		strvec_dispose(&sw);
		ret = words_of(c, w.v[i], &sw, ctx);
		snprintf(key, sizeof(key), "%s.%s", c->name, w.v[i]);
		if (!ret && !strvec_equal(&sw, &w))
			print_words(key, &sw, true);
	}
	strvec_dispose(&sw);
	strvec_dispose(&w);
	return ret;
}

static int print_all_words(struct gate_ctx *ctx, const struct option *main_opts)
{
	struct strvec w = STRVEC_INIT;
	size_t n;
	const struct an_desc *an = an_all(&n);
	int ret;

	printf(":commands");
	for (size_t i = 0; i < NR_COMMANDS; i++)
		printf(" %s", commands[i].name);
	printf("\n:analyzers");
	for (size_t i = 0; i < n; i++)
		printf(" %s", an[i].name);
	opt_help_style(OPT_STYLE_WORDS, &w);
	ret = opt_exit(OPT_HELP, main_usage, main_opts);
	print_words("\n:options", &w, true);
	strvec_dispose(&w);
	for (size_t i = 0; !ret && i < NR_COMMANDS; i++)
		ret = print_command_words(&commands[i], ctx);
	opt_help_style(OPT_STYLE_TEXT, NULL);
	return ret;
}

static int cmd_help(int argc, const char **argv, struct gate_ctx *ctx)
{
	int man = 0, words = 0, version = 0;
	const struct option opts[] = {
		OPT_BOOL(0, "man", &man, "print the manual page (roff) instead"),
		OPT_BOOL(0, "words", &words, "print what shell completion offers"),
		OPT_END(),
	};
	struct option main_opts[NR_MAIN_OPTIONS];
	const struct command *c = NULL;
	int n = setup_parse(argc, argv, opts, 0, ctx);

	main_options(main_opts, &version, ctx);
	if (n < 0)
		return opt_exit(n, help_usage, opts);
	if (n > 1 || (n && words) || (man && words)) {
		gate_error(man && words ? "give --man or --words, not both" : "too many arguments");
		return opt_exit(OPT_ERROR, help_usage, opts);
	}
	if (n)
		c = find_command(argv[0]);
	if (n && !c) {
		gate_error("'%s' is not a mkt-gate command", argv[0]);
		return opt_exit(OPT_ERROR, help_usage, opts);
	}
	if (words)
		return print_all_words(ctx, main_opts);
	if (man)
		return c ? man_command(c, ctx) : man_main();
	if (c)
		return run_help(c, NULL, ctx);
	print_help(stdout, main_opts);
	return GATE_EXIT_OK;
}

/* The front end's path when it started us: what hooks must record. */
static const char *self_path(const char *argv0)
{
	static char buf[PATH_MAX];
	const char *front = getenv(GATE_ENV_SELF);
	ssize_t n;

	if (front && *front == '/' && strlen(front) < sizeof(buf)) {
		strcpy(buf, front);
		unsetenv(GATE_ENV_SELF);
		return buf;
	}
	n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);

	if (n <= 0)
		return argv0;
	buf[n] = '\0';
	return buf;
}

/* The global options come before the command: argv[0] is then its name. */
int main(int argc, const char **argv)
{
	struct gate_ctx ctx = { .self = self_path(argv[0]) };
	struct option opts[NR_MAIN_OPTIONS];
	const struct command *c;
	int version = 0, n;

	main_options(opts, &version, &ctx);
	n = setup_parse(argc, argv, opts, 1, &ctx);
	if (n == OPT_HELP) {
		print_help(stdout, opts);
		return GATE_EXIT_OK;
	}
	if (n >= 0 && (version || (n > 0 && !strcmp(argv[0], "version")))) {
		printf("mkt-gate %s\n", MKT_GATE_VERSION);
		return GATE_EXIT_OK;
	}
	if (n < 0)
		fprintf(stderr, "error: %s\n", gate_error_last());
	c = n > 0 ? find_command(argv[0]) : NULL;
	if (n > 0 && !c)
		fprintf(stderr, "error: '%s' is not a mkt-gate command\n", argv[0]);
	if (!c) {
		print_help(stderr, opts);
		return GATE_EXIT_USAGE;
	}
	gate_interrupt_install(proc_kill_all);
	return c->fn(n, argv, &ctx);
}
