/* test_ctr_run.c: real jobs through ctr_engine_wrap(): a compile, what is
 * writable, no network, file owners, the shared ccache. Engines from CTR_RUN_ENGINES. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "ccache.h"
#include "engine.h"
#include "error.h"
#include "fs.h"
#include "proc.h"
#include "scratch.h"
#include "strbuf.h"

/*
 * CTR_RUN_ENGINES: the engines to run (default: host, and bwrap when
 * installed); CTR_RUN_IMAGE: the image of podman and docker. The
 * integration tests t500 and t510 set them; as a unit test it runs the
 * host and bwrap cases.
 */
#define JOB_TIMEOUT_S 120

static char top[] = "/tmp/test_ctr_run.XXXXXX";
static char src[64], build[64], outside[64];
static struct strvec engines = STRVEC_INIT;

static int write_text(const char *path, const char *text)
{
	struct strbuf sb = STRBUF_INIT;
	int ret = strbuf_addstr(&sb, text) || strbuf_write_file(&sb, path);

	strbuf_dispose(&sb);
	return ret;
}

static int setup(void **state)
{
	const char *env = getenv("CTR_RUN_ENGINES");
	char path[96], cache[64];

	if (!mkdtemp(top))
		return -1;
	snprintf(src, sizeof(src), "%s/src", top);
	snprintf(build, sizeof(build), "%s/build", top);
	snprintf(outside, sizeof(outside), "%s/outside", top);
	snprintf(cache, sizeof(cache), "%s/cache", top);
	snprintf(path, sizeof(path), "%s/a.c", src);
	setenv("XDG_CACHE_HOME", cache, 1);
	if (gate_mkdirs(src) || gate_mkdirs(build) || gate_mkdirs(outside) ||
	    write_text(path, "#include <stdio.h>\n\n"
		       "int main(void)\n{\n\treturn puts(\"hi\") < 0;\n}\n"))
		return -1;
	if (env)
		return strvec_split(&engines, env);
	strvec_push(&engines, "host");
	if (proc_which("bwrap", NULL))
		strvec_push(&engines, "bwrap");
	return 0;
}

static int teardown(void **state)
{
	strvec_dispose(&engines);
	return gate_remove_tree(top);
}

/* The engine, probed, with the source read-only and the build dir writable. */
static struct ctr_engine *open_engine(const char *name)
{
	const char *image = getenv("CTR_RUN_IMAGE");
	struct strbuf conf = STRBUF_INIT;
	struct ctr_engine *e = NULL;
	struct config *cfg = NULL;

	assert_int_equal(config_new(&cfg), 0);
	if (image) {
		strbuf_addf(&conf, "[engine.%s]\nimage = %s\n", name, image);
		assert_int_equal(config_load_string(cfg, CONFIG_CMDLINE, conf.buf), 0);
	}
	if (ctr_engine_new(&e, name, cfg))
		fail_msg("engine '%s': %s (%s)", name, gate_error_last(), gate_error_last_hint());
	assert_int_equal(ctr_engine_bind(e, src, false), 0);
	assert_int_equal(ctr_engine_bind(e, build, true), 0);
	config_free(cfg);
	strbuf_dispose(&conf);
	return e;
}

/* Runs args in the build dir through e; returns the exit status. */
static int run(const struct ctr_engine *e, const char *const *args, struct strbuf *out)
{
	struct proc p;
	int status;

	proc_init(&p);
	strvec_pushv(&p.args, args);
	strvec_push(&p.env, "LC_ALL=C");
	p.dir = build;
	assert_int_equal(ctr_engine_wrap(e, &p), 0);
	strbuf_reset(out);
	status = proc_capture(&p, out, NULL, JOB_TIMEOUT_S);
	proc_dispose(&p);
	return status;
}

static void expect_owned_by_user(const char *path)
{
	struct stat st;

	assert_int_equal(stat(path, &st), 0);
	if (st.st_uid != getuid() || st.st_gid != getgid())
		fail_msg("'%s' belongs to %lu:%lu, not to %lu:%lu", path,
			 (unsigned long)st.st_uid, (unsigned long)st.st_gid,
			 (unsigned long)getuid(), (unsigned long)getgid());
}

static void test_ctr_run_compile(void **state)
{
	struct strbuf out = STRBUF_INIT, obj = STRBUF_INIT, exe = STRBUF_INIT;

	for (size_t i = 0; i < engines.nr; i++) {
		struct ctr_engine *e = open_engine(engines.v[i]);

		strbuf_reset(&obj);
		strbuf_addf(&obj, "%s/a-%s.o", build, engines.v[i]);
		strbuf_reset(&exe);
		strbuf_addf(&exe, "%s/a-%s", build, engines.v[i]);
		if (run(e, (const char *[]){ "cc", "-Wall", "-c", "../src/a.c", "-o", obj.buf,
			NULL }, &out))
			fail_msg("%s: compile failed: %s", engines.v[i], out.buf);
		if (run(e, (const char *[]){ "cc", obj.buf, "-o", exe.buf, NULL }, &out) ||
		    run(e, (const char *[]){ exe.buf, NULL }, &out))
			fail_msg("%s: link or run failed: %s", engines.v[i], out.buf);
		assert_string_equal(out.buf, "hi\n");
		expect_owned_by_user(obj.buf);
		expect_owned_by_user(exe.buf);
		ctr_engine_free(e);
	}
	strbuf_dispose(&out);
	strbuf_dispose(&obj);
	strbuf_dispose(&exe);
}

static void test_ctr_run_only_build_dir_writable(void **state)
{
	struct strbuf out = STRBUF_INIT, f = STRBUF_INIT, cmd = STRBUF_INIT;

	for (size_t i = 0; i < engines.nr; i++) {
		struct ctr_engine *e;

		if (!strcmp(engines.v[i], "host"))
			continue;
		e = open_engine(engines.v[i]);
		strbuf_reset(&f);
		strbuf_addf(&f, "%s/made-by-%s", build, engines.v[i]);
		strbuf_reset(&cmd);
		strbuf_addf(&cmd, "echo x > %s", f.buf);
		assert_int_equal(run(e, (const char *[]){ "sh", "-c", cmd.buf, NULL }, &out), 0);
		expect_owned_by_user(f.buf);
		strbuf_reset(&cmd);
		strbuf_addf(&cmd, "echo x > %s/new.c", src);
		assert_int_not_equal(run(e, (const char *[]){ "sh", "-c", cmd.buf, NULL },
					 &out), 0);
		strbuf_reset(&cmd);
		strbuf_addf(&cmd, "ls %s || echo x > %s/new", outside, outside);
		assert_int_not_equal(run(e, (const char *[]){ "sh", "-c", cmd.buf, NULL },
					 &out), 0);
		assert_int_not_equal(run(e, (const char *[]){ "sh", "-c", "echo x > /usr/x", NULL },
					 &out), 0);
		ctr_engine_free(e);
	}
	strbuf_reset(&f);
	strbuf_addf(&f, "%s/new.c", src);
	assert_int_not_equal(access(f.buf, F_OK), 0);
	strbuf_dispose(&out);
	strbuf_dispose(&f);
	strbuf_dispose(&cmd);
}

static void test_ctr_run_no_network(void **state)
{
	struct strbuf out = STRBUF_INIT;

	for (size_t i = 0; i < engines.nr; i++) {
		struct ctr_engine *e;

		if (!strcmp(engines.v[i], "host"))
			continue;
		e = open_engine(engines.v[i]);
		assert_int_not_equal(run(e, (const char *[]){ "getent", "hosts",
					 "deb.debian.org", NULL }, &out), 0);
		assert_int_not_equal(run(e, (const char *[]){ "bash", "-c",
					 ": > /dev/tcp/127.0.0.1/22 || : > /dev/tcp/1.1.1.1/80",
					 NULL }, &out), 0);
		/* Only the loopback interface, and it is down or alone. */
		assert_int_equal(run(e, (const char *[]){ "cat", "/proc/net/dev", NULL }, &out), 0);
		assert_null(strstr(out.buf, "eth0"));
		ctr_engine_free(e);
	}
	strbuf_dispose(&out);
}

static void test_ctr_run_ccache_is_shared(void **state)
{
	struct ctr_ccache_stats before, after, d;
	struct strbuf out = STRBUF_INIT;
	struct ctr_engine *e;

	if (!proc_which("ccache", NULL))
		skip();
	for (size_t i = 0; i < engines.nr; i++) {
		e = open_engine(engines.v[i]);
		assert_int_equal(ctr_ccache_stats(ctr_engine_ccache_dir(e), &before), 0);
		for (int k = 0; k < 2; k++)
			if (run(e, (const char *[]){ "ccache", "cc", "-c", "../src/a.c", "-o",
				"cc.o", NULL }, &out))
				fail_msg("%s: ccache cc failed: %s", engines.v[i], out.buf);
		assert_int_equal(ctr_ccache_stats(ctr_engine_ccache_dir(e), &after), 0);
		d = ctr_ccache_stats_diff(&before, &after);
		/* The first engine misses once and hits once; later ones only hit. */
		assert_int_equal(d.hits + d.misses, 2);
		assert_true(d.hits >= 1);
		ctr_engine_free(e);
	}
	strbuf_dispose(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ctr_run_compile),
		cmocka_unit_test(test_ctr_run_only_build_dir_writable),
		cmocka_unit_test(test_ctr_run_no_network),
		cmocka_unit_test(test_ctr_run_ccache_is_shared),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
