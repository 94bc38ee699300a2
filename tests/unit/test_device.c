/* test_device.c: a board's lab: PCI addresses told from device names, the
 * QEMU arguments of emulated devices and NICs, the init lines, the errors. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "device.h"
#include "error.h"
#include "strbuf.h"
#include "strvec.h"

static const char lab_conf[] =
	"[device.nic]\n"
	"device = e1000e\n"
	"netdev = segment\n"
	"[device.sim]\n"
	"device = mlx5-sim,speed=100000\n"
	"num_of_vfs = 8\n"
	"qemu_args = -machine q35\n"
	"[board]\n"
	"pci = 0000:05:00.0 sim sim\n"
	"num_of_vfs = 4\n"
	"nics = 2\n"
	"nic_device = nic\n"
	"addresses = 10.11.0.1/24\n"
	"[too-many]\n"
	"pci = sim\n"
	"num_of_vfs = 9\n"
	"[not-a-nic]\n"
	"nics = 1\n"
	"nic_device = sim\n"
	"[typo]\n"
	"pci = nci\n";

static char *joined(const struct strvec *v)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; i < v->nr; i++)
		strbuf_addf(&sb, "%s%s", i ? " " : "", v->v[i]);
	return strbuf_detach(&sb, NULL);
}

static int plan(struct ctr_lab *lab, const char *target)
{
	struct config *cfg;
	int ret;

	assert_int_equal(config_new(&cfg), 0);
	assert_int_equal(config_load_string(cfg, "/r/lab.conf", lab_conf), 0);
	ret = ctr_lab_plan(lab, cfg, target);
	config_free(cfg);
	return ret;
}

static void test_device_pci_address(void **state)
{
	(void)state;
	assert_true(ctr_device_is_pci_address("0000:05:00.0"));
	assert_true(ctr_device_is_pci_address("05:00.1"));
	assert_true(ctr_device_is_pci_address("0000:af:1f.7"));
	assert_false(ctr_device_is_pci_address("0000:05:00.8"));
	assert_false(ctr_device_is_pci_address("e1000e"));
	assert_false(ctr_device_is_pci_address("cx6-eth"));
	assert_false(ctr_device_is_pci_address("0000:05:00"));
}

static void test_device_lab_args(void **state)
{
	struct ctr_lab lab;
	char *s;

	(void)state;
	ctr_lab_init(&lab);
	assert_int_equal(plan(&lab, "board"), 0);
	assert_int_equal(lab.pci.nr, 1);
	assert_string_equal(lab.pci.v[0], "0000:05:00.0");
	s = joined(&lab.args);
	/* slots from 0x10 in order; the model's qemu_args once; NICs on hub 0 */
	assert_string_equal(s, "-device mlx5-sim,speed=100000,addr=0x10 -machine q35 "
			    "-device mlx5-sim,speed=100000,addr=0x11 "
			    "-netdev hubport,id=mkt-net0,hubid=0 "
			    "-device e1000e,netdev=mkt-net0,mac=52:54:00:6b:67:01,addr=0x12 "
			    "-netdev hubport,id=mkt-net1,hubid=0 "
			    "-device e1000e,netdev=mkt-net1,mac=52:54:00:6b:67:02,addr=0x13");
	free(s);
	s = joined(&lab.vf_slots);
	assert_string_equal(s, "0000:00:10.0 0000:00:11.0");
	free(s);
	s = joined(&lab.models);
	assert_string_equal(s, "mlx5-sim sim mlx5-sim sim e1000e nic e1000e nic");
	free(s);
	ctr_lab_dispose(&lab);
}

static void test_device_init_lines(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	struct ctr_lab lab;

	(void)state;
	ctr_lab_init(&lab);
	assert_int_equal(plan(&lab, "board"), 0);
	assert_int_equal(ctr_lab_init_lines(&sb, &lab), 0);
	assert_non_null(strstr(sb.buf, "= 52:54:00:6b:67:01 ] || continue"));
	assert_non_null(strstr(sb.buf, "ip addr add 10.11.0.1/24 dev ${n##*/}"));
	/* the second NIC has no address: it comes up, nothing more */
	assert_null(strstr(strstr(sb.buf, "52:54:00:6b:67:02"), "ip addr add"));
	assert_non_null(strstr(sb.buf, "export MKT_GATE_NICS MKT_GATE_NIC_ADDRESSES\n"));
	assert_non_null(strstr(sb.buf,
		"echo 4 >/sys/bus/pci/devices/0000:00:11.0/sriov_numvfs"));
	strbuf_dispose(&sb);
	ctr_lab_dispose(&lab);
}

static void test_device_errors(void **state)
{
	struct ctr_lab lab;

	(void)state;
	ctr_lab_init(&lab);
	assert_int_equal(plan(&lab, "too-many"), -1);
	assert_string_equal(gate_error_last(),
			    "[too-many] num_of_vfs = 9, but device 'sim' can make 8 VFs");
	ctr_lab_dispose(&lab);
	assert_int_equal(plan(&lab, "not-a-nic"), -1);
	assert_string_equal(gate_error_last(), "[not-a-nic] nic_device: device 'sim' is "
			    "not a NIC (its section sets no netdev)");
	ctr_lab_dispose(&lab);
	assert_int_equal(plan(&lab, "typo"), -1);
	assert_string_equal(gate_error_last(),
			    "[typo] pci: 'nci' is neither a PCI address nor a known device");
	assert_true(str_starts_with(gate_error_last_hint(), "did you mean 'nic'?"));
	ctr_lab_dispose(&lab);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_device_pci_address),
		cmocka_unit_test(test_device_lab_args),
		cmocka_unit_test(test_device_init_lines),
		cmocka_unit_test(test_device_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
