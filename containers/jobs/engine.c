/* engine.c: creates, probes and frees engines, and keeps their bound paths.
 * The argv rewriting is bwrap.c's and podman.c's; never prints or exits. */
#include "engine.h"
#include "engine_int.h"
#include "alloc.h"
#include "ccache.h"
#include "distcc.h"
#include "error.h"
#include "fs.h"
#include "proc.h"
#include "strbuf.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CTR_DEFAULT_IMAGE "mkt-gate-support:latest"
/* bwrap starts in milliseconds; a container may take a while the first time. */
#define PROBE_TIMEOUT_BWRAP_S 15
#define PROBE_TIMEOUT_CTR_S 120

static const char *const kind_names[] = { "host", "bwrap", "podman", "docker" };

struct ctr_job_watch {
	pthread_mutex_t lock;
	void (*fn)(void *);
	void *data;
	bool started;
};

static int kind_of(const char *name, enum ctr_kind *out)
{
	for (size_t i = 0; i < sizeof(kind_names) / sizeof(kind_names[0]); i++) {
		if (!strcmp(name, kind_names[i])) {
			*out = (enum ctr_kind)i;
			return 0;
		}
	}
	gate_error("unknown engine '%s'", name);
	return gate_error_hint("engines are host, bwrap, podman, docker and auto");
}

static int set_string(char **dst, const char *value)
{
	free(*dst);
	*dst = strdup(value);
	return *dst ? 0 : gate_error("out of memory");
}

/* [engine.NAME] command, image, extra_args and ccache_dir, or their defaults. */
static int read_config(struct ctr_engine *e, const struct config *cfg)
{
	struct strbuf sec = STRBUF_INIT, ccache = STRBUF_INIT;
	const char *name = kind_names[e->kind], *v;
	int ret = -1, got = 0;

	if (strbuf_addf(&sec, "engine.%s", name))
		goto out;
	v = cfg ? config_get(cfg, sec.buf, "command") : NULL;
	if (e->kind != CTR_HOST && set_string(&e->command, v ? v : name))
		goto out;
	v = cfg ? config_get(cfg, sec.buf, "image") : NULL;
	if ((e->kind == CTR_PODMAN || e->kind == CTR_DOCKER) &&
	    set_string(&e->image, v ? v : CTR_DEFAULT_IMAGE))
		goto out;
	v = cfg ? config_get(cfg, sec.buf, "extra_args") : NULL;
	if (v && strvec_split(&e->extra_args, v))
		goto out;
	if (cfg)
		got = config_get_path(cfg, sec.buf, "ccache_dir", &ccache);
	if (got < 0 || (!got && ctr_ccache_default_dir(&ccache)))
		goto out;
	e->ccache_dir = strbuf_detach(&ccache, NULL);
	v = cfg ? config_get(cfg, "defaults", "ccache") : NULL;
	if (v && strcmp(v, "auto"))
		e->ccache = !strcmp(v, "yes");
	else if (e->kind == CTR_HOST || e->kind == CTR_BWRAP)
		e->ccache = proc_which("ccache", NULL);
	else
		e->ccache = !strcmp(e->image, CTR_DEFAULT_IMAGE);
	ret = 0;
out:
	strbuf_dispose(&sec);
	strbuf_dispose(&ccache);
	return ret;
}

/* A value that is unset or empty (a higher layer's way to unset it): NULL. */
static const char *config_value(const struct config *cfg, const char *key)
{
	const char *v = cfg ? config_get(cfg, "defaults", key) : NULL;

	return v && v[strspn(v, " \t")] ? v : NULL;
}

/*
 * A socket of the engine's relay for host:port, created (and its
 * directory bound into jobs) with the first one; its name to *name.
 */
static int relay_add(struct ctr_engine *e, const char *host, unsigned int port,
		     const char **name)
{
	if (!e->relay && (ctr_relay_new(&e->relay) ||
			  ctr_engine_bind(e, ctr_relay_dir(e->relay), false)))
		return -1;
	return ctr_relay_add(e->relay, host, port, name);
}

/*
 * What a remote storage needs inside the job, and the URL the job gets
 * (appended to job): in a sandbox redis:// goes through the relay as
 * redis+unix:, http:// needs the network (ccache has no http over a unix
 * socket), redis+unix: and file: only their socket or directory.
 */
static int remote_access(struct ctr_engine *e, const struct ctr_ccache_remote *r,
			 const char *url, struct strbuf *job)
{
	struct strbuf socket = STRBUF_INIT;
	const char *name;
	int ret;

	if (job->len && strbuf_addch(job, ' '))
		return gate_error("out of memory");
	if (r->host && r->scheme == CTR_CCACHE_REDIS && e->kind != CTR_HOST) {
		ret = relay_add(e, r->host, r->port, &name) ||
		      strbuf_addf(&socket, "%s/%s", ctr_relay_dir(e->relay), name) ||
		      ctr_ccache_remote_relayed(job, url, socket.buf);
		strbuf_dispose(&socket);
		return ret ? -1 : 0;
	}
	if (strbuf_addstr(job, url))
		return gate_error("out of memory");
	if (r->host) {
		e->network = true;
		return 0;
	}
	if (r->scheme == CTR_CCACHE_FILE && gate_mkdirs(r->path))
		return -1;
	return ctr_engine_bind(e, r->path, true);
}

/*
 * Another machine builds in another scratch directory, and ccache hashes
 * absolute paths: with base_dir at the root of the scratch trees
 * ([defaults] build_dir, else the cache root) the paths under it are
 * hashed, and handed to the compiler, relative to the job's directory.
 */
static int read_basedir(struct ctr_engine *e, const struct config *cfg)
{
	struct strbuf dir = STRBUF_INIT;
	int got = config_get_path(cfg, "defaults", "build_dir", &dir), ret = -1;
	char *real = NULL;

	if (got < 0 || (!got && gate_cache_root(&dir)) || gate_mkdirs(dir.buf))
		goto out;
	real = realpath(dir.buf, NULL);
	if (!real) {
		gate_error("cannot resolve '%s': %s", dir.buf, strerror(errno));
		goto out;
	}
	e->ccache_basedir = real;
	ret = 0;
out:
	strbuf_dispose(&dir);
	return ret;
}

/* [defaults] ccache_remote: one URL or several, as ccache takes them. */
static int read_ccache_remote(struct ctr_engine *e, const char *value)
{
	struct strvec urls = STRVEC_INIT;
	struct strbuf shown = STRBUF_INIT, job = STRBUF_INIT;
	struct ctr_ccache_remote r;
	int ret = strvec_split(&urls, value);

	for (size_t i = 0; !ret && i < urls.nr; i++) {
		ret = ctr_ccache_remote_parse(&r, urls.v[i]);
		if (ret)
			break;
		ret = remote_access(e, &r, urls.v[i], &job) ||
		      strbuf_addf(&shown, "%s%s", i ? " " : "", r.shown);
		ctr_ccache_remote_dispose(&r);
	}
	if (!ret) {
		e->ccache_remote = strbuf_detach(&job, NULL);
		e->ccache_remote_shown = strbuf_detach(&shown, NULL);
	}
	strvec_dispose(&urls);
	strbuf_dispose(&shown);
	strbuf_dispose(&job);
	return ret ? -1 : 0;
}

/*
 * In a sandbox, the TCP hosts are reached through the relay: jobs get its
 * directory and "@relayN" ssh hosts instead of a network.
 */
static int relay_hosts(struct ctr_engine *e, const struct ctr_distcc_hosts *hosts,
		       const char *value)
{
	struct strbuf job = STRBUF_INIT;
	const char **names = calloc(hosts->nr + 1, sizeof(*names));
	size_t nr = 0;
	int ret = names ? 0 : gate_error("out of memory");

	for (size_t i = 0; !ret && i < hosts->nr; i++) {
		if (hosts->v[i].kind == CTR_DISTCC_TCP)
			ret = relay_add(e, hosts->v[i].addr, hosts->v[i].port, &names[nr++]);
	}
	if (!ret && ctr_distcc_hosts_relayed(&job, value, names, nr))
		ret = gate_error("out of memory");
	if (!ret)
		e->distcc_hosts = strbuf_detach(&job, NULL);
	free(names);
	strbuf_dispose(&job);
	return ret ? -1 : 0;
}

/* [defaults] distcc_hosts: compiles go out through ccache's prefix command. */
static int read_distcc_hosts(struct ctr_engine *e, const char *value)
{
	struct ctr_distcc_hosts hosts = CTR_DISTCC_HOSTS_INIT;
	struct strbuf dir = STRBUF_INIT;
	int ret = ctr_distcc_hosts_parse(&hosts, value);
	bool tcp = false;

	/* ssh hosts of the config itself need the network, as ssh would */
	for (size_t i = 0; i < hosts.nr; i++) {
		e->network |= hosts.v[i].kind == CTR_DISTCC_SSH;
		tcp |= hosts.v[i].kind == CTR_DISTCC_TCP;
	}
	e->distcc_slots = ctr_distcc_slots(&hosts);
	if (!ret)
		ret = gate_cache_root(&dir) || strbuf_addstr(&dir, "/distcc") ||
		      gate_mkdirs(dir.buf) || ctr_engine_bind(e, dir.buf, true);
	if (!ret && (e->kind == CTR_HOST || !tcp))
		ret = set_string(&e->distcc_hosts, value);
	else if (!ret)
		ret = relay_hosts(e, &hosts, value);
	if (!ret)
		e->distcc_dir = strbuf_detach(&dir, NULL);
	ctr_distcc_hosts_dispose(&hosts);
	strbuf_dispose(&dir);
	return ret ? -1 : 0;
}

static int needs_ccache(const char *remote)
{
	gate_error("[defaults] %s needs ccache, which is off here",
		   remote ? "ccache_remote" : "distcc_hosts");
	return gate_error_hint("install ccache (apt-get install ccache) and set [defaults] ccache = auto or yes");
}

int ctr_engine_check_config(const struct config *cfg)
{
	const char *remote = config_value(cfg, "ccache_remote");
	const char *hosts = config_value(cfg, "distcc_hosts");
	const char *ccache = config_get(cfg, "defaults", "ccache");
	struct ctr_distcc_hosts parsed = CTR_DISTCC_HOSTS_INIT;
	struct strvec urls = STRVEC_INIT;
	struct ctr_ccache_remote r;
	int ret = 0;

	if ((remote || hosts) && ccache && !strcmp(ccache, "no"))
		return needs_ccache(remote);
	if (remote)
		ret = strvec_split(&urls, remote);
	for (size_t i = 0; !ret && i < urls.nr; i++) {
		ret = ctr_ccache_remote_parse(&r, urls.v[i]);
		ctr_ccache_remote_dispose(&r);
	}
	if (!ret && hosts)
		ret = ctr_distcc_hosts_parse(&parsed, hosts);
	ctr_distcc_hosts_dispose(&parsed);
	strvec_dispose(&urls);
	return ret ? -1 : 0;
}

const char *ctr_engine_network_reason(const struct config *cfg)
{
	struct ctr_distcc_hosts hosts = CTR_DISTCC_HOSTS_INIT;
	const char *remote = config_value(cfg, "ccache_remote");
	const char *spec = config_value(cfg, "distcc_hosts");
	const char *why = NULL;
	struct strvec urls = STRVEC_INIT;
	struct ctr_ccache_remote r;

	if (remote && !strvec_split(&urls, remote)) {
		for (size_t i = 0; !why && i < urls.nr; i++) {
			if (!ctr_ccache_remote_parse(&r, urls.v[i]) && r.scheme == CTR_CCACHE_HTTP)
				why = "a ccache_remote over http:// (ccache has no http over a unix socket)";
			ctr_ccache_remote_dispose(&r);
		}
	}
	if (spec && !ctr_distcc_hosts_parse(&hosts, spec)) {
		for (size_t i = 0; !why && i < hosts.nr; i++) {
			if (hosts.v[i].kind == CTR_DISTCC_SSH)
				why = "a distcc host over ssh (USER@HOST)";
		}
	}
	gate_error_clear();
	ctr_distcc_hosts_dispose(&hosts);
	strvec_dispose(&urls);
	return why;
}

/* ccache_remote and distcc_hosts both work through ccache, so they need it. */
static int read_remote(struct ctr_engine *e, const struct config *cfg)
{
	const char *remote = config_value(cfg, "ccache_remote");
	const char *hosts = config_value(cfg, "distcc_hosts");

	if ((remote || hosts) && !e->ccache)
		return needs_ccache(remote);
	if (remote && (read_ccache_remote(e, remote) || read_basedir(e, cfg)))
		return -1;
	if (hosts && read_distcc_hosts(e, hosts))
		return -1;
	return e->relay ? ctr_relay_start(e->relay) : 0;
}

static int engine_create(struct ctr_engine **out, enum ctr_kind kind,
			 const struct config *cfg)
{
	struct ctr_engine *e = calloc(1, sizeof(*e));

	*out = NULL;
	if (!e)
		return gate_error("out of memory");
	e->kind = kind;
	e->uid = getuid();
	e->gid = getgid();
	strvec_init(&e->extra_args);
	if (read_config(e, cfg) || gate_mkdirs(e->ccache_dir) ||
	    ctr_engine_bind(e, e->ccache_dir, true) || read_remote(e, cfg)) {
		ctr_engine_free(e);
		return -1;
	}
	*out = e;
	return 0;
}

int ctr_engine_new_unprobed(struct ctr_engine **out, const char *name,
			    const struct config *cfg)
{
	enum ctr_kind kind = CTR_HOST;

	*out = NULL;
	if (!strcmp(name, "auto"))
		name = "bwrap";
	if (kind_of(name, &kind))
		return -1;
	return engine_create(out, kind, cfg);
}

void ctr_engine_free(struct ctr_engine *e)
{
	if (!e)
		return;
	for (size_t i = 0; i < e->nr_binds; i++)
		free(e->binds[i].path);
	free(e->binds);
	strvec_dispose(&e->extra_args);
	free(e->command);
	free(e->image);
	free(e->ccache_dir);
	free(e->ccache_remote);
	free(e->ccache_remote_shown);
	free(e->ccache_basedir);
	ctr_relay_free(e->relay);
	free(e->distcc_hosts);
	free(e->distcc_dir);
	if (e->watch)
		pthread_mutex_destroy(&e->watch->lock);
	free(e->watch);
	free(e);
}

int ctr_engine_watch_jobs(struct ctr_engine *e, void (*fn)(void *), void *data)
{
	if (!e->watch) {
		e->watch = calloc(1, sizeof(*e->watch));
		if (!e->watch)
			return gate_error("out of memory");
		pthread_mutex_init(&e->watch->lock, NULL);
	}
	pthread_mutex_lock(&e->watch->lock);
	e->watch->fn = fn;
	e->watch->data = data;
	e->watch->started = false;
	pthread_mutex_unlock(&e->watch->lock);
	return 0;
}

bool ctr_engine_jobs_started(const struct ctr_engine *e)
{
	bool started = false;

	if (e->watch) {
		pthread_mutex_lock(&e->watch->lock);
		started = e->watch->started;
		pthread_mutex_unlock(&e->watch->lock);
	}
	return started;
}

/* The watcher's fn before the first job; the others wait for it. */
static void job_starts(const struct ctr_engine *e)
{
	struct ctr_job_watch *w = e->watch;

	if (!w)
		return;
	pthread_mutex_lock(&w->lock);
	if (!w->started && w->fn)
		w->fn(w->data);
	w->started = true;
	pthread_mutex_unlock(&w->lock);
}

const char *ctr_engine_name(const struct ctr_engine *e)
{
	return kind_names[e->kind];
}

const char *ctr_engine_image(const struct ctr_engine *e)
{
	return e->image;
}

const char *ctr_engine_ccache_dir(const struct ctr_engine *e)
{
	return e->ccache_dir;
}

bool ctr_engine_uses_ccache(const struct ctr_engine *e)
{
	return e && e->ccache;
}

const char *ctr_engine_ccache_remote(const struct ctr_engine *e)
{
	return e ? e->ccache_remote_shown : NULL;
}

unsigned int ctr_engine_distcc_slots(const struct ctr_engine *e)
{
	return e ? e->distcc_slots : 0;
}

int ctr_engine_env(const struct ctr_engine *e, struct strvec *out)
{
	int ret = strvec_pushf(out, "CCACHE_DIR=%s", e->ccache_dir);

	if (!ret && e->ccache_remote)
		ret = strvec_pushf(out, "CCACHE_REMOTE_STORAGE=%s", e->ccache_remote) ||
		      strvec_pushf(out, "CCACHE_BASEDIR=%s", e->ccache_basedir);
	if (!ret && e->distcc_hosts)
		ret = strvec_push(out, "CCACHE_PREFIX=distcc") ||
		      strvec_pushf(out, "DISTCC_HOSTS=%s", e->distcc_hosts) ||
		      strvec_pushf(out, "DISTCC_DIR=%s", e->distcc_dir);
	if (!ret && e->distcc_hosts && e->relay)
		ret = strvec_pushf(out, "DISTCC_SSH=%s", ctr_relay_ssh(e->relay));
	return ret ? gate_error("out of memory") : 0;
}

int ctr_engine_bind(struct ctr_engine *e, const char *path, bool writable)
{
	size_t len = strlen(path), i;
	char *copy;

	if (path[0] != '/')
		return gate_error("cannot bind '%s': not an absolute path", path);
	while (len > 1 && path[len - 1] == '/')
		len--;
	for (i = 0; i < e->nr_binds; i++) {
		if (strlen(e->binds[i].path) == len && !strncmp(e->binds[i].path, path, len)) {
			e->binds[i].writable = writable;
			return 0;
		}
	}
	copy = strndup(path, len);
	if (!copy)
		return gate_error("out of memory");
	if (ALLOC_GROW(e->binds, e->nr_binds + 1, e->alloc_binds)) {
		free(copy);
		return -1;
	}
	/* Insert after every path no longer than this one: parents first. */
	for (i = e->nr_binds; i > 0 && strlen(e->binds[i - 1].path) > len; i--)
		e->binds[i] = e->binds[i - 1];
	e->binds[i].path = copy;
	e->binds[i].writable = writable;
	e->nr_binds++;
	return 0;
}

int ctr_engine_wrap(const struct ctr_engine *e, struct proc *p)
{
	if (!p->args.nr)
		GATE_BUG("ctr_engine_wrap() of a proc without arguments");
	job_starts(e);
	switch (e->kind) {
	case CTR_HOST:
		return ctr_engine_env(e, &p->env);
	case CTR_BWRAP:
		return ctr_bwrap_wrap(e, p);
	case CTR_PODMAN:
	case CTR_DOCKER:
		return ctr_podman_wrap(e, p);
	}
	GATE_BUG("unknown engine kind");
}

/* The first line of a tool's output, for an error message. */
static const char *first_line(struct strbuf *sb)
{
	char *nl;

	strbuf_trim_trailing(sb);
	nl = strchr(sb->buf, '\n');
	if (nl)
		*nl = '\0';
	return sb->len ? sb->buf : "no output";
}

/* The hint for what an engine said when it could not run. */
static const char *failure_hint(const struct ctr_engine *e, const char *said)
{
	if (strstr(said, "RLIMIT") || strstr(said, "setrlimit") || strstr(said, "ulimit"))
		return "as root, podman needs default_ulimits = [\"nofile=1024:1024\", \"nproc=4096:4096\"] in [containers] of /etc/containers/containers.conf";
	if (strstr(said, "cgroup"))
		return "set runtime = \"runc\" and cgroup_manager = \"cgroupfs\" in [engine] of /etc/containers/containers.conf";
	if (strstr(said, "Cannot connect") || strstr(said, "daemon"))
		return "start the docker daemon ('systemctl start docker') or use --engine podman or bwrap";
	if (strstr(said, "image not known") || strstr(said, "No such image"))
		return "build the image with 'mkt-gate image build'";
	return e->kind == CTR_BWRAP ?
	       "bwrap needs unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1); or use --engine host" :
	       "run the engine's command by hand to see why, or use --engine bwrap or host";
}

/* Runs `true` through the engine, bounded in time. */
static int probe_run(const struct ctr_engine *e)
{
	struct strbuf out = STRBUF_INIT;
	struct proc p;
	int status, ret = 0;

	proc_init(&p);
	p.silent_exec_failure = true;
	if (strvec_push(&p.args, "true") || ctr_engine_wrap(e, &p)) {
		ret = -1;
		goto out;
	}
	status = proc_capture(&p, &out, NULL, e->kind == CTR_BWRAP ?
			      PROBE_TIMEOUT_BWRAP_S : PROBE_TIMEOUT_CTR_S);
	if (status) {
		const char *said = first_line(&out);

		gate_error("engine '%s' cannot run jobs: %s", ctr_engine_name(e), said);
		gate_error_hint("%s", failure_hint(e, said));
		ret = -1;
	}
out:
	strbuf_dispose(&out);
	proc_dispose(&p);
	return ret;
}

/* Whether the image is there, asked without pulling it. */
static int probe_image(const struct ctr_engine *e)
{
	struct strbuf out = STRBUF_INIT;
	struct proc p;
	int status;

	proc_init(&p);
	strvec_pushv(&p.args, (const char *[]){ e->command, "image", "inspect",
			     "--format", "{{.Id}}", e->image, NULL });
	status = proc_capture(&p, &out, NULL, PROBE_TIMEOUT_CTR_S);
	proc_dispose(&p);
	if (status && (strstr(out.buf, "daemon") || strstr(out.buf, "Cannot connect"))) {
		gate_error("engine '%s' cannot run jobs: %s", ctr_engine_name(e),
			   first_line(&out));
		gate_error_hint("%s", failure_hint(e, out.buf));
	} else if (status) {
		gate_error("image '%s' not found by %s", e->image, e->command);
		gate_error_hint("build it with 'mkt-gate image build --engine %s --name %s'",
				ctr_engine_name(e), e->image);
	}
	strbuf_dispose(&out);
	return status ? -1 : 0;
}

/*
 * A bwrap that ran jobs once runs them again until it or the kernel's
 * namespace settings change: remembered, so a run that starts no job
 * (a cached re-gate) spawns no probe either.
 */
static int probe(const struct ctr_engine *e, const struct config *cfg)
{
	struct strbuf bin = STRBUF_INIT;
	bool bwrap = e->kind == CTR_BWRAP;
	int ret = 0;

	if (e->kind == CTR_HOST)
		return 0;
	if (!proc_which(e->command, &bin)) {
		gate_error("engine '%s' needs '%s', which is not installed", ctr_engine_name(e),
			   e->command);
		ret = gate_error_hint("install it (apt-get install %s) or use --engine host",
				      bwrap ? "bubblewrap" : e->command);
	} else if (bwrap && ctr_probe_memo_has(e, cfg, bin.buf)) {
		ret = 0;
	} else {
		ret = (!bwrap && probe_image(e)) || probe_run(e) ? -1 : 0;
		if (!ret && bwrap)
			ctr_probe_memo_add(e, cfg, bin.buf);
	}
	strbuf_dispose(&bin);
	return ret;
}

int ctr_engine_new(struct ctr_engine **out, const char *name, const struct config *cfg)
{
	bool is_auto = !strcmp(name, "auto");
	int ret = ctr_engine_new_unprobed(out, name, cfg);

	if (!ret)
		ret = probe(*out, cfg);
	if (ret && is_auto) {
		ctr_engine_free(*out);
		gate_error_clear();
		return ctr_engine_new_unprobed(out, "host", cfg);
	}
	if (ret) {
		ctr_engine_free(*out);
		*out = NULL;
	}
	return ret;
}
