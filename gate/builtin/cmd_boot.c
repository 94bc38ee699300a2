/* cmd_boot.c: `mkt-gate boot`: boots a kernel in QEMU, runs a command in the
 * guest and exits with its status; prints the verdict of the console. */
#include "board.h"
#include "boot.h"
#include "builtin.h"
#include "config.h"
#include "console.h"
#include "error.h"
#include "exit.h"
#include "options.h"
#include "report.h"
#include "result.h"
#include "setup.h"
#include "strbuf.h"
#include "strvec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define COMMAND_END "mkt-gate: command exited "

static const char *const boot_usage[] = {
	"mkt-gate boot [--target SECTION] [--kernel BUILD_DIR|bzImage] [--timeout S] "
	"[--shell] [--json FILE] [--config FILE] [-q] [-- COMMAND...]",
	"mkt-gate boot --list [--config FILE]",
	NULL,
};

#define BOOT_ABOUT \
	"Boots the kernel in QEMU on a read-only 9p root (the host's, or the\n" \
	"target's rootfs), runs COMMAND in the guest (default: the target's\n" \
	"boot_script or command key, else a smoke test) and exits with its status.\n" \
	"--list prints the boot targets of the config and what each needs here\n" \
	"(its QEMU, KVM, VFIO devices, emulated device models).\n" \
	"\nexit codes: the command's own status; 2 usage or configuration error;\n" \
	"124 the guest hung (timeout); 125 boot failure or lost status;\n" \
	"126 QEMU, the kernel or VFIO could not start"

struct boot_args {
	const char *target;
	const char *kernel;
	const char *json;
	const char *config;
	int timeout;
	int shell;
	int list;
};

/* The guest command's output: the console between init and its end. */
static void print_guest_output(const char *log)
{
	struct strbuf sb = STRBUF_INIT;
	const char *start, *end;

	if (strbuf_read_file(&sb, log))
		goto out;
	start = strstr(sb.buf, CTR_CONSOLE_INIT_MARK);
	if (start)
		start = strchr(start, '\n');
	if (!start)
		goto out;
	end = strstr(++start, COMMAND_END);
	if (!end)
		end = sb.buf + sb.len;
	fwrite(start, 1, end - start, stdout);
	fflush(stdout);
out:
	strbuf_dispose(&sb);
}

static void print_findings(const struct ctr_boot_result *res)
{
	for (size_t i = 0; i < res->findings.nr; i++) {
		const struct finding *f = &res->findings.v[i];

		if (f->file)
			fprintf(stderr, "%s:%u: %s: %s [%s]\n", f->file, f->line,
				finding_severity_name(f->severity), f->message, f->rule);
		else
			fprintf(stderr, "boot: %s: %s [%s]\n",
				finding_severity_name(f->severity), f->message, f->rule);
	}
}

static void print_verdict(const struct ctr_boot_result *res)
{
	const char *accel = res->kvm ? "kvm" : "tcg";

	print_findings(res);
	if (res->boot_s >= 0)
		fprintf(stderr, "boot: kernel to init in %.2f s (%s)\n", res->boot_s, accel);
	if (res->status == CTR_BOOT_DONE) {
		fprintf(stderr, "boot: command exited %d\n", res->exit_code);
	} else {
		char *why = ctr_boot_bad_end(res);

		fprintf(stderr, "error: %s", why ? why : "out of memory");
		if (res->status == CTR_BOOT_HANG)
			fprintf(stderr, " (%s)", accel);
		fputc('\n', stderr);
		free(why);
	}
	if (res->ssh_port)
		fprintf(stderr, "boot: ssh was forwarded from 127.0.0.1:%d\n", res->ssh_port);
	fprintf(stderr, "boot: console log: %s\n", res->log);
}

static int write_json(const char *path, json_t *entry, const struct ctr_boot_result *res)
{
	json_t *report;
	int ret;

	report = json_pack("{s:s, s:{s:s, s:s}, s:s, s:s, s:[], s:{s:o, s:[]}, s:[O]}",
			   "schema", "mkt-gate/report/v1",
			   "tool", "name", "mkt-gate", "version", MKT_GATE_VERSION,
			   "range", "boot", "verdict", ctr_boot_verdict(res),
			   "commits", "series", "new", gate_result_findings(&res->findings),
			   "fixed", "boot", entry);
	if (!report)
		return gate_error("out of memory");
	ret = rep_json_write(report, path);
	json_decref(report);
	return ret;
}

/* The way in, while the guest runs. */
static void print_started(void *data, int ssh_port)
{
	(void)data;
	if (ssh_port)
		fprintf(stderr, "boot: ssh -p %d root@127.0.0.1 (while the guest runs)\n",
			ssh_port);
}

static int run(const struct boot_args *a, const struct strvec *command,
	       struct gate_ctx *ctx)
{
	struct ctr_boot_opts opts = { .timeout_s = a->timeout, .shell = a->shell,
				      .started = print_started };
	const struct setup_cli cli = { .config = a->config };
	struct ctr_boot_result res;
	json_t *entry = NULL;
	struct setup s;
	int rc = CTR_BOOT_EXIT_START;

	ctr_boot_result_init(&res);
	setup_init(&s);
	/* Outside a repository, beside a build tree, the working directory's config counts. */
	if (setup_load(&s, &cli, SETUP_TOP_OR_CWD) || ctr_boot_check_target(s.cfg, a->target)) {
		rc = GATE_EXIT_USAGE;
		goto fail;
	}
	if (ctr_boot_run(&entry, &res, s.cfg, a->target, a->kernel, command, &opts))
		goto fail;
	if (!a->shell && !ctx->quiet)
		print_guest_output(res.log);
	print_verdict(&res);
	rc = ctr_boot_exit_code(&res);
	if (a->json && write_json(a->json, entry, &res)) {
		gate_error_print("error");
		rc = CTR_BOOT_EXIT_START;
	}
	goto out;
fail:
	gate_error_print("error");
	if (res.log)
		fprintf(stderr, "boot: console log: %s\n", res.log);
out:
	json_decref(entry);
	ctr_boot_result_dispose(&res);
	setup_dispose(&s);
	return rc;
}

static void print_board(const char *target, const struct ctr_board *b)
{
	printf("%s: %s\n", target, b->missing ? "not ready" : "ready");
	for (size_t i = 0; i < b->needs.nr; i++)
		printf("    %s\n", b->needs.v[i]);
}

/* Every target and what it needs; 0 even when some are not ready here. */
static int list_targets(const struct boot_args *a)
{
	const struct setup_cli cli = { .config = a->config };
	struct strvec targets = STRVEC_INIT;
	struct ctr_board b;
	struct setup s;
	int rc = GATE_EXIT_USAGE;

	ctr_board_init(&b);
	setup_init(&s);
	if (setup_load(&s, &cli, SETUP_TOP_OR_CWD) || ctr_boot_targets(&targets, s.cfg))
		goto out;
	rc = GATE_EXIT_OK;
	for (size_t i = 0; rc == GATE_EXIT_OK && i < targets.nr; i++) {
		ctr_board_dispose(&b);
		if (ctr_board_probe(&b, s.cfg, targets.v[i]))
			rc = GATE_EXIT_INFRA;
		else
			print_board(targets.v[i], &b);
	}
	if (!targets.nr)
		printf("no boot targets: add a section such as [qemu] to the config\n");
out:
	if (rc != GATE_EXIT_OK)
		gate_error_print("error");
	ctr_board_dispose(&b);
	strvec_dispose(&targets);
	setup_dispose(&s);
	return rc;
}

int cmd_boot(int argc, const char **argv, struct gate_ctx *ctx)
{
	struct boot_args a = { 0 };
	const struct option opts[] = {
		OPT_STRING('t', "target", &a.target, "SECTION",
			   "the boot target section (default: qemu)"),
		OPT_STRING('k', "kernel", &a.kernel, "BUILD_DIR|bzImage",
			   "the kernel to boot (default: the target's kernel key)"),
		OPT_INT(0, "timeout", &a.timeout, "S",
			"give up after S seconds (default: the target's, doubled under TCG)"),
		OPT_BOOL(0, "shell", &a.shell, "an interactive console instead of COMMAND"),
		OPT_BOOL(0, "list", &a.list, "list the boot targets and what each needs"),
		OPT_STRING(0, "json", &a.json, "FILE", "write a report-v1 document"),
		OPT_STRING('c', "config", &a.config, "FILE", "read this config file last"),
		OPT_BOOL('q', "quiet", &ctx->quiet,
			 "do not copy the guest command's output, only the verdict"),
		OPT_GROUP(BOOT_ABOUT),
		OPT_END(),
	};
	struct strvec command = STRVEC_INIT;
	int n, rc;

	n = setup_parse(argc, argv, opts, 1, ctx);
	if (n < 0)
		return opt_exit(n, boot_usage, opts);
	if (a.list && n > 0) {
		gate_error("--list takes no command");
		return opt_exit(OPT_ERROR, boot_usage, opts);
	}
	if (a.list)
		return list_targets(&a);
	if (a.timeout < 0) {
		gate_error("--timeout must not be negative");
		return opt_exit(OPT_ERROR, boot_usage, opts);
	}
	if (a.shell && n == 0)
		strvec_pushv(&command, (const char *[]){ "setsid", "-c", "/bin/sh", "-l",
							 NULL });
	for (int i = 0; i < n; i++)
		strvec_push(&command, argv[i]);
	rc = run(&a, &command, ctx);
	strvec_dispose(&command);
	return rc;
}
