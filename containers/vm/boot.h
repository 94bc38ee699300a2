/* boot.h: one boot of a kernel in QEMU for `mkt-gate boot` and
 * `range --boot`: runs a command in the guest and judges the console. */
#ifndef CTR_BOOT_H
#define CTR_BOOT_H

#include <jansson.h>
#include <stdbool.h>

#include "finding.h"

struct config;
struct strvec;

/*
 * How a boot ended. Only DONE carries the exit status of the command,
 * which came back over the status channel (the guest's ttyS1), never by
 * scraping the console.
 */
enum ctr_boot_status {
	CTR_BOOT_DONE,		/* the command ran; exit_code is its status */
	CTR_BOOT_HANG,		/* no end within the timeout: QEMU was killed */
	CTR_BOOT_FAILED,	/* the generated init never ran */
	CTR_BOOT_LOST,		/* init ran, but no status came back */
};

/*
 * The exit codes of `mkt-gate boot`, beyond the command's own status
 * (passed through as `ssh HOST CMD` does) and 2 for a usage error.
 */
#define CTR_BOOT_EXIT_HANG 124		/* the guest hung: timeout */
#define CTR_BOOT_EXIT_FAILED 125	/* boot failure or lost status */
#define CTR_BOOT_EXIT_START 126		/* QEMU, the kernel or VFIO could not start */

struct ctr_boot_opts {
	int timeout_s;		/* 0: the target's timeout, doubled under TCG */
	bool shell;		/* interactive console, no timeout */
	const char *commit;	/* for the report entry; may be NULL */
	/* Called as QEMU starts, with the ssh port (0: none); may be NULL. */
	void (*started)(void *data, int ssh_port);
	void *data;
};

/*
 * Ownership: every member is owned by the result and freed by
 * ctr_boot_result_dispose(). dir holds console.log, status.log, qemu.log
 * and the generated init, and is kept after the run; log is its
 * console.log. boot_s is -1 when the console does not tell.
 */
struct ctr_boot_result {
	enum ctr_boot_status status;
	int exit_code;
	bool kvm;
	double boot_s;
	int timeout_s;
	int ssh_port;		/* 0: no ssh forward */
	struct finding_list findings;
	char *dir;
	char *log;
};

void ctr_boot_result_init(struct ctr_boot_result *res);
void ctr_boot_result_dispose(struct ctr_boot_result *res);

/*
 * Boots kernel_image (a bzImage, or a kernel build directory whose
 * arch/x86/boot/bzImage is booted and whose tree is shared; NULL: the
 * target's `kernel` key) with the settings of the config section target
 * (NULL: "qemu"), runs command in the guest (NULL or empty: the target's
 * boot_script or command key, else a smoke test), scans the console and,
 * when boot_entry is not NULL, stores a new report-v1 `boot` entry there.
 * opts may be NULL. A target with `pci` has its devices handed to
 * vfio-pci for the boot and given back afterwards, whatever happens.
 *
 * Returns 0 when the boot was judged (res->status says how it ended,
 * whether the guest passed or not), or -1 with gate_error() set when it
 * could not run (no QEMU, no kernel, VFIO failed, interrupted).
 */
int ctr_boot_run(json_t **boot_entry, struct ctr_boot_result *res,
		 const struct config *cfg, const char *target,
		 const char *kernel_image, const struct strvec *command,
		 const struct ctr_boot_opts *opts);

/*
 * Whether target (NULL: "qemu") is a boot target of cfg and its devices,
 * NICs and addresses make sense, before anything is built or booted: -1
 * with gate_error() and hints (did you mean, the known targets) if not.
 */
int ctr_boot_check_target(const struct config *cfg, const char *target);
/*
 * Whether the QEMU of target runs and has every model its devices need:
 * -1 with gate_error() naming the binary or the model if not.
 */
int ctr_boot_check_qemu(const struct config *cfg, const char *target);
/* Appends the names of cfg's boot target sections, first seen first. */
int ctr_boot_targets(struct strvec *out, const struct config *cfg);

/* The report-v1 verdict: pass only for status 0 and a clean console. */
const char *ctr_boot_verdict(const struct ctr_boot_result *res);
/*
 * How a judged boot ended badly, in words ("the guest hung: no end within
 * 40 s", "the boot command exited 3"), newly allocated; NULL when the
 * command exited 0 (or out of memory).
 */
char *ctr_boot_bad_end(const struct ctr_boot_result *res);
/* The exit code of `mkt-gate boot` for a judged boot. */
int ctr_boot_exit_code(const struct ctr_boot_result *res);
/* A new report-v1 `boot` entry, or NULL when out of memory. */
json_t *ctr_boot_entry(const struct ctr_boot_result *res, const char *target,
		       const char *commit);

#endif
