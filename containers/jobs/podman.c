/* podman.c: rewrites a job to run in a podman or docker container of the
 * support image, as the invoking user, without network. Never prints or exits. */
#include "engine_int.h"
#include "error.h"

#include <string.h>

/* -v path:path[:ro] for each bound path; a ':' in a path cannot be said. */
static int push_volumes(const struct ctr_engine *e, struct strvec *front)
{
	for (size_t i = 0; i < e->nr_binds; i++) {
		const struct ctr_bind *b = &e->binds[i];

		if (strchr(b->path, ':'))
			return gate_error("cannot mount '%s' in a container: it holds a ':'",
					  b->path);
		if (strvec_push(front, "-v") ||
		    strvec_pushf(front, "%s:%s%s", b->path, b->path, b->writable ? "" : ":ro"))
			return gate_error("out of memory");
	}
	return 0;
}

/*
 * The container inherits nothing from our environment, so each "K=V" of
 * p->env becomes -e K=V and a bare "K" (unset) is simply left out; p->env
 * is then emptied, as it would apply to podman itself.
 */
static int push_env(const struct ctr_engine *e, struct proc *p, struct strvec *front)
{
	struct strvec env = STRVEC_INIT;
	int ret = ctr_engine_env(e, &env);

	for (size_t i = 0; !ret && i < env.nr; i++)
		ret = strvec_push(front, "-e") || strvec_push(front, env.v[i]);
	strvec_dispose(&env);
	if (ret)
		return gate_error("out of memory");
	for (size_t i = 0; i < p->env.nr; i++) {
		if (!strchr(p->env.v[i], '='))
			continue;
		if (strvec_push(front, "-e") || strvec_push(front, p->env.v[i]))
			return gate_error("out of memory");
	}
	strvec_dispose(&p->env);
	return 0;
}

/*
 * As in bwrap, only the bound paths and a private /tmp are writable: the
 * image is mounted read-only, and --pull=never keeps a missing image from
 * waiting on a registry. The network is the host's only when a remote
 * ccache or distcc hosts must be reached (and the image must then hold
 * distcc); otherwise there is none.
 */
int ctr_podman_wrap(const struct ctr_engine *e, struct proc *p)
{
	struct strvec front = STRVEC_INIT;
	int ret = -1;

	if (strvec_pushv(&front, (const char *[]){ e->command, "run", "--rm",
			 "--pull=never", e->network ? "--network=host" : "--network=none",
			 "--read-only", "--tmpfs", "/tmp", NULL }) ||
	    strvec_push(&front, "--user") ||
	    strvec_pushf(&front, "%lu:%lu", (unsigned long)e->uid, (unsigned long)e->gid)) {
		gate_error("out of memory");
		goto out;
	}
	if (push_volumes(e, &front) || push_env(e, p, &front))
		goto out;
	if ((p->dir && strvec_pushv(&front, (const char *[]){ "-w", p->dir, NULL })) ||
	    strvec_pushv(&front, e->extra_args.v) || strvec_push(&front, e->image)) {
		gate_error("out of memory");
		goto out;
	}
	return proc_prepend_args(p, &front);
out:
	strvec_dispose(&front);
	return ret;
}
