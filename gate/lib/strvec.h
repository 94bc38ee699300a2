/* strvec.h: a NULL-terminated, growable array of owned strings (argv, env).
 * Never prints or exits. */
#ifndef GATE_STRVEC_H
#define GATE_STRVEC_H

#include <stddef.h>

struct strbuf;

/*
 * Invariant: after strvec_init() `v` is never NULL and v[nr] == NULL, so
 * it can be handed to execv() as it is. Every string is owned by the
 * vector; strvec_dispose() frees them all and leaves it empty and usable.
 * Push functions return 0, or -1 when out of memory.
 */
struct strvec {
	const char **v;
	size_t nr;
	size_t alloc;
};

#define STRVEC_INIT { strvec_empty, 0, 0 }
extern const char *strvec_empty[];

void strvec_init(struct strvec *sv);
void strvec_dispose(struct strvec *sv);
int strvec_push(struct strvec *sv, const char *s);
int strvec_pushf(struct strvec *sv, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int strvec_pushv(struct strvec *sv, const char *const *v);
/* Inserts a copy of s before v[at] (at <= nr). */
int strvec_insert(struct strvec *sv, size_t at, const char *s);
/* Splits on white space, honouring single and double quotes. */
int strvec_split(struct strvec *sv, const char *line);
void strvec_pop(struct strvec *sv);
int strvec_find(const struct strvec *sv, const char *s);
/* Whether a and b hold the same strings in the same order. */
int strvec_equal(const struct strvec *a, const struct strvec *b);
/* Appends the strings to out with sep between them; -1 when out of memory. */
int strvec_join(const struct strvec *sv, const char *sep, struct strbuf *out);

#endif
