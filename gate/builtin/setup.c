/* setup.c: repository, config layers and command line in, config and run options
 * out, the same for every command. Never prints or exits; the commands do. */
#include "setup.h"
#include "analyzer.h"
#include "boot.h"
#include "engine.h"
#include "error.h"
#include "pool.h"

#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int setup_read_blob(void *data, const char *sha, const char *path, struct strbuf *out)
{
	git_oid oid;

	if (git_oid_fromstr(&oid, sha))
		return -1;
	return gate_commit_read_file(data, &oid, false, path, out);
}

/* A pipe whose read end is closed polls as an error; EPIPE itself may be long gone. */
bool setup_reader_gone(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLOUT };

	return poll(&p, 1, 0) == 1 && (p.revents & (POLLERR | POLLHUP));
}

void setup_init(struct setup *s)
{
	memset(s, 0, sizeof(*s));
	strvec_init(&s->analyzers);
	strbuf_init(&s->build_dir, 0);
}

/* The directory whose .mkt-gate.conf is a layer, or NULL for none; cwd holds PATH_MAX. */
static int open_repo(struct setup *s, enum setup_where where, const char **dir, char *cwd)
{
	*dir = NULL;
	if (!gate_repo_open(&s->repo, ".")) {
		*dir = s->repo.top;
		return 0;
	}
	if (where == SETUP_IN_REPO)
		return -1;
	gate_error_clear();
	if (where == SETUP_ANY_DIR)
		return 0;
	if (!getcwd(cwd, PATH_MAX))
		return gate_error("cannot get the working directory");
	*dir = cwd;
	return 0;
}

/* Errors name the option: the command line is what the user typed, not [defaults]. */
static int check_analyzers(const struct strvec *names)
{
	if (!names->nr) {
		gate_error("'--analyzers' names no analyzer");
		gate_error_hint("give some, such as --analyzers=gcc,sparse, or leave the option out to run the config's");
		return -1;
	}
	for (size_t i = 0; i < names->nr; i++) {
		if (an_find(names->v[i]))
			continue;
		gate_error("unknown analyzer '%s' in --analyzers", names->v[i]);
		an_hint_known();
		return -1;
	}
	return 0;
}

static int set_analyzers(struct config *cfg, const char *list)
{
	struct strvec names = STRVEC_INIT;
	struct strbuf sec = STRBUF_INIT;
	char *words = strdup(list);
	int ret;

	if (!words)
		return gate_error("out of memory");
	for (char *p = words; *p; p++)
		if (*p == ',')
			*p = ' ';
	ret = strvec_split(&names, words) || check_analyzers(&names) ||
	      config_set(cfg, "defaults", "analyzers", words) ? -1 : 0;
	/* Named on the command line, an analyzer runs even if a config turned it off. */
	for (size_t i = 0; !ret && i < names.nr; i++) {
		strbuf_reset(&sec);
		ret = strbuf_addf(&sec, "analyzer.%s", names.v[i]) ||
		      config_set(cfg, sec.buf, "enabled", "true") ? -1 : 0;
	}
	strvec_dispose(&names);
	strbuf_dispose(&sec);
	free(words);
	return ret;
}

/*
 * --fail-on LEVEL is the top layer for each analyzer too, whose own
 * section (the built-in one at least) sets fail_on and would win.
 */
static int set_fail_on(struct config *cfg, const char *level)
{
	struct strbuf sec = STRBUF_INIT;
	enum finding_severity s;
	const struct an_desc *all;
	size_t n;
	int ret;

	if (finding_severity_parse(level, &s)) {
		gate_error_clear();
		return gate_error("'--fail-on' expects error, warning or info, not '%s'", level);
	}
	ret = config_set(cfg, "defaults", "fail_on", level);
	all = an_all(&n);
	for (size_t i = 0; !ret && i < n; i++) {
		strbuf_reset(&sec);
		ret = strbuf_addf(&sec, "analyzer.%s", all[i].name) ||
		      config_set(cfg, sec.buf, "fail_on", level);
	}
	strbuf_dispose(&sec);
	return ret ? -1 : 0;
}

/* The command line is the top config layer. */
static int apply_cli(struct config *cfg, const struct setup_cli *cli)
{
	char jobs[16];

	snprintf(jobs, sizeof(jobs), "%d", cli->jobs);
	if ((cli->analyzers && set_analyzers(cfg, cli->analyzers)) ||
	    (cli->jobs && config_set(cfg, "defaults", "jobs", jobs)) ||
	    (cli->fail_on && set_fail_on(cfg, cli->fail_on)) ||
	    (cli->engine && config_set(cfg, "defaults", "engine", cli->engine)) ||
	    (cli->build_dir && config_set(cfg, "defaults", "build_dir", cli->build_dir)))
		return -1;
	return 0;
}

int setup_load(struct setup *s, const struct setup_cli *cli, enum setup_where where)
{
	char cwd[PATH_MAX];
	const char *dir;

	if (open_repo(s, where, &dir, cwd) || config_new(&s->cfg) ||
	    config_load_layers(s->cfg, dir, cli->config) || apply_cli(s->cfg, cli))
		return -1;
	return 0;
}

/*
 * A misspelt --boot section, or a device name its pci does not define, is
 * a usage error now, not after the baseline build.
 */
static int check_boot_target(const struct config *cfg, const char *boot)
{
	return boot ? ctr_boot_check_target(cfg, boot) : 0;
}

/* A gate that runs nothing would pass every commit: an empty list is an error. */
static int check_some_analyzer(const struct setup *s)
{
	struct strbuf where = STRBUF_INIT;

	if (s->analyzers.nr)
		return 0;
	config_origin(s->cfg, "defaults", "analyzers", &where);
	gate_error("%s%sno analyzer to run: [defaults] analyzers names none that is enabled",
		   where.buf, where.len ? ": " : "");
	gate_error_hint("name some, such as 'analyzers = gcc checkpatch', or drop 'enabled = false' from their [analyzer.NAME]");
	strbuf_dispose(&where);
	return -1;
}

int setup_gate(struct setup *s, const struct setup_cli *cli)
{
	struct gate_run_opts *run = &s->run;

	if (check_boot_target(s->cfg, cli->boot) || an_enabled_list(s->cfg, &s->analyzers) ||
	    check_some_analyzer(s))
		return -1;
	run->cfg = s->cfg;
	run->analyzers = &s->analyzers;
	run->jobs = gate_cpu_count();
	run->fail_on = FINDING_WARNING;
	if (config_get_int(s->cfg, "defaults", "jobs", &run->jobs) < 0 ||
	    config_get_severity(s->cfg, "defaults", "fail_on", &run->fail_on) < 0 ||
	    config_get_path(s->cfg, "defaults", "build_dir", &s->build_dir) < 0 ||
	    ctr_engine_check_config(s->cfg))
		return -1;
	run->cache_root = s->build_dir.len ? s->build_dir.buf : NULL;
	run->no_cache = cli->no_cache;
	run->boot_target = cli->boot;
	return 0;
}

int setup_engine(struct setup *s)
{
	const char *name = config_get(s->cfg, "defaults", "engine");
	unsigned int slots;

	/* range --boot: a QEMU that cannot run stops the gate before any build. */
	if (s->run.boot_target && ctr_boot_check_qemu(s->cfg, s->run.boot_target))
		return -1;
	if (ctr_engine_new(&s->run.ctr, name ? name : "auto", s->cfg))
		return -1;
	/* Unless -j or [defaults] jobs says otherwise, keep every distcc slot busy. */
	slots = ctr_engine_distcc_slots(s->run.ctr);
	if (!config_get(s->cfg, "defaults", "jobs") && slots > (unsigned int)s->run.jobs)
		s->run.jobs = (int)slots;
	return 0;
}

void setup_dispose(struct setup *s)
{
	ctr_engine_free(s->run.ctr);
	config_free(s->cfg);
	strvec_dispose(&s->analyzers);
	strbuf_dispose(&s->build_dir);
	gate_repo_close(&s->repo);
	memset(&s->run, 0, sizeof(s->run));
	s->cfg = NULL;
}
