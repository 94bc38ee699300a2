/* error.c: the last-error slot of error.h, one per thread.
 * Messages are truncated, never allocated, so recording cannot fail. */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static __thread char last_msg[2048];
static __thread char last_hint[1024];

int gate_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_msg, sizeof(last_msg), fmt, ap);
	va_end(ap);
	last_hint[0] = '\0';
	return -1;
}

int gate_error_hint(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_hint, sizeof(last_hint), fmt, ap);
	va_end(ap);
	return -1;
}

const char *gate_error_last(void)
{
	return last_msg;
}

const char *gate_error_last_hint(void)
{
	return last_hint;
}

void gate_error_clear(void)
{
	last_msg[0] = '\0';
	last_hint[0] = '\0';
}

void gate_error_print(const char *prefix)
{
	fprintf(stderr, "%s: %s\n", prefix,
		last_msg[0] ? last_msg : "unknown error");
	if (last_hint[0])
		fprintf(stderr, "hint: %s\n", last_hint);
}

void gate_bug(const char *file, int line, const char *msg)
{
	fprintf(stderr, "BUG: %s:%d: %s\n", file, line, msg);
	abort();
}
