/* interrupt.c: SIGINT/SIGTERM/SIGHUP handling for every long-running command.
 * Stops all child process groups, then kills them, so no make or compiler
 * outlives us and no child that ignores SIGTERM keeps us waiting. */
#include "interrupt.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t caught, repeats;
static void (*stop_children)(int sig);
static int wake[2] = { -1, -1 };

static void stop_all(int sig)
{
	if (stop_children)
		stop_children(sig);
}

static void on_signal(int sig)
{
	int saved = errno;

	if (sig == SIGALRM) {		/* the grace period is over */
		if (caught)
			stop_all(SIGKILL);
	} else if (!caught) {
		caught = sig;
		if (wake[1] >= 0)
			(void)!write(wake[1], "!", 1);
		stop_all(SIGTERM);
		alarm(GATE_INTERRUPT_GRACE_S);
	} else if (!repeats++) {	/* Ctrl-C again: no more waiting */
		stop_all(SIGKILL);
	} else {
		_exit(128 + caught);
	}
	errno = saved;
}

void gate_interrupt_install(void (*stop)(int sig))
{
	struct sigaction sa;

	stop_children = stop;
	if (wake[0] < 0 && pipe2(wake, O_CLOEXEC | O_NONBLOCK))
		wake[0] = wake[1] = -1;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	/* One handler at a time: the count of signals must not race itself. */
	sigaddset(&sa.sa_mask, SIGINT);
	sigaddset(&sa.sa_mask, SIGTERM);
	sigaddset(&sa.sa_mask, SIGHUP);
	sigaddset(&sa.sa_mask, SIGALRM);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGALRM, &sa, NULL);
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

int gate_interrupt_fd(void)
{
	return wake[0];
}
