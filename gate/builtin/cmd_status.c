/* cmd_status.c: `mkt-gate status [<rev>]`: pending, running and finished background checks and verdicts.
 * Reads only: the queue files and the stored JSON results; changes nothing. */
#include "hook.h"
#include "builtin.h"
#include "error.h"
#include "exit.h"
#include "options.h"
#include "text.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static const char *const status_usage[] = {
	"mkt-gate status [<rev>]",
	NULL,
};

#define STATUS_MAX_COMMITS "20"

static const char *where(const struct hook_job *j)
{
	return j->top.len ? j->top.buf : j->gitdir.buf;
}

static int show_pending(struct hook_job *j, void *data)
{
	printf("pending:  %.12s in '%s'\n", j->head, where(j));
	return 0;
}

static int show_running(struct hook_job *j, void *data)
{
	const pid_t *holder = data;

	if (*holder)
		printf("running:  %.12s in '%s' (pid %ld, for %ld s)\n", j->head,
		       where(j), (long)j->pid, (long)time(NULL) - j->started);
	else
		printf("stopped:  %.12s in '%s' (the run died; the next commit retries it)\n",
		       j->head, where(j));
	return 0;
}

static void show_verdict(const struct hook_repo *r, const char *sha,
			 const char *subject)
{
	struct strbuf text = STRBUF_INIT;
	enum hook_verdict v = hook_result_verdict(r, sha);

	/* A failed one is described with its findings, header and all. */
	if (v == HOOK_VERDICT_FAIL && !hook_result_describe(&text, r, sha)) {
		rep_text_fputs(stdout, text.buf, 0);
	} else {
		printf("  %.12s ", sha);
		rep_text_fputs(stdout, subject, REP_TEXT_ONELINE);
		printf(": %s\n", v == HOOK_VERDICT_NONE ? "not checked yet" :
			hook_verdict_name(v));
	}
	strbuf_dispose(&text);
}

/* What the user would push next: HEAD's commits no remote has. */
static void show_unpushed(const struct hook_repo *r)
{
	static const char *const args[] = {
		"log", "--max-count=" STATUS_MAX_COMMITS, "--format=%H %s",
		"HEAD", "--not", "--remotes", "--", NULL,
	};
	struct strbuf out = STRBUF_INIT;
	char *line, *save = NULL;

	if (hook_git(&out, r, args) || !out.len)
		goto out;
	printf("commits on HEAD that no remote has (newest first, at most %s):\n",
	       STATUS_MAX_COMMITS);
	for (line = strtok_r(out.buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *sp = strchr(line, ' ');

		if (sp)
			*sp++ = '\0';
		show_verdict(r, line, sp ? sp : "");
	}
out:
	strbuf_dispose(&out);
}

static int show_finished(struct hook_job *j, void *data)
{
	long ago = (long)time(NULL) - j->finished;

	printf("finished: %.12s in '%s': %s (%s), %ld s ago\n", j->head, where(j),
	       hook_verdict_name(j->verdict), j->range.buf, ago);
	return 0;
}

static int show_commit(const struct hook_repo *r, const char *rev)
{
	const char *args[] = { "log", "-1", "--format=%H %s", NULL, "--", NULL };
	struct strbuf spec = STRBUF_INIT, out = STRBUF_INIT;
	char *sp;
	int ret = GATE_EXIT_USAGE;

	if (strbuf_addf(&spec, "%s^{commit}", rev))
		goto out;
	args[3] = spec.buf;
	sp = hook_git(&out, r, args) ? NULL : strchr(out.buf, ' ');
	if (!sp) {
		fprintf(stderr, "error: revision '%s' not found\n", rev);
		fprintf(stderr, "hint: give a commit id, a branch or HEAD~2\n");
		goto out;
	}
	*sp++ = '\0';
	show_verdict(r, out.buf, sp);
	ret = GATE_EXIT_OK;
out:
	strbuf_dispose(&spec);
	strbuf_dispose(&out);
	return ret;
}

int cmd_status(int argc, const char **argv, struct gate_ctx *ctx)
{
	struct option opts[] = { OPT_END() };
	struct strbuf lock = STRBUF_INIT;
	pid_t holder = 0;
	struct hook_repo repo;
	pid_t stale;
	int n, ret;

	n = opt_parse(argc, argv, opts, 0);
	if (n < 0)
		return opt_exit(n, status_usage, opts);
	if (n > 1) {
		fprintf(stderr, "error: give at most one revision\n");
		return GATE_EXIT_USAGE;
	}
	if (hook_repo_open(&repo, NULL)) {
		gate_error_print("error");
		return GATE_EXIT_USAGE;
	}
	if (!strbuf_addf(&lock, "%s/lock", repo.statedir.buf))
		holder = hook_lock_holder(lock.buf, &stale);
	hook_queue_each(&repo, "running", show_running, &holder);
	hook_queue_each(&repo, "queue", show_pending, NULL);
	hook_queue_each(&repo, "state", show_finished, NULL);
	ret = GATE_EXIT_OK;
	if (n)
		ret = show_commit(&repo, argv[0]);
	else
		show_unpushed(&repo);
	strbuf_dispose(&lock);
	hook_repo_dispose(&repo);
	return ret;
}
