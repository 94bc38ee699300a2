/* doctor.c: the doctor command: which analyzers and engines are usable here.
 * Placeholder until the analyzers issue lands: says so and exits 2. */
#include "commands.h"
#include "exit.h"

#include <stdio.h>

int cmd_doctor(int argc, const char **argv, struct gate_ctx *ctx)
{
	fprintf(stderr, "error: 'mkt-gate doctor' is not available yet\n");
	return GATE_EXIT_USAGE;
}
