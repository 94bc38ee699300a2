/* cmd_range.c: the range and commit commands: options and config in, report
 * files and the exit code out. The gating itself is series.c's. */
#include "builtin.h"
#include "error.h"
#include "exit.h"
#include "gerrit.h"
#include "interrupt.h"
#include "model.h"
#include "options.h"
#include "range.h"
#include "report.h"
#include "result.h"
#include "series.h"
#include "setup.h"
#include "shard.h"
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

struct range_opts {
	struct setup_cli cli;
	const char *json, *junit, *html, *sarif, *shard, *color, *merges;
	int gerrit;
};

static const char *const range_usage[] = {
	"mkt-gate range [<options>] [<revs>]",
	"",
	"Gates every commit of <revs> (A..B, A...B, or one revision) on its own",
	"and reports only what each commit introduced or fixed. Without <revs>,",
	"gates @{upstream}..HEAD: the commits of this branch not upstream yet.",
	NULL,
};

static const char *const commit_usage[] = {
	"mkt-gate commit [<options>] [<rev>]",
	"",
	"Gates one commit (default: HEAD) against its parent.",
	NULL,
};

#define RANGE_OPTIONS(o, ctx)						\
	SETUP_GATE_OPTIONS((o).cli),					\
	OPT_STRING(0, "config", &(o).cli.config, "file", "a config file on top of the others"), \
	OPT_STRING(0, "json", &(o).json, "file", "write the JSON report"), \
	OPT_STRING(0, "junit", &(o).junit, "file", "write JUnit XML for Jenkins"), \
	OPT_STRING(0, "html", &(o).html, "file", "write a self-contained HTML report"), \
	OPT_STRING(0, "sarif", &(o).sarif, "file", "write SARIF 2.1.0"),	\
	OPT_STRING(0, "shard", &(o).shard, "k/n", "gate only the k-th of n shares of the commits (auto: from the CI)"), \
	OPT_BOOL(0, "gerrit", &(o).gerrit, "vote on each commit's Gerrit change ([gerrit] in the config)"), \
	OPT_STRING(0, "boot", &(o).cli.boot, "section",		\
		   "boot each commit's kernel in QEMU with this target section"), \
	OPT_STRING(0, "color", &(o).color, "when", "auto, always or never"), \
	OPT_STRING(0, "merges", &(o).merges, "how",			\
		   "merge commits: skip, or first-parent (as git log --first-parent)"), \
	OPT_BOOL('q', "quiet", &(ctx)->quiet, "print only the verdict, no progress"), \
	OPT_BOOL('v', "verbose", &(ctx)->verbose,			\
		 "also list cached checks and preexisting counts"),	\
	OPT_END()

/* Commits of other shards are reported skipped, so merged reports add up. */
static int apply_shard(struct gate_range *r, const struct gate_shard *sh)
{
	for (size_t i = 0; i < r->nr; i++)
		if (!gate_shard_has(sh, i + 1) && !r->v[i].skip_reason &&
		    asprintf(&r->v[i].skip_reason, "gated by another shard (%s)", sh->name) < 0)
			return gate_error("out of memory");
	return 0;
}

/* Options that need no repository are checked before the gate runs, not after. */
static int check_opts(const struct range_opts *o, struct gate_shard *sh)
{
	enum gate_merge_policy merges;
	enum rep_color color;

	if (o->color && rep_color_parse(o->color, &color))
		return -1;
	if (o->merges && gate_merge_policy_parse(o->merges, &merges))
		return gate_error("'--merges' expects skip or first-parent, not '%s'", o->merges);
	return gate_shard_parse(sh, o->shard);
}

/* --merges, else the config's 'merges' (checked when it was loaded). */
static enum gate_merge_policy merge_policy(const struct range_opts *o,
					   const struct config *cfg)
{
	const char *v = o->merges ? o->merges : config_get(cfg, "defaults", "merges");
	enum gate_merge_policy merges = GATE_MERGES_SKIP;

	if (v)
		gate_merge_policy_parse(v, &merges);
	return merges;
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

static int write_outputs(const json_t *report, const struct range_opts *o,
			 const struct gate_ctx *ctx, struct gate_repo *repo)
{
	struct rep_source src = { setup_read_blob, repo->git };
	struct rep_terminal_opts t = { REP_COLOR_AUTO, ctx->verbose };

	if (o->color && rep_color_parse(o->color, &t.color))
		return -1;
	if ((o->json && rep_json_write(report, o->json)) ||
	    (o->junit && rep_junit_write(report, o->junit)) ||
	    (o->sarif && rep_sarif_write(report, o->sarif)) ||
	    (o->html && rep_html_write(report, o->html, &src)))
		return -1;
	if (ctx->quiet) {
		printf("%s\n", rep_str_or(report, "verdict", "?"));
		return 0;
	}
	return rep_terminal_summary(stdout, report, &t);
}

/* Votes after the local reports are written, so a Gerrit error loses nothing. */
static int post_gerrit(const json_t *report, const struct config *cfg,
		       const struct gate_ctx *ctx)
{
	struct strbuf summary = STRBUF_INIT;
	int ret = rep_gerrit_post_report(report, cfg, &summary);

	if (ret || !ctx->quiet)
		fputs(summary.buf, stdout);
	strbuf_dispose(&summary);
	return ret;
}

/* No revision: the branch's commits its upstream lacks, as b4 and git rebase take. */
static int upstream_range(struct strbuf *out, git_repository *git, const struct gate_ctx *ctx)
{
	git_reference *head = NULL, *up = NULL;
	int ret = -1;

	if (git_repository_head(&head, git) || !git_reference_is_branch(head)) {
		gate_error("no revision given, and HEAD is not on a branch");
		gate_error_hint("give a range such as origin/master..HEAD");
	} else if (git_branch_upstream(&up, head)) {
		gate_error("no revision given, and branch '%s' has no upstream",
			   git_reference_shorthand(head));
		gate_error_hint("give a range such as origin/master..HEAD, or set an upstream with 'git branch --set-upstream-to=origin/master'");
	} else if (!strbuf_addf(out, "%s..HEAD", git_reference_shorthand(up))) {
		if (!ctx->quiet)
			fprintf(stderr, "gating %s (@{upstream}..HEAD): the commits of '%s' not upstream yet\n",
				out->buf, git_reference_shorthand(head));
		ret = 0;
	}
	git_reference_free(up);
	git_reference_free(head);
	return ret;
}

static int gate_and_report(const char *spec, const struct range_opts *o,
			   struct gate_ctx *ctx)
{
	struct strbuf upstream = STRBUF_INIT;
	struct progress progress;
	struct gate_range range = { 0 };
	struct gate_shard shard;
	struct setup s;
	json_t *report = NULL;
	int ret = GATE_EXIT_USAGE, failed;

	setup_init(&s);
	if (check_opts(o, &shard) || setup_load(&s, &o->cli, SETUP_IN_REPO) || setup_gate(&s, &o->cli) ||
	    (!spec && upstream_range(&upstream, s.repo.git, ctx)))
		goto fail;
	if (!spec)
		spec = upstream.buf;
	if (gate_range_resolve(&range, &s.repo, spec, merge_policy(o, s.cfg)) ||
	    apply_shard(&range, &shard))
		goto fail;
	if (!range.nr) {
		fprintf(stderr, "nothing to gate: '%s' is an empty range\n", spec);
		ret = GATE_EXIT_OK;
		goto out;
	}
	progress_init(&progress);
	if (!ctx->quiet) {
		s.run.progress = print_progress;
		s.run.progress_data = &progress;
	}
	ret = GATE_EXIT_INFRA;
	if (setup_engine(&s) || gate_series_run(&report, &s.repo, &range, &s.run)) {
		progress_done(&progress);
		goto fail;
	}
	progress_done(&progress);
	if (shard.n)
		json_object_set_new(report, "shard", json_string(shard.name));
	if (range.merges == GATE_MERGES_FIRST_PARENT)
		json_object_set_new(report, "merges", json_string("first-parent"));
	failed = write_outputs(report, o, ctx, &s.repo);
	if (failed && setup_reader_gone(1)) {
		ret = SETUP_EXIT_GONE;
		goto out;
	}
	if (failed || (o->gerrit && post_gerrit(report, s.cfg, ctx)))
		goto fail;
	ret = gate_result_exit_code(report);
	goto out;
fail:
	gate_error_print(ret == GATE_EXIT_USAGE ? "error" : "fatal");
	if (gate_interrupted())
		ret = 128 + gate_interrupt_signal();
out:
	json_decref(report);
	gate_range_dispose(&range);
	setup_dispose(&s);
	strbuf_dispose(&upstream);
	return ret;
}

int cmd_range(int argc, const char **argv, struct gate_ctx *ctx)
{
	struct range_opts o = { 0 };
	struct option opts[] = { RANGE_OPTIONS(o, ctx) };

	argc = setup_parse(argc, argv, opts, 0, ctx);
	if (argc < 0)
		return opt_exit(argc, range_usage, opts);
	if (argc > 1) {
		gate_error("too many arguments");
		return opt_exit(OPT_ERROR, range_usage, opts);
	}
	return gate_and_report(argc ? argv[0] : NULL, &o, ctx);
}

int cmd_commit(int argc, const char **argv, struct gate_ctx *ctx)
{
	struct range_opts o = { 0 };
	struct option opts[] = { RANGE_OPTIONS(o, ctx) };

	argc = setup_parse(argc, argv, opts, 0, ctx);
	if (argc < 0)
		return opt_exit(argc, commit_usage, opts);
	if (argc > 1) {
		gate_error("too many arguments");
		return opt_exit(OPT_ERROR, commit_usage, opts);
	}
	return gate_and_report(argc ? argv[0] : "HEAD", &o, ctx);
}
