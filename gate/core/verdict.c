/* verdict.c: verdict names and their order (verdict.h).
 * Reports, the engine and the hooks all rank verdicts through here. */
#include "verdict.h"

#include <stddef.h>
#include <string.h>

static const char *const names[] = {
	[GATE_VERDICT_NONE] = "none",
	[GATE_VERDICT_SKIPPED] = "skipped",
	[GATE_VERDICT_PASS] = "pass",
	[GATE_VERDICT_FAIL] = "fail",
	[GATE_VERDICT_ERROR] = "error",
};

#define NR_NAMES (sizeof(names) / sizeof(*names))

const char *gate_verdict_name(enum gate_verdict v)
{
	if ((size_t)v >= NR_NAMES)
		return names[GATE_VERDICT_NONE];
	return names[v];
}

enum gate_verdict gate_verdict_parse(const char *name)
{
	for (size_t i = GATE_VERDICT_NONE + 1; name && i < NR_NAMES; i++)
		if (!strcmp(name, names[i]))
			return (enum gate_verdict)i;
	return GATE_VERDICT_NONE;
}

enum gate_verdict gate_verdict_worst(enum gate_verdict a, enum gate_verdict b)
{
	return a > b ? a : b;
}
