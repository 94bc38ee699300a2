/* cmd_gerrit.c: the gerrit command: `review` posts a saved report's verdict,
 * `watch` polls a query, gates each new patch set and votes on it. */
#include "builtin.h"
#include "error.h"
#include "exit.h"
#include "gerrit.h"
#include "interrupt.h"
#include "model.h"
#include "options.h"
#include "proc.h"
#include "range.h"
#include "report.h"
#include "series.h"
#include "setup.h"
#include "shard.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct gerrit_opts {
	struct setup_cli cli;
	const char *from, *remote, *json_dir, *shard;
	int once;
	const struct gate_ctx *ctx;	/* -q and -v */
};

static const char *const gerrit_usage[] = {
	"mkt-gate gerrit review [<options>] --from <report.json> [<change> [<revision>]]",
	"mkt-gate gerrit watch [<options>] [--once] [--shard K/N|auto]",
	"",
	"review posts the verdict of a saved report: to <change> (a number or",
	"project~branch~Change-Id) and <revision> (default: the report's only",
	"commit), or without <change> to the change that holds each commit.",
	"watch polls [gerrit] query, fetches each new patch set into",
	"refs/mkt-gate/, gates it against its parent and votes once on it:",
	"watchers of one account agree through Gerrit on who gates a patch set,",
	"and skip one this account has voted on. --shard K/N takes the changes",
	"whose number is K modulo N (auto: from the CI's variables).",
	NULL,
};

#define GERRIT_OPTIONS(o, ctx)						\
	OPT_STRING(0, "from", &(o).from, "file", "review: the JSON report to post"), \
	OPT_STRING(0, "config", &(o).cli.config, "file", "a config file on top of the others"), \
	OPT_BOOL(0, "once", &(o).once, "watch: poll once and exit"),	\
	OPT_STRING(0, "remote", &(o).remote, "name",			\
		   "watch: the remote or URL to fetch patch sets from (default: origin)"), \
	OPT_STRING(0, "json-dir", &(o).json_dir, "dir",		\
		   "watch: write each patch set's JSON report there"),	\
	OPT_STRING(0, "shard", &(o).shard, "k/n",			\
		   "watch: only changes whose number is k modulo n (auto: from the CI)"), \
	OPT_BOOL('q', "quiet", &(ctx)->quiet, "say only what failed"),	\
	OPT_BOOL('v', "verbose", &(ctx)->verbose,			\
		 "trace HTTP headers (credentials redacted); watch: show progress"), \
	OPT_GROUP("watch: how each patch set is gated (as range does)"), \
	SETUP_GATE_OPTIONS((o).cli),					\
	OPT_END()

static void print_line(void *data, const char *line)
{
	fprintf(stderr, "%s%s\n", (const char *)data, line);
}

static int open_client(struct rep_gerrit **g, const struct config *cfg,
		       const struct gerrit_opts *o)
{
	if (rep_gerrit_new(g, cfg))
		return -1;
	if (o->ctx->verbose)
		rep_gerrit_set_trace(*g, print_line, "trace: ");
	return 0;
}

/* The report commit a review names: the given revision, or the only one. */
static const json_t *pick_commit(const json_t *report, const char *rev)
{
	const json_t *commits = rep_arr(report, "commits");
	const json_t *c = NULL;

	if (rev) {
		c = rep_gerrit_find_commit(report, rev);
		if (!c)
			gate_error("revision '%s' is not a commit of the report", rev);
		return c;
	}
	if (json_array_size(commits) != 1) {
		gate_error("the report holds %zu commits; which one?", json_array_size(commits));
		gate_error_hint("name it: mkt-gate gerrit review --from FILE <change> <revision>");
		return NULL;
	}
	return json_array_get(commits, 0);
}

static int review_one(const json_t *report, const struct config *cfg,
		      const struct gerrit_opts *o, const char *change,
		      const char *rev, struct strbuf *summary)
{
	const json_t *commit = pick_commit(report, rev);
	struct rep_gerrit_opts ro;
	struct rep_gerrit *g = NULL;
	int ret = -1;

	if (!commit)
		return GATE_EXIT_USAGE;
	rep_gerrit_opts_from_config(&ro, cfg);
	if (open_client(&g, cfg, o))
		return GATE_EXIT_USAGE;
	ret = rep_gerrit_post_commit(g, &ro, commit, change,
				     rep_str_or(commit, "sha", ""), summary);
	rep_gerrit_free(g);
	return ret ? GATE_EXIT_INFRA : GATE_EXIT_OK;
}

static int review(int argc, const char **argv, const struct gerrit_opts *o)
{
	struct strbuf summary = STRBUF_INIT;
	json_t *report = NULL;
	struct setup s;
	int ret = GATE_EXIT_USAGE;

	setup_init(&s);
	if (setup_load(&s, &o->cli, SETUP_ANY_DIR) || rep_load(&report, o->from))
		goto out;
	if (argc)
		ret = review_one(report, s.cfg, o, argv[0], argc > 1 ? argv[1] : NULL,
				 &summary);
	else
		ret = rep_gerrit_post_report(report, s.cfg, &summary) ?
		      GATE_EXIT_INFRA : GATE_EXIT_OK;
out:
	if (ret || !o->ctx->quiet)
		fputs(summary.buf, stdout);
	if (ret)
		gate_error_print(ret == GATE_EXIT_USAGE ? "error" : "fatal");
	json_decref(report);
	setup_dispose(&s);
	strbuf_dispose(&summary);
	return ret;
}

/* Everything a poll needs, opened once per watch. */
struct watcher {
	const struct gerrit_opts *o;
	struct setup s;		/* the repository, config and run options */
	struct rep_gerrit *g;
	struct rep_gerrit_state state;
	struct rep_gerrit_opts ro;
	struct rep_gerrit_claim claim;	/* who we are, for Gerrit's record */
	struct gate_shard shard;
	const char *query;
};

static int watch_state_path(struct watcher *w, struct strbuf *path)
{
	int ret = config_get_path(w->s.cfg, "gerrit", "state_file", path);

	if (ret)
		return ret < 0 ? -1 : 0;
	return strbuf_addf(path, "%s/mkt-gate/gerrit-state.json", w->s.repo.commondir);
}

/* Everything but the engine, whose failure is "could not run", not a usage error. */
static int watch_open(struct watcher *w)
{
	struct strbuf state = STRBUF_INIT;
	int ret = -1;

	if (gate_shard_parse(&w->shard, w->o->shard) ||
	    setup_load(&w->s, &w->o->cli, SETUP_IN_REPO) || setup_gate(&w->s, &w->o->cli))
		goto out;
	w->query = config_get(w->s.cfg, "gerrit", "query");
	if (!w->query) {
		gate_error("[gerrit] query is not set: which changes should be watched?");
		gate_error_hint("e.g. query = status:open project:linux -label:Verified=1");
		goto out;
	}
	if (w->o->ctx->verbose) {
		w->s.run.progress = print_line;
		w->s.run.progress_data = "";
	}
	rep_gerrit_opts_from_config(&w->ro, w->s.cfg);
	if (watch_state_path(w, &state) || rep_gerrit_state_load(&w->state, state.buf) ||
	    open_client(&w->g, w->s.cfg, w->o))
		goto out;
	ret = 0;
out:
	strbuf_dispose(&state);
	return ret;
}

static void watch_close(struct watcher *w)
{
	rep_gerrit_free(w->g);
	rep_gerrit_state_dispose(&w->state);
	setup_dispose(&w->s);
}

/* git fetch REMOTE +refs/changes/..:refs/mkt-gate/changes/..: no user ref moves. */
static int fetch_patchset(struct watcher *w, const struct rep_gerrit_patchset *ps)
{
	struct strbuf out = STRBUF_INIT;
	struct proc p;
	int rc;

	proc_init(&p);
	p.dir = w->s.repo.top ? w->s.repo.top : w->s.repo.gitdir;
	strvec_pushv(&p.args, (const char *[]){ "git", "fetch", "--quiet", "--no-tags",
						"--no-write-fetch-head", "--", NULL });
	strvec_push(&p.args, w->o->remote ? w->o->remote : "origin");
	strvec_pushf(&p.args, "+%s:refs/mkt-gate/%s", ps->ref, ps->ref + strlen("refs/"));
	rc = proc_capture(&p, &out, NULL, 600);
	strbuf_trim_trailing(&out);
	if (rc)
		gate_error("cannot fetch '%s' from '%s': %s", ps->ref,
			   w->o->remote ? w->o->remote : "origin",
			   out.len ? out.buf : "git fetch failed");
	proc_dispose(&p);
	strbuf_dispose(&out);
	return rc ? -1 : 0;
}

static int save_report(struct watcher *w, const json_t *report,
		       const struct rep_gerrit_patchset *ps)
{
	struct strbuf path = STRBUF_INIT;
	int ret;

	if (!w->o->json_dir)
		return 0;
	if (mkdir(w->o->json_dir, 0777) && errno != EEXIST)
		return gate_error("cannot create '%s': %s", w->o->json_dir, strerror(errno));
	strbuf_addf(&path, "%s/change-%lld-%lld.json", w->o->json_dir, ps->number,
		    ps->patchset);
	ret = rep_json_write(report, path.buf);
	strbuf_dispose(&path);
	return ret;
}

/*
 * Our claim may have outlived claim_timeout while we gated: look once more,
 * so that a watcher which took over and voted is not voted over.
 */
static int vote_once(struct watcher *w, const struct rep_gerrit_patchset *ps,
		     const json_t *commit, struct strbuf *summary)
{
	enum rep_gerrit_seen seen;

	if (rep_gerrit_look(w->g, &w->claim, ps, &seen))
		return -1;
	if (seen == REP_GERRIT_REVIEWED) {
		strbuf_addf(summary, "not posted on change %lld patch set %lld: %s\n",
			    ps->number, ps->patchset, "another watcher reviewed it meanwhile");
		return rep_gerrit_state_add(&w->state, ps, "reviewed-elsewhere");
	}
	if (rep_gerrit_post_commit(w->g, &w->ro, commit, ps->change, ps->revision, summary))
		return -1;
	return rep_gerrit_state_add(&w->state, ps, rep_str_or(commit, "verdict", "?"));
}

/* Best effort: the next poll, ours or another watcher's, may gate it again. */
static void release_claim(struct watcher *w, const struct rep_gerrit_patchset *ps)
{
	struct strbuf msg = STRBUF_INIT, hint = STRBUF_INIT;

	strbuf_addstr(&msg, gate_error_last());
	strbuf_addstr(&hint, gate_error_last_hint());
	rep_gerrit_release(w->g, &w->claim, ps);
	gate_error("%s", msg.buf);
	if (hint.len)
		gate_error_hint("%s", hint.buf);
	strbuf_dispose(&msg);
	strbuf_dispose(&hint);
}

/* Fetch, gate, save, vote, remember: one patch set from start to end. */
static int watch_patchset(struct watcher *w, const struct rep_gerrit_patchset *ps)
{
	struct strbuf summary = STRBUF_INIT;
	struct gate_range range = { 0 };
	json_t *report = NULL;
	const json_t *commit;
	int ret = -1;

	if (!w->o->ctx->quiet)
		fprintf(stderr, "gerrit: gating change %lld patch set %lld (%.12s)\n",
			ps->number, ps->patchset, ps->revision);
	if (fetch_patchset(w, ps) ||
	    gate_range_resolve(&range, &w->s.repo, ps->revision, GATE_MERGES_FIRST_PARENT) ||
	    gate_series_run(&report, &w->s.repo, &range, &w->s.run) ||
	    save_report(w, report, ps))
		goto out;
	commit = rep_gerrit_find_commit(report, ps->revision);
	if (!commit) {
		gate_error("the report of change %lld lacks commit %s", ps->number, ps->revision);
		goto out;
	}
	ret = vote_once(w, ps, commit, &summary);
out:
	if (ret)
		release_claim(w, ps);
	if (ret || !w->o->ctx->quiet)
		fputs(summary.buf, stdout);
	fflush(stdout);
	json_decref(report);
	gate_range_dispose(&range);
	strbuf_dispose(&summary);
	return ret;
}

/*
 * 0 when this watcher is to gate ps, 1 when it is another's or done (said
 * so unless -q), -1 on a Gerrit error. A patch set this account reviewed
 * is remembered, so the next poll does not ask again.
 */
static int claim_patchset(struct watcher *w, const struct rep_gerrit_patchset *ps)
{
	enum rep_gerrit_seen seen;
	const char *why = NULL;

	if (rep_gerrit_claim(w->g, &w->claim, ps, &seen))
		return -1;
	if (seen == REP_GERRIT_OURS)
		return 0;
	if (seen == REP_GERRIT_REVIEWED)
		why = "this account has reviewed it already";
	else if (seen == REP_GERRIT_CLAIMED)
		why = "another watcher is gating it";
	if (why && !w->o->ctx->quiet)
		fprintf(stderr, "gerrit: skipping change %lld patch set %lld: %s\n",
			ps->number, ps->patchset, why);
	if (seen == REP_GERRIT_REVIEWED &&
	    rep_gerrit_state_add(&w->state, ps, "reviewed-elsewhere"))
		return -1;
	return 1;
}

/* One poll; a patch set that fails is left for the next poll, not recorded. */
static int watch_poll(struct watcher *w)
{
	json_t *changes = NULL, *c;
	int ret = GATE_EXIT_OK, rc;
	size_t i;

	if (rep_gerrit_query(w->g, w->query, &changes)) {
		gate_error_print("error");
		return GATE_EXIT_INFRA;
	}
	json_array_foreach(changes, i, c) {
		struct rep_gerrit_patchset ps;

		if (gate_interrupted())
			break;
		if (rep_gerrit_patchset(&ps, c)) {
			gate_error_print("warning");
			continue;
		}
		if (!gate_shard_has(&w->shard, (unsigned long long)ps.number) ||
		    rep_gerrit_state_has(&w->state, ps.revision))
			continue;
		rc = claim_patchset(w, &ps);
		if (rc > 0 || (!rc && !watch_patchset(w, &ps)))
			continue;
		gate_error_print("error");
		ret = GATE_EXIT_INFRA;
	}
	json_decref(changes);
	return ret;
}

static int watch(const struct gerrit_opts *o)
{
	struct watcher w = { .o = o };
	int interval = 60, ret = GATE_EXIT_USAGE;

	setup_init(&w.s);
	if (watch_open(&w) ||
	    config_get_int(w.s.cfg, "gerrit", "interval", &interval) < 0) {
		gate_error_print("error");
		goto out;
	}
	if (setup_engine(&w.s) || rep_gerrit_claim_init(&w.claim, w.g, w.s.cfg)) {
		gate_error_print("fatal");
		ret = GATE_EXIT_INFRA;
		goto out;
	}
	for (;;) {
		ret = watch_poll(&w);
		if (o->once)
			break;
		for (int s = 0; s < interval && !gate_interrupted(); s++)
			sleep(1);
		if (gate_interrupted())
			break;
	}
	if (gate_interrupted())
		ret = 128 + gate_interrupt_signal();
out:
	watch_close(&w);
	return ret;
}

int cmd_gerrit(int argc, const char **argv, struct gate_ctx *ctx)
{
	struct gerrit_opts o = { .ctx = ctx };
	struct option opts[] = { GERRIT_OPTIONS(o, ctx) };
	const char *sub;

	argc = setup_parse(argc, argv, opts, 0, ctx);
	if (argc < 0)
		return opt_exit(argc, gerrit_usage, opts);
	sub = argc ? argv[0] : "";
	if (!strcmp(sub, "review") && o.from && argc <= 3)
		return review(argc - 1, argv + 1, &o);
	if (!strcmp(sub, "watch") && argc == 1)
		return watch(&o);
	if (!strcmp(sub, "review"))
		gate_error(o.from ? "too many arguments" : "'review' needs '--from <report.json>'");
	else if (!strcmp(sub, "watch"))
		gate_error("'watch' takes no arguments");
	else
		gate_error(argc ? "unknown gerrit command '%s'" : "review or watch?%s", sub);
	return opt_exit(OPT_ERROR, gerrit_usage, opts);
}
