/* device.h: the lab of a boot target: emulated devices named in its pci,
 * its NICs on one virtual segment and their addresses. Never prints or exits. */
#ifndef CTR_DEVICE_H
#define CTR_DEVICE_H

#include <stdbool.h>

#include "strvec.h"

struct config;
struct strbuf;

/*
 * An entry of a target's `pci` that is not a PCI address names an
 * emulated device: a [device.NAME] section of the config, else of the
 * devices.conf mkt-gate ships (configs/devices.conf), whole sections, the
 * user's first. Its keys:
 *   device      the QEMU -device argument: the model and its options
 *   netdev      set for a NIC: "segment" joins the target's virtual segment
 *               (a QEMU hub, no root needed), anything else is a QEMU
 *               -netdev backend ("user", "socket,mcast=..."); mkt-gate adds
 *               id=, and netdev=, mac= to the device
 *   num_of_vfs  how many SR-IOV VFs the model can make (0: none)
 *   qemu_args   other QEMU arguments the model needs ("-machine q35")
 * Emulated devices sit at guest PCI slots 0x10, 0x11... in pci order
 * (addr= is added unless the device sets addr= or bus=), so the init can
 * make their VFs: with the target's num_of_vfs > 0 it writes it to each
 * one's sriov_numvfs in the guest (a device placed by its own addr= or
 * bus= is left to the boot script).
 *
 * `nics = N` adds N NICs of the model `nic_device` names (default
 * virtio-net) on the segment, after the NICs of pci. `addresses` gives
 * them addresses in that order ("10.11.0.1/24 10.11.0.2/24").
 */
struct ctr_lab {
	struct strvec pci;		/* the PCI addresses of pci, for VFIO */
	struct strvec args;		/* QEMU arguments of the emulated devices */
	struct strvec models;		/* "MODEL NAME" of each emulated device */
	struct strvec macs;		/* the segment's NICs in order */
	struct strvec addresses;	/* one per NIC, maybe fewer */
	struct strvec vf_slots;		/* guest BDFs to make num_vfs VFs on */
	struct strvec extras;		/* the qemu_args already in args, joined */
	int num_vfs;
};

#define CTR_DEVICE_SHIPPED "configs/devices.conf"

void ctr_lab_init(struct ctr_lab *lab);
void ctr_lab_dispose(struct ctr_lab *lab);

/* Whether s is a PCI address: DDDD:BB:SS.F or BB:SS.F. */
bool ctr_device_is_pci_address(const char *s);

/*
 * Appends the names of every device the config and devices.conf define,
 * each once, the config's first. shipped (may be NULL) gets the path of
 * devices.conf, or stays empty when it is not found.
 */
int ctr_device_names(struct strvec *out, const struct config *cfg,
		     struct strbuf *shipped);

/*
 * Reads the lab of target from cfg. Every name must be defined, every
 * count and address fit: otherwise -1 with gate_error() naming the key,
 * and a did-you-mean hint for a misspelt device. Runs nothing.
 */
int ctr_lab_plan(struct ctr_lab *lab, const struct config *cfg, const char *target);

/*
 * Checks that the QEMU binary has every model of the lab (its -device
 * help lists it); -1 with gate_error() naming the model and the binary.
 */
int ctr_lab_check_models(const struct ctr_lab *lab, const char *qemu);

/*
 * Appends the shell lines the generated init runs before the command:
 * the segment's NICs up with their addresses, exported as MKT_GATE_NICS
 * (interface names, in order) and MKT_GATE_NIC_ADDRESSES, and the VFs.
 */
int ctr_lab_init_lines(struct strbuf *out, const struct ctr_lab *lab);

#endif
