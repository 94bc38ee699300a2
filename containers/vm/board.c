/* board.c: probes what a boot target needs (its QEMU, KVM, VFIO devices,
 * emulated models) for `boot --list`. Changes nothing; never prints. */
#include "board.h"
#include "config.h"
#include "device.h"
#include "error.h"
#include "qemu.h"
#include "strbuf.h"
#include "vfio.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

void ctr_board_init(struct ctr_board *b)
{
	strvec_init(&b->needs);
	b->missing = 0;
}

void ctr_board_dispose(struct ctr_board *b)
{
	strvec_dispose(&b->needs);
	ctr_board_init(b);
}

static int need(struct ctr_board *b, bool ok, const char *what, const char *state)
{
	b->missing += !ok;
	return strvec_pushf(&b->needs, "%s: %s", what, state);
}

/* The target's QEMU (custom or stock): found, and runs. */
static int probe_qemu(struct ctr_board *b, const char *qemu, bool *ok)
{
	struct strbuf v = STRBUF_INIT, s = STRBUF_INIT;
	const char *what = qemu ? "custom QEMU" : "QEMU";
	int ret;

	*ok = !ctr_qemu_version(&v, qemu);
	strbuf_addf(&s, "%s, %s", qemu ? qemu : CTR_QEMU_BINARY, *ok ? v.buf : gate_error_last());
	ret = need(b, *ok, what, s.buf);
	gate_error_clear();
	strbuf_dispose(&v);
	strbuf_dispose(&s);
	return ret;
}

/* accel = kvm needs /dev/kvm; auto uses it when it works, else TCG. */
static int probe_kvm(struct ctr_board *b, const char *accel)
{
	int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	bool dev = fd >= 0;

	if (fd >= 0)
		close(fd);
	if (accel && !strcmp(accel, "tcg"))
		return need(b, true, "KVM", "not used (accel = tcg)");
	if (accel && !strcmp(accel, "kvm"))
		return need(b, dev, "KVM", dev ? "/dev/kvm opens (accel = kvm)" :
			    "/dev/kvm does not open, and accel = kvm");
	return need(b, true, "KVM", dev ? "/dev/kvm opens; probed at boot, else TCG" :
		    "no /dev/kvm: TCG");
}

static int probe_vfio(struct ctr_board *b, const struct ctr_lab *lab, const char *sysfs)
{
	struct strbuf what = STRBUF_INIT;
	bool iommu = ctr_vfio_iommu_on(sysfs);
	int ret = lab->pci.nr ? need(b, iommu, "IOMMU", iommu ? "on" : "off") : 0;

	for (size_t i = 0; !ret && i < lab->pci.nr; i++) {
		bool there = ctr_vfio_device_present(sysfs, lab->pci.v[i]);

		strbuf_reset(&what);
		strbuf_addf(&what, "VFIO %s", lab->pci.v[i]);
		ret = need(b, there, what.buf, there ? "present" : "missing");
	}
	strbuf_dispose(&what);
	return ret;
}

/* Each emulated model, as "MODEL NAME", in the target's QEMU or not. */
static int probe_models(struct ctr_board *b, const struct ctr_lab *lab, const char *qemu)
{
	struct strbuf what = STRBUF_INIT;
	int ret = 0;

	for (size_t i = 0; !ret && i < lab->models.nr; i++) {
		const char *m = lab->models.v[i], *name = strchr(m, ' ') + 1, *state;
		char model[128];
		int has;

		snprintf(model, sizeof(model), "%.*s", (int)(name - 1 - m), m);
		if (i && strvec_find(&lab->models, m) < (int)i)
			continue;
		has = ctr_qemu_has_device(qemu, model);
		state = has > 0 ? "in this QEMU" : has ? gate_error_last() :
			"not in this QEMU (a custom build may have it: qemu = PATH)";
		strbuf_reset(&what);
		strbuf_addf(&what, "device %s", name);
		ret = need(b, has > 0, what.buf, state);
		gate_error_clear();
	}
	strbuf_dispose(&what);
	return ret;
}

int ctr_board_probe(struct ctr_board *b, const struct config *cfg, const char *target)
{
	struct strbuf qemu = STRBUF_INIT, sysfs = STRBUF_INIT, s = STRBUF_INIT;
	struct ctr_lab lab;
	bool runs = false;
	int ret;

	ctr_lab_init(&lab);
	ret = config_get_path(cfg, target, "qemu", &qemu) < 0 ||
	      config_get_path(cfg, target, "sysfs_root", &sysfs) < 0 ? -1 : 0;
	if (!ret && ctr_lab_plan(&lab, cfg, target)) {
		ret = need(b, false, "config", gate_error_last());
		gate_error_clear();
		goto out;
	}
	ret = ret || probe_qemu(b, qemu.len ? qemu.buf : NULL, &runs) ||
	      probe_kvm(b, config_get(cfg, target, "accel")) ||
	      probe_vfio(b, &lab, sysfs.len ? sysfs.buf : NULL) ||
	      (runs && probe_models(b, &lab, qemu.len ? qemu.buf : NULL));
	if (!ret && lab.macs.nr) {
		strbuf_addf(&s, "%zu on one segment, %zu with an address", lab.macs.nr,
			    lab.addresses.nr);
		ret = need(b, true, "NICs", s.buf);
	}
out:
	ctr_lab_dispose(&lab);
	strbuf_dispose(&qemu);
	strbuf_dispose(&sysfs);
	strbuf_dispose(&s);
	return ret ? gate_error("out of memory") : 0;
}
