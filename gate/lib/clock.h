/* clock.h: seconds on the monotonic clock, for the durations in reports.
 * Never the wall clock: a clock step must not make a job take -3 s. */
#ifndef GATE_CLOCK_H
#define GATE_CLOCK_H

#include <time.h>

static inline double gate_now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#endif
