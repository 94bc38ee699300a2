/* bwrap.c: rewrites a job to run in bubblewrap: host /usr read-only, no network,
 * only the bound paths visible. Never prints or exits. */
#include "engine_int.h"
#include "error.h"

#include <string.h>

/*
 * What every job sees: the host toolchain, the few files of /etc that
 * compilers and perl read (cc is an /etc/alternatives link), a private
 * /tmp, and nothing shared: no network, no other processes. The binds
 * come after /tmp, so paths below /tmp can be bound.
 */
static const char *const bwrap_base[] = {
	"--ro-bind", "/usr", "/usr",
	"--symlink", "usr/lib", "/lib",
	"--symlink", "usr/lib64", "/lib64",
	"--symlink", "usr/bin", "/bin",
	"--symlink", "usr/sbin", "/sbin",
	"--ro-bind-try", "/etc/alternatives", "/etc/alternatives",
	"--ro-bind-try", "/etc/ld.so.cache", "/etc/ld.so.cache",
	"--ro-bind-try", "/etc/passwd", "/etc/passwd",
	"--ro-bind-try", "/etc/group", "/etc/group",
	"--ro-bind-try", "/etc/perl", "/etc/perl",
	"--ro-bind-try", "/etc/ccache.conf", "/etc/ccache.conf",
	"--proc", "/proc",
	"--dev", "/dev",
	"--tmpfs", "/tmp",
	"--unshare-all",
	"--die-with-parent",
	"--new-session",
	NULL,
};

/*
 * Only when the config names a remote ccache over TCP or distcc hosts:
 * the host's network (bwrap cannot share less than all of it) and the
 * files that resolve host names.
 */
static const char *const bwrap_network[] = {
	"--share-net",
	"--ro-bind-try", "/etc/hosts", "/etc/hosts",
	"--ro-bind-try", "/etc/resolv.conf", "/etc/resolv.conf",
	"--ro-bind-try", "/etc/nsswitch.conf", "/etc/nsswitch.conf",
	"--ro-bind-try", "/etc/gai.conf", "/etc/gai.conf",
	NULL,
};

/* --setenv K V for each K=V of the job environment. */
static int push_env(const struct ctr_engine *e, struct strvec *front)
{
	struct strvec env = STRVEC_INIT;
	int ret = ctr_engine_env(e, &env);

	for (size_t i = 0; !ret && i < env.nr; i++) {
		char *eq = strchr(env.v[i], '=');

		*eq = '\0';
		ret = strvec_pushv(front, (const char *[]){ "--setenv", env.v[i], eq + 1,
				   NULL });
	}
	strvec_dispose(&env);
	return ret;
}

int ctr_bwrap_wrap(const struct ctr_engine *e, struct proc *p)
{
	struct strvec front = STRVEC_INIT;
	int ret = strvec_push(&front, e->command) || strvec_pushv(&front, bwrap_base) ||
		  (e->network && strvec_pushv(&front, bwrap_network));

	for (size_t i = 0; !ret && i < e->nr_binds; i++) {
		const struct ctr_bind *b = &e->binds[i];

		ret = strvec_pushv(&front, (const char *[]){
				   b->writable ? "--bind" : "--ro-bind", b->path, b->path, NULL });
	}
	if (!ret)
		ret = push_env(e, &front);
	if (!ret && p->dir)
		ret = strvec_pushv(&front, (const char *[]){ "--chdir", p->dir, NULL });
	if (!ret)
		ret = strvec_pushv(&front, e->extra_args.v) || strvec_push(&front, "--");
	if (ret) {
		strvec_dispose(&front);
		return gate_error("out of memory");
	}
	return proc_prepend_args(p, &front);
}
