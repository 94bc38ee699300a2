/* test_boot_qemu.c: the QEMU command line (TCG, KVM, ssh, VFIO, shell), the
 * generated init script, the status channel and the boot verdict. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "boot.h"
#include "qemu.h"
#include "strbuf.h"
#include "strvec.h"

static const struct ctr_qemu base = {
	.kernel = "/b/arch/x86/boot/bzImage",
	.init = "/tmp/mkt-gate-boot.1/init",
	.console_log = "/tmp/mkt-gate-boot.1/console.log",
	.status_log = "/tmp/mkt-gate-boot.1/status.log",
};

static char *joined(const struct ctr_qemu *q)
{
	struct strvec v = STRVEC_INIT;
	struct strbuf sb = STRBUF_INIT;

	assert_int_equal(ctr_qemu_args(&v, q), 0);
	for (size_t i = 0; i < v.nr; i++)
		strbuf_addf(&sb, "%s%s", i ? " " : "", v.v[i]);
	strvec_dispose(&v);
	return strbuf_detach(&sb, NULL);
}

static void test_boot_qemu_tcg(void **state)
{
	char *s = joined(&base);

	assert_true(str_starts_with(s, "qemu-system-x86_64 -accel tcg -m 512M -smp 1 "
				    "-nographic -no-reboot -nodefaults "
				    "-kernel /b/arch/x86/boot/bzImage "));
	assert_non_null(strstr(s, "-serial file:/tmp/mkt-gate-boot.1/console.log "
			       "-serial file:/tmp/mkt-gate-boot.1/status.log "));
	assert_non_null(strstr(s, "-fsdev local,id=root,path=/,security_model=none,"
			       "readonly=on,multidevs=remap -device "
			       "virtio-9p-pci,fsdev=root,mount_tag=root"));
	assert_null(strstr(s, "kbuild"));
	assert_null(strstr(s, "-netdev"));
	assert_null(strstr(s, "-cpu host"));
	assert_non_null(strstr(s, "-append console=ttyS0 panic=-1 root=root rootfstype=9p "
			       "rootflags=trans=virtio,version=9p2000.L ro "
			       "init=/tmp/mkt-gate-boot.1/init"));
	free(s);
}

static void test_boot_qemu_kvm_ssh_vfio(void **state)
{
	struct strvec dev = STRVEC_INIT;
	struct ctr_qemu q = base;
	char *s;

	strvec_push(&dev, "-device");
	strvec_push(&dev, "vfio-pci,host=0000:05:00.2");
	q.kvm = true;
	q.memory = "2G";
	q.cpus = 2;
	q.ssh_port = 40022;
	q.build_dir = "/b";
	q.rootfs = "/srv/root";
	q.kernel_args = "console=ttyS0,115200 panic=5 quiet";
	q.devices = &dev;
	s = joined(&q);
	assert_true(str_starts_with(s, "qemu-system-x86_64 -accel kvm -cpu host -m 2G -smp 2 "));
	assert_non_null(strstr(s, "path=/srv/root,"));
	assert_non_null(strstr(s, "local,id=kbuild,path=/b,"));
	assert_non_null(strstr(s, "mount_tag=kbuild"));
	assert_non_null(strstr(s, "-netdev user,id=net0,hostfwd=tcp:127.0.0.1:40022-:22 "
			       "-device virtio-net-pci,netdev=net0,mac=52:54:00:12:34:56"));
	assert_non_null(strstr(s, "-device vfio-pci,host=0000:05:00.2"));
	/* the target's args come last and win; ours are not added twice */
	assert_non_null(strstr(s, "-append root=root "));
	assert_true(str_ends_with(s, "init=/tmp/mkt-gate-boot.1/init "
				  "console=ttyS0,115200 panic=5 quiet"));
	free(s);
	strvec_dispose(&dev);
}

static void test_boot_qemu_shell(void **state)
{
	struct ctr_qemu q = base;
	char *s;

	q.shell = true;
	s = joined(&q);
	assert_non_null(strstr(s, "-chardev stdio,id=con0,mux=on,signal=off,"
			       "logfile=/tmp/mkt-gate-boot.1/console.log -serial chardev:con0"));
	assert_non_null(strstr(s, "-serial file:/tmp/mkt-gate-boot.1/status.log"));
	free(s);
}

static void test_boot_qemu_init_script(void **state)
{
	struct strvec cmd = STRVEC_INIT;
	struct strbuf sb = STRBUF_INIT;

	strvec_push(&cmd, "sh");
	strvec_push(&cmd, "-c");
	strvec_push(&cmd, "echo 'hi'; exit 7");
	assert_int_equal(ctr_qemu_init_script(&sb, &cmd, true, NULL, NULL), 0);
	assert_true(str_starts_with(sb.buf, "#!/bin/sh\n"));
	assert_non_null(strstr(sb.buf, "mount -t proc proc /proc\n"));
	assert_non_null(strstr(sb.buf, "mount -t tmpfs -o mode=1777 tmpfs $d"));
	assert_non_null(strstr(sb.buf, "version=9p2000.L,ro kbuild $kb"));
	assert_non_null(strstr(sb.buf, "('sh' '-c' 'echo '\\''hi'\\''; exit 7')\n"));
	assert_non_null(strstr(sb.buf, "echo \"mkt-gate-status: $rc\" >/dev/ttyS1\n"));
	assert_non_null(strstr(sb.buf, "reboot -f"));
	assert_null(strstr(sb.buf, "sshd"));
	strbuf_reset(&sb);
	assert_int_equal(ctr_qemu_init_script(&sb, NULL, false, "ssh-ed25519 AAAAC3Nz me@host", NULL), 0);
	assert_non_null(strstr(sb.buf, "uname -r && cat /proc/cmdline"));
	assert_non_null(strstr(sb.buf, "/usr/sbin/sshd -h /run/sshd/host_key"));
	assert_non_null(strstr(sb.buf, "<<'MKT_GATE_KEYS'\nssh-ed25519 AAAAC3Nz me@host\nMKT_GATE_KEYS\n"));
	/* the user-network NIC by its MAC, not as eth0: the lab's NICs may come first */
	assert_non_null(strstr(sb.buf, "= 52:54:00:12:34:56 ] && ssh_if="));
	assert_non_null(strstr(sb.buf, "ip addr add 10.0.2.15/24 dev $ssh_if;"));
	strbuf_reset(&sb);
	/* A key file cannot end our here-document early and run the rest. */
	assert_int_equal(ctr_qemu_init_script(&sb, NULL, false, "k\nMKT_GATE_KEYS\nreboot\n", NULL), -1);
	assert_null(strstr(sb.buf, "kbuild"));
	strbuf_dispose(&sb);
	strvec_dispose(&cmd);
}

/* The generated init runs under the host's sh up to its status line. */
static void test_boot_qemu_init_runs(void **state)
{
	struct strvec cmd = STRVEC_INIT;
	struct strbuf sb = STRBUF_INIT;
	char *p;
	FILE *f;
	int rc;

	strvec_push(&cmd, "sh");
	strvec_push(&cmd, "-c");
	strvec_push(&cmd, "exit 7");
	assert_int_equal(ctr_qemu_init_script(&sb, &cmd, false, NULL, NULL), 0);
	/* keep the command and the status, drop the mounts and the reboot */
	p = strstr(sb.buf, "('sh'");
	assert_non_null(p);
	f = popen("sh", "w");
	fprintf(f, "%.*s", (int)strcspn(p, "\n"), p);
	fputs("\nexit $?\n", f);
	rc = pclose(f);
	assert_int_equal(WEXITSTATUS(rc), 7);
	strbuf_dispose(&sb);
	strvec_dispose(&cmd);
}

static void test_boot_qemu_status(void **state)
{
	char path[] = "/tmp/mkt-gate-status.XXXXXX";
	int fd = mkstemp(path), code = -1;

	assert_true(fd >= 0);
	assert_int_equal(ctr_qemu_read_status(&code, path), 0);
	assert_int_equal(write(fd, "noise\r\nmkt-gate-status: 42\r\n", 28), 28);
	close(fd);
	assert_int_equal(ctr_qemu_read_status(&code, path), 1);
	assert_int_equal(code, 42);
	unlink(path);
	assert_int_equal(ctr_qemu_read_status(&code, path), 0);
}

static void test_boot_qemu_free_port(void **state)
{
	int port = 0;

	assert_int_equal(ctr_qemu_free_port(&port), 0);
	assert_true(port > 0 && port < 65536);
}

static void test_boot_qemu_verdict(void **state)
{
	struct ctr_boot_result res;
	json_t *e;

	ctr_boot_result_init(&res);
	res.status = CTR_BOOT_DONE;
	res.exit_code = 7;
	assert_int_equal(ctr_boot_exit_code(&res), 7);
	assert_string_equal(ctr_boot_verdict(&res), "fail");
	res.exit_code = 0;
	assert_string_equal(ctr_boot_verdict(&res), "pass");
	res.status = CTR_BOOT_HANG;
	res.timeout_s = 20;
	assert_int_equal(ctr_boot_exit_code(&res), CTR_BOOT_EXIT_HANG);
	assert_string_equal(ctr_boot_verdict(&res), "fail");
	e = ctr_boot_entry(&res, "qemu", NULL);
	assert_non_null(e);
	assert_true(json_is_null(json_object_get(e, "exit_code")));
	assert_string_equal(json_string_value(json_object_get(json_array_get(
		json_object_get(e, "events"), 0), "kind")), "hang");
	assert_string_equal(json_string_value(json_object_get(e, "accel")), "tcg");
	assert_null(json_object_get(e, "boot_s"));
	json_decref(e);
	res.status = CTR_BOOT_LOST;
	assert_int_equal(ctr_boot_exit_code(&res), CTR_BOOT_EXIT_FAILED);
	res.status = CTR_BOOT_FAILED;
	assert_int_equal(ctr_boot_exit_code(&res), CTR_BOOT_EXIT_FAILED);
	ctr_boot_result_dispose(&res);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_boot_qemu_tcg),
		cmocka_unit_test(test_boot_qemu_kvm_ssh_vfio),
		cmocka_unit_test(test_boot_qemu_shell),
		cmocka_unit_test(test_boot_qemu_init_script),
		cmocka_unit_test(test_boot_qemu_init_runs),
		cmocka_unit_test(test_boot_qemu_status),
		cmocka_unit_test(test_boot_qemu_free_port),
		cmocka_unit_test(test_boot_qemu_verdict),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
