/* interrupt.h: Ctrl-C and SIGTERM. The handler only stops children and sets a
 * flag; the code that owns scratch state checks the flag and unwinds. */
#ifndef GATE_INTERRUPT_H
#define GATE_INTERRUPT_H

#include <stdbool.h>

/* How long children get to stop on SIGTERM before they get SIGKILL. */
#define GATE_INTERRUPT_GRACE_S 2

/*
 * Catches SIGINT, SIGTERM and SIGHUP. The first sets the flag and calls
 * stop(SIGTERM); GATE_INTERRUPT_GRACE_S later, or at a second signal,
 * stop(SIGKILL) follows, whatever the children do with SIGTERM. A third
 * signal ends the process at once (exit 128 + the first signal). stop
 * runs in the signal handler: it must be async-signal-safe.
 */
void gate_interrupt_install(void (*stop)(int sig));
bool gate_interrupted(void);
/* The signal that interrupted us (for the exit code 128 + signo), or 0. */
int gate_interrupt_signal(void);
/*
 * A descriptor that turns readable at the interrupt and stays so (nobody
 * reads it), so a thread in poll() wakes up at once; -1 before install.
 */
int gate_interrupt_fd(void);

#endif
