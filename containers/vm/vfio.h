/* vfio.h: hands PCI devices (or their SR-IOV VFs) to vfio-pci for a boot,
 * and gives them back afterwards. Never prints or exits. */
#ifndef CTR_VFIO_H
#define CTR_VFIO_H

#include "strvec.h"

#include <stdbool.h>

/*
 * Life cycle: ctr_vfio_init(), ctr_vfio_setup(), boot with the arguments
 * of ctr_vfio_qemu_args(), then ctr_vfio_restore() — also after a failed
 * boot or Ctrl-C — and ctr_vfio_dispose().
 *
 * All sysfs paths are under sysfs (normally "/sys"), so the tests run on
 * a fake tree. Every write goes to a file that must already exist, as in
 * sysfs, and is appended: on a fake tree the files then show what was
 * written, in order. The steps, for each BDF of pci:
 *   - an IOMMU must be on: <sysfs>/kernel/iommu_groups is not empty;
 *   - with num_vfs > 0 the PF keeps its driver, "0" then num_vfs are
 *     written to its sriov_numvfs and its VFs (virtfn0...) are the
 *     devices passed; with num_vfs == 0 the device itself is;
 *   - every device of each passed device's IOMMU group (iommu_group link,
 *     bridges excepted) gets "vfio-pci" in driver_override, is unbound
 *     from its driver (BDF to driver/unbind) and probed again (BDF to
 *     bus/pci/drivers_probe).
 * Before each change the undo log records what was there: the original
 * driver, driver_override and sriov_numvfs. Restore walks it backwards:
 * the old driver_override ("\n" clears it), BDF to
 * drivers/vfio-pci/unbind, BDF to drivers/<original>/bind, the old
 * sriov_numvfs. A failed setup restores what it did before returning.
 */
struct ctr_vfio_undo;

struct ctr_vfio {
	char *sysfs;
	struct strvec passed;		/* the BDFs given to the guest */
	struct ctr_vfio_undo *undo;
	size_t undo_nr, undo_alloc;
};

void ctr_vfio_init(struct ctr_vfio *v);
void ctr_vfio_dispose(struct ctr_vfio *v);
int ctr_vfio_setup(struct ctr_vfio *v, const char *sysfs,
		   const struct strvec *pci, int num_vfs);
/* Appends "-device vfio-pci,host=BDF" for each passed device. */
int ctr_vfio_qemu_args(const struct ctr_vfio *v, struct strvec *out);
/* Undoes everything; goes on after a failed step, returns -1 if one failed. */
int ctr_vfio_restore(struct ctr_vfio *v);

/*
 * What a boot would find, for `boot --list`, changing nothing: whether an
 * IOMMU is on and bdf is a device (under sysfs; NULL: "/sys").
 */
bool ctr_vfio_iommu_on(const char *sysfs);
bool ctr_vfio_device_present(const char *sysfs, const char *bdf);

#endif
