/* engine_int.h: the inside of struct ctr_engine, shared by the engine files.
 * Only containers/jobs/engine.c, bwrap.c and podman.c include it. */
#ifndef CTR_ENGINE_INT_H
#define CTR_ENGINE_INT_H

#include "config.h"
#include "proc.h"
#include "relay.h"
#include "strvec.h"

#include <stdbool.h>

#include <sys/types.h>

enum ctr_kind { CTR_HOST, CTR_BWRAP, CTR_PODMAN, CTR_DOCKER };

struct ctr_bind {
	char *path;
	bool writable;
};

/* binds is kept sorted by path length, so parents come before children. */
struct ctr_engine {
	enum ctr_kind kind;
	char *command;
	char *image;
	char *ccache_dir;
	bool ccache;		/* compilers run through ccache */
	char *ccache_remote;	/* CCACHE_REMOTE_STORAGE; NULL: local only */
	char *ccache_remote_shown;	/* the same without passwords */
	char *ccache_basedir;	/* CCACHE_BASEDIR with a remote: the scratch root */
	char *distcc_hosts;	/* DISTCC_HOSTS; NULL: compile here */
	struct ctr_relay *relay;	/* TCP hosts as unix sockets; NULL on the host */
	char *distcc_dir;	/* DISTCC_DIR: the client's lock files */
	unsigned int distcc_slots;
	bool network;		/* jobs reach a TCP cache or ssh distcc hosts */
	struct strvec extra_args;
	struct ctr_bind *binds;
	size_t nr_binds, alloc_binds;
	uid_t uid;
	gid_t gid;
	struct ctr_job_watch *watch;	/* who hears of the first job */
};

/*
 * The environment every job gets, as K=V words: CCACHE_DIR first, then
 * the remote storage and distcc settings when configured.
 */
int ctr_engine_env(const struct ctr_engine *e, struct strvec *out);

/*
 * Whether a probe of the bwrap binary (a resolved path) succeeded before
 * under the same kernel settings, and remembering that it did.
 */
bool ctr_probe_memo_has(const struct ctr_engine *e, const struct config *cfg,
			const char *binary);
void ctr_probe_memo_add(const struct ctr_engine *e, const struct config *cfg,
			const char *binary);

/* The argv rewriting of bwrap.c and podman.c. */
int ctr_bwrap_wrap(const struct ctr_engine *e, struct proc *p);
int ctr_podman_wrap(const struct ctr_engine *e, struct proc *p);

#endif
