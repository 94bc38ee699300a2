/* engine.h: where a job runs: on the host, in bwrap, or in a podman or docker container.
 * Rewrites a job's proc to run inside the engine; never prints or exits. */
#ifndef CTR_ENGINE_H
#define CTR_ENGINE_H

#include "config.h"
#include "proc.h"

#include <stdbool.h>

/*
 * Engines: "host" runs jobs as they are; "bwrap" runs them with the host
 * toolchain (/usr read-only), no network and only the bound paths
 * visible; "podman" and "docker" run them in the support image
 * ([engine.NAME] image) with no network. distcc_hosts over TCP keep it
 * off: the engine relays each host to a unix socket (relay.h) that jobs
 * reach through distcc's ssh transport, for as long as the engine lives.
 * The exceptions: a ccache_remote over redis:// or http://, or a distcc
 * host over ssh (USER@HOST), needs the host's network, which jobs then
 * share (redis+unix: and file: need only their socket or directory,
 * which are bound instead). "auto" is bwrap when it is installed and
 * works here, else host.
 *
 * Invariants: in every engine a bound path is seen at the same path as on
 * the host, the job runs as the invoking user and group (so every file it
 * writes is the user's), and the shared ccache directory is bound
 * writable and exported as CCACHE_DIR.
 *
 * Life cycle: ctr_engine_new() (which probes the engine with a short
 * bounded run and fails with the engine's own message and a hint when it
 * cannot work; a bwrap that worked is remembered in [defaults] build_dir
 * or the cache directory until its binary or the kernel's user-namespace
 * settings change), any number of ctr_engine_bind(), then
 * ctr_engine_wrap() on as many procs as needed (it only reads the engine,
 * and tells the job watch under its lock, so jobs may be wrapped from many
 * threads), ctr_engine_free().
 *
 * Ownership: the engine is the caller's; strings it returns are borrowed
 * and live until ctr_engine_free().
 */
struct ctr_engine;

int ctr_engine_new(struct ctr_engine **out, const char *name, const struct config *cfg);
/*
 * Checks [defaults] ccache_remote and distcc_hosts as the config gives
 * them, before any engine exists: their syntax, and ccache = no with
 * either (a configuration error, where a missing ccache is not).
 */
int ctr_engine_check_config(const struct config *cfg);
/*
 * Why bwrap and podman jobs would share the host's network under cfg (a
 * sentence for doctor), or NULL when they get none: distcc's TCP hosts and
 * redis:// go through the relay, file: and redis+unix: are bound.
 */
const char *ctr_engine_network_reason(const struct config *cfg);
/* As ctr_engine_new() without the probe: for `image build` and tests. */
int ctr_engine_new_unprobed(struct ctr_engine **out, const char *name,
			    const struct config *cfg);
void ctr_engine_free(struct ctr_engine *e);

/* "host", "bwrap", "podman" or "docker" (never "auto"). */
const char *ctr_engine_name(const struct ctr_engine *e);
/* The image of podman and docker, NULL for the others. */
const char *ctr_engine_image(const struct ctr_engine *e);
/* The shared ccache directory (absolute; created by ctr_engine_new()). */
const char *ctr_engine_ccache_dir(const struct ctr_engine *e);
/*
 * Whether compilers run through ccache in this engine: [defaults] ccache
 * = yes, or auto (the default) where ccache is installed on the host
 * (host, bwrap) or the engine runs the support image, which ships it.
 * No engine (NULL, jobs on the host as they are) uses none.
 */
bool ctr_engine_uses_ccache(const struct ctr_engine *e);

/*
 * Calls fn(data) once, before the first job wrapped from now on, and
 * notes that a job started; fn NULL stops calling and clears the note.
 * A run that wants a reading before its first job (ccache's counters)
 * takes it there, so a run that starts no job spawns nothing. fn runs
 * under a lock: jobs wrapped from other threads wait until it returned.
 */
int ctr_engine_watch_jobs(struct ctr_engine *e, void (*fn)(void *), void *data);
/* Whether a job was wrapped since ctr_engine_watch_jobs(). */
bool ctr_engine_jobs_started(const struct ctr_engine *e);

/*
 * [defaults] ccache_remote, ccache's second level behind the local
 * directory, as reports may show it (no password); NULL when unset.
 */
const char *ctr_engine_ccache_remote(const struct ctr_engine *e);
/*
 * The jobs [defaults] distcc_hosts takes at once, 0 when unset. Compiles
 * through ccache go out to these hosts (ccache's prefix command);
 * checkers that are not compilers (sparse, smatch) do not go through
 * ccache and stay here.
 */
unsigned int ctr_engine_distcc_slots(const struct ctr_engine *e);

/*
 * Declares what jobs may see: path (absolute) is mounted at the same path
 * inside, read-only unless writable. Binding a path twice keeps the
 * last mode. Parents are mounted before their children, whatever the
 * order of the calls.
 */
int ctr_engine_bind(struct ctr_engine *e, const char *path, bool writable);

/*
 * Rewrites p (args, env and dir as filled in for the host) so that it
 * runs inside the engine. Call it after filling p in and before
 * proc_start(); p->dir must be one of the bound paths or below one.
 */
int ctr_engine_wrap(const struct ctr_engine *e, struct proc *p);

#endif
