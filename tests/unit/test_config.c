/* test_config.c: unit and property tests of the layered INI config.
 * The fuzz cases run thousands of inputs from a fixed seed, so failures repeat. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "error.h"
#include "strbuf.h"
#include "strvec.h"

#define CONFIGS_DIR TEST_DATA_DIR "/../../configs"
#define FUZZ_ORIGIN "/fuzz/dir/f.conf"
#define FAKE_HOME "/home/tester"

static struct config *new_config(void)
{
	struct config *cfg = NULL;

	assert_int_equal(config_new(&cfg), 0);
	assert_non_null(cfg);
	return cfg;
}

/* Loads text as a file at origin and expects it to fail with msg (and hint). */
static void expect_load_error(const char *text, const char *msg, const char *hint)
{
	struct config *cfg = new_config();

	assert_int_equal(config_load_string(cfg, "/r/.mkt-gate.conf", text), -1);
	assert_string_equal(gate_error_last(), msg);
	if (hint)
		assert_string_equal(gate_error_last_hint(), hint);
	config_free(cfg);
}

static void expect_config(const struct config *cfg, const char *section, const char *key,
			 const char *want)
{
	const char *got = config_get(cfg, section, key);

	if (!want) {
		assert_null(got);
		return;
	}
	assert_non_null(got);
	assert_string_equal(got, want);
}

/* Each of the NULL-terminated names is among the sections starting with prefix. */
static void expect_sections(const struct config *cfg, const char *prefix, const char **names)
{
	struct strvec sv = STRVEC_INIT;

	assert_int_equal(config_sections(cfg, prefix, &sv), 0);
	for (; *names; names++)
		if (strvec_find(&sv, *names) < 0)
			fail_msg("no section [%s]", *names);
	strvec_dispose(&sv);
}

static void test_config_builtin_defaults_are_valid(void **state)
{
	struct config *cfg = new_config();
	struct strvec sv = STRVEC_INIT;
	enum finding_severity sev;
	int jobs = 42;

	assert_int_equal(config_load_string(cfg, CONFIG_BUILTIN, gate_default_config), 0);
	assert_int_equal(config_get_list(cfg, "defaults", "analyzers", &sv), 1);
	assert_true(strvec_find(&sv, "gcc") >= 0);
	assert_int_equal(config_get_severity(cfg, "defaults", "fail_on", &sev), 1);
	assert_int_equal(sev, FINDING_WARNING);
	assert_int_equal(config_get_int(cfg, "defaults", "jobs", &jobs), 0);
	assert_int_equal(jobs, 42);
	strvec_dispose(&sv);
	expect_sections(cfg, "analyzer.", (const char *[]){ "analyzer.checkpatch",
			"analyzer.sparse", "analyzer.commit-msg", NULL });
	config_free(cfg);
}

static void test_config_example_files_are_valid(void **state)
{
	struct config *cfg = new_config();

	assert_int_equal(config_load_file(cfg, CONFIGS_DIR "/defaults.conf", true), 0);
	assert_int_equal(config_load_file(cfg, CONFIGS_DIR "/example-kernel.conf", true), 0);
	assert_int_equal(config_load_file(cfg, CONFIGS_DIR "/example-cmake.conf", true), 0);
	expect_sections(cfg, "", (const char *[]){ "gerrit", "cx5-ib", "engine.podman", NULL });
	config_free(cfg);
}

static void test_config_syntax_comments_trimming_continuation(void **state)
{
	struct config *cfg = new_config();
	const char *text =
		"# a comment\n"
		"; another\n"
		"\n"
		"  [ defaults ]  \r\n"
		"\tjobs=4\r\n"
		"analyzers = gcc \\\n"
		"   sparse\\\n"
		"checkpatch\n"
		"arch =   x86_64   \n"
		"cross_compile =\n"
		"[analyzer.gcc]\n"
		"extra_flags = -DX=1 # not a comment\n";

	assert_int_equal(config_load_string(cfg, "/r/c.conf", text), 0);
	expect_config(cfg, "defaults", "jobs", "4");
	expect_config(cfg, "defaults", "analyzers", "gcc sparse checkpatch");
	expect_config(cfg, "defaults", "arch", "x86_64");
	expect_config(cfg, "defaults", "cross_compile", "");
	expect_config(cfg, "analyzer.gcc", "extra_flags", "-DX=1 # not a comment");
	expect_config(cfg, "defaults", "engine", NULL);
	config_free(cfg);
}

static void test_config_unknown_key_names_file_line_and_hint(void **state)
{
	expect_load_error("# top\n\n\n\n\n[defaults]\njbos = 4\n",
			  "/r/.mkt-gate.conf:7: unknown key 'jbos' in [defaults]",
			  "did you mean 'jobs'?");
	expect_load_error("[analyzer.gcc]\nenabeld = yes\n",
			  "/r/.mkt-gate.conf:2: unknown key 'enabeld' in [analyzer.gcc]",
			  "did you mean 'enabled'?");
	expect_load_error("[defaults]\nfrobnicate = 1\n",
			  "/r/.mkt-gate.conf:2: unknown key 'frobnicate' in [defaults]", "");
	expect_load_error("[defualts]\njobs = 4\n",
			  "/r/.mkt-gate.conf:2: unknown key 'jobs' in [defualts]",
			  "did you mean the section [defaults]?");
}

static void test_config_syntax_errors_name_the_line(void **state)
{
	expect_load_error("[defaults\n", "/r/.mkt-gate.conf:1: syntax error: "
			  "expected ']' to end the section line", NULL);
	expect_load_error("[defaults]\n\njobs 4\n", "/r/.mkt-gate.conf:3: syntax error: "
			  "expected 'key = value' or '[section]'", NULL);
	expect_load_error("jobs = 4\n",
			  "/r/.mkt-gate.conf:1: key 'jobs' outside of any section", NULL);
	expect_load_error("[defaults]\n= 4\n", "/r/.mkt-gate.conf:2: bad key name ''", NULL);
	expect_load_error("[defaults]\nj obs = 4\n",
			  "/r/.mkt-gate.conf:2: bad key name 'j obs'", NULL);
	expect_load_error("[a b]\n", "/r/.mkt-gate.conf:1: bad section name 'a b'", NULL);
	expect_load_error("[]\n", "/r/.mkt-gate.conf:1: bad section name ''", NULL);
	expect_load_error("[engine.lxc]\n", "/r/.mkt-gate.conf:1: unknown engine 'lxc' "
			  "in [engine.lxc]", "engines are host, bwrap, podman and docker");
	expect_load_error("[analyzer.]\n", "/r/.mkt-gate.conf:1: section [analyzer.] "
			  "needs a name, as in [analyzer.NAME]", NULL);
}

struct value_case {
	const char *section;
	const char *key;
	const char *value;
};

static const struct value_case bad_values[] = {
	{ "defaults", "jobs", "0" },
	{ "defaults", "jobs", "1025" },
	{ "defaults", "jobs", "4x" },
	{ "defaults", "jobs", "99999999999999999999" },
	{ "defaults", "fail_on", "notice" },
	{ "defaults", "engine", "lxc" },
	{ "defaults", "merges", "all" },
	{ "defaults", "color", "yes" },
	{ "defaults", "max_objects", "1000001" },
	{ "defaults", "build_dir", "" },
	{ "defaults", "analyzers", "gcc 'sparse" },
	{ "defaults", "cmake_args", "-DX=\"1" },
	{ "defaults", "build_command", "sh -c 'make" },
	{ "defaults", "build_env", "CFLAGS" },
	{ "defaults", "build_env", "CC=gcc =x" },
	{ "defaults", "build_env", "1CC=gcc" },
	{ "defaults", "build_env", "C-C=gcc" },
	{ "analyzer.gcc", "enabled", "maybe" },
	{ "analyzer.gcc", "fail_on", "fatal" },
	{ "analyzer.gcc", "timeout", "-1" },
	{ "analyzer.checkpatch", "severity", "CHECK" },
	{ "analyzer.checkpatch", "severity", "CHECK:info :error" },
	{ "analyzer.checkpatch", "severity", "CHECK:loud" },
	{ "gerrit", "notify", "owner" },
	{ "gerrit", "retries", "21" },
	{ "gerrit", "interval", "0" },
	{ "qemu", "num_of_vfs", "257" },
	{ "qemu", "cpus", "0" },
	{ "qemu", "memory", "lots" },
	{ "qemu", "memory", "0M" },
	{ "qemu", "memory", "2GG" },
	{ "qemu", "accel", "hvf" },
	{ "qemu", "ssh", "" },
};

static const struct value_case good_values[] = {
	{ "defaults", "jobs", "1" },
	{ "defaults", "jobs", "1024" },
	{ "defaults", "fail_on", "error" },
	{ "defaults", "fail_on", "info" },
	{ "defaults", "engine", "auto" },
	{ "defaults", "merges", "first-parent" },
	{ "defaults", "analyzers", "" },
	{ "defaults", "kconfig", "tinyconfig" },
	{ "defaults", "cmake_args", "-G Ninja -DCMAKE_BUILD_TYPE=Debug -DWITH_X=ON" },
	{ "defaults", "meson_args", "-Dbuildtype=debug -Dfoo=enabled" },
	{ "defaults", "build_command", "./configure --enable-debug && make" },
	{ "defaults", "build_env", "CC=gcc CFLAGS=\"-O1 -g\" _X1=" },
	{ "analyzer.gcc", "enabled", "OFF" },
	{ "analyzer.gcc", "fail_on", "info" },
	{ "analyzer.gcc", "timeout", "0" },
	{ "analyzer.checkpatch", "severity", "CHECK:info -Wunused-variable:error a:b:warning" },
	{ "gerrit", "notify", "OWNER_REVIEWERS" },
	{ "gerrit", "retries", "0" },
	{ "qemu", "memory", "512M" },
	{ "qemu", "memory", "2g" },
	{ "qemu", "memory", "1048576" },
	{ "qemu", "pci", "0000:05:00.0 0000:05:00.1" },
	{ "cx5-ib", "num_of_vfs", "256" },
};

static void test_config_bad_values_are_refused_at_load(void **state)
{
	struct strbuf text = STRBUF_INIT;
	struct strbuf want = STRBUF_INIT;
	struct config *cfg = new_config();
	size_t i;

	for (i = 0; i < sizeof(bad_values) / sizeof(bad_values[0]); i++) {
		const struct value_case *c = &bad_values[i];

		assert_int_equal(config_set(cfg, c->section, c->key, c->value), -1);
		strbuf_reset(&want);
		strbuf_addf(&want, "<command line>: bad value '%s' for '%s' in [%s]: ",
			    c->value, c->key, c->section);
		assert_true(str_starts_with(gate_error_last(), want.buf));
		assert_null(config_get(cfg, c->section, c->key));

		strbuf_reset(&text);
		strbuf_addf(&text, "# x\n[%s]\n%s = %s\n", c->section, c->key, c->value);
		assert_int_equal(config_load_string(cfg, "/r/x.conf", text.buf), -1);
		assert_true(str_starts_with(gate_error_last(), "/r/x.conf:3: bad value '"));
		assert_non_null(strstr(gate_error_last(), c->key));
	}
	strbuf_dispose(&want);
	strbuf_dispose(&text);
	config_free(cfg);
}

static void test_config_good_values_are_accepted(void **state)
{
	struct config *cfg = new_config();
	size_t i;

	for (i = 0; i < sizeof(good_values) / sizeof(good_values[0]); i++) {
		const struct value_case *c = &good_values[i];

		assert_int_equal(config_set(cfg, c->section, c->key, c->value), 0);
		expect_config(cfg, c->section, c->key, c->value);
	}
	config_free(cfg);
}

static void test_config_typed_getters(void **state)
{
	struct config *cfg = new_config();
	const char *text = "[defaults]\njobs = 8\nfail_on = error\nanalyzers = gcc 'my tool'\n"
			   "[analyzer.gcc]\nenabled = no\n[analyzer.clang]\nenabled = On\n";
	struct strvec sv = STRVEC_INIT;
	enum finding_severity sev = FINDING_INFO;
	bool b = true;
	int n = 0;

	assert_int_equal(config_load_string(cfg, "/r/c.conf", text), 0);
	assert_int_equal(config_get_int(cfg, "defaults", "jobs", &n), 1);
	assert_int_equal(n, 8);
	assert_int_equal(config_get_severity(cfg, "defaults", "fail_on", &sev), 1);
	assert_int_equal(sev, FINDING_ERROR);
	assert_int_equal(config_get_bool(cfg, "analyzer.gcc", "enabled", &b), 1);
	assert_false(b);
	assert_int_equal(config_get_bool(cfg, "analyzer.clang", "enabled", &b), 1);
	assert_true(b);
	b = false;
	assert_int_equal(config_get_bool(cfg, "analyzer.sparse", "enabled", &b), 0);
	assert_false(b);
	assert_int_equal(config_get_list(cfg, "defaults", "analyzers", &sv), 1);
	assert_int_equal(sv.nr, 2);
	assert_string_equal(sv.v[1], "my tool");
	strvec_dispose(&sv);
	/* An environment for the build: one NAME=VALUE per word, quotes kept together. */
	assert_int_equal(config_set(cfg, "defaults", "build_env", "CC=clang CFLAGS='-O1 -g'"), 0);
	assert_int_equal(config_get_list(cfg, "defaults", "build_env", &sv), 1);
	assert_int_equal(sv.nr, 2);
	assert_string_equal(sv.v[1], "CFLAGS=-O1 -g");
	strvec_dispose(&sv);
	config_free(cfg);
}

static void test_config_rule_severity(void **state)
{
	struct config *cfg = new_config();
	enum finding_severity sev = FINDING_ERROR;

	assert_int_equal(config_set(cfg, "analyzer.checkpatch", "severity",
				    "CHECK:info -Wunused-variable:error CHECK:warning"), 0);
	assert_int_equal(config_get_rule_severity(cfg, "checkpatch", "CHECK", &sev), 1);
	assert_int_equal(sev, FINDING_WARNING);
	assert_int_equal(config_get_rule_severity(cfg, "checkpatch", "-Wunused-variable",
						  &sev), 1);
	assert_int_equal(sev, FINDING_ERROR);
	assert_int_equal(config_get_rule_severity(cfg, "checkpatch", "CHEC", &sev), 0);
	assert_int_equal(config_get_rule_severity(cfg, "gcc", "CHECK", &sev), 0);
	config_free(cfg);
}

static void test_config_last_layer_wins_and_origin(void **state)
{
	struct config *cfg = new_config();
	struct strbuf sb = STRBUF_INIT;

	assert_int_equal(config_load_string(cfg, CONFIG_BUILTIN, "[defaults]\njobs = 2\n"), 0);
	assert_int_equal(config_load_string(cfg, "/u/config",
					    "[defaults]\narch = arm64\n\njobs = 3\n"), 0);
	expect_config(cfg, "defaults", "jobs", "3");
	assert_int_equal(config_origin(cfg, "defaults", "jobs", &sb), 1);
	assert_string_equal(sb.buf, "/u/config:4");
	assert_int_equal(config_set(cfg, "defaults", "jobs", " 5 "), 0);
	expect_config(cfg, "defaults", "jobs", "5");
	strbuf_reset(&sb);
	assert_int_equal(config_origin(cfg, "defaults", "jobs", &sb), 1);
	assert_string_equal(sb.buf, "<command line>");
	strbuf_reset(&sb);
	assert_int_equal(config_origin(cfg, "defaults", "arch", &sb), 1);
	assert_string_equal(sb.buf, "/u/config:2");
	assert_int_equal(config_origin(cfg, "defaults", "kconfig", &sb), 0);
	strbuf_dispose(&sb);
	config_free(cfg);
}

static void test_config_failed_load_changes_nothing(void **state)
{
	struct config *cfg = new_config();
	struct strvec sv = STRVEC_INIT;
	struct strbuf before = STRBUF_INIT, after = STRBUF_INIT;

	assert_int_equal(config_load_string(cfg, "/a.conf", "[defaults]\njobs = 2\n"), 0);
	assert_int_equal(config_dump(cfg, &before), 0);
	assert_int_equal(config_load_string(cfg, "/b.conf",
					    "[defaults]\njobs = 9\n[qemu]\ncpus = 0\n"), -1);
	assert_string_equal(gate_error_last(),
			    "/b.conf:4: bad value '0' for 'cpus' in [qemu]: "
			    "expected a whole number from 1 to 256");
	expect_config(cfg, "defaults", "jobs", "2");
	assert_int_equal(config_sections(cfg, "", &sv), 0);
	assert_int_equal(sv.nr, 1);
	assert_int_equal(config_dump(cfg, &after), 0);
	assert_string_equal(before.buf, after.buf);
	strvec_dispose(&sv);
	strbuf_dispose(&before);
	strbuf_dispose(&after);
	config_free(cfg);
}

static void expect_path(const struct config *cfg, const char *section, const char *key,
			const char *want)
{
	struct strbuf sb = STRBUF_INIT;

	assert_int_equal(config_get_path(cfg, section, key, &sb), 1);
	assert_string_equal(sb.buf, want);
	strbuf_dispose(&sb);
}

static void test_config_paths_are_relative_to_their_file(void **state)
{
	struct config *cfg = new_config();
	const char *text = "[defaults]\nbuild_dir = ./out//x/\ncache_dir = /var/cache/g\n"
			   "compile_commands = ~/cc.json\nkconfig = configs/my.config\n"
			   "kconfig_fragments = a.frag 'b c.frag' /abs.frag\n"
			   "[qemu]\nboot_script = ../boot.sh\n";
	struct strvec sv = STRVEC_INIT;
	struct strbuf sb = STRBUF_INIT;
	bool is_file = false;

	assert_int_equal(config_load_string(cfg, "/repo/top/.mkt-gate.conf", text), 0);
	expect_path(cfg, "defaults", "build_dir", "/repo/top/out/x");
	expect_path(cfg, "defaults", "cache_dir", "/var/cache/g");
	expect_path(cfg, "defaults", "compile_commands", FAKE_HOME "/cc.json");
	expect_path(cfg, "qemu", "boot_script", "/repo/top/../boot.sh");
	assert_int_equal(config_get_kconfig(cfg, &sb, &is_file), 1);
	assert_true(is_file);
	assert_string_equal(sb.buf, "/repo/top/configs/my.config");
	assert_int_equal(config_get_path_list(cfg, "defaults", "kconfig_fragments", &sv), 1);
	assert_int_equal(sv.nr, 3);
	assert_string_equal(sv.v[0], "/repo/top/a.frag");
	assert_string_equal(sv.v[1], "/repo/top/b c.frag");
	assert_string_equal(sv.v[2], "/abs.frag");
	assert_int_equal(config_set(cfg, "defaults", "kconfig", "defconfig"), 0);
	strbuf_reset(&sb);
	assert_int_equal(config_get_kconfig(cfg, &sb, &is_file), 1);
	assert_false(is_file);
	assert_string_equal(sb.buf, "defconfig");
	strbuf_dispose(&sb);
	strvec_dispose(&sv);
	config_free(cfg);
}

static void test_config_builtin_and_cmdline_paths_start_at_cwd(void **state)
{
	struct config *cfg = new_config();
	struct strbuf want = STRBUF_INIT;
	char *cwd = getcwd(NULL, 0);

	assert_non_null(cwd);
	assert_int_equal(config_load_string(cfg, CONFIG_BUILTIN,
					    "[defaults]\nbuild_dir = b\n"), 0);
	strbuf_addf(&want, "%s/b", strcmp(cwd, "/") ? cwd : "");
	expect_path(cfg, "defaults", "build_dir", want.buf);
	assert_int_equal(config_set(cfg, "gerrit", "ca_file", "ca.pem"), 0);
	strbuf_reset(&want);
	strbuf_addf(&want, "%s/ca.pem", strcmp(cwd, "/") ? cwd : "");
	expect_path(cfg, "gerrit", "ca_file", want.buf);
	assert_int_equal(config_load_string(cfg, "rel/dir/x.conf",
					    "[defaults]\nbuild_dir = b\n"), 0);
	strbuf_reset(&want);
	strbuf_addf(&want, "%s/rel/dir/b", strcmp(cwd, "/") ? cwd : "");
	expect_path(cfg, "defaults", "build_dir", want.buf);
	free(cwd);
	strbuf_dispose(&want);
	config_free(cfg);
}

static void test_config_sections_first_seen_once(void **state)
{
	struct config *cfg = new_config();
	struct strvec sv = STRVEC_INIT;
	const char *text = "[analyzer.b]\n[qemu]\n[analyzer.a]\n[analyzer.b]\nenabled = 1\n"
			   "[cx5-ib]\npci = 0000:05:00.0 0000:05:00.1\nnum_of_vfs = 3\n";

	assert_int_equal(config_load_string(cfg, "/x.conf", text), 0);
	assert_int_equal(config_set(cfg, "engine.docker", "image", "img:1"), 0);
	assert_int_equal(config_sections(cfg, "analyzer.", &sv), 0);
	assert_int_equal(sv.nr, 2);
	assert_string_equal(sv.v[0], "analyzer.b");
	assert_string_equal(sv.v[1], "analyzer.a");
	strvec_dispose(&sv);
	assert_int_equal(config_sections(cfg, "", &sv), 0);
	assert_int_equal(sv.nr, 5);
	assert_string_equal(sv.v[1], "qemu");
	assert_string_equal(sv.v[3], "cx5-ib");
	assert_string_equal(sv.v[4], "engine.docker");
	strvec_dispose(&sv);
	config_free(cfg);
}

static void test_config_target_sections(void **state)
{
	assert_true(config_is_target_section("qemu"));
	assert_true(config_is_target_section("cx5-ib"));
	assert_false(config_is_target_section("defaults"));
	assert_false(config_is_target_section("gerrit"));
	assert_false(config_is_target_section("analyzer.gcc"));
	assert_false(config_is_target_section("engine.bwrap"));
	assert_false(config_is_target_section("engine.lxc"));
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_config_load_layers(void **state)
{
	char tmp[] = "/tmp/test_config.XXXXXX";
	struct strbuf p = STRBUF_INIT, sb = STRBUF_INIT;
	struct config *cfg = new_config();

	assert_non_null(mkdtemp(tmp));
	strbuf_addf(&p, "%s/mkt-gate", tmp);
	assert_int_equal(mkdir(p.buf, 0700), 0);
	strbuf_addstr(&p, "/config");
	write_file(p.buf, "[defaults]\njobs = 3\narch = arm64\n");
	strbuf_reset(&p);
	strbuf_addf(&p, "%s/.mkt-gate.conf", tmp);
	write_file(p.buf, "[defaults]\n\njobs = 4\nbuild_dir = out\n");
	setenv("XDG_CONFIG_HOME", tmp, 1);

	assert_int_equal(config_load_layers(cfg, tmp, NULL), 0);
	expect_config(cfg, "defaults", "jobs", "4");
	expect_config(cfg, "defaults", "arch", "arm64");
	expect_config(cfg, "defaults", "fail_on", "warning");
	assert_int_equal(config_origin(cfg, "defaults", "jobs", &sb), 1);
	assert_true(str_ends_with(sb.buf, "/.mkt-gate.conf:3"));
	strbuf_reset(&sb);
	assert_int_equal(config_origin(cfg, "defaults", "fail_on", &sb), 1);
	assert_true(str_starts_with(sb.buf, "<built-in>:"));
	strbuf_reset(&sb);
	strbuf_addf(&sb, "%s/out", tmp);
	expect_path(cfg, "defaults", "build_dir", sb.buf);
	config_free(cfg);

	cfg = new_config();
	assert_int_equal(config_load_layers(cfg, "/nonexistent", tmp), -1);
	assert_non_null(strstr(gate_error_last(), "cannot read config file"));
	assert_int_equal(config_load_layers(cfg, NULL, "/nonexistent/x.conf"), -1);
	assert_non_null(strstr(gate_error_last(), "'/nonexistent/x.conf'"));
	assert_null(config_get(cfg, "defaults", "fail_on"));
	assert_int_equal(config_load_file(cfg, "/nonexistent/x.conf", false), 0);
	config_free(cfg);

	setenv("XDG_CONFIG_HOME", "relative/ignored", 1);
	setenv("HOME", tmp, 1);
	cfg = new_config();
	assert_int_equal(config_load_layers(cfg, NULL, NULL), 0);
	expect_config(cfg, "defaults", "jobs", NULL);
	config_free(cfg);
	setenv("HOME", FAKE_HOME, 1);
	unsetenv("XDG_CONFIG_HOME");

	unlink(p.buf);
	strbuf_reset(&p);
	strbuf_addf(&p, "%s/mkt-gate/config", tmp);
	unlink(p.buf);
	strbuf_reset(&p);
	strbuf_addf(&p, "%s/mkt-gate", tmp);
	rmdir(p.buf);
	rmdir(tmp);
	strbuf_dispose(&p);
	strbuf_dispose(&sb);
}

static void test_config_file_errors(void **state)
{
	char path[] = "/tmp/test_config_nul.XXXXXX";
	struct config *cfg = new_config();
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, "[defaults]\njobs = 1\n\0x\n", 23), 23);
	close(fd);
	assert_int_equal(config_load_file(cfg, path, true), -1);
	assert_true(str_starts_with(gate_error_last(), path));
	assert_non_null(strstr(gate_error_last(), ":3: NUL byte"));
	unlink(path);
	assert_int_equal(config_load_file(cfg, path, true), -1);
	assert_non_null(strstr(gate_error_last(), "cannot open config file"));
	assert_int_equal(config_load_file(cfg, "/", false), -1);
	assert_int_equal(config_load_file(cfg, TEST_DATA_DIR "/config-bad-key.conf", true), -1);
	assert_string_equal(gate_error_last(), TEST_DATA_DIR
			    "/config-bad-key.conf:7: unknown key 'jbos' in [defaults]");
	assert_string_equal(gate_error_last_hint(), "did you mean 'jobs'?");
	config_free(cfg);
	config_free(NULL);
}

static void test_config_dump_round_trips(void **state)
{
	struct config *a = new_config(), *b = new_config();
	struct strbuf d1 = STRBUF_INIT, d2 = STRBUF_INIT;

	assert_int_equal(config_load_string(a, CONFIG_BUILTIN, gate_default_config), 0);
	assert_int_equal(config_load_file(a, CONFIGS_DIR "/example-kernel.conf", true), 0);
	assert_int_equal(config_set(a, "defaults", "jobs", "7"), 0);
	assert_int_equal(config_dump(a, &d1), 0);
	assert_int_equal(config_load_string(b, "/elsewhere/dump.conf", d1.buf), 0);
	assert_int_equal(config_dump(b, &d2), 0);
	assert_string_equal(d1.buf, d2.buf);
	assert_non_null(strstr(d1.buf, "\njobs = 7\n"));
	strbuf_dispose(&d1);
	strbuf_dispose(&d2);
	config_free(a);
	config_free(b);
}

/* ---- property tests: a fixed-seed generator, so every failure repeats ---- */

static uint64_t rng_state;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static size_t rng_below(size_t n)
{
	return (size_t)(rng() % n);
}

#define PICK(a) ((a)[rng_below(sizeof(a) / sizeof((a)[0]))])

static const char *const tokens[] = {
	"[", "]", "=", " = ", "\\\n", "\n", "\r\n", "#", ";", "\t", "'", "\"", "~/",
	"[defaults]\n", "[analyzer.x]\n", "[engine.podman]\n", "[engine.nope]\n",
	"[gerrit]\n", "[qemu]\n", "[analyzer.]\n", "jobs = ", "jbos = 1\n",
	"enabled = ", "fail_on = ", "severity = CHECK:", "memory = 2", "pci = ",
	"fragment = a 'b c' d\\ e\n", "build_dir = ../x\n", "kconfig = ",
	"\x01", "\xff", "\x7f", "99999999999", "-", ":", "../", "//",
};

/* One random edit of text: a byte, a token, a cut, a copied line. */
static void mutate(struct strbuf *text)
{
	struct strbuf out = STRBUF_INIT;
	size_t at = text->len ? rng_below(text->len + 1) : 0;
	size_t n = rng_below(17), from;
	const char *tok;

	strbuf_add(&out, text->buf, at);
	switch (rng_below(4)) {
	case 0:
		strbuf_addch(&out, (int)(1 + rng_below(255)));
		at += at < text->len;
		break;
	case 1:
		tok = PICK(tokens);
		strbuf_addstr(&out, tok);
		break;
	case 2:
		at = at + n > text->len ? text->len : at + n;
		break;
	default:
		from = rng_below(text->len + 1);
		strbuf_add(&out, text->buf + from, n * 3 < text->len - from ?
			   n * 3 : text->len - from);
		break;
	}
	strbuf_add(&out, text->buf + at, text->len - at);
	strbuf_dispose(text);
	*text = out;
}

static unsigned int count_lines(const char *s)
{
	unsigned int n = 1;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* Every error must begin "FUZZ_ORIGIN:LINE: " with LINE inside the text. */
static void check_error_names_line(const char *text)
{
	const char *msg = gate_error_last();
	char *end;
	unsigned long line;

	if (!str_starts_with(msg, FUZZ_ORIGIN ":"))
		fail_msg("no file in error '%s'", msg);
	msg += strlen(FUZZ_ORIGIN ":");
	if (!isdigit((unsigned char)*msg))
		fail_msg("no line in error '%s'", gate_error_last());
	line = strtoul(msg, &end, 10);
	assert_true(line >= 1 && line <= count_lines(text));
	assert_true(str_starts_with(end, ": "));
	assert_false(str_ends_with(end, "."));
}

/* A loaded config dumps to text that loads back to the same dump. */
static void check_round_trip(const struct config *cfg)
{
	struct strbuf d1 = STRBUF_INIT, d2 = STRBUF_INIT;
	struct config *again = new_config();

	assert_int_equal(config_dump(cfg, &d1), 0);
	if (config_load_string(again, "/other/place.conf", d1.buf))
		fail_msg("dump does not load: %s\n%s", gate_error_last(), d1.buf);
	assert_int_equal(config_dump(again, &d2), 0);
	assert_string_equal(d1.buf, d2.buf);
	strbuf_dispose(&d1);
	strbuf_dispose(&d2);
	config_free(again);
}

static const char seed_text[] =
	"# seed\n[defaults]\njobs = 4\nanalyzers = gcc \\\n  sparse\n"
	"kconfig_fragments = a.frag 'b c.frag'\n[analyzer.checkpatch]\n"
	"severity = CHECK:info -Wx:error\nenabled = yes\n[cx5-ib]\n"
	"pci = 0000:05:00.0\nnum_of_vfs = 3\nmemory = 2G\nboot_script = ~/b.sh\n";

static void test_config_fuzz_mutations(void **state)
{
	struct strbuf text = STRBUF_INIT;
	struct config *cfg;
	int i, j, ok = 0, bad = 0;

	rng_state = 0x9e3779b97f4a7c15ull;
	for (i = 0; i < 4000; i++) {
		strbuf_reset(&text);
		strbuf_addstr(&text, i % 2 ? seed_text : gate_default_config);
		for (j = 1 + (int)rng_below(4); j > 0; j--)
			mutate(&text);
		cfg = new_config();
		if (config_load_string(cfg, FUZZ_ORIGIN, text.buf)) {
			check_error_names_line(text.buf);
			bad++;
		} else {
			check_round_trip(cfg);
			ok++;
		}
		config_free(cfg);
	}
	/* The mutations must exercise both outcomes to mean anything. */
	assert_true(ok > 400 && bad > 400);
	strbuf_dispose(&text);
}

/* Valid values for generated configs; the section's kind picks the keys. */
static const struct value_case samples[] = {
	{ "defaults", "jobs", "16" },
	{ "defaults", "analyzers", "gcc sparse checkpatch commit-msg" },
	{ "defaults", "engine", "bwrap" },
	{ "defaults", "fail_on", "error" },
	{ "defaults", "kconfig", "tinyconfig" },
	{ "defaults", "arch", "x86_64" },
	{ "defaults", "color", "never" },
	{ "analyzer.gcc", "enabled", "off" },
	{ "analyzer.gcc", "extra_flags", "-Wall -Wno-unused = x" },
	{ "analyzer.sparse", "cf_flags", "-Wsparse-all" },
	{ "analyzer.checkpatch", "ignore", "SPDX_LICENSE_TAG FILE_PATH_CHANGES" },
	{ "engine.docker", "image", "registry/img:1" },
	{ "gerrit", "url", "https://review.example.org/#/c" },
	{ "gerrit", "notify", "ALL" },
	{ "qemu", "memory", "512M" },
	{ "qemu", "kernel_args", "console=ttyS0 #1" },
	{ "cx5-ib", "pci", "0000:05:00.0 0000:05:00.1" },
	{ "cx5-ib", "num_of_vfs", "3" },
};

#define NSAMPLES (sizeof(samples) / sizeof(samples[0]))

/* Renders one sample as a file would hold it: odd spacing, comments, a split. */
static void render(struct strbuf *out, const struct value_case *c)
{
	static const char *const pad[] = { "", " ", "\t", "  \t" };
	const char *space = strchr(c->value, ' ');

	if (rng_below(3) == 0)
		strbuf_addstr(out, rng_below(2) ? "# note\n" : "\n;x = y\n");
	strbuf_addf(out, "%s[%s]%s\n", PICK(pad), c->section, PICK(pad));
	strbuf_addf(out, "%s%s%s=%s", PICK(pad), c->key, PICK(pad), PICK(pad));
	if (space && rng_below(2))
		strbuf_addf(out, "%.*s%s\\\n%s%s", (int)(space - c->value), c->value,
			    PICK(pad), PICK(pad), space + 1);
	else
		strbuf_addstr(out, c->value);
	strbuf_addf(out, "%s%s", PICK(pad), rng_below(2) ? "\n" : "\r\n");
}

static void test_config_fuzz_generated_files_load_exactly(void **state)
{
	struct strbuf text = STRBUF_INIT;
	const struct value_case *last[NSAMPLES];
	struct config *cfg;
	size_t i, k, n;

	rng_state = 0x2545f4914f6cdd1dull;
	for (i = 0; i < 1500; i++) {
		memset(last, 0, sizeof(last));
		strbuf_reset(&text);
		for (n = 1 + rng_below(12); n > 0; n--) {
			k = rng_below(NSAMPLES);
			render(&text, &samples[k]);
			last[k] = &samples[k];
		}
		cfg = new_config();
		if (config_load_string(cfg, FUZZ_ORIGIN, text.buf))
			fail_msg("%s\n%s", gate_error_last(), text.buf);
		for (k = 0; k < NSAMPLES; k++)
			expect_config(cfg, samples[k].section, samples[k].key,
				     last[k] ? last[k]->value : NULL);
		check_round_trip(cfg);
		config_free(cfg);
	}
	strbuf_dispose(&text);
}

/* Shipped files are found next to a binary in a build tree, and only there. */
static void test_config_data_path(void **state)
{
	char self[4096];
	struct strbuf out = STRBUF_INIT;

	snprintf(self, sizeof(self), "%s/../../build/mkt-gate", TEST_DATA_DIR);
	if (access(MKT_GATE_DATADIR "/configs/kernel/qemu-boot.config", R_OK) == 0)
		skip();
	assert_int_equal(config_data_path(self, "configs/kernel/qemu-boot.config", &out), 0);
	assert_true(str_ends_with(out.buf, "/build/../configs/kernel/qemu-boot.config"));
	assert_int_equal(access(out.buf, R_OK), 0);
	strbuf_reset(&out);
	assert_int_equal(config_data_path(self, "configs/no-such.config", &out), -1);
	assert_string_equal(gate_error_last(),
			    "cannot find 'configs/no-such.config', which mkt-gate ships");
	assert_int_equal(out.len, 0);
	strbuf_dispose(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config_builtin_defaults_are_valid),
		cmocka_unit_test(test_config_example_files_are_valid),
		cmocka_unit_test(test_config_syntax_comments_trimming_continuation),
		cmocka_unit_test(test_config_unknown_key_names_file_line_and_hint),
		cmocka_unit_test(test_config_syntax_errors_name_the_line),
		cmocka_unit_test(test_config_bad_values_are_refused_at_load),
		cmocka_unit_test(test_config_good_values_are_accepted),
		cmocka_unit_test(test_config_typed_getters),
		cmocka_unit_test(test_config_rule_severity),
		cmocka_unit_test(test_config_last_layer_wins_and_origin),
		cmocka_unit_test(test_config_failed_load_changes_nothing),
		cmocka_unit_test(test_config_paths_are_relative_to_their_file),
		cmocka_unit_test(test_config_builtin_and_cmdline_paths_start_at_cwd),
		cmocka_unit_test(test_config_sections_first_seen_once),
		cmocka_unit_test(test_config_target_sections),
		cmocka_unit_test(test_config_load_layers),
		cmocka_unit_test(test_config_file_errors),
		cmocka_unit_test(test_config_dump_round_trips),
		cmocka_unit_test(test_config_data_path),
		cmocka_unit_test(test_config_fuzz_mutations),
		cmocka_unit_test(test_config_fuzz_generated_files_load_exactly),
	};

	setenv("HOME", FAKE_HOME, 1);
	unsetenv("XDG_CONFIG_HOME");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
