/* cmd_hook.c: the install, uninstall, hook and status commands.
 * Placeholder until the hooks issue lands: says so and exits 2. */
#include "commands.h"
#include "exit.h"

#include <stdio.h>

static int not_yet(const char *name)
{
	fprintf(stderr, "error: 'mkt-gate %s' is not available yet\n", name);
	return GATE_EXIT_USAGE;
}

int cmd_install(int argc, const char **argv, struct gate_ctx *ctx)
{
	return not_yet("install");
}

int cmd_uninstall(int argc, const char **argv, struct gate_ctx *ctx)
{
	return not_yet("uninstall");
}

int cmd_hook(int argc, const char **argv, struct gate_ctx *ctx)
{
	return not_yet("hook");
}

int cmd_status(int argc, const char **argv, struct gate_ctx *ctx)
{
	return not_yet("status");
}
