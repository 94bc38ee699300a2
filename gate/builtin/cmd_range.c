/* cmd_range.c: the range and commit commands: options and config in, report
 * files and the exit code out. The gating itself is engine.c's. */
#include "analyzer.h"
#include "builtin.h"
#include "config.h"
#include "series.h"
#include "error.h"
#include "exit.h"
#include "interrupt.h"
#include "options.h"
#include "pool.h"
#include "range.h"
#include "result.h"
#include "engine.h"
#include "text.h"
#include "gerrit.h"
#include "report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

struct range_opts {
	const char *analyzers, *json, *junit, *html, *sarif, *engine;
	const char *build_dir, *config, *fail_on, *shard, *boot, *color;
	int jobs, no_cache, gerrit, quiet, verbose;
};

static const char *const range_usage[] = {
	"mkt-gate range [<options>] <revs>",
	"",
	"Gates every commit of <revs> (A..B, A...B, or one revision) on its own",
	"and reports only what each commit introduced or fixed.",
	NULL,
};

static const char *const commit_usage[] = {
	"mkt-gate commit [<options>] [<rev>]",
	"",
	"Gates one commit (default: HEAD) against its parent.",
	NULL,
};

#define RANGE_OPTIONS(o)						\
	OPT_STRING(0, "analyzers", &(o).analyzers, "list",		\
		   "analyzers to run, comma or space separated (gcc,clang,...)"), \
	OPT_STRING(0, "json", &(o).json, "file", "write the JSON report"), \
	OPT_STRING(0, "junit", &(o).junit, "file", "write JUnit XML for Jenkins"), \
	OPT_STRING(0, "html", &(o).html, "file", "write a self-contained HTML report"), \
	OPT_STRING(0, "sarif", &(o).sarif, "file", "write SARIF 2.1.0"),	\
	OPT_INT('j', "jobs", &(o).jobs, "n", "jobs to run at once (default: CPUs)"), \
	OPT_STRING(0, "engine", &(o).engine, "name", "where jobs run: host, bwrap, podman, docker or auto"), \
	OPT_STRING(0, "build-dir", &(o).build_dir, "dir",		\
		   "where scratch trees and builds live (default: ~/.cache/mkt-gate)"), \
	OPT_STRING(0, "config", &(o).config, "file", "a config file on top of the others"), \
	OPT_STRING(0, "fail-on", &(o).fail_on, "level",		\
		   "fail on new findings at or above error|warning"),	\
	OPT_BOOL(0, "no-cache", &(o).no_cache, "ignore cached results and run every analyzer again"), \
	OPT_STRING(0, "shard", &(o).shard, "k/n", "gate only the k-th of n shares of the commits"), \
	OPT_BOOL(0, "gerrit", &(o).gerrit, "vote on each commit's Gerrit change ([gerrit] in the config)"), \
	OPT_STRING(0, "boot", &(o).boot, "section",			\
		   "boot each commit's kernel in QEMU with this target section"), \
	OPT_STRING(0, "color", &(o).color, "when", "auto, always or never"), \
	OPT_BOOL('q', "quiet", &(o).quiet, "print only the verdict"),	\
	OPT_BOOL('v', "verbose", &(o).verbose, "show progress and preexisting counts"), \
	OPT_END()

/* The command line is the top config layer. */
static int apply_cli(struct config *cfg, const struct range_opts *o)
{
	struct strbuf jobs = STRBUF_INIT;
	char *list = NULL;
	int ret = 0;

	if (o->analyzers) {
		list = strdup(o->analyzers);
		for (char *p = list; p && *p; p++)
			if (*p == ',')
				*p = ' ';
		ret = config_set(cfg, "defaults", "analyzers", list);
	}
	if (!ret && o->jobs) {
		strbuf_addf(&jobs, "%d", o->jobs);
		ret = config_set(cfg, "defaults", "jobs", jobs.buf);
	}
	if (!ret && o->fail_on)
		ret = config_set(cfg, "defaults", "fail_on", o->fail_on);
	if (!ret && o->engine)
		ret = config_set(cfg, "defaults", "engine", o->engine);
	if (!ret && o->build_dir)
		ret = config_set(cfg, "defaults", "build_dir", o->build_dir);
	free(list);
	strbuf_dispose(&jobs);
	return ret;
}

/* A misspelt --boot section is a usage error now, not after the baseline build. */
static int check_boot_target(const struct range_opts *o, const struct config *cfg)
{
	struct strvec sections = STRVEC_INIT;
	int ret = 0;

	if (!o->boot)
		return 0;
	if (!config_is_target_section(o->boot) || config_sections(cfg, o->boot, &sections) ||
	    strvec_find(&sections, o->boot) < 0) {
		ret = gate_error("no boot target '%s' in the configuration", o->boot);
		gate_error_hint("add a [%s] section (memory, cpus, accel, command, ...)", o->boot);
	}
	strvec_dispose(&sections);
	return ret;
}


static int parse_shard(const char *s, int *k, int *n)
{
	char tail;

	if (sscanf(s, "%d/%d%c", k, n, &tail) != 2 || *n < 1 || *k < 1 || *k > *n)
		return gate_error("'--shard' expects K/N with 1 <= K <= N, not '%s'", s);
	return 0;
}

/* Commits of other shards are reported skipped, so merged reports add up. */
static int apply_shard(struct gate_range *r, const char *shard)
{
	int k, n;

	if (!shard)
		return 0;
	if (parse_shard(shard, &k, &n))
		return -1;
	for (size_t i = 0; i < r->nr; i++)
		if ((int)(i % (size_t)n) != k - 1 && !r->v[i].skip_reason &&
		    asprintf(&r->v[i].skip_reason, "gated by another shard (%s)", shard) < 0)
			return gate_error("out of memory");
	return 0;
}

/*
 * Progress on stderr: on a terminal one line redrawn in place with the
 * elapsed time, cut to the terminal's width; elsewhere (CI logs) plain lines.
 */
struct progress {
	bool tty;
	int width;
	struct timespec t0;
};

static void print_progress(void *data, const char *line)
{
	struct progress *p = data;
	struct strbuf clean = STRBUF_INIT;
	struct timespec now;
	double s;

	/* It holds commit subjects: no escape of theirs reaches the terminal. */
	rep_text_cleanstr(&clean, line, REP_TEXT_ONELINE);
	clock_gettime(CLOCK_MONOTONIC, &now);
	s = (double)(now.tv_sec - p->t0.tv_sec) + (double)(now.tv_nsec - p->t0.tv_nsec) / 1e9;
	if (!p->tty)
		fprintf(stderr, "%s\n", clean.buf);
	else
		fprintf(stderr, "\r\033[K%6.1fs  %.*s", s, p->width - 10, clean.buf);
	fflush(stderr);
	strbuf_dispose(&clean);
}

static void progress_init(struct progress *p)
{
	struct winsize ws;

	p->tty = isatty(2);
	p->width = 80;
	if (p->tty && !ioctl(2, TIOCGWINSZ, &ws) && ws.ws_col > 20)
		p->width = ws.ws_col;
	clock_gettime(CLOCK_MONOTONIC, &p->t0);
}

static void progress_done(const struct progress *p)
{
	if (p->tty)
		fprintf(stderr, "\r\033[K");
}

static int read_blob(void *data, const char *sha, const char *path,
		     struct strbuf *out)
{
	git_oid oid;

	if (git_oid_fromstr(&oid, sha))
		return -1;
	return gate_commit_read_file(data, &oid, false, path, out);
}

static int write_outputs(const json_t *report, const struct range_opts *o,
			 struct gate_repo *repo)
{
	struct rep_source src = { read_blob, repo->git };
	struct rep_terminal_opts t = { REP_COLOR_AUTO, o->verbose };

	if (o->color && rep_color_parse(o->color, &t.color))
		return -1;
	if ((o->json && rep_json_write(report, o->json)) ||
	    (o->junit && rep_junit_write(report, o->junit)) ||
	    (o->sarif && rep_sarif_write(report, o->sarif)) ||
	    (o->html && rep_html_write(report, o->html, &src)))
		return -1;
	if (o->quiet) {
		printf("%s\n", json_string_value(json_object_get(report, "verdict")));
		return 0;
	}
	return rep_terminal_summary(stdout, report, &t);
}

/* Votes after the local reports are written, so a Gerrit error loses nothing. */
static int post_gerrit(const json_t *report, const struct config *cfg)
{
	struct strbuf summary = STRBUF_INIT;
	int ret = rep_gerrit_post_report(report, cfg, &summary);

	fputs(summary.buf, stdout);
	strbuf_dispose(&summary);
	return ret;
}

static int load_config(struct config **cfg, const struct gate_repo *repo,
		       const struct range_opts *o, struct gate_run_opts *run,
		       struct strvec *analyzers)
{
	if (config_new(cfg) || config_load_layers(*cfg, repo->top, o->config) ||
	    apply_cli(*cfg, o) || check_boot_target(o, *cfg) ||
	    an_enabled_list(*cfg, analyzers))
		return -1;
	run->cfg = *cfg;
	run->analyzers = analyzers;
	run->jobs = gate_cpu_count();
	run->fail_on = FINDING_WARNING;
	if (config_get_int(*cfg, "defaults", "jobs", &run->jobs) < 0 ||
	    config_get_severity(*cfg, "defaults", "fail_on", &run->fail_on) < 0)
		return -1;
	return 0;
}

static int gate(const char *spec, const struct range_opts *o, struct gate_ctx *ctx)
{
	struct gate_run_opts run = { 0 };
	struct progress progress;
	struct strvec analyzers = STRVEC_INIT;
	struct strbuf build_dir = STRBUF_INIT;
	struct gate_range range = { 0 };
	struct gate_repo repo = { 0 };
	struct config *cfg = NULL;
	json_t *report = NULL;
	int ret = GATE_EXIT_USAGE;

	if (gate_repo_open(&repo, ".") ||
	    load_config(&cfg, &repo, o, &run, &analyzers) ||
	    gate_range_resolve(&range, &repo, spec, GATE_MERGES_SKIP) ||
	    apply_shard(&range, o->shard))
		goto fail;
	if (!range.nr) {
		fprintf(stderr, "nothing to gate: '%s' is an empty range\n", spec);
		ret = GATE_EXIT_OK;
		goto out;
	}
	if (config_get_path(cfg, "defaults", "build_dir", &build_dir) > 0)
		run.cache_root = build_dir.buf;
	progress_init(&progress);
	if (!o->quiet) {
		run.progress = print_progress;
		run.progress_data = &progress;
	}
	run.no_cache = o->no_cache;
	run.boot_target = o->boot;
	ret = GATE_EXIT_INFRA;
	if (ctr_engine_new(&run.ctr, config_get(cfg, "defaults", "engine") ?: "auto", cfg) ||
	    gate_series_run(&report, &repo, &range, &run)) {
		progress_done(&progress);
		goto fail;
	}
	progress_done(&progress);
	if (o->shard)
		json_object_set_new(report, "shard", json_string(o->shard));
	if (write_outputs(report, o, &repo) || (o->gerrit && post_gerrit(report, cfg)))
		goto fail;
	ret = gate_result_exit_code(report);
	goto out;
fail:
	gate_error_print(ret == GATE_EXIT_USAGE ? "error" : "fatal");
	if (gate_interrupted())
		ret = 128 + gate_interrupt_signal();
out:
	json_decref(report);
	ctr_engine_free(run.ctr);
	gate_range_dispose(&range);
	config_free(cfg);
	strvec_dispose(&analyzers);
	strbuf_dispose(&build_dir);
	gate_repo_close(&repo);
	return ret;
}

int cmd_range(int argc, const char **argv, struct gate_ctx *ctx)
{
	struct range_opts o = { 0 };
	struct option opts[] = { RANGE_OPTIONS(o) };

	argc = opt_parse(argc, argv, opts, 0);
	if (argc < 0)
		return opt_exit(argc, range_usage, opts);
	if (argc != 1) {
		gate_error(argc ? "too many arguments" : "which commits? give a range such as origin/master..HEAD");
		return opt_exit(OPT_ERROR, range_usage, opts);
	}
	return gate(argv[0], &o, ctx);
}

int cmd_commit(int argc, const char **argv, struct gate_ctx *ctx)
{
	struct range_opts o = { 0 };
	struct option opts[] = { RANGE_OPTIONS(o) };

	argc = opt_parse(argc, argv, opts, 0);
	if (argc < 0)
		return opt_exit(argc, commit_usage, opts);
	if (argc > 1) {
		gate_error("too many arguments");
		return opt_exit(OPT_ERROR, commit_usage, opts);
	}
	return gate(argc ? argv[0] : "HEAD", &o, ctx);
}
