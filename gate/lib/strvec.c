/* strvec.c: the string vector of strvec.h.
 * strvec_split() is the one place that splits config and command lines. */
#include "strvec.h"
#include "strbuf.h"
#include "error.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

const char *strvec_empty[] = { NULL };

void strvec_init(struct strvec *sv)
{
	sv->v = strvec_empty;
	sv->nr = 0;
	sv->alloc = 0;
}

void strvec_dispose(struct strvec *sv)
{
	size_t i;

	if (sv->alloc) {
		for (i = 0; i < sv->nr; i++)
			free((char *)sv->v[i]);
		free(sv->v);
	}
	strvec_init(sv);
}

static int strvec_push_owned(struct strvec *sv, char *s)
{
	const char **p;
	size_t n;

	if (!s)
		return gate_error("out of memory");
	if (sv->nr + 2 > sv->alloc) {
		n = sv->alloc ? sv->alloc * 2 : 8;
		p = realloc(sv->alloc ? sv->v : NULL, n * sizeof(*p));
		if (!p) {
			free(s);
			return gate_error("out of memory");
		}
		sv->v = p;
		sv->alloc = n;
	}
	sv->v[sv->nr++] = s;
	sv->v[sv->nr] = NULL;
	return 0;
}

int strvec_push(struct strvec *sv, const char *s)
{
	return strvec_push_owned(sv, strdup(s));
}

int strvec_insert(struct strvec *sv, size_t at, const char *s)
{
	const char *moved;

	if (at > sv->nr)
		GATE_BUG("strvec_insert() past the end");
	if (strvec_push(sv, s))
		return -1;
	moved = sv->v[sv->nr - 1];
	memmove(&sv->v[at + 1], &sv->v[at], (sv->nr - 1 - at) * sizeof(*sv->v));
	sv->v[at] = moved;
	return 0;
}

int strvec_pushf(struct strvec *sv, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	if (ret)
		return ret;
	return strvec_push_owned(sv, strbuf_detach(&sb, NULL));
}

int strvec_pushv(struct strvec *sv, const char *const *v)
{
	for (; *v; v++)
		if (strvec_push(sv, *v))
			return -1;
	return 0;
}

void strvec_pop(struct strvec *sv)
{
	if (!sv->nr)
		return;
	free((char *)sv->v[--sv->nr]);
	sv->v[sv->nr] = NULL;
}

int strvec_find(const struct strvec *sv, const char *s)
{
	size_t i;

	for (i = 0; i < sv->nr; i++)
		if (!strcmp(sv->v[i], s))
			return (int)i;
	return -1;
}

int strvec_join(const struct strvec *sv, const char *sep, struct strbuf *out)
{
	for (size_t i = 0; i < sv->nr; i++)
		if ((i && strbuf_addstr(out, sep)) || strbuf_addstr(out, sv->v[i]))
			return -1;
	return 0;
}

int strvec_split(struct strvec *sv, const char *line)
{
	struct strbuf word = STRBUF_INIT;
	bool in_word = false;
	char quote = 0;
	int ret = 0;

	for (const char *p = line; *p && !ret; p++) {
		if (quote) {
			if (*p == quote)
				quote = 0;
			else
				ret = strbuf_addch(&word, *p);
		} else if (*p == '\'' || *p == '"') {
			quote = *p;
			in_word = true;
		} else if (*p == '\\' && p[1]) {
			ret = strbuf_addch(&word, *++p);
			in_word = true;
		} else if (*p == ' ' || *p == '\t' || *p == '\n') {
			if (in_word)
				ret = strvec_push_owned(sv, strbuf_detach(&word, NULL));
			in_word = false;
		} else {
			ret = strbuf_addch(&word, *p);
			in_word = true;
		}
	}
	if (!ret && quote)
		ret = gate_error("unterminated quote in '%s'", line);
	if (!ret && in_word)
		ret = strvec_push_owned(sv, strbuf_detach(&word, NULL));
	strbuf_dispose(&word);
	return ret;
}

int strvec_equal(const struct strvec *a, const struct strvec *b)
{
	if (a->nr != b->nr)
		return 0;
	for (size_t i = 0; i < a->nr; i++)
		if (strcmp(a->v[i], b->v[i]))
			return 0;
	return 1;
}
