/* setup.h: the one way the commands turn the repository, the config layers and
 * the command line into a config and the run options of a gate. Never prints. */
#ifndef GATE_SETUP_H
#define GATE_SETUP_H

#include "builtin.h"
#include "config.h"
#include "options.h"
#include "repo.h"
#include "run_opts.h"
#include "strbuf.h"
#include "strvec.h"

/*
 * The command line as the top config layer: NULL or 0 is "not given",
 * and the config decides. A given value is set in [defaults] before
 * anything reads the config, so every command gates with the same rules.
 */
struct setup_cli {
	const char *config;	/* --config FILE: read after the repository's */
	const char *analyzers;	/* comma or space separated */
	const char *engine;
	const char *fail_on;
	const char *build_dir;
	const char *boot;	/* range --boot: must name a target section */
	int jobs;
	int no_cache;
};

/* The options that feed struct setup_cli, for the table of a command that gates. */
#define SETUP_GATE_OPTIONS(c)						\
	OPT_STRING(0, "analyzers", &(c).analyzers, "list",		\
		   "analyzers to run, comma or space separated (gcc,clang,...)"), \
	OPT_INT('j', "jobs", &(c).jobs, "n", "jobs to run at once (default: CPUs)"), \
	OPT_STRING(0, "engine", &(c).engine, "name",			\
		   "where jobs run: host, bwrap, podman, docker or auto"), \
	OPT_STRING(0, "build-dir", &(c).build_dir, "dir",		\
		   "where scratch trees and builds live (default: ~/.cache/mkt-gate)"), \
	OPT_STRING(0, "fail-on", &(c).fail_on, "level",		\
		   "fail on new findings at or above error|warning|info"),	\
	OPT_BOOL(0, "no-cache", &(c).no_cache,				\
		 "ignore cached results and run every analyzer again")

/* Where the repository's own config layer (.mkt-gate.conf) is read from. */
enum setup_where {
	SETUP_IN_REPO,		/* its top; outside a repository is an error */
	SETUP_ANY_DIR,		/* its top; outside one there is no such layer */
	SETUP_TOP_OR_CWD,	/* its top; outside one the working directory */
};

/*
 * Life cycle: setup_init(), setup_load() for the config, then for a
 * command that gates setup_gate() (what to run: analyzers, -j, the fail
 * level, the cache, the boot target) and setup_engine() (where jobs run:
 * probes the engine, so a failure there means "could not run"), and
 * setup_dispose(). s->run points into s and lives as long as it.
 */
struct setup {
	struct gate_repo repo;	/* open, or all zero outside a repository */
	struct config *cfg;
	struct strvec analyzers;
	struct strbuf build_dir;
	struct gate_run_opts run;
};

/*
 * opt_parse() for a command, which also refuses -q with -v, whether given
 * before the command (mkt-gate -q ...) or after it: a command's own -q
 * and -v point at ctx->quiet and ctx->verbose, as the global ones do.
 */
int setup_parse(int argc, const char **argv, const struct option *opts,
		int stop_at_non_option, const struct gate_ctx *ctx);

/*
 * The rep_source reader of the HTML report's code snippets: the file at
 * path in commit sha of the repository data (a git_repository *).
 */
int setup_read_blob(void *data, const char *sha, const char *path, struct strbuf *out);

/*
 * Whether the reader of fd went away, as `head` does after its lines:
 * then a failed write is no error, and the command ends quietly with
 * SETUP_EXIT_GONE, the status of a tool that SIGPIPE ended.
 */
bool setup_reader_gone(int fd);
#define SETUP_EXIT_GONE (128 + 13)

void setup_init(struct setup *s);
int setup_load(struct setup *s, const struct setup_cli *cli, enum setup_where where);
int setup_gate(struct setup *s, const struct setup_cli *cli);
int setup_engine(struct setup *s);
void setup_dispose(struct setup *s);

#endif
