/* cmd_range.c: the range and commit commands.
 * Placeholder while the engine is written. */
#include "commands.h"
#include "exit.h"

#include <stdio.h>

int cmd_range(int argc, const char **argv, struct gate_ctx *ctx)
{
	fprintf(stderr, "error: not yet\n");
	return GATE_EXIT_USAGE;
}

int cmd_commit(int argc, const char **argv, struct gate_ctx *ctx)
{
	return cmd_range(argc, argv, ctx);
}
