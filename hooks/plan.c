/* plan.c: lists the commits a push or a background check has to cover, oldest first.
 * One `git rev-list --parents` call; never runs the gate. */
#include "hook.h"
#include "error.h"

#include <stdlib.h>
#include <string.h>

#define PLAN_DEFAULT_LIMIT 100

void hook_plan_init(struct hook_plan *p)
{
	strvec_init(&p->commits);
	strvec_init(&p->parents);
	p->truncated = false;
}

void hook_plan_dispose(struct hook_plan *p)
{
	strvec_dispose(&p->commits);
	strvec_dispose(&p->parents);
	p->truncated = false;
}

/* A first push of a long history must not gate all of it: the newest N only. */
unsigned int hook_plan_limit(void)
{
	const char *s = getenv(HOOK_ENV_MAX_COMMITS);
	long n = s ? strtol(s, NULL, 10) : 0;

	return n > 0 && n < 100000 ? (unsigned int)n : PLAN_DEFAULT_LIMIT;
}

/* "<sha> [<parent>...]": keeps the commit and its first parent. */
static int plan_add(struct hook_plan *p, const char *line, size_t len)
{
	const char *sp = memchr(line, ' ', len);
	size_t n = sp ? (size_t)(sp - line) : len;
	size_t pn = 0;

	if (sp) {
		const char *end = line + len, *sp2 = memchr(sp + 1, ' ', (size_t)(end - sp - 1));

		pn = (size_t)((sp2 ? sp2 : end) - (sp + 1));
	}
	if (!hook_is_oid(line, n) || (sp && !hook_is_oid(sp + 1, pn)))
		return gate_error("git rev-list printed '%.*s'", (int)len, line);
	if (strvec_pushf(&p->commits, "%.*s", (int)n, line) ||
	    strvec_pushf(&p->parents, "%.*s", (int)pn, sp ? sp + 1 : ""))
		return -1;
	return 0;
}

static void reverse(struct strvec *v)
{
	for (size_t i = 0, j = v->nr; i + 1 < j; i++, j--) {
		const char *t = v->v[i];

		v->v[i] = v->v[j - 1];
		v->v[j - 1] = t;
	}
}

int hook_plan_build(struct hook_plan *p, const struct hook_repo *r,
		    const char *head, const struct strvec *exclude)
{
	unsigned int limit = hook_plan_limit();
	struct strbuf out = STRBUF_INIT;
	struct strvec args = STRVEC_INIT;
	const char *s;
	int ret = -1;

	if (strvec_push(&args, "rev-list") || strvec_push(&args, "--parents") ||
	    strvec_push(&args, "--topo-order") ||
	    strvec_pushf(&args, "--max-count=%u", limit + 1) ||
	    strvec_push(&args, head) || strvec_pushv(&args, exclude->v) ||
	    strvec_push(&args, "--"))
		goto out;
	if (hook_git(&out, r, args.v))
		goto out;
	/* Newest first from git; a plan is oldest first. */
	for (s = out.buf; *s; ) {
		size_t n = strcspn(s, "\n");

		if (n && plan_add(p, s, n))
			goto out;
		s += n + !!s[n];
	}
	if (p->commits.nr > limit) {
		p->truncated = true;
		strvec_pop(&p->commits);
		strvec_pop(&p->parents);
	}
	reverse(&p->commits);
	reverse(&p->parents);
	ret = 0;
out:
	strbuf_dispose(&out);
	strvec_dispose(&args);
	return ret;
}

static int keep_tail(struct strvec *v, size_t n)
{
	struct strvec kept = STRVEC_INIT;

	if (strvec_pushv(&kept, v->v + v->nr - n))
		return -1;
	strvec_dispose(v);
	*v = kept;
	return 0;
}

int hook_plan_keep_newest(struct hook_plan *p, size_t n)
{
	if (n >= p->commits.nr)
		return 0;
	p->truncated = true;
	return keep_tail(&p->commits, n) || keep_tail(&p->parents, n) ? -1 : 0;
}
