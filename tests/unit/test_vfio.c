/* test_vfio.c: VFIO binding, SR-IOV and the restore on a fake sysfs tree
 * the test builds; what was written is read back from the tree's files. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vfio.h"
#include "error.h"
#include "strbuf.h"

static char root[64];

static void put(const char *rel, const char *content)
{
	char path[512], dir[600];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	snprintf(dir, sizeof(dir), "mkdir -p \"$(dirname '%s')\"", path);
	assert_int_equal(system(dir), 0);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(content, f);
	fclose(f);
}

static void link_to(const char *rel, const char *target)
{
	char path[512], dir[600];

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	snprintf(dir, sizeof(dir), "mkdir -p \"$(dirname '%s')\"", path);
	assert_int_equal(system(dir), 0);
	assert_int_equal(symlink(target, path), 0);
}

static char *got(const char *rel)
{
	struct strbuf sb = STRBUF_INIT;
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	assert_int_equal(strbuf_read_file(&sb, path), 0);
	return strbuf_detach(&sb, NULL);
}

static void expect(const char *rel, const char *want)
{
	char *s = got(rel);

	assert_string_equal(s, want);
	free(s);
}

/* A device in an IOMMU group, bound to driver (or none), as sysfs shows it. */
static void device(const char *bdf, const char *group, const char *driver)
{
	char rel[256], target[256];

	snprintf(rel, sizeof(rel), "bus/pci/devices/%s/driver_override", bdf);
	put(rel, "(null)\n");
	snprintf(rel, sizeof(rel), "bus/pci/devices/%s/class", bdf);
	put(rel, "0x020000\n");
	snprintf(rel, sizeof(rel), "bus/pci/devices/%s/iommu_group", bdf);
	snprintf(target, sizeof(target), "../../../../kernel/iommu_groups/%s", group);
	link_to(rel, target);
	snprintf(rel, sizeof(rel), "kernel/iommu_groups/%s/devices/%s", group, bdf);
	snprintf(target, sizeof(target), "../../../../bus/pci/devices/%s", bdf);
	link_to(rel, target);
	if (driver) {
		snprintf(rel, sizeof(rel), "bus/pci/devices/%s/driver", bdf);
		snprintf(target, sizeof(target), "../../../../bus/pci/drivers/%s", driver);
		link_to(rel, target);
	}
}

static int setup_tree(void **state)
{
	strcpy(root, "/tmp/mkt-gate-vfio.XXXXXX");
	assert_non_null(mkdtemp(root));
	put("bus/pci/drivers_probe", "");
	put("bus/pci/drivers/vfio-pci/bind", "");
	put("bus/pci/drivers/vfio-pci/unbind", "");
	put("bus/pci/drivers/mlx5_core/bind", "");
	put("bus/pci/drivers/mlx5_core/unbind", "");
	device("0000:05:00.0", "12", "mlx5_core");
	device("0000:05:00.1", "12", "mlx5_core");
	return 0;
}

static int remove_tree(void **state)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	return system(cmd);
}

static void pci_list(struct strvec *pci, const char *a, const char *b)
{
	strvec_init(pci);
	strvec_push(pci, a);
	if (b)
		strvec_push(pci, b);
}

static void test_vfio_bind_and_restore(void **state)
{
	struct strvec pci, args = STRVEC_INIT;
	struct ctr_vfio v;

	pci_list(&pci, "0000:05:00.0", NULL);
	ctr_vfio_init(&v);
	assert_int_equal(ctr_vfio_setup(&v, root, &pci, 0), 0);
	assert_int_equal(ctr_vfio_qemu_args(&v, &args), 0);
	assert_int_equal(args.nr, 2);
	assert_string_equal(args.v[0], "-device");
	assert_string_equal(args.v[1], "vfio-pci,host=0000:05:00.0");
	/* the whole group goes to vfio-pci, not only the device asked for */
	expect("bus/pci/devices/0000:05:00.0/driver_override", "(null)\nvfio-pci\n");
	expect("bus/pci/devices/0000:05:00.1/driver_override", "(null)\nvfio-pci\n");
	expect("bus/pci/drivers/mlx5_core/unbind", "0000:05:00.0\n0000:05:00.1\n");
	expect("bus/pci/drivers_probe", "0000:05:00.0\n0000:05:00.1\n");

	assert_int_equal(ctr_vfio_restore(&v), 0);
	expect("bus/pci/devices/0000:05:00.0/driver_override", "(null)\nvfio-pci\n\n");
	expect("bus/pci/drivers/vfio-pci/unbind", "0000:05:00.1\n0000:05:00.0\n");
	expect("bus/pci/drivers/mlx5_core/bind", "0000:05:00.1\n0000:05:00.0\n");
	/* a second restore has nothing left to undo */
	assert_int_equal(ctr_vfio_restore(&v), 0);
	expect("bus/pci/drivers/mlx5_core/bind", "0000:05:00.1\n0000:05:00.0\n");
	ctr_vfio_dispose(&v);
	strvec_dispose(&args);
	strvec_dispose(&pci);
}

static void test_vfio_sriov(void **state)
{
	struct strvec pci, args = STRVEC_INIT;
	struct ctr_vfio v;

	put("bus/pci/devices/0000:05:00.0/sriov_numvfs", "0\n");
	device("0000:05:00.2", "13", NULL);
	device("0000:05:00.3", "14", "mlx5_core");
	link_to("bus/pci/devices/0000:05:00.0/virtfn0", "../0000:05:00.2");
	link_to("bus/pci/devices/0000:05:00.0/virtfn1", "../0000:05:00.3");
	pci_list(&pci, "0000:05:00.0", NULL);
	ctr_vfio_init(&v);
	assert_int_equal(ctr_vfio_setup(&v, root, &pci, 2), 0);
	assert_int_equal(ctr_vfio_qemu_args(&v, &args), 0);
	assert_int_equal(args.nr, 4);
	assert_string_equal(args.v[1], "vfio-pci,host=0000:05:00.2");
	assert_string_equal(args.v[3], "vfio-pci,host=0000:05:00.3");
	expect("bus/pci/devices/0000:05:00.0/sriov_numvfs", "0\n0\n2\n");
	/* the PF keeps its driver; a VF without a driver is only probed */
	expect("bus/pci/devices/0000:05:00.0/driver_override", "(null)\n");
	expect("bus/pci/drivers/mlx5_core/unbind", "0000:05:00.3\n");
	expect("bus/pci/drivers_probe", "0000:05:00.2\n0000:05:00.3\n");
	assert_int_equal(ctr_vfio_restore(&v), 0);
	expect("bus/pci/drivers/vfio-pci/unbind", "0000:05:00.3\n0000:05:00.2\n");
	expect("bus/pci/drivers/mlx5_core/bind", "0000:05:00.3\n");
	expect("bus/pci/devices/0000:05:00.0/sriov_numvfs", "0\n0\n2\n0\n");
	ctr_vfio_dispose(&v);
	strvec_dispose(&args);
	strvec_dispose(&pci);
}

/* A failure half way gives back what was already taken. */
static void test_vfio_failure_restores(void **state)
{
	struct strvec pci;
	struct ctr_vfio v;
	char path[256];

	snprintf(path, sizeof(path), "%s/bus/pci/drivers_probe", root);
	assert_int_equal(unlink(path), 0);
	pci_list(&pci, "0000:05:00.0", NULL);
	ctr_vfio_init(&v);
	assert_int_equal(ctr_vfio_setup(&v, root, &pci, 0), -1);
	assert_non_null(strstr(gate_error_last(), "drivers_probe"));
	/* the device was unbound from mlx5_core, so it is bound back */
	expect("bus/pci/drivers/mlx5_core/unbind", "0000:05:00.0\n");
	expect("bus/pci/devices/0000:05:00.0/driver_override", "(null)\nvfio-pci\n\n");
	expect("bus/pci/drivers/mlx5_core/bind", "0000:05:00.0\n");
	expect("bus/pci/drivers/vfio-pci/unbind", "");
	assert_int_equal(v.undo_nr, 0);
	ctr_vfio_dispose(&v);
	strvec_dispose(&pci);
}

static void test_vfio_no_iommu(void **state)
{
	struct strvec pci;
	struct ctr_vfio v;
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s/kernel/iommu_groups'/*", root);
	assert_int_equal(system(cmd), 0);
	pci_list(&pci, "0000:05:00.0", NULL);
	ctr_vfio_init(&v);
	assert_int_equal(ctr_vfio_setup(&v, root, &pci, 0), -1);
	assert_non_null(strstr(gate_error_last(), "no IOMMU"));
	expect("bus/pci/drivers_probe", "");
	ctr_vfio_dispose(&v);
	strvec_dispose(&pci);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_vfio_bind_and_restore, setup_tree,
						remove_tree),
		cmocka_unit_test_setup_teardown(test_vfio_sriov, setup_tree, remove_tree),
		cmocka_unit_test_setup_teardown(test_vfio_failure_restores, setup_tree,
						remove_tree),
		cmocka_unit_test_setup_teardown(test_vfio_no_iommu, setup_tree, remove_tree),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
