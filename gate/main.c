/* main.c: the mkt-gate entry point: global options and the command table.
 * Each command lives in the file of its noun; this file only dispatches. */
#include "builtin.h"
#include "exit.h"
#include "interrupt.h"
#include "options.h"
#include "proc.h"

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
	"mkt-gate [--version] [--help] <command> [<args>]",
	NULL,
};

static void print_help(FILE *f)
{
	opt_usage(f, main_usage, (const struct option[]){ OPT_END() });
	fprintf(f, "commands:\n");
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

int main(int argc, const char **argv)
{
	struct gate_ctx ctx = { .self = self_path(argv[0]) };
	const struct command *c;

	if (argc < 2) {
		print_help(stderr);
		return GATE_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
		printf("mkt-gate %s\n", MKT_GATE_VERSION);
		return GATE_EXIT_OK;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "help")) {
		print_help(stdout);
		return GATE_EXIT_OK;
	}
	c = find_command(argv[1]);
	if (!c) {
		fprintf(stderr, "error: '%s' is not a mkt-gate command\n",
			argv[1]);
		print_help(stderr);
		return GATE_EXIT_USAGE;
	}
	gate_interrupt_install(proc_stop_all);
	return c->fn(argc - 1, argv + 1, &ctx);
}
