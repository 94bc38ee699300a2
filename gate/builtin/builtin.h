/* builtin.h: the context every subcommand gets, and the cmd_*() entry points.
 * Each returns its exit code (exit.h); only these and main() print or exit. */
#ifndef GATE_BUILTIN_H
#define GATE_BUILTIN_H

/*
 * verbose and quiet are set by `mkt-gate -v|-q <command>` and by the
 * command's own -v and -q; never both (setup_parse() refuses that).
 */
struct gate_ctx {
	const char *self;	/* absolute path of the mkt-gate users run */
	int verbose;		/* say more: progress, details, traces */
	int quiet;		/* say only verdicts and errors */
};

/*
 * `mkt-gate` (gate/front.c) answers --version and the hooks itself and
 * execs the binary with every command, MKT_GATE_FULL (CMakeLists.txt), for
 * the rest: in the build tree next to it, installed in libexec/mkt-gate.
 * It passes its own path in GATE_ENV_SELF, which hooks and images record.
 */
#define GATE_ENV_SELF "MKT_GATE_SELF"

int cmd_range(int argc, const char **argv, struct gate_ctx *ctx);
int cmd_commit(int argc, const char **argv, struct gate_ctx *ctx);
int cmd_init(int argc, const char **argv, struct gate_ctx *ctx);
int cmd_install(int argc, const char **argv, struct gate_ctx *ctx);
int cmd_uninstall(int argc, const char **argv, struct gate_ctx *ctx);
int cmd_hook(int argc, const char **argv, struct gate_ctx *ctx);
int cmd_status(int argc, const char **argv, struct gate_ctx *ctx);
int cmd_report(int argc, const char **argv, struct gate_ctx *ctx);
int cmd_doctor(int argc, const char **argv, struct gate_ctx *ctx);
int cmd_image(int argc, const char **argv, struct gate_ctx *ctx);
int cmd_boot(int argc, const char **argv, struct gate_ctx *ctx);
int cmd_gerrit(int argc, const char **argv, struct gate_ctx *ctx);

#endif
