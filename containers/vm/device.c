/* device.c: a boot target's lab: the [device.NAME] sections its pci names,
 * its NICs on one QEMU hub and the init lines that set them up. Never prints. */
#include "device.h"
#include "config.h"
#include "error.h"
#include "qemu.h"
#include "strbuf.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEVICE_PREFIX "device."
#define DEFAULT_NIC "virtio-net"
/* The guest PCI slot of the first emulated device; the ones QEMU picks are lower. */
#define FIRST_SLOT 0x10
#define SEGMENT "segment"

/* One [device.NAME] section, looked up in the config, then in devices.conf. */
struct device {
	const char *name;
	const char *device;
	const char *netdev;
	int max_vfs;
	struct strvec qemu_args;
};

void ctr_lab_init(struct ctr_lab *lab)
{
	memset(lab, 0, sizeof(*lab));
	strvec_init(&lab->pci);
	strvec_init(&lab->args);
	strvec_init(&lab->models);
	strvec_init(&lab->macs);
	strvec_init(&lab->addresses);
	strvec_init(&lab->vf_slots);
	strvec_init(&lab->extras);
}

void ctr_lab_dispose(struct ctr_lab *lab)
{
	strvec_dispose(&lab->pci);
	strvec_dispose(&lab->args);
	strvec_dispose(&lab->models);
	strvec_dispose(&lab->macs);
	strvec_dispose(&lab->addresses);
	strvec_dispose(&lab->vf_slots);
	strvec_dispose(&lab->extras);
	ctr_lab_init(lab);
}

static bool hex_run(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return false;
	return true;
}

bool ctr_device_is_pci_address(const char *s)
{
	if (strlen(s) == 12 && hex_run(s, 4) && s[4] == ':')
		s += 5;
	return strlen(s) == 7 && hex_run(s, 2) && s[2] == ':' && hex_run(s + 3, 2) &&
	       s[5] == '.' && s[6] >= '0' && s[6] <= '7';
}

/* devices.conf as a config of its own, loaded once; NULL when not shipped. */
static const struct config *shipped_config(struct strbuf *path)
{
	static struct config *cfg;
	static bool tried;
	struct strbuf p = STRBUF_INIT;

	if (!tried) {
		tried = true;
		if (config_data_path(NULL, CTR_DEVICE_SHIPPED, &p) || config_new(&cfg) ||
		    config_load_file(cfg, p.buf, true)) {
			config_free(cfg);
			cfg = NULL;
		}
		gate_error_clear();
		strbuf_dispose(&p);
	}
	if (cfg && path)
		config_data_path(NULL, CTR_DEVICE_SHIPPED, path);
	return cfg;
}

static bool has_section(const struct config *cfg, const char *section)
{
	struct strvec s = STRVEC_INIT;
	bool found = !config_sections(cfg, section, &s) && strvec_find(&s, section) >= 0;

	strvec_dispose(&s);
	return found;
}

static int push_names(struct strvec *out, const struct config *cfg)
{
	struct strvec s = STRVEC_INIT;
	int ret = config_sections(cfg, DEVICE_PREFIX, &s);

	for (size_t i = 0; !ret && i < s.nr; i++)
		if (strvec_find(out, s.v[i] + strlen(DEVICE_PREFIX)) < 0)
			ret = strvec_push(out, s.v[i] + strlen(DEVICE_PREFIX));
	strvec_dispose(&s);
	return ret ? gate_error("out of memory") : 0;
}

int ctr_device_names(struct strvec *out, const struct config *cfg,
		     struct strbuf *shipped)
{
	const struct config *ship = shipped_config(shipped);

	if (push_names(out, cfg))
		return -1;
	return ship ? push_names(out, ship) : 0;
}

/* A name nobody defines: say so, with the closest name or the known ones. */
static int unknown_device(const struct config *cfg, const char *target, const char *name,
			  const char *key)
{
	struct strvec names = STRVEC_INIT;
	struct strbuf all = STRBUF_INIT;
	const char *near = NULL;

	if (!ctr_device_names(&names, cfg, NULL)) {
		near = config_closest(name, &names);
		strvec_join(&names, ", ", &all);
	}
	gate_error("[%s] %s: '%s' is neither a PCI address nor a known device", target,
		   key, name);
	if (near)
		gate_error_hint("did you mean '%s'? The devices: %s", near, all.buf);
	else
		gate_error_hint("the devices: %s; or add a [device.%s] section", all.buf, name);
	strvec_dispose(&names);
	strbuf_dispose(&all);
	return -1;
}

/* Fills d from the first config that defines [device.NAME]; 0 when none does. */
static int device_find(struct device *d, const struct config *cfg, const char *name)
{
	const struct config *in[] = { cfg, shipped_config(NULL) };
	struct strbuf sec = STRBUF_INIT;
	int ret = 0;

	strbuf_addf(&sec, DEVICE_PREFIX "%s", name);
	for (size_t i = 0; i < 2 && !ret; i++) {
		if (!in[i] || !has_section(in[i], sec.buf))
			continue;
		d->name = name;
		d->device = config_get(in[i], sec.buf, "device");
		d->netdev = config_get(in[i], sec.buf, "netdev");
		ret = config_get_int(in[i], sec.buf, "num_of_vfs", &d->max_vfs) < 0 ||
		      config_get_list(in[i], sec.buf, "qemu_args", &d->qemu_args) < 0 ? -1 : 1;
		if (ret > 0 && (!d->device || !*d->device))
			ret = gate_error("[%s] has no 'device' key (the QEMU -device argument)",
					 sec.buf);
	}
	strbuf_dispose(&sec);
	return ret;
}

/* The model of a -device argument: what comes before the first comma. */
static int push_model(struct ctr_lab *lab, const struct device *d)
{
	size_t n = strcspn(d->device, ",");

	return strvec_pushf(&lab->models, "%.*s %s", (int)n, d->device, d->name);
}

static bool sets_slot(const char *device)
{
	return strstr(device, "addr=") || strstr(device, "bus=");
}

/* The -netdev and -device arguments of one emulated device, at slot. */
static int push_device(struct ctr_lab *lab, const struct device *d, int slot)
{
	struct strbuf dev = STRBUF_INIT;
	size_t nic = lab->macs.nr;
	int ret = strbuf_addstr(&dev, d->device);

	if (!ret && d->netdev) {
		if (!strcmp(d->netdev, SEGMENT))
			ret = strvec_push(&lab->args, "-netdev") ||
			      strvec_pushf(&lab->args, "hubport,id=mkt-net%zu,hubid=0", nic);
		else
			ret = strvec_push(&lab->args, "-netdev") ||
			      strvec_pushf(&lab->args, "%s,id=mkt-net%zu", d->netdev, nic);
		ret = ret || strvec_pushf(&lab->macs, "52:54:00:6b:67:%02zx", nic + 1) ||
		      strbuf_addf(&dev, ",netdev=mkt-net%zu,mac=%s", nic,
				  lab->macs.v[lab->macs.nr - 1]);
	}
	if (!ret && !sets_slot(d->device))
		ret = strbuf_addf(&dev, ",addr=0x%x", slot);
	ret = ret || strvec_push(&lab->args, "-device") || strvec_push(&lab->args, dev.buf);
	/* Two devices of one model need its qemu_args once. */
	strbuf_reset(&dev);
	for (size_t i = 0; !ret && i < d->qemu_args.nr; i++)
		ret = strbuf_addf(&dev, "%s ", d->qemu_args.v[i]);
	if (!ret && dev.len && strvec_find(&lab->extras, dev.buf) < 0)
		ret = strvec_push(&lab->extras, dev.buf) ||
		      strvec_pushv(&lab->args, d->qemu_args.v);
	strbuf_dispose(&dev);
	return ret ? gate_error("out of memory") : push_model(lab, d) ? -1 : 0;
}

/* One emulated device of pci (or of nics), checked against num_of_vfs. */
static int add_device(struct ctr_lab *lab, const struct config *cfg, const char *target,
		      const char *name, const char *key, bool vfs)
{
	struct device d = { .qemu_args = STRVEC_INIT };
	int slot = FIRST_SLOT + (int)lab->models.nr;
	int ret = device_find(&d, cfg, name);

	if (ret <= 0) {
		ret = ret ? -1 : unknown_device(cfg, target, name, key);
		goto out;
	}
	ret = -1;
	if (vfs && lab->num_vfs > d.max_vfs) {
		gate_error("[%s] num_of_vfs = %d, but device '%s' can make %d VFs", target,
			   lab->num_vfs, name, d.max_vfs);
		gate_error_hint("set num_of_vfs in [device.%s] if its model makes more", name);
		goto out;
	}
	if (!vfs && !d.netdev) {
		gate_error("[%s] %s: device '%s' is not a NIC (its section sets no netdev)",
			   target, key, name);
		goto out;
	}
	if (push_device(lab, &d, slot))
		goto out;
	if (vfs && lab->num_vfs && !sets_slot(d.device) &&
	    strvec_pushf(&lab->vf_slots, "0000:00:%02x.0", slot))
		goto out;
	ret = 0;
out:
	strvec_dispose(&d.qemu_args);
	return ret;
}

static int plan_nics(struct ctr_lab *lab, const struct config *cfg, const char *target)
{
	const char *model = config_get(cfg, target, "nic_device");
	int nics = 0;

	if (config_get_int(cfg, target, "nics", &nics) < 0 ||
	    config_get_list(cfg, target, "addresses", &lab->addresses) < 0)
		return -1;
	for (int i = 0; i < nics; i++)
		if (add_device(lab, cfg, target, model ? model : DEFAULT_NIC, "nic_device",
			       false))
			return -1;
	if (lab->addresses.nr > lab->macs.nr) {
		gate_error("[%s] addresses: %zu addresses for %zu NICs", target,
			   lab->addresses.nr, lab->macs.nr);
		return gate_error_hint("set nics = %zu, or name NIC devices in pci",
				       lab->addresses.nr);
	}
	for (size_t i = 0; i < lab->addresses.nr; i++)
		if (!strchr(lab->addresses.v[i], '/'))
			return gate_error("[%s] addresses: '%s' has no prefix length (/24)",
					  target, lab->addresses.v[i]);
	return 0;
}

int ctr_lab_plan(struct ctr_lab *lab, const struct config *cfg, const char *target)
{
	struct strvec pci = STRVEC_INIT;
	int ret = -1;

	if (config_get_list(cfg, target, "pci", &pci) < 0 ||
	    config_get_int(cfg, target, "num_of_vfs", &lab->num_vfs) < 0)
		goto out;
	for (size_t i = 0; i < pci.nr; i++) {
		if (ctr_device_is_pci_address(pci.v[i])) {
			if (strvec_push(&lab->pci, pci.v[i]))
				goto out;
		} else if (add_device(lab, cfg, target, pci.v[i], "pci", true)) {
			goto out;
		}
	}
	ret = plan_nics(lab, cfg, target);
out:
	strvec_dispose(&pci);
	return ret;
}

int ctr_lab_check_models(const struct ctr_lab *lab, const char *qemu)
{
	const char *q = qemu ? qemu : CTR_QEMU_BINARY;
	char model[128];
	int has;

	for (size_t i = 0; i < lab->models.nr; i++) {
		const char *name = strchr(lab->models.v[i], ' ') + 1;

		snprintf(model, sizeof(model), "%.*s", (int)(name - 1 - lab->models.v[i]),
			 lab->models.v[i]);
		has = ctr_qemu_has_device(q, model);
		if (has < 0)
			return -1;
		if (has)
			continue;
		gate_error("QEMU '%s' has no device model '%s' (for [device.%s])", q, model,
			   name);
		return gate_error_hint("a newer or custom QEMU may have it: set qemu = PATH");
	}
	return 0;
}

/*
 * The NICs are found by MAC, as the guest may name them in any order;
 * MKT_GATE_NICS lists them in the order of the segment.
 */
static const char init_nic[] =
	"for n in /sys/class/net/*; do\n"
	"\t[ \"$(cat $n/address)\" = %s ] || continue\n"
	"\tMKT_GATE_NICS=\"$MKT_GATE_NICS${MKT_GATE_NICS:+ }${n##*/}\"\n"
	"\tip link set ${n##*/} up\n"
	"%s"
	"done\n";

int ctr_lab_init_lines(struct strbuf *out, const struct ctr_lab *lab)
{
	struct strbuf addr = STRBUF_INIT;
	int ret = 0;

	if (lab->macs.nr)
		ret = strbuf_addstr(out, "# the lab: NICs on the segment, VFs\n"
				    "MKT_GATE_NICS= MKT_GATE_NIC_ADDRESSES=\n"
				    "ip link set lo up\n");
	for (size_t i = 0; !ret && i < lab->macs.nr; i++) {
		strbuf_reset(&addr);
		if (i < lab->addresses.nr)
			strbuf_addf(&addr, "\tip addr add %s dev ${n##*/}\n"
				    "\tMKT_GATE_NIC_ADDRESSES=\"$MKT_GATE_NIC_ADDRESSES"
				    "${MKT_GATE_NIC_ADDRESSES:+ }%s\"\n",
				    lab->addresses.v[i], lab->addresses.v[i]);
		ret = strbuf_addf(out, init_nic, lab->macs.v[i], addr.buf);
	}
	if (!ret && lab->macs.nr)
		ret = strbuf_addstr(out, "export MKT_GATE_NICS MKT_GATE_NIC_ADDRESSES\n");
	for (size_t i = 0; !ret && i < lab->vf_slots.nr; i++)
		ret = strbuf_addf(out, "echo %d >/sys/bus/pci/devices/%s/sriov_numvfs ||\n"
				  "\techo 'mkt-gate: cannot make VFs on %s'\n",
				  lab->num_vfs, lab->vf_slots.v[i], lab->vf_slots.v[i]);
	strbuf_dispose(&addr);
	return ret ? gate_error("init script too large") : 0;
}
