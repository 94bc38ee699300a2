/* cmd_report.c: `mkt-gate report`: re-render a saved JSON report, or merge
 * the reports of shards. The rendering itself is reports/'. */
#include "builtin.h"
#include "error.h"
#include "exit.h"
#include "options.h"
#include "model.h"
#include "repo.h"
#include "report.h"
#include "setup.h"

#include <stdio.h>
#include <string.h>

static const char *const report_usage[] = {
	"mkt-gate report [--from] <file> [--terminal [-q|-v]] [--json <file>] "
	"[--junit <file>] [--html <file>] [--sarif <file>]",
	"mkt-gate report merge <file>... -o <file>",
	"",
	"Renders a report saved by 'range --json'. The HTML report's code",
	"snippets are read from the repository at each commit: the one the",
	"command runs in, else the one the report was made in.",
	NULL,
};

static const char *const merge_usage[] = {
	"mkt-gate report merge <file>... -o <file>",
	NULL,
};

struct render_args {
	const char *from, *json, *junit, *html, *sarif, *color;
	int terminal;
};

/* Prints the recorded error, with hint unless a more precise one was set. */
static int fail(const char *hint, int code)
{
	if (hint && !*gate_error_last_hint())
		gate_error_hint("%s", hint);
	gate_error_print("error");
	return code;
}

/*
 * The repository the snippets are read from: the one we run in, else the
 * one the report names. src->data stays NULL when neither opens.
 */
static void open_source(struct gate_repo *repo, struct rep_source *src,
			const json_t *report)
{
	const char *made_in = rep_str(report, "repository");

	if (gate_repo_open(repo, ".") && (!made_in || gate_repo_open(repo, made_in)))
		gate_error_clear();
	src->read = setup_read_blob;
	src->data = repo->git;
}

static int render(const json_t *report, const struct render_args *a,
		  const struct gate_ctx *ctx)
{
	struct rep_terminal_opts topts = { REP_COLOR_AUTO, ctx->verbose };
	struct gate_repo repo = { 0 };
	struct rep_source src = { 0 };
	int ret = GATE_EXIT_OK;

	if (a->color && rep_color_parse(a->color, &topts.color))
		return fail(NULL, GATE_EXIT_USAGE);
	if (a->html)
		open_source(&repo, &src, report);
	if ((a->json && rep_json_write(report, a->json)) ||
	    (a->junit && rep_junit_write(report, a->junit)) ||
	    (a->html && rep_html_write(report, a->html, src.data ? &src : NULL)) ||
	    (a->sarif && rep_sarif_write(report, a->sarif)))
		ret = fail("check that the directory exists and is writable", GATE_EXIT_USAGE);
	else if (a->terminal && ctx->quiet)
		printf("%s\n", rep_str_or(report, "verdict", "?"));
	else if (a->terminal && rep_terminal_summary(stdout, report, &topts))
		ret = setup_reader_gone(1) ? SETUP_EXIT_GONE : fail(NULL, GATE_EXIT_USAGE);
	gate_repo_close(&repo);
	return ret;
}

static int cmd_report_merge(int argc, const char **argv)
{
	const char *output = NULL;
	const struct option opts[] = {
		OPT_STRING('o', "output", &output, "file",
			   "write the merged report to <file>"),
		OPT_END(),
	};
	json_t *reports[64], *merged = NULL;
	int n, i, loaded = 0, ret = GATE_EXIT_USAGE;

	n = opt_parse(argc, argv, opts, 0);
	if (n < 0)
		return opt_exit(n, merge_usage, opts);
	if (!n || !output) {
		gate_error(!n ? "no report to merge" : "no output file (-o)");
		return opt_exit(OPT_ERROR, merge_usage, opts);
	}
	if (n > (int)(sizeof(reports) / sizeof(*reports))) {
		gate_error("too many reports (at most %zu)",
			   sizeof(reports) / sizeof(*reports));
		return fail("merge in steps: merged reports can be merged again",
			    GATE_EXIT_USAGE);
	}
	for (; loaded < n; loaded++)
		if (rep_load(&reports[loaded], argv[loaded])) {
			fail("give the JSON written by 'mkt-gate range --json'",
			     GATE_EXIT_USAGE);
			goto out_free;
		}
	if (rep_merge(&merged, reports, (size_t)n) ||
	    rep_json_write(merged, output)) {
		fail(NULL, GATE_EXIT_USAGE);
		goto out_free;
	}
	ret = GATE_EXIT_OK;
out_free:
	json_decref(merged);
	for (i = 0; i < loaded; i++)
		json_decref(reports[i]);
	return ret;
}

int cmd_report(int argc, const char **argv, struct gate_ctx *ctx)
{
	struct render_args a = { 0 };
	const struct option opts[] = {
		OPT_STRING(0, "from", &a.from, "file",
			   "the saved JSON report to render"),
		OPT_GROUP("outputs (default: --terminal)"),
		OPT_BOOL(0, "terminal", &a.terminal,
			 "print the summary to standard output"),
		OPT_STRING(0, "color", &a.color, "when",
			   "colour the summary: auto, always or never"),
		OPT_STRING(0, "json", &a.json, "file", "write the JSON report"),
		OPT_STRING(0, "junit", &a.junit, "file",
			   "write JUnit XML (Jenkins)"),
		OPT_STRING(0, "html", &a.html, "file",
			   "write one self-contained HTML page"),
		OPT_STRING(0, "sarif", &a.sarif, "file", "write SARIF 2.1.0"),
		OPT_BOOL('q', "quiet", &ctx->quiet, "--terminal: print only the verdict"),
		OPT_BOOL('v', "verbose", &ctx->verbose,
			 "--terminal: also list cached checks and preexisting counts"),
		OPT_END(),
	};
	json_t *report;
	int n, ret;

	if (argc > 1 && !strcmp(argv[1], "merge"))
		return cmd_report_merge(argc - 1, argv + 1);
	n = setup_parse(argc, argv, opts, 0, ctx);
	if (n < 0)
		return opt_exit(n, report_usage, opts);
	if (n == 1 && !a.from)
		a.from = argv[--n];
	if (n > 0) {
		gate_error("unexpected argument '%s'", argv[0]);
		return opt_exit(OPT_ERROR, report_usage, opts);
	}
	if (!a.from) {
		gate_error("no report given (--from)");
		return opt_exit(OPT_ERROR, report_usage, opts);
	}
	if (!a.json && !a.junit && !a.html && !a.sarif)
		a.terminal = 1;
	if (rep_load(&report, a.from))
		return fail("give the JSON written by 'mkt-gate range --json'",
			    GATE_EXIT_USAGE);
	ret = render(report, &a, ctx);
	json_decref(report);
	return ret;
}
