/* test_ctr_engine.c: the exact argv each engine makes of a job, binds, the
 * ccache directory and counters, the probe's memory and the first-job watch.
 * Nothing here runs a real engine: a script stands in for bwrap. */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/stat.h>

#include "config.h"
#include "ccache.h"
#include "engine.h"
#include "error.h"
#include "fs.h"
#include "proc.h"
#include "scratch.h"
#include "strbuf.h"

static char cache_home[] = "/tmp/test_ctr_engine.XXXXXX";
static char ccache_dir[128];
static char user[64];

static int setup(void **state)
{
	if (!mkdtemp(cache_home))
		return -1;
	setenv("XDG_CACHE_HOME", cache_home, 1);
	snprintf(ccache_dir, sizeof(ccache_dir), "%s/mkt-gate/ccache", cache_home);
	snprintf(user, sizeof(user), "%lu:%lu", (unsigned long)getuid(),
		 (unsigned long)getgid());
	return 0;
}

static int teardown(void **state)
{
	return gate_remove_tree(cache_home);
}

static struct ctr_engine *new_engine(const char *name, const char *conf)
{
	struct ctr_engine *e = NULL;
	struct config *cfg = NULL;

	assert_int_equal(config_new(&cfg), 0);
	if (conf)
		assert_int_equal(config_load_string(cfg, "/r/.mkt-gate.conf", conf), 0);
	assert_int_equal(ctr_engine_new_unprobed(&e, name, cfg), 0);
	config_free(cfg);
	assert_true(ctr_engine_bind(e, "/w/build/", true) == 0);
	assert_true(ctr_engine_bind(e, "/w", false) == 0);
	return e;
}

/* A compile job as the gate fills it in for the host. */
static void job(struct proc *p)
{
	proc_init(p);
	strvec_pushv(&p->args, (const char *[]){ "cc", "-c", "a.c", "-o", "a.o", NULL });
	strvec_pushv(&p->env, (const char *[]){ "LC_ALL=C", "GIT_DIR", NULL });
	p->dir = "/w/build";
}

static void expect_argv(const struct strvec *got, const char *const *want)
{
	size_t i;

	for (i = 0; want[i] && i < got->nr; i++)
		if (strcmp(got->v[i], want[i]))
			fail_msg("argv[%zu] is '%s', want '%s'", i, got->v[i], want[i]);
	if (want[i] || i != got->nr)
		fail_msg("argv has %zu words, want %zu", got->nr, i + (want[i] ? 1 : 0));
}

static void test_ctr_engine_host_changes_only_env(void **state)
{
	struct ctr_engine *e = new_engine("host", NULL);
	struct strbuf want = STRBUF_INIT;
	struct proc p;

	job(&p);
	assert_string_equal(ctr_engine_name(e), "host");
	assert_null(ctr_engine_image(e));
	assert_string_equal(ctr_engine_ccache_dir(e), ccache_dir);
	assert_int_equal(access(ccache_dir, W_OK), 0);
	assert_int_equal(ctr_engine_wrap(e, &p), 0);
	expect_argv(&p.args, (const char *[]){ "cc", "-c", "a.c", "-o", "a.o", NULL });
	strbuf_addf(&want, "CCACHE_DIR=%s", ccache_dir);
	expect_argv(&p.env, (const char *[]){ "LC_ALL=C", "GIT_DIR", want.buf, NULL });
	assert_string_equal(p.dir, "/w/build");
	strbuf_dispose(&want);
	proc_dispose(&p);
	ctr_engine_free(e);
}

static void test_ctr_engine_bwrap_argv(void **state)
{
	struct ctr_engine *e = new_engine("bwrap", "[engine.bwrap]\nextra_args = --cap-drop ALL\n");
	struct proc p;

	job(&p);
	assert_string_equal(ctr_engine_name(e), "bwrap");
	assert_int_equal(ctr_engine_wrap(e, &p), 0);
	expect_argv(&p.args, (const char *[]){ "bwrap",
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
		"--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp",
		"--unshare-all", "--die-with-parent", "--new-session",
		"--ro-bind", "/w", "/w",
		"--bind", "/w/build", "/w/build",
		"--bind", ccache_dir, ccache_dir,
		"--setenv", "CCACHE_DIR", ccache_dir,
		"--chdir", "/w/build",
		"--cap-drop", "ALL",
		"--", "cc", "-c", "a.c", "-o", "a.o", NULL });
	/* bwrap inherits the environment it is given, unsets included. */
	expect_argv(&p.env, (const char *[]){ "LC_ALL=C", "GIT_DIR", NULL });
	proc_dispose(&p);
	ctr_engine_free(e);
}

static void expect_container_argv(const char *name, const char *image, const char *extra)
{
	struct ctr_engine *e = new_engine(name, extra);
	struct strbuf ro = STRBUF_INIT, rw = STRBUF_INIT, cc = STRBUF_INIT, ccv = STRBUF_INIT;
	struct proc p;

	job(&p);
	strbuf_addstr(&ro, "/w:/w:ro");
	strbuf_addstr(&rw, "/w/build:/w/build");
	strbuf_addf(&cc, "CCACHE_DIR=%s", ccache_dir);
	strbuf_addf(&ccv, "%s:%s", ccache_dir, ccache_dir);
	assert_string_equal(ctr_engine_image(e), image);
	assert_int_equal(ctr_engine_wrap(e, &p), 0);
	if (extra)
		expect_argv(&p.args, (const char *[]){ name, "run", "--rm", "--pull=never",
			"--network=none", "--read-only", "--tmpfs", "/tmp", "--user", user,
			"-v", ro.buf, "-v", rw.buf,
			"-v", ccv.buf, "-e", cc.buf, "-e", "LC_ALL=C", "-w", "/w/build",
			"--security-opt", "label=disable", image,
			"cc", "-c", "a.c", "-o", "a.o", NULL });
	else
		expect_argv(&p.args, (const char *[]){ name, "run", "--rm", "--pull=never",
			"--network=none", "--read-only", "--tmpfs", "/tmp", "--user", user,
			"-v", ro.buf, "-v", rw.buf,
			"-v", ccv.buf, "-e", cc.buf, "-e", "LC_ALL=C", "-w", "/w/build", image,
			"cc", "-c", "a.c", "-o", "a.o", NULL });
	/* The environment went into the container; podman itself gets ours. */
	assert_int_equal(p.env.nr, 0);
	strbuf_dispose(&ro);
	strbuf_dispose(&rw);
	strbuf_dispose(&cc);
	strbuf_dispose(&ccv);
	proc_dispose(&p);
	ctr_engine_free(e);
}

static void test_ctr_engine_podman_argv(void **state)
{
	expect_container_argv("podman", "mkt-gate-support:latest", NULL);
	expect_container_argv("podman", "reg.example.org/k/support:1",
			      "[engine.podman]\nimage = reg.example.org/k/support:1\n"
			      "extra_args = --security-opt label=disable\n");
}

static void test_ctr_engine_docker_argv(void **state)
{
	expect_container_argv("docker", "mkt-gate-support:latest", NULL);
	expect_container_argv("docker", "img:2", "[engine.docker]\nimage = img:2\n"
			      "extra_args = --security-opt \"label=disable\"\n");
}

static void test_ctr_engine_podman_without_dir(void **state)
{
	struct ctr_engine *e = new_engine("podman", "[engine.podman]\ncommand = /opt/podman\n");
	struct proc p;

	proc_init(&p);
	strvec_push(&p.args, "true");
	assert_int_equal(ctr_engine_wrap(e, &p), 0);
	assert_string_equal(p.args.v[0], "/opt/podman");
	assert_int_equal(strvec_find(&p.args, "-w"), -1);
	assert_string_equal(p.args.v[p.args.nr - 1], "true");
	assert_string_equal(p.args.v[p.args.nr - 2], "mkt-gate-support:latest");
	proc_dispose(&p);
	ctr_engine_free(e);
}

static void test_ctr_engine_bind_rules(void **state)
{
	struct ctr_engine *e = new_engine("podman", NULL);
	struct proc p;

	assert_int_equal(ctr_engine_bind(e, "relative/path", true), -1);
	assert_string_equal(gate_error_last(), "cannot bind 'relative/path': not an absolute path");
	/* Binding again changes the mode; /w is now writable. */
	assert_int_equal(ctr_engine_bind(e, "/w", true), 0);
	assert_int_equal(ctr_engine_bind(e, "/a:b", false), 0);
	proc_init(&p);
	strvec_push(&p.args, "true");
	assert_int_equal(ctr_engine_wrap(e, &p), -1);
	assert_string_equal(gate_error_last(), "cannot mount '/a:b' in a container: it holds a ':'");
	proc_dispose(&p);
	ctr_engine_free(e);

	e = new_engine("bwrap", NULL);
	assert_int_equal(ctr_engine_bind(e, "/w", true), 0);
	proc_init(&p);
	strvec_push(&p.args, "true");
	assert_int_equal(ctr_engine_wrap(e, &p), 0);
	assert_true(strvec_find(&p.args, "/w") > 0);
	assert_string_equal(p.args.v[strvec_find(&p.args, "/w") - 1], "--bind");
	proc_dispose(&p);
	ctr_engine_free(e);
}

static void test_ctr_engine_names(void **state)
{
	struct ctr_engine *e = NULL;

	assert_int_equal(ctr_engine_new_unprobed(&e, "lxc", NULL), -1);
	assert_null(e);
	assert_string_equal(gate_error_last(), "unknown engine 'lxc'");
	assert_string_equal(gate_error_last_hint(),
			    "engines are host, bwrap, podman, docker and auto");
	assert_int_equal(ctr_engine_new_unprobed(&e, "auto", NULL), 0);
	assert_string_equal(ctr_engine_name(e), "bwrap");
	ctr_engine_free(e);
	ctr_engine_free(NULL);
	/* The host engine needs nothing, so its probe always passes. */
	assert_int_equal(ctr_engine_new(&e, "host", NULL), 0);
	ctr_engine_free(e);
}

static void test_ctr_engine_ccache_dir_from_config(void **state)
{
	struct strbuf conf = STRBUF_INIT, dir = STRBUF_INIT;
	struct ctr_engine *e;

	strbuf_addf(&dir, "%s/shared-ccache", cache_home);
	strbuf_addf(&conf, "[engine.bwrap]\nccache_dir = %s\n", dir.buf);
	e = new_engine("bwrap", conf.buf);
	assert_string_equal(ctr_engine_ccache_dir(e), dir.buf);
	assert_int_equal(access(dir.buf, W_OK), 0);
	ctr_engine_free(e);
	strbuf_dispose(&conf);
	strbuf_dispose(&dir);
}

/* ccache = yes|no wins; auto follows the host (bwrap) or the support image. */
static void test_ctr_engine_uses_ccache(void **state)
{
	struct ctr_engine *e;

	e = new_engine("bwrap", "[defaults]\nccache = no\n");
	assert_false(ctr_engine_uses_ccache(e));
	ctr_engine_free(e);
	e = new_engine("host", "[defaults]\nccache = yes\n");
	assert_true(ctr_engine_uses_ccache(e));
	ctr_engine_free(e);
	e = new_engine("host", "");
	assert_int_equal(ctr_engine_uses_ccache(e), proc_which("ccache", NULL));
	ctr_engine_free(e);
	e = new_engine("podman", "[engine.podman]\nimage = my-own:1\n");
	assert_false(ctr_engine_uses_ccache(e));
	ctr_engine_free(e);
}

static void test_ctr_engine_missing_command_fails_probe(void **state)
{
	struct ctr_engine *e = NULL;
	struct config *cfg = NULL;

	assert_int_equal(config_new(&cfg), 0);
	assert_int_equal(config_load_string(cfg, "/r/c.conf",
					    "[engine.podman]\ncommand = /nonexistent/podman\n"), 0);
	assert_int_equal(ctr_engine_new(&e, "podman", cfg), -1);
	assert_null(e);
	assert_string_equal(gate_error_last(),
			    "engine 'podman' needs '/nonexistent/podman', which is not installed");
	config_free(cfg);
}

static void test_ctr_ccache_stats_parse(void **state)
{
	struct ctr_ccache_stats before, after, d;

	assert_int_equal(ctr_ccache_stats_parse("autoconf_test\t0\ncache_miss\t3\n"
						"direct_cache_hit\t5\npreprocessed_cache_hit\t2\n"
						"direct_cache_miss\t9\n", &before), 0);
	assert_int_equal(before.hits, 7);
	assert_int_equal(before.misses, 3);
	assert_int_equal(ctr_ccache_stats_parse("cache_miss\t4\ndirect_cache_hit\t15\n",
						&after), 0);
	d = ctr_ccache_stats_diff(&before, &after);
	assert_int_equal(d.hits, 8);
	assert_int_equal(d.misses, 1);
	d = ctr_ccache_stats_diff(&after, &before);
	assert_int_equal(d.hits, 0);
	assert_int_equal(d.misses, 0);
	assert_int_equal(ctr_ccache_stats_parse("Cacheable calls: 3 / 3\n", &d), -1);
	assert_int_equal(ctr_ccache_stats_parse("", &d), -1);
}

static void test_ctr_ccache_stats_local_and_remote(void **state)
{
	struct ctr_ccache_stats before, after, d;

	assert_int_equal(ctr_ccache_stats_parse("cache_miss\t1\ndirect_cache_hit\t2\n"
						"local_storage_hit\t2\nremote_storage_hit\t0\n",
						&before), 0);
	assert_int_equal(ctr_ccache_stats_parse("cache_miss\t1\ndirect_cache_hit\t9\n"
						"preprocessed_cache_hit\t1\n"
						"local_storage_hit\t3\nremote_storage_hit\t7\n"
						"remote_storage_error\t2\nremote_storage_timeout\t1\n",
						&after), 0);
	d = ctr_ccache_stats_diff(&before, &after);
	assert_int_equal(d.hits, 8);
	assert_int_equal(d.local_hits, 1);
	assert_int_equal(d.remote_hits, 7);
	assert_int_equal(d.remote_errors, 3);
}

/* Scheme, host, port and path as ccache reads them; passwords never shown. */
static void test_ctr_ccache_remote_parse(void **state)
{
	struct ctr_ccache_remote r;

	assert_int_equal(ctr_ccache_remote_parse(&r, "redis://u:secret@cache.lab:7000/2"), 0);
	assert_int_equal(r.scheme, CTR_CCACHE_REDIS);
	assert_string_equal(r.host, "cache.lab");
	assert_int_equal(r.port, 7000);
	assert_string_equal(r.shown, "redis://cache.lab:7000/2");
	ctr_ccache_remote_dispose(&r);
	assert_int_equal(ctr_ccache_remote_parse(&r, "redis://[::1]|connect-timeout=50"), 0);
	assert_string_equal(r.host, "::1");
	assert_int_equal(r.port, 6379);
	ctr_ccache_remote_dispose(&r);
	assert_int_equal(ctr_ccache_remote_parse(&r, "http://web/ccache|layout=bazel"), 0);
	assert_int_equal(r.scheme, CTR_CCACHE_HTTP);
	assert_string_equal(r.host, "web");
	assert_int_equal(r.port, 80);
	assert_string_equal(r.shown, "http://web/ccache|layout=bazel");
	ctr_ccache_remote_dispose(&r);
	assert_int_equal(ctr_ccache_remote_parse(&r, "redis+unix:///run/r.sock?db=1"), 0);
	assert_null(r.host);
	assert_string_equal(r.path, "/run/r.sock");
	ctr_ccache_remote_dispose(&r);
	assert_int_equal(ctr_ccache_remote_parse(&r, "file:/srv/ccache"), 0);
	assert_string_equal(r.path, "/srv/ccache");
	ctr_ccache_remote_dispose(&r);
	assert_int_equal(ctr_ccache_remote_parse(&r, "ftp://h"), -1);
	assert_string_equal(gate_error_last(), "bad [defaults] ccache_remote 'ftp://h': "
			    "ccache's remote storages are redis, redis+unix, http and file");
	assert_int_equal(ctr_ccache_remote_parse(&r, "redis://h:99999"), -1);
	assert_int_equal(ctr_ccache_remote_parse(&r, "redis://:1"), -1);
	assert_int_equal(ctr_ccache_remote_parse(&r, "file:srv"), -1);
	assert_null(r.shown);
}

static bool has_words(const struct strvec *v, const char *a, const char *b)
{
	for (size_t i = 0; i + 1 < v->nr; i++)
		if (!strcmp(v->v[i], a) && !strcmp(v->v[i + 1], b))
			return true;
	return false;
}

/* The value of "--setenv NAME VALUE" in args, or NULL. */
static const char *setenv_of(const struct strvec *args, const char *name)
{
	for (size_t i = 0; i + 2 < args->nr; i++)
		if (!strcmp(args->v[i], "--setenv") && !strcmp(args->v[i + 1], name))
			return args->v[i + 2];
	return NULL;
}

/* redis:// through the relay keeps password, database and attributes. */
static void test_ctr_ccache_remote_relayed(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	assert_int_equal(ctr_ccache_remote_relayed(&sb, "redis://u:pw@cache.lab:7000/2"
						   "|connect-timeout=50", "/t/r/relay1"), 0);
	assert_string_equal(sb.buf, "redis+unix://u:pw@localhost/t/r/relay1?db=2"
			    "|connect-timeout=50");
	strbuf_reset(&sb);
	assert_int_equal(ctr_ccache_remote_relayed(&sb, "redis://[::1]", "/t/r/relay0"), 0);
	assert_string_equal(sb.buf, "redis+unix:///t/r/relay0");
	strbuf_reset(&sb);
	assert_int_equal(ctr_ccache_remote_relayed(&sb, "redis://h/", "/s"), 0);
	assert_string_equal(sb.buf, "redis+unix:///s");
	strbuf_dispose(&sb);
}

/* In a sandbox redis goes through the relay; http, which ccache cannot relay, gets the network. */
static void test_ctr_engine_remote_redis_relayed(void **state)
{
	struct ctr_engine *e;
	const char *v;
	struct proc p;

	e = new_engine("bwrap", "[defaults]\nccache = yes\n"
		       "ccache_remote = redis://pw@127.0.0.1:7000/2\n");
	job(&p);
	assert_int_equal(ctr_engine_wrap(e, &p), 0);
	assert_int_equal(strvec_find(&p.args, "--share-net"), -1);
	v = setenv_of(&p.args, "CCACHE_REMOTE_STORAGE");
	assert_non_null(v);
	assert_true(str_starts_with(v, "redis+unix://pw@localhost/"));
	assert_true(str_ends_with(v, "/relay0?db=2"));
	assert_null(setenv_of(&p.args, "DISTCC_SSH"));
	assert_string_equal(ctr_engine_ccache_remote(e), "redis://127.0.0.1:7000/2");
	proc_dispose(&p);
	ctr_engine_free(e);

	e = new_engine("bwrap", "[defaults]\nccache = yes\n"
		       "ccache_remote = http://web/c\n");
	job(&p);
	assert_int_equal(ctr_engine_wrap(e, &p), 0);
	assert_int_not_equal(strvec_find(&p.args, "--share-net"), -1);
	assert_string_equal(setenv_of(&p.args, "CCACHE_REMOTE_STORAGE"), "http://web/c");
	proc_dispose(&p);
	ctr_engine_free(e);
}

/*
 * distcc goes through ccache's prefix command; TCP hosts through the relay
 * (its directory bound, its script as DISTCC_SSH), so the network stays off.
 */
static void test_ctr_engine_distcc_keeps_network_off(void **state)
{
	struct ctr_engine *e;
	const char *ssh;
	char *dir;
	struct proc p;

	e = new_engine("bwrap", "[defaults]\nccache = yes\n"
		       "distcc_hosts = --randomize 127.0.0.1:4000/3 build2\n");
	assert_int_equal(ctr_engine_distcc_slots(e), 7);
	job(&p);
	assert_int_equal(ctr_engine_wrap(e, &p), 0);
	assert_int_equal(strvec_find(&p.args, "--share-net"), -1);
	assert_false(has_words(&p.args, "--ro-bind-try", "/etc/resolv.conf"));
	assert_true(has_words(&p.args, "CCACHE_PREFIX", "distcc"));
	assert_true(has_words(&p.args, "DISTCC_HOSTS", "--randomize @relay0/3 @relay1/4"));
	ssh = setenv_of(&p.args, "DISTCC_SSH");
	assert_non_null(ssh);
	assert_int_equal(access(ssh, X_OK), 0);
	dir = strndup(ssh, (size_t)(strrchr(ssh, '/') - ssh));
	assert_true(has_words(&p.args, "--ro-bind", dir));
	assert_true(gate_exists_in(dir, "relay1"));
	proc_dispose(&p);
	ctr_engine_free(e);
	assert_false(gate_exists_in(dir, "relay1"));
	assert_int_equal(access(dir, F_OK), -1);
	free(dir);

	e = new_engine("podman", "[defaults]\nccache = yes\ndistcc_hosts = h1\n");
	job(&p);
	assert_int_equal(ctr_engine_wrap(e, &p), 0);
	assert_int_not_equal(strvec_find(&p.args, "--network=none"), -1);
	assert_int_equal(strvec_find(&p.args, "--network=host"), -1);
	assert_int_not_equal(strvec_find(&p.args, "DISTCC_HOSTS=@relay0/4"), -1);
	proc_dispose(&p);
	ctr_engine_free(e);
}

/* ssh hosts of the config need ssh, hence the network; the host engine needs no relay. */
static void test_ctr_engine_distcc_ssh_shares_network(void **state)
{
	struct ctr_engine *e;
	struct proc p;

	e = new_engine("bwrap", "[defaults]\nccache = yes\n"
		       "distcc_hosts = me@b1/2 10.0.0.9/2\n");
	job(&p);
	assert_int_equal(ctr_engine_wrap(e, &p), 0);
	assert_int_not_equal(strvec_find(&p.args, "--share-net"), -1);
	assert_true(has_words(&p.args, "--ro-bind-try", "/etc/resolv.conf"));
	assert_true(has_words(&p.args, "DISTCC_HOSTS", "me@b1/2 @relay0/2"));
	proc_dispose(&p);
	ctr_engine_free(e);

	e = new_engine("host", "[defaults]\nccache = yes\ndistcc_hosts = 10.0.0.9/2\n");
	job(&p);
	assert_int_equal(ctr_engine_wrap(e, &p), 0);
	assert_int_not_equal(strvec_find(&p.env, "DISTCC_HOSTS=10.0.0.9/2"), -1);
	proc_dispose(&p);
	ctr_engine_free(e);
}

/* A remote storage over a unix socket is bound; the network stays off. */
static void test_ctr_engine_remote_socket_keeps_network_off(void **state)
{
	struct ctr_engine *e = new_engine("bwrap", "[defaults]\nccache = yes\n"
					  "ccache_remote = redis+unix:/run/r/redis.sock\n");
	struct proc p;

	assert_string_equal(ctr_engine_ccache_remote(e), "redis+unix:/run/r/redis.sock");
	assert_int_equal(ctr_engine_distcc_slots(e), 0);
	job(&p);
	assert_int_equal(ctr_engine_wrap(e, &p), 0);
	assert_int_equal(strvec_find(&p.args, "--share-net"), -1);
	assert_true(has_words(&p.args, "--bind", "/run/r/redis.sock"));
	assert_true(has_words(&p.args, "CCACHE_REMOTE_STORAGE", "redis+unix:/run/r/redis.sock"));
	proc_dispose(&p);
	ctr_engine_free(e);
}

/* Both work through ccache: with it off they are a configuration error. */
static void test_ctr_engine_remote_needs_ccache(void **state)
{
	struct ctr_engine *e = NULL;
	struct config *cfg = NULL;

	assert_int_equal(config_new(&cfg), 0);
	assert_int_equal(config_load_string(cfg, "/r/c.conf", "[defaults]\nccache = no\n"
					    "distcc_hosts = h1 h2\n"), 0);
	assert_int_equal(ctr_engine_new_unprobed(&e, "host", cfg), -1);
	assert_null(e);
	assert_string_equal(gate_error_last(),
			    "[defaults] distcc_hosts needs ccache, which is off here");
	config_free(cfg);
}

static void test_ctr_ccache_stats_of_fresh_dir(void **state)
{
	struct ctr_ccache_stats s = { 42, 42 };
	struct strbuf dir = STRBUF_INIT;

	if (!proc_which("ccache", NULL))
		skip();
	strbuf_addf(&dir, "%s/fresh-ccache", cache_home);
	assert_int_equal(ctr_ccache_stats(dir.buf, &s), 0);
	assert_int_equal(s.hits, 0);
	assert_int_equal(s.misses, 0);
	strbuf_dispose(&dir);
}

/* A stand-in for bwrap that counts its runs in count and exits with rc. */
static void fake_bwrap(struct strbuf *script, struct strbuf *conf, const char *count, int rc)
{
	struct strbuf text = STRBUF_INIT;

	strbuf_reset(script);
	strbuf_reset(conf);
	strbuf_addf(script, "%s/fake-bwrap", cache_home);
	strbuf_addf(&text, "#!/bin/sh\necho run >> %s\nexit %d\n", count, rc);
	assert_int_equal(strbuf_write_file(&text, script->buf), 0);
	assert_int_equal(chmod(script->buf, 0755), 0);
	strbuf_addf(conf, "[engine.bwrap]\ncommand = %s\n", script->buf);
	strbuf_dispose(&text);
}

static int runs_of(const char *count)
{
	struct strbuf text = STRBUF_INIT;
	int n = 0;

	if (strbuf_read_file(&text, count) >= 0) {
		for (size_t i = 0; i < text.len; i++)
			n += text.buf[i] == '\n';
	}
	strbuf_dispose(&text);
	return n;
}

static const char *probed_engine(const char *name, const char *conf)
{
	static char got[16];
	struct ctr_engine *e = NULL;
	struct config *cfg = NULL;

	assert_int_equal(config_new(&cfg), 0);
	assert_int_equal(config_load_string(cfg, "/r/c.conf", conf), 0);
	got[0] = '\0';
	if (!ctr_engine_new(&e, name, cfg))
		snprintf(got, sizeof(got), "%s", ctr_engine_name(e));
	ctr_engine_free(e);
	config_free(cfg);
	return got;
}

/*
 * A bwrap that ran jobs is not probed again until its binary changes; one
 * that could not is probed every time (auto falls back to host each time).
 */
static void test_ctr_engine_probe_remembered(void **state)
{
	struct strbuf script = STRBUF_INIT, conf = STRBUF_INIT, count = STRBUF_INIT;

	strbuf_addf(&count, "%s/probe-runs", cache_home);
	fake_bwrap(&script, &conf, count.buf, 1);
	assert_string_equal(probed_engine("auto", conf.buf), "host");
	assert_string_equal(probed_engine("auto", conf.buf), "host");
	assert_int_equal(runs_of(count.buf), 2);
	assert_string_equal(probed_engine("bwrap", conf.buf), "");

	unlink(count.buf);
	fake_bwrap(&script, &conf, count.buf, 0);
	assert_string_equal(probed_engine("auto", conf.buf), "bwrap");
	assert_string_equal(probed_engine("bwrap", conf.buf), "bwrap");
	assert_string_equal(probed_engine("auto", conf.buf), "bwrap");
	assert_int_equal(runs_of(count.buf), 1);

	/* remembered where the results are: the build dir, when one is set */
	strbuf_addf(&conf, "[defaults]\nbuild_dir = %s/builds\n", cache_home);
	assert_string_equal(probed_engine("bwrap", conf.buf), "bwrap");
	assert_string_equal(probed_engine("bwrap", conf.buf), "bwrap");
	assert_int_equal(runs_of(count.buf), 2);

	/* a new binary (or the same one rebuilt) is probed again */
	fake_bwrap(&script, &conf, count.buf, 10);
	assert_string_equal(probed_engine("auto", conf.buf), "host");
	assert_int_equal(runs_of(count.buf), 3);
	strbuf_dispose(&script);
	strbuf_dispose(&conf);
	strbuf_dispose(&count);
}

static void count_call(void *data)
{
	(*(int *)data)++;
}

/* The watcher hears of the first job only, and again after a new watch. */
static void test_ctr_engine_watch_first_job(void **state)
{
	struct ctr_engine *e = new_engine("host", NULL);
	struct proc p;
	int calls = 0;

	assert_false(ctr_engine_jobs_started(e));
	assert_int_equal(ctr_engine_watch_jobs(e, count_call, &calls), 0);
	assert_false(ctr_engine_jobs_started(e));
	assert_int_equal(calls, 0);
	for (int i = 0; i < 3; i++) {
		proc_init(&p);
		strvec_push(&p.args, "true");
		assert_int_equal(ctr_engine_wrap(e, &p), 0);
		proc_dispose(&p);
	}
	assert_int_equal(calls, 1);
	assert_true(ctr_engine_jobs_started(e));
	assert_int_equal(ctr_engine_watch_jobs(e, NULL, NULL), 0);
	assert_false(ctr_engine_jobs_started(e));
	ctr_engine_free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ctr_engine_host_changes_only_env),
		cmocka_unit_test(test_ctr_engine_bwrap_argv),
		cmocka_unit_test(test_ctr_engine_podman_argv),
		cmocka_unit_test(test_ctr_engine_docker_argv),
		cmocka_unit_test(test_ctr_engine_podman_without_dir),
		cmocka_unit_test(test_ctr_engine_bind_rules),
		cmocka_unit_test(test_ctr_engine_names),
		cmocka_unit_test(test_ctr_engine_ccache_dir_from_config),
		cmocka_unit_test(test_ctr_engine_uses_ccache),
		cmocka_unit_test(test_ctr_engine_missing_command_fails_probe),
		cmocka_unit_test(test_ctr_engine_probe_remembered),
		cmocka_unit_test(test_ctr_engine_watch_first_job),
		cmocka_unit_test(test_ctr_ccache_stats_parse),
		cmocka_unit_test(test_ctr_ccache_stats_local_and_remote),
		cmocka_unit_test(test_ctr_ccache_remote_parse),
		cmocka_unit_test(test_ctr_engine_distcc_keeps_network_off),
		cmocka_unit_test(test_ctr_ccache_remote_relayed),
		cmocka_unit_test(test_ctr_engine_remote_redis_relayed),
		cmocka_unit_test(test_ctr_engine_distcc_ssh_shares_network),
		cmocka_unit_test(test_ctr_engine_remote_socket_keeps_network_off),
		cmocka_unit_test(test_ctr_engine_remote_needs_ccache),
		cmocka_unit_test(test_ctr_ccache_stats_of_fresh_dir),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
