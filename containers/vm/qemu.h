/* qemu.h: the QEMU command line of `mkt-gate boot`, its generated init and
 * the KVM probe. Builds argv and files; never prints or exits. */
#ifndef CTR_QEMU_H
#define CTR_QEMU_H

#include <stdbool.h>

struct strbuf;
struct strvec;

/*
 * One guest: the kernel boots on a read-only virtio-9p root (tag "root",
 * the host's "/" unless rootfs is set), with the kernel build tree shared
 * read-only as tag "kbuild" so its modules load in place. Serial port 0
 * is the console, kept in console_log (and on our terminal with shell);
 * serial port 1 (the guest's ttyS1) is the status channel, written to
 * status_log by QEMU. ssh_port > 0 adds user-mode networking with
 * 127.0.0.1:ssh_port forwarded to the guest's port 22. devices are extra
 * arguments appended as they are (the -device vfio-pci,host=BDF of
 * vfio.h). Strings are borrowed.
 */
struct ctr_qemu {
	const char *binary;		/* NULL: qemu-system-x86_64 */
	const char *kernel;		/* the bzImage */
	const char *build_dir;		/* may be NULL */
	const char *rootfs;		/* NULL: "/" */
	const char *init;		/* the init script, as the guest sees it */
	const char *memory;		/* QEMU -m syntax; NULL: 512M */
	int cpus;			/* 0: 1 */
	bool kvm;
	bool shell;
	const char *kernel_args;	/* after ours, so they win; may be NULL */
	const char *console_log;
	const char *status_log;
	int ssh_port;
	const struct strvec *devices;	/* may be NULL */
};

#define CTR_QEMU_BINARY "qemu-system-x86_64"
/* The line the init writes to the status channel: "mkt-gate-status: N". */
#define CTR_QEMU_STATUS_MARK "mkt-gate-status: "

/* Appends the whole argv, binary first. */
int ctr_qemu_args(struct strvec *out, const struct ctr_qemu *q);

/*
 * Appends the init script that mounts proc, sys, dev and tmpfs overlays,
 * prints CTR_CONSOLE_INIT_MARK with its uptime, runs command (every word
 * quoted; empty: a smoke test of uname -r, /proc/cmdline and /proc/self),
 * writes its exit status to the status channel and reboots, which ends
 * QEMU because of -no-reboot. kbuild mounts the tag "kbuild" on
 * /lib/modules/$(uname -r)/build (/tmp/kbuild without /lib/modules) and
 * exports it as MKT_GATE_KBUILD. ssh_keys (authorized_keys text; NULL:
 * no ssh) brings up eth0 and starts sshd with a host key made at boot,
 * letting root in with those keys only. lab (may be NULL) holds shell
 * lines run before the command: the lab's NICs and VFs (device.h).
 */
int ctr_qemu_init_script(struct strbuf *out, const struct strvec *command,
			 bool kbuild, const char *ssh_keys, const char *lab);

/*
 * Whether KVM works: /dev/kvm opens and a boot of kernel with -accel kvm
 * ends within 3 s (it panics at once for want of a root, and -no-reboot
 * ends QEMU). The answer is kept for the rest of the process.
 */
int ctr_qemu_kvm_works(bool *works, const char *binary, const char *kernel);

/*
 * Whether binary (NULL: CTR_QEMU_BINARY) runs: *version gets the first line
 * of its --version. -1 with gate_error() naming the binary when it is not
 * found, or exits non-zero or says no "QEMU emulator version" (a broken
 * or wrong file). version may be NULL.
 */
int ctr_qemu_version(struct strbuf *version, const char *binary);

/*
 * Whether binary's `-device help` lists model (as a name or an alias):
 * 1 yes, 0 no, -1 when the list could not be had. The list is kept for
 * the last binary asked about.
 */
int ctr_qemu_has_device(const char *binary, const char *model);

/* A free TCP port on 127.0.0.1, for the ssh forward. */
int ctr_qemu_free_port(int *port);

/* Reads the status channel: 1 with *code set, 0 when no status came. */
int ctr_qemu_read_status(int *code, const char *status_log);

#endif
