/* cmd_report.c: the report command (re-render and merge saved JSON reports).
 * Placeholder until the reports issue lands: says so and exits 2. */
#include "commands.h"
#include "exit.h"

#include <stdio.h>

int cmd_report(int argc, const char **argv, struct gate_ctx *ctx)
{
	fprintf(stderr, "error: 'mkt-gate report' is not available yet\n");
	return GATE_EXIT_USAGE;
}
