/* error.h: the one slot that holds the last error message, and GATE_BUG.
 * Library code records errors here; only main() and cmd_*() print them. */
#ifndef GATE_ERROR_H
#define GATE_ERROR_H

/*
 * gate_error() formats a message into the thread's last-error slot and
 * returns -1, so that `return gate_error("...")` both records and fails.
 * gate_error_hint() adds the "what to do next" line shown after it.
 * gate_error_last() returns the message (never NULL; "" when none).
 */
int gate_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int gate_error_hint(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
const char *gate_error_last(void);
const char *gate_error_last_hint(void);
void gate_error_clear(void);

/* Prints "error: <last>" and any "hint: ..." to stderr. */
void gate_error_print(const char *prefix);

void gate_bug(const char *file, int line, const char *msg)
	__attribute__((noreturn));
#define GATE_BUG(msg) gate_bug(__FILE__, __LINE__, (msg))

#endif
