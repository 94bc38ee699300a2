/* prepush.c: decides what one push sends that was never checked, and gates it.
 * Deletions are ignored; an update covers remote..local, a new ref what no remote-tracking ref has. */
#include "hook.h"
#include "error.h"

#include <string.h>

static int plan_update(struct hook_plan *plan, const struct hook_repo *r,
		       const struct hook_push_update *u)
{
	static const char *const not_remotes[] = { "--not", "--remotes", NULL };
	struct strvec exclude = STRVEC_INIT;
	int ret = -1;

	if (!hook_push_is_new(u)) {
		if (strvec_pushf(&exclude, "^%s", u->remote_oid))
			goto out;
		ret = hook_plan_build(plan, r, u->local_oid, &exclude);
		if (!ret)
			goto out;
		/* The remote's tip is not here (not fetched): as for a new ref. */
		hook_plan_dispose(plan);
		strvec_dispose(&exclude);
	}
	if (!strvec_pushv(&exclude, not_remotes))
		ret = hook_plan_build(plan, r, u->local_oid, &exclude);
out:
	strvec_dispose(&exclude);
	return ret;
}

int hook_prepush_check(struct hook_gate_outcome *o, const struct hook_repo *r,
		       const char *self, const struct hook_push_list *l)
{
	struct hook_plan plan;
	int ret = 0;

	hook_plan_init(&plan);
	for (size_t i = 0; i < l->nr && o->verdict == HOOK_VERDICT_PASS; i++) {
		const struct hook_push_update *u = &l->v[i];

		if (hook_push_is_delete(u) || !strcmp(u->local_oid, u->remote_oid))
			continue;
		hook_plan_dispose(&plan);
		ret = plan_update(&plan, r, u);
		if (!ret)
			ret = hook_gate_plan(o, r, self, &plan);
		if (ret)
			break;
	}
	hook_plan_dispose(&plan);
	return ret;
}
