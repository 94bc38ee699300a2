/* strbuf.h: a growable, NUL-terminated byte buffer with a size cap.
 * Used for everything read from tools and patches; never prints or exits. */
#ifndef GATE_STRBUF_H
#define GATE_STRBUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

/*
 * Invariants: after strbuf_init() `buf` is never NULL and buf[len] == '\0'.
 * The data may contain NUL bytes. Appending past `cap` fails with -1 and
 * leaves the buffer unchanged, because tool output and patches are
 * untrusted input and must not grow without bound.
 *
 * Life cycle: strbuf_init() (or STRBUF_INIT), any number of appends,
 * strbuf_dispose() to free the contents (the buffer stays usable), or
 * strbuf_detach() to take the string over (the caller frees it with free()).
 */
struct strbuf {
	size_t len;
	size_t alloc;
	size_t cap;
	char *buf;
};

extern char strbuf_empty[];

/* The default cap: 256 MiB, far above any sane compiler log or patch. */
#define STRBUF_DEFAULT_CAP ((size_t)256 << 20)
#define STRBUF_INIT { 0, 0, STRBUF_DEFAULT_CAP, strbuf_empty }

void strbuf_init(struct strbuf *sb, size_t hint);
void strbuf_dispose(struct strbuf *sb);
char *strbuf_detach(struct strbuf *sb, size_t *len);

int strbuf_grow(struct strbuf *sb, size_t extra);
int strbuf_add(struct strbuf *sb, const void *data, size_t len);
int strbuf_addstr(struct strbuf *sb, const char *s);
int strbuf_addbuf(struct strbuf *sb, const struct strbuf *other);
int strbuf_addch(struct strbuf *sb, int c);
int strbuf_addf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap);
void strbuf_reset(struct strbuf *sb);
void strbuf_setlen(struct strbuf *sb, size_t len);
void strbuf_trim_trailing(struct strbuf *sb);

/* Reads the whole of fd (or of the file at path) and appends it. */
int strbuf_read_fd(struct strbuf *sb, int fd);
int strbuf_read_file(struct strbuf *sb, const char *path);
/* Writes the buffer to path through a temporary file and rename. */
int strbuf_write_file(const struct strbuf *sb, const char *path);

bool str_starts_with(const char *s, const char *prefix);
bool str_ends_with(const char *s, const char *suffix);

#endif
