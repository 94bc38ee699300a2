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

int setup_parse(int argc, const char **argv, const struct option *opts,
		int stop_at_non_option, const struct gate_ctx *ctx)
{
	int n = opt_parse(argc, argv, opts, stop_at_non_option);

	if (n >= 0 && ctx->quiet && ctx->verbose)
		return gate_error("'-q' and '-v' ask for less and more at once: give one");
	return n;
}

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
	struct strbuf known = STRBUF_INIT;
	const struct an_desc *all;
	size_t n;

	for (size_t i = 0; i < names->nr; i++) {
		if (an_find(names->v[i]))
			continue;
		all = an_all(&n);
		for (size_t k = 0; k < n; k++)
			strbuf_addf(&known, " %s", all[k].name);
		gate_error("unknown analyzer '%s' in --analyzers", names->v[i]);
		gate_error_hint("known analyzers:%s", known.buf);
		strbuf_dispose(&known);
		return -1;
	}
	return 0;
}

static int set_analyzers(struct config *cfg, const char *list)
{
	struct strvec names = STRVEC_INIT;
	char *words = strdup(list);
	int ret;

	if (!words)
		return gate_error("out of memory");
	for (char *p = words; *p; p++)
		if (*p == ',')
			*p = ' ';
	ret = strvec_split(&names, words) || check_analyzers(&names) ||
	      config_set(cfg, "defaults", "analyzers", words) ? -1 : 0;
	strvec_dispose(&names);
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

int setup_gate(struct setup *s, const struct setup_cli *cli)
{
	struct gate_run_opts *run = &s->run;

	if (check_boot_target(s->cfg, cli->boot) || an_enabled_list(s->cfg, &s->analyzers))
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
