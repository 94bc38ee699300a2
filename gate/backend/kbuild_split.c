/* kbuild_split.c: the struct kbuild_split of kbuild_split.h: make's output by object,
 * and the diagnostics that belong to none. Never prints or exits. */
#include "kbuild_split.h"
#include "analyzer.h"
#include "error.h"

#include <stdlib.h>
#include <string.h>

int kbuild_split_init(struct kbuild_split *s, size_t nr)
{
	memset(s, 0, sizeof(*s));
	strvec_init(&s->stray_cc);
	strvec_init(&s->stray_check);
	s->cc = calloc(nr + 1, sizeof(*s->cc));
	s->check = calloc(nr + 1, sizeof(*s->check));
	s->seen_cc = calloc(nr + 1, sizeof(*s->seen_cc));
	s->seen_check = calloc(nr + 1, sizeof(*s->seen_check));
	if (!s->cc || !s->check || !s->seen_cc || !s->seen_check) {
		kbuild_split_dispose(s);
		return gate_error("out of memory");
	}
	s->nr = nr;
	for (size_t i = 0; i < nr; i++) {
		strbuf_init(&s->cc[i], 0);
		strbuf_init(&s->check[i], 0);
	}
	return 0;
}

void kbuild_split_dispose(struct kbuild_split *s)
{
	for (size_t i = 0; i < s->nr; i++) {
		strbuf_dispose(&s->cc[i]);
		strbuf_dispose(&s->check[i]);
	}
	free(s->cc);
	free(s->check);
	free(s->seen_cc);
	free(s->seen_check);
	strvec_dispose(&s->stray_cc);
	strvec_dispose(&s->stray_check);
	memset(s, 0, sizeof(*s));
}

/* The rest of path after dir and a '/', or NULL. */
static const char *under(const char *p, size_t len, const char *dir)
{
	size_t n = dir ? strlen(dir) : 0;

	if (!n || len <= n + 1 || strncmp(p, dir, n) || p[n] != '/')
		return NULL;
	return p + n + 1;
}

/*
 * The target a quiet-make line such as "  CC      kernel/fork.o" starts;
 * a checker's "  CHECK   /src/kernel/fork.c" names the source, in full,
 * and gives its object.
 */
static bool section_start(const char *line, size_t len, const char *const *srcs,
			  struct strbuf *obj, bool *check)
{
	const char *p = line + 2, *end = line + len, *w, *rel = NULL;
	bool is_check = len > 8 && !strncmp(line + 2, "CHECK ", 6);

	if (len < 4 || line[0] != ' ' || line[1] != ' ' || line[2] == ' ')
		return false;
	while (p < end && ((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_'))
		p++;
	if (p == line + 2 || p == end || *p != ' ')
		return false;
	while (p < end && (*p == ' ' || *p == '[' || *p == 'M' || *p == ']'))
		p++;
	for (w = p; w < end && *w != ' '; w++)
		;
	if (w != end || w - p < 3)
		return false;
	for (size_t i = 0; !rel && i < 2; i++)
		rel = under(p, (size_t)(w - p), srcs[i]);
	if (rel)
		p = rel;
	strbuf_reset(obj);
	if (strbuf_add(obj, p, (size_t)(w - p)))
		return false;
	if (is_check && str_ends_with(obj->buf, ".c"))
		obj->buf[obj->len - 1] = 'o';
	*check = is_check;
	return true;
}

/* Whether an object's section repeats the line: then it is not lost. */
static bool attributed(const struct kbuild_split *s, const char *line)
{
	size_t n = strlen(line);

	for (size_t i = 0; i < s->nr; i++)
		if (memmem(s->cc[i].buf, s->cc[i].len, line, n) ||
		    memmem(s->check[i].buf, s->check[i].len, line, n))
			return true;
	return false;
}

/* Keeps only the stray lines that no object's section repeats, each once. */
static int drop_attributed(const struct kbuild_split *s, struct strvec *stray)
{
	struct strvec kept = STRVEC_INIT;
	int ret = 0;

	for (size_t i = 0; i < stray->nr && !ret; i++)
		if (!attributed(s, stray->v[i]) && strvec_find(&kept, stray->v[i]) < 0)
			ret = strvec_push(&kept, stray->v[i]);
	strvec_dispose(stray);
	*stray = kept;
	return ret;
}

int kbuild_split_output(struct kbuild_split *s, const char *out, size_t len,
			const char *src_dir, const struct strvec *objs)
{
	char *real = src_dir ? realpath(src_dir, NULL) : NULL;
	const char *srcs[2] = { src_dir, real };
	struct strbuf obj = STRBUF_INIT, line = STRBUF_INIT;
	const char *p = out, *end = out + len;
	bool check = false;
	int cur = -1, ret = 0;

	while (p < end && !ret) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (section_start(p, n, srcs, &obj, &check)) {
			cur = strvec_find(objs, obj.buf);
			if (cur >= 0 && (size_t)cur < s->nr)
				*(check ? &s->seen_check[cur] : &s->seen_cc[cur]) = true;
		} else if (cur >= 0 && (size_t)cur < s->nr) {
			ret = strbuf_add(check ? &s->check[cur] : &s->cc[cur], p,
					 n + (nl ? 1 : 0));
		} else if (an_diagnostic_like(p, n)) {
			strbuf_reset(&line);
			ret = strbuf_add(&line, p, n) ||
			      strvec_push(check ? &s->stray_check : &s->stray_cc, line.buf);
		}
		p += n + (nl ? 1 : 0);
	}
	if (!ret)
		ret = drop_attributed(s, &s->stray_cc) || drop_attributed(s, &s->stray_check);
	free(real);
	strbuf_dispose(&obj);
	strbuf_dispose(&line);
	return ret ? gate_error("out of memory") : 0;
}
