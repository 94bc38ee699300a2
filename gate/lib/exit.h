/* exit.h: the exit codes of mkt-gate, a contract with hooks, CI and users.
 * Listed in the README and in `mkt-gate --help`; never change a number. */
#ifndef GATE_EXIT_H
#define GATE_EXIT_H

enum gate_exit {
	GATE_EXIT_OK = 0,	/* nothing new at or above the fail level */
	GATE_EXIT_FAIL = 1,	/* the gate failed: something new was found */
	GATE_EXIT_USAGE = 2,	/* usage, configuration or input error */
	GATE_EXIT_INFRA = 3,	/* a tool or engine could not run */
};

#endif
