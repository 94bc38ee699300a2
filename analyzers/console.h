/* console.h: the kernel console log scanner of `mkt-gate boot`.
 * Turns oopses, panics, warnings and their traces into findings; never prints. */
#ifndef CTR_CONSOLE_H
#define CTR_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>

#include "finding.h"

/*
 * What the scan learnt about the boot besides the findings. Times are
 * seconds since the kernel started, from the printk timestamps
 * ("[    1.234567]") or, without CONFIG_PRINTK_TIME, from the uptime the
 * generated init prints ("mkt-gate: init running, uptime 1.23 ..."); a
 * time not seen is -1.
 *
 * expect_init_exit is an input: when set, the panic of an init that
 * exited ("Attempted to kill init!") is the designed end of the run and
 * not a finding.
 */
struct ctr_console {
	bool expect_init_exit;
	bool kernel_seen;	/* "Linux version ..." */
	bool init_seen;		/* the generated init ran */
	double start_s;
	double init_s;
};

/* The line the generated init prints first, so the scan can find it. */
#define CTR_CONSOLE_INIT_MARK "mkt-gate: init running, uptime "

/*
 * Scans len bytes of console output (any bytes, NULs included) and
 * appends a finding of analyzer "boot" per report: rule panic, oops,
 * bug, kasan, kfence, ubsan, lockdep, lockup, hung-task, rcu-stall or
 * warning. The message is the report's header line, without timestamp,
 * function offsets or addresses; the trace that follows goes into
 * detail. Only printable ASCII is kept, so every string is valid UTF-8.
 * info may be NULL. Returns 0, or -1 when out of memory.
 */
int ctr_console_scan(struct finding_list *out, struct ctr_console *info,
		     const char *text, size_t len);

/* Kernel start to init, in seconds, or -1 when the log does not say. */
double ctr_console_boot_s(const struct ctr_console *info);

#endif
