/* main.c: the mkt-gate entry point: global options and the command table.
 * Each command lives in the file of its noun; this file only dispatches. */
#include "builtin.h"
#include "error.h"
#include "exit.h"
#include "interrupt.h"
#include "options.h"
#include "proc.h"
#include "setup.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct command {
	const char *name;
	int (*fn)(int argc, const char **argv, struct gate_ctx *ctx);
	const char *summary;
};

static const struct command commands[] = {
	{ "range", cmd_range, "gate every commit of a range, e.g. origin/master..HEAD" },
	{ "commit", cmd_commit, "gate one commit (default: HEAD)" },
	{ "install", cmd_install, "install the git hooks in this repository" },
	{ "uninstall", cmd_uninstall, "remove the hooks and restore what was there before" },
	{ "hook", cmd_hook, "entry point of the installed hooks" },
	{ "status", cmd_status, "show background checks and their verdicts" },
	{ "doctor", cmd_doctor, "list analyzers and engines, found or not, and what to install" },
	{ "image", cmd_image, "build or list the support container images" },
	{ "boot", cmd_boot, "boot the built kernel in QEMU" },
	{ "report", cmd_report, "render or merge saved JSON reports" },
	{ "gerrit", cmd_gerrit, "vote on Gerrit changes" },
};

static const char *const main_usage[] = {
	"mkt-gate [--version] [--help] [-q | -v] <command> [<args>]",
	NULL,
};

static void print_help(FILE *f, const struct option *opts)
{
	opt_usage(f, main_usage, opts);
	fprintf(f, "\ncommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "    %-10s  %s\n", commands[i].name,
			commands[i].summary);
	fprintf(f, "\nexit codes: 0 passed, 1 something new was found, "
		"2 usage, configuration or input error, 3 a tool or engine "
		"could not run\n");
	fprintf(f, "'mkt-gate <command> --help' describes a command\n");
}

static const struct command *find_command(const char *name)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

static const char *self_path(const char *argv0)
{
	static char buf[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);

	if (n <= 0)
		return argv0;
	buf[n] = '\0';
	return buf;
}

/* The global options come before the command: argv[0] is then its name. */
int main(int argc, const char **argv)
{
	struct gate_ctx ctx = { .self = self_path(argv[0]) };
	int version = 0, n;
	const struct option opts[] = {
		OPT_BOOL(0, "version", &version, "print the version and exit"),
		OPT_BOOL('q', "quiet", &ctx.quiet,
			 "say only verdicts and errors (as the command's own -q)"),
		OPT_BOOL('v', "verbose", &ctx.verbose,
			 "say more: progress and details (as the command's own -v)"),
		OPT_END(),
	};
	const struct command *c;

	n = setup_parse(argc, argv, opts, 1, &ctx);
	if (n == OPT_HELP || (n > 0 && !strcmp(argv[0], "help"))) {
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
