/* main.c: the mkt-gate entry point: global options and the command table.
 * Each command lives in the file of its noun; this file only dispatches. */
#include "builtin.h"
#include "error.h"
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
	const char *usage;
	const char *summary;
};

static const struct command commands[] = {
	{ "range", cmd_range, "mkt-gate range [<options>] <revs>",
	  "gate every commit of a range, e.g. origin/master..HEAD" },
	{ "commit", cmd_commit, "mkt-gate commit [<options>] [<rev>]",
	  "gate one commit (default: HEAD)" },
	{ "install", cmd_install, "mkt-gate install [--hooks=LIST] [--force]",
	  "install the git hooks in this repository" },
	{ "uninstall", cmd_uninstall, "mkt-gate uninstall",
	  "remove the hooks and restore what was there before" },
	{ "hook", cmd_hook, "mkt-gate hook <name> [<args>]",
	  "entry point of the installed hooks" },
	{ "status", cmd_status, "mkt-gate status [<rev>]",
	  "show background checks and their verdicts" },
	{ "doctor", cmd_doctor, "mkt-gate doctor",
	  "list analyzers and engines, found or not, and what to install" },
	{ "image", cmd_image, "mkt-gate image build|list",
	  "build or list the support container images" },
	{ "boot", cmd_boot, "mkt-gate boot [--target SECTION] [-- COMMAND...]",
	  "boot the built kernel in QEMU" },
	{ "report", cmd_report, "mkt-gate report --from FILE | merge FILE... -o FILE",
	  "render or merge saved JSON reports" },
	{ "gerrit", cmd_gerrit, "mkt-gate gerrit review|watch ...",
	  "vote on Gerrit changes" },
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
		fprintf(f, "    %-10s  %s%s\n", commands[i].name,
			commands[i].summary,
			commands[i].fn ? "" : " (not available yet)");
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

static int run_unavailable(const struct command *c, int argc,
			   const char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			printf("usage: %s\n\n%s\n\nnot available yet in this "
			       "version\n", c->usage, c->summary);
			return GATE_EXIT_OK;
		}
	}
	fprintf(stderr, "error: 'mkt-gate %s' is not available yet in "
		"version %s\n", c->name, MKT_GATE_VERSION);
	return GATE_EXIT_USAGE;
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
	if (!c->fn)
		return run_unavailable(c, argc - 1, argv + 1);
	gate_interrupt_install(proc_kill_all);
	return c->fn(argc - 1, argv + 1, &ctx);
}
