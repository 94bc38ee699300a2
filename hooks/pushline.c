/* pushline.c: parses the lines git writes to a pre-push hook: <local ref> <sha> <remote ref> <sha>.
 * Strict: anything else is refused rather than guessed at. */
#include "hook.h"
#include "alloc.h"
#include "error.h"

#include <stdlib.h>
#include <string.h>

/* Copies one space-separated field of at most max-1 bytes; moves *p past it. */
static int take_field(char *dst, size_t max, const char **p, const char *end,
		      const char *what)
{
	const char *sp = memchr(*p, ' ', (size_t)(end - *p));
	size_t n = (sp ? sp : end) - *p;

	if (!n)
		return gate_error("push line: empty %s", what);
	if (n >= max)
		return gate_error("push line: %s longer than %zu bytes", what,
				  max - 1);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)(*p)[i];

		if (c < 0x20 || c == 0x7f)
			return gate_error("push line: control character in %s",
					  what);
	}
	memcpy(dst, *p, n);
	dst[n] = '\0';
	*p = sp ? sp + 1 : end;
	return 0;
}

int hook_push_parse_line(struct hook_push_update *u, const char *line,
			 size_t len)
{
	const char *p = line, *end = line + len;

	if (len && line[len - 1] == '\r')
		end--;
	if (take_field(u->local_ref, sizeof(u->local_ref), &p, end, "local ref") ||
	    take_field(u->local_oid, sizeof(u->local_oid), &p, end, "local object id") ||
	    take_field(u->remote_ref, sizeof(u->remote_ref), &p, end, "remote ref") ||
	    take_field(u->remote_oid, sizeof(u->remote_oid), &p, end, "remote object id"))
		return -1;
	if (p != end || (p > line && p[-1] == ' '))
		return gate_error("push line: not four fields: '%.*s'",
				  (int)len, line);
	if (!hook_is_oid(u->local_oid, strlen(u->local_oid)) ||
	    !hook_is_oid(u->remote_oid, strlen(u->remote_oid)) ||
	    strlen(u->local_oid) != strlen(u->remote_oid))
		return gate_error("push line: bad object id in '%.*s'",
				  (int)len, line);
	return 0;
}

int hook_push_parse(struct hook_push_list *l, const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = (nl ? nl : end) - p;

		if (n && !(n == 1 && *p == '\r')) {
			if (ALLOC_GROW(l->v, l->nr + 1, l->alloc) ||
			    hook_push_parse_line(&l->v[l->nr], p, n))
				return -1;
			l->nr++;
		}
		p += n + (nl != NULL);
	}
	return 0;
}

void hook_push_list_dispose(struct hook_push_list *l)
{
	free(l->v);
	l->v = NULL;
	l->nr = l->alloc = 0;
}

bool hook_push_is_delete(const struct hook_push_update *u)
{
	return hook_is_null_oid(u->local_oid);
}

bool hook_push_is_new(const struct hook_push_update *u)
{
	return hook_is_null_oid(u->remote_oid);
}
