/* interrupt.c: SIGINT/SIGTERM/SIGHUP handling for every long-running command.
 * Kills all child process groups at once so no make or compiler outlives us. */
#include "interrupt.h"

#include <signal.h>
#include <string.h>

static volatile sig_atomic_t caught;
static void (*stop_children)(void);

static void on_signal(int sig)
{
	caught = sig;
	if (stop_children)
		stop_children();
}

void gate_interrupt_install(void (*stop)(void))
{
	struct sigaction sa;

	stop_children = stop;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

bool gate_interrupted(void)
{
	return caught != 0;
}

int gate_interrupt_signal(void)
{
	return caught;
}
