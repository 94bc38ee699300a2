/* engine_int.h: the inside of struct ctr_engine, shared by the engine files.
 * Only containers/jobs/engine.c, bwrap.c and podman.c include it. */
#ifndef CTR_ENGINE_INT_H
#define CTR_ENGINE_INT_H

#include "proc.h"
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
	struct strvec extra_args;
	struct ctr_bind *binds;
	size_t nr_binds, alloc_binds;
	uid_t uid;
	gid_t gid;
};

/* The argv rewriting of bwrap.c and podman.c. */
int ctr_bwrap_wrap(const struct ctr_engine *e, struct proc *p);
int ctr_podman_wrap(const struct ctr_engine *e, struct proc *p);

#endif
