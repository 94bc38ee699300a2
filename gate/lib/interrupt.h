/* interrupt.h: Ctrl-C and SIGTERM. The handler only stops children and sets a
 * flag; the code that owns scratch state checks the flag and unwinds. */
#ifndef GATE_INTERRUPT_H
#define GATE_INTERRUPT_H

#include <stdbool.h>

/*
 * Catches SIGINT, SIGTERM and SIGHUP: sets the flag, then calls stop (which
 * must be async-signal-safe) so that running children stop at once.
 */
void gate_interrupt_install(void (*stop)(void));
bool gate_interrupted(void);
/* The signal that interrupted us (for the exit code 128 + signo), or 0. */
int gate_interrupt_signal(void);

#endif
