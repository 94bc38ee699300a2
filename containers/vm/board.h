/* board.h: what a boot target needs and whether this machine has it, for
 * `mkt-gate boot --list`. Probes, changes nothing; never prints or exits. */
#ifndef CTR_BOARD_H
#define CTR_BOARD_H

#include <stdbool.h>

#include "strvec.h"

struct config;

/*
 * One target. needs holds a line per thing it needs, "what: state"
 * ("QEMU: /usr/bin/qemu-system-x86_64, QEMU emulator version 7.2.22",
 * "VFIO 0000:05:00.0: missing"); missing counts the ones this machine
 * lacks, so ready is !missing. All strings are owned by the board.
 */
struct ctr_board {
	struct strvec needs;
	int missing;
};

void ctr_board_init(struct ctr_board *b);
void ctr_board_dispose(struct ctr_board *b);
/* -1 only when out of memory: whatever is missing is in the board. */
int ctr_board_probe(struct ctr_board *b, const struct config *cfg, const char *target);

#endif
