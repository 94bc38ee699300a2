/* boot.c: one boot of a kernel in QEMU: kernel and settings from the target
 * section, VFIO around it, status and console verdict. Never prints or exits. */
#include "boot.h"
#include "config.h"
#include "console.h"
#include "device.h"
#include "error.h"
#include "interrupt.h"
#include "proc.h"
#include "qemu.h"
#include "strbuf.h"
#include "strvec.h"
#include "vfio.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_TARGET "qemu"
#define DEFAULT_TIMEOUT_S 300
#define BZIMAGE "arch/x86/boot/bzImage"

/* What the target section and the options resolve to. */
struct boot_plan {
	const char *target;
	struct strbuf kernel;
	struct strbuf build_dir;
	struct strbuf rootfs;
	struct strbuf sysfs;
	struct strvec command;
	struct strbuf qemu;	/* the target's qemu key; empty: CTR_QEMU_BINARY */
	struct ctr_lab lab;	/* emulated devices, NICs; its pci: for VFIO */
	bool ssh;
	struct strbuf ssh_keys;	/* authorized_keys for the guest's sshd */
	int timeout_s;
};

void ctr_boot_result_init(struct ctr_boot_result *res)
{
	memset(res, 0, sizeof(*res));
	res->boot_s = -1;
	finding_list_init(&res->findings);
}

void ctr_boot_result_dispose(struct ctr_boot_result *res)
{
	finding_list_dispose(&res->findings);
	free(res->dir);
	free(res->log);
	ctr_boot_result_init(res);
}

static void plan_dispose(struct boot_plan *pl)
{
	strbuf_dispose(&pl->kernel);
	strbuf_dispose(&pl->build_dir);
	strbuf_dispose(&pl->rootfs);
	strbuf_dispose(&pl->sysfs);
	strvec_dispose(&pl->command);
	strbuf_dispose(&pl->qemu);
	ctr_lab_dispose(&pl->lab);
	strbuf_dispose(&pl->ssh_keys);
}

static bool is_dir(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISDIR(st.st_mode);
}

/* A build directory gives its bzImage; a bzImage in a build tree, its tree. */
static int plan_kernel(struct boot_plan *pl, const struct config *cfg,
		       const char *image)
{
	struct strbuf given = STRBUF_INIT;
	int ret = -1;

	if (image)
		strbuf_addstr(&given, image);
	else if (config_get_path(cfg, pl->target, "kernel", &given) <= 0) {
		gate_error("no kernel to boot for target '%s'", pl->target);
		gate_error_hint("give --kernel BUILD_DIR or set 'kernel' in [%s]", pl->target);
		goto out;
	}
	if (is_dir(given.buf)) {
		strbuf_addstr(&pl->build_dir, given.buf);
		strbuf_addf(&pl->kernel, "%s/" BZIMAGE, given.buf);
	} else {
		strbuf_addstr(&pl->kernel, given.buf);
		if (str_ends_with(given.buf, "/" BZIMAGE))
			strbuf_add(&pl->build_dir, given.buf, given.len - strlen(BZIMAGE) - 1);
	}
	if (access(pl->kernel.buf, R_OK)) {
		gate_error("cannot read the kernel image '%s'", pl->kernel.buf);
		gate_error_hint("build it first, e.g. 'make ARCH=x86_64 bzImage'");
		goto out;
	}
	ret = 0;
out:
	strbuf_dispose(&given);
	return ret;
}

/*
 * The boot script goes into the init as text, run as `sh -c TEXT PATH`:
 * the guest mounts tmpfs over /tmp, /home and /root, where a script of the
 * user's would no longer be found by its path.
 */
static int plan_script(struct boot_plan *pl, const char *path)
{
	struct strbuf text = STRBUF_INIT;
	int ret = -1;

	if (strbuf_read_file(&text, path)) {
		gate_error("cannot read the boot script '%s': %s", path, strerror(errno));
		goto out;
	}
	if (strvec_push(&pl->command, "/bin/sh") || strvec_push(&pl->command, "-c") ||
	    strvec_push(&pl->command, text.buf) || strvec_push(&pl->command, path)) {
		gate_error("out of memory");
		goto out;
	}
	ret = 0;
out:
	strbuf_dispose(&text);
	return ret;
}

static int plan_command(struct boot_plan *pl, const struct config *cfg,
			const struct strvec *command)
{
	struct strbuf script = STRBUF_INIT;
	const char *cmd = config_get(cfg, pl->target, "command");
	int ret = 0;

	if (command && command->nr)
		ret = strvec_pushv(&pl->command, command->v) ? gate_error("out of memory") : 0;
	else if (config_get_path(cfg, pl->target, "boot_script", &script) > 0)
		ret = plan_script(pl, script.buf);
	else if (cmd && (strvec_push(&pl->command, "/bin/sh") ||
			 strvec_push(&pl->command, "-c") || strvec_push(&pl->command, cmd)))
		ret = gate_error("out of memory");
	strbuf_dispose(&script);
	return ret;
}

/* ssh_key files, else the user's own ~/.ssh/id_*.pub: who may log in. */
static int plan_ssh_keys(struct boot_plan *pl, const struct config *cfg)
{
	static const char *const mine[] = { "id_ed25519.pub", "id_ecdsa.pub", "id_rsa.pub", NULL };
	struct strvec files = STRVEC_INIT;
	const char *home = getenv("HOME");
	int ret = config_get_path_list(cfg, pl->target, "ssh_key", &files) < 0 ? -1 : 0;

	for (size_t i = 0; !ret && !files.nr && home && mine[i]; i++) {
		strvec_pushf(&files, "%s/.ssh/%s", home, mine[i]);
		if (access(files.v[files.nr - 1], R_OK))
			strvec_pop(&files);
	}
	for (size_t i = 0; !ret && i < files.nr; i++)
		if (strbuf_read_file(&pl->ssh_keys, files.v[i]) ||
		    strbuf_addch(&pl->ssh_keys, '\n'))
			ret = gate_error("cannot read the public key '%s'", files.v[i]);
	if (!ret && !pl->ssh_keys.len) {
		ret = gate_error("[%s] ssh = true, but there is no public key to log in with",
				 pl->target);
		gate_error_hint("set ssh_key = ~/.ssh/id_ed25519.pub in [%s], or run ssh-keygen",
				pl->target);
	}
	strvec_dispose(&files);
	return ret ? -1 : 0;
}

int ctr_boot_targets(struct strvec *out, const struct config *cfg)
{
	struct strvec all = STRVEC_INIT;
	int ret = config_sections(cfg, "", &all);

	for (size_t i = 0; !ret && i < all.nr; i++)
		if (config_is_target_section(all.v[i]))
			ret = strvec_push(out, all.v[i]);
	strvec_dispose(&all);
	return ret ? gate_error("out of memory") : 0;
}

/* A target nobody defines: the closest name, and the ones there are. */
static int unknown_target(const struct config *cfg, const char *target)
{
	struct strvec names = STRVEC_INIT;
	struct strbuf all = STRBUF_INIT;
	const char *near = NULL;

	if (!ctr_boot_targets(&names, cfg)) {
		near = config_closest(target, &names);
		strvec_join(&names, ", ", &all);
	}
	gate_error("no boot target '%s' in the configuration", target);
	if (near)
		gate_error_hint("did you mean '%s'? The targets: %s (mkt-gate boot --list)",
				near, all.buf);
	else if (names.nr)
		gate_error_hint("the targets: %s (mkt-gate boot --list); or add a [%s] section",
				all.buf, target);
	else
		gate_error_hint("add a [%s] section (memory, cpus, accel, command, ...)", target);
	strvec_dispose(&names);
	strbuf_dispose(&all);
	return -1;
}

static int target_exists(const struct config *cfg, const char *target)
{
	struct strvec names = STRVEC_INIT;
	int ret = ctr_boot_targets(&names, cfg);

	if (!ret && strvec_find(&names, target) < 0)
		ret = unknown_target(cfg, target);
	strvec_dispose(&names);
	return ret;
}

int ctr_boot_check_target(const struct config *cfg, const char *target)
{
	struct ctr_lab lab;
	int ret;

	if (!target)
		target = DEFAULT_TARGET;
	ctr_lab_init(&lab);
	ret = target_exists(cfg, target) || ctr_lab_plan(&lab, cfg, target) ? -1 : 0;
	ctr_lab_dispose(&lab);
	return ret;
}

int ctr_boot_check_qemu(const struct config *cfg, const char *target)
{
	struct strbuf qemu = STRBUF_INIT;
	struct ctr_lab lab;
	const char *q;
	int ret = -1;

	ctr_lab_init(&lab);
	if (config_get_path(cfg, target, "qemu", &qemu) < 0 ||
	    ctr_lab_plan(&lab, cfg, target))
		goto out;
	q = qemu.len ? qemu.buf : NULL;
	ret = ctr_qemu_version(NULL, q) || ctr_lab_check_models(&lab, q) ? -1 : 0;
out:
	ctr_lab_dispose(&lab);
	strbuf_dispose(&qemu);
	return ret;
}

static int plan_target(struct boot_plan *pl, const struct config *cfg)
{
	bool ssh = false;

	if (target_exists(cfg, pl->target))
		return -1;
	pl->timeout_s = DEFAULT_TIMEOUT_S;
	if (config_get_int(cfg, pl->target, "timeout", &pl->timeout_s) < 0 ||
	    config_get_bool(cfg, pl->target, "ssh", &ssh) < 0 ||
	    config_get_path(cfg, pl->target, "qemu", &pl->qemu) < 0 ||
	    config_get_path(cfg, pl->target, "rootfs", &pl->rootfs) < 0 ||
	    config_get_path(cfg, pl->target, "sysfs_root", &pl->sysfs) < 0 ||
	    ctr_lab_plan(&pl->lab, cfg, pl->target))
		return -1;
	pl->ssh = ssh;
	return ssh ? plan_ssh_keys(pl, cfg) : 0;
}

/* The boot directory; for a rootfs of its own it must lie inside it. */
static int make_dir(struct ctr_boot_result *res, const struct boot_plan *pl)
{
	struct strbuf tmpl = STRBUF_INIT;
	const char *tmp = getenv("TMPDIR");
	int ret = -1;

	if (pl->rootfs.len)
		strbuf_addf(&tmpl, "%s/tmp/mkt-gate-boot.XXXXXX", pl->rootfs.buf);
	else
		strbuf_addf(&tmpl, "%s/mkt-gate-boot.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(tmpl.buf)) {
		gate_error("cannot make a boot directory '%s': %s", tmpl.buf, strerror(errno));
		goto out;
	}
	res->dir = strbuf_detach(&tmpl, NULL);
	if (asprintf(&res->log, "%s/console.log", res->dir) < 0) {
		res->log = NULL;
		gate_error("out of memory");
		goto out;
	}
	ret = 0;
out:
	strbuf_dispose(&tmpl);
	return ret;
}

static int write_init(const struct ctr_boot_result *res, const struct boot_plan *pl)
{
	struct strbuf script = STRBUF_INIT, path = STRBUF_INIT, lab = STRBUF_INIT;
	int ret = -1;

	if (ctr_lab_init_lines(&lab, &pl->lab) ||
	    ctr_qemu_init_script(&script, &pl->command, pl->build_dir.len > 0,
				 pl->ssh ? pl->ssh_keys.buf : NULL, lab.buf))
		goto out;
	strbuf_addf(&path, "%s/init", res->dir);
	if (strbuf_write_file(&script, path.buf) || chmod(path.buf, 0755)) {
		gate_error("cannot write the init script '%s'", path.buf);
		goto out;
	}
	ret = 0;
out:
	strbuf_dispose(&script);
	strbuf_dispose(&path);
	strbuf_dispose(&lab);
	return ret;
}

/* Starts QEMU and waits for it; returns its exit status, or -1. */
static int run_qemu(struct ctr_boot_result *res, const struct strvec *argv,
		    const struct ctr_boot_opts *opts)
{
	struct strbuf out = STRBUF_INIT, path = STRBUF_INIT;
	struct proc p;
	int rc;

	proc_init(&p);
	strvec_pushv(&p.args, argv->v);
	if (opts->shell) {
		rc = proc_run(&p);
	} else {
		rc = proc_capture(&p, &out, NULL, (unsigned int)res->timeout_s);
		strbuf_addf(&path, "%s/qemu.log", res->dir);
		strbuf_write_file(&out, path.buf);
	}
	proc_dispose(&p);
	strbuf_dispose(&out);
	strbuf_dispose(&path);
	return rc;
}

/* Reads back the status and the console, and decides how the boot ended. */
static int judge(struct ctr_boot_result *res, bool timed_out)
{
	struct ctr_console info = { 0 };
	struct strbuf log = STRBUF_INIT;
	int got, ret = -1;
	char *status;

	if (asprintf(&status, "%s/status.log", res->dir) < 0)
		return gate_error("out of memory");
	got = ctr_qemu_read_status(&res->exit_code, status);
	strbuf_read_file(&log, res->log);
	info.expect_init_exit = got > 0;
	if (ctr_console_scan(&res->findings, &info, log.buf, log.len))
		goto out;
	res->boot_s = ctr_console_boot_s(&info);
	if (got > 0)
		res->status = CTR_BOOT_DONE;
	else if (timed_out)
		res->status = CTR_BOOT_HANG;
	else
		res->status = info.init_seen ? CTR_BOOT_LOST : CTR_BOOT_FAILED;
	ret = 0;
out:
	free(status);
	strbuf_dispose(&log);
	return ret;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static const char *qemu_binary(const struct boot_plan *pl)
{
	return pl->qemu.len ? pl->qemu.buf : NULL;
}

static int qemu_settings(struct ctr_qemu *q, struct ctr_boot_result *res,
			 const struct config *cfg, const struct boot_plan *pl)
{
	const char *accel = config_get(cfg, pl->target, "accel");
	bool kvm = false;

	q->memory = config_get(cfg, pl->target, "memory");
	if (config_get_int(cfg, pl->target, "cpus", &q->cpus) < 0)
		return -1;
	q->kernel_args = config_get(cfg, pl->target, "kernel_args");
	if (accel && !strcmp(accel, "kvm"))
		kvm = true;
	else if ((!accel || !strcmp(accel, "auto")) &&
		 ctr_qemu_kvm_works(&kvm, qemu_binary(pl), pl->kernel.buf))
		return -1;
	q->kvm = res->kvm = kvm;
	if (pl->ssh && ctr_qemu_free_port(&res->ssh_port))
		return -1;
	q->ssh_port = res->ssh_port;
	return 0;
}

static int boot(struct ctr_boot_result *res, const struct config *cfg,
		const struct boot_plan *pl, const struct ctr_boot_opts *opts,
		const struct strvec *devices)
{
	struct strbuf init = STRBUF_INIT, con = STRBUF_INIT, st = STRBUF_INIT;
	struct strvec argv = STRVEC_INIT;
	struct ctr_qemu q = { 0 };
	double t0;
	int rc, ret = -1;

	if (qemu_settings(&q, res, cfg, pl))
		goto out;
	res->timeout_s = opts->timeout_s > 0 ? opts->timeout_s :
			 pl->timeout_s * (res->kvm ? 1 : 2);
	strbuf_addf(&init, "%s/init", res->dir + pl->rootfs.len);
	strbuf_addf(&st, "%s/status.log", res->dir);
	q.binary = qemu_binary(pl);
	q.kernel = pl->kernel.buf;
	q.build_dir = pl->build_dir.len ? pl->build_dir.buf : NULL;
	q.rootfs = pl->rootfs.len ? pl->rootfs.buf : NULL;
	q.init = init.buf;
	q.shell = opts->shell;
	q.console_log = res->log;
	q.status_log = st.buf;
	q.devices = devices;
	if (ctr_qemu_args(&argv, &q))
		goto out;
	if (opts->started)
		opts->started(opts->data, res->ssh_port);
	t0 = now_s();
	rc = run_qemu(res, &argv, opts);
	if (gate_interrupted()) {
		gate_error("interrupted");
		goto out;
	}
	ret = judge(res, rc == 128 + 9 && !opts->shell &&
		    now_s() - t0 >= res->timeout_s - 1);
out:
	strvec_dispose(&argv);
	strbuf_dispose(&init);
	strbuf_dispose(&con);
	strbuf_dispose(&st);
	return ret;
}

static int plan(struct boot_plan *pl, const struct config *cfg,
		const char *kernel_image, const struct strvec *command)
{
	if (plan_target(pl, cfg) || ctr_qemu_version(NULL, qemu_binary(pl)) ||
	    ctr_lab_check_models(&pl->lab, qemu_binary(pl)))
		return -1;
	return plan_kernel(pl, cfg, kernel_image) || plan_command(pl, cfg, command) ? -1 : 0;
}

int ctr_boot_run(json_t **boot_entry, struct ctr_boot_result *res,
		 const struct config *cfg, const char *target,
		 const char *kernel_image, const struct strvec *command,
		 const struct ctr_boot_opts *opts)
{
	static const struct ctr_boot_opts no_opts;
	struct boot_plan pl = {
		.target = target ? target : DEFAULT_TARGET, .kernel = STRBUF_INIT,
		.build_dir = STRBUF_INIT, .rootfs = STRBUF_INIT, .sysfs = STRBUF_INIT,
		.command = STRVEC_INIT, .qemu = STRBUF_INIT, .ssh_keys = STRBUF_INIT,
	};
	struct strvec devices = STRVEC_INIT;
	struct ctr_vfio vfio;
	int ret = -1;

	ctr_vfio_init(&vfio);
	ctr_lab_init(&pl.lab);
	if (!opts)
		opts = &no_opts;
	if (plan(&pl, cfg, kernel_image, command) || make_dir(res, &pl) ||
	    write_init(res, &pl))
		goto out;
	if (pl.lab.pci.nr && (ctr_vfio_setup(&vfio, pl.sysfs.len ? pl.sysfs.buf : NULL,
					     &pl.lab.pci, pl.lab.num_vfs) ||
			      ctr_vfio_qemu_args(&vfio, &devices)))
		goto out;
	if (strvec_pushv(&devices, pl.lab.args.v)) {
		gate_error("out of memory");
		goto out;
	}
	ret = boot(res, cfg, &pl, opts, &devices);
	if (ctr_vfio_restore(&vfio))
		ret = -1;
	if (!ret && boot_entry) {
		*boot_entry = ctr_boot_entry(res, pl.target, opts->commit);
		if (!*boot_entry)
			ret = gate_error("out of memory");
	}
out:
	if (ret)
		ctr_vfio_restore(&vfio);
	ctr_vfio_dispose(&vfio);
	strvec_dispose(&devices);
	plan_dispose(&pl);
	return ret;
}

const char *ctr_boot_verdict(const struct ctr_boot_result *res)
{
	if (res->status == CTR_BOOT_DONE && !res->exit_code && !res->findings.nr)
		return "pass";
	return "fail";
}

char *ctr_boot_bad_end(const struct ctr_boot_result *r)
{
	char *s = NULL;

	switch (r->status) {
	case CTR_BOOT_DONE:
		if (r->exit_code && asprintf(&s, "the boot command exited %d", r->exit_code) < 0)
			s = NULL;
		return s;
	case CTR_BOOT_HANG:
		if (asprintf(&s, "the guest hung: no end within %d s", r->timeout_s) < 0)
			s = NULL;
		return s;
	case CTR_BOOT_FAILED:
		return strdup("boot failure: the kernel never ran init");
	case CTR_BOOT_LOST:
		return strdup("init ran but its exit status was lost");
	}
	return NULL;
}

int ctr_boot_exit_code(const struct ctr_boot_result *res)
{
	switch (res->status) {
	case CTR_BOOT_DONE:
		return res->exit_code;
	case CTR_BOOT_HANG:
		return CTR_BOOT_EXIT_HANG;
	default:
		return CTR_BOOT_EXIT_FAILED;
	}
}

static int add_event(json_t *events, const char *kind, const char *text)
{
	return json_array_append_new(events, json_pack("{s:s, s:s}", "kind", kind,
						       "text", text));
}

static int add_status_event(json_t *events, const struct ctr_boot_result *res)
{
	char text[96];

	switch (res->status) {
	case CTR_BOOT_HANG:
		snprintf(text, sizeof(text), "no end within %d s: the guest hung",
			 res->timeout_s);
		return add_event(events, "hang", text);
	case CTR_BOOT_FAILED:
		return add_event(events, "boot-failure", "the kernel never ran init");
	case CTR_BOOT_LOST:
		return add_event(events, "lost-status",
				 "init ran but no exit status came back");
	default:
		return 0;
	}
}

json_t *ctr_boot_entry(const struct ctr_boot_result *res, const char *target,
		       const char *commit)
{
	json_t *e, *events = json_array();
	int err = !events;

	for (size_t i = 0; i < res->findings.nr && !err; i++)
		err = add_event(events, res->findings.v[i].rule, res->findings.v[i].message);
	if (err || add_status_event(events, res)) {
		json_decref(events);
		return NULL;
	}
	e = json_pack("{s:s, s:s, s:o, s:s, s:o, s:s}",
		      "target", target, "status", ctr_boot_verdict(res),
		      "exit_code", res->status == CTR_BOOT_DONE ?
				   json_integer(res->exit_code) : json_null(),
		      "accel", res->kvm ? "kvm" : "tcg", "events", events,
		      "log", res->log ? res->log : "");
	if (e && res->boot_s >= 0)
		err = json_object_set_new(e, "boot_s", json_real(res->boot_s));
	if (e && commit)
		err = err || json_object_set_new(e, "commit", json_string(commit));
	if (err) {
		json_decref(e);
		return NULL;
	}
	return e;
}
