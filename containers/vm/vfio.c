/* vfio.c: binds PCI devices and their IOMMU groups to vfio-pci through
 * sysfs, keeping an undo log that gives each back. Never prints or exits. */
#include "vfio.h"
#include "alloc.h"
#include "error.h"
#include "interrupt.h"
#include "strbuf.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define VFIO_DRIVER "vfio-pci"

enum undo_kind {
	UNDO_DEVICE,	/* value: the original driver, override: its override */
	UNDO_NUMVFS,	/* value: the original sriov_numvfs */
};

/* How far a device went on its way to vfio-pci. */
enum undo_stage {
	STAGE_OVERRIDDEN,
	STAGE_UNBOUND,
	STAGE_PROBED,
};

struct ctr_vfio_undo {
	enum undo_kind kind;
	enum undo_stage stage;
	char *bdf;
	char *value;
	char *override;
};

void ctr_vfio_init(struct ctr_vfio *v)
{
	memset(v, 0, sizeof(*v));
	strvec_init(&v->passed);
}

void ctr_vfio_dispose(struct ctr_vfio *v)
{
	for (size_t i = 0; i < v->undo_nr; i++) {
		free(v->undo[i].bdf);
		free(v->undo[i].value);
		free(v->undo[i].override);
	}
	free(v->undo);
	free(v->sysfs);
	strvec_dispose(&v->passed);
	ctr_vfio_init(v);
}

static int sys_path(struct strbuf *out, const struct ctr_vfio *v, const char *fmt,
		    const char *a, const char *b)
{
	strbuf_reset(out);
	if (strbuf_addstr(out, v->sysfs) || strbuf_addch(out, '/') ||
	    strbuf_addf(out, fmt, a, b))
		return gate_error("out of memory");
	return 0;
}

/*
 * Writes value to an existing sysfs file, as one write, appended; an
 * errno in ok (such as ENODEV from unbinding an unbound device) is no
 * failure.
 */
static int sys_write_ok(const char *path, const char *value, int ok)
{
	char line[128];
	size_t len = strlen(value);
	int fd;
	ssize_t n;
	int err;

	if (len + 2 > sizeof(line))
		return gate_error("value too long for '%s'", path);
	memcpy(line, value, len + 1);
	if (!len || line[len - 1] != '\n')
		line[len++] = '\n';
	fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
	if (fd < 0)
		return gate_error("cannot open '%s': %s", path, strerror(errno));
	n = write(fd, line, len);
	err = n < 0 ? errno : 0;
	close(fd);
	if (n == (ssize_t)len || (ok && err == ok))
		return 0;
	return gate_error("cannot write '%.*s' to '%s': %s", (int)strcspn(value, "\n"),
			  value, path, err ? strerror(err) : "short write");
}

static int sys_write(const char *path, const char *value)
{
	return sys_write_ok(path, value, 0);
}

static int sys_writef(const struct ctr_vfio *v, const char *fmt, const char *a,
		      const char *b, const char *value, int ok)
{
	struct strbuf path = STRBUF_INIT;
	int ret = sys_path(&path, v, fmt, a, b);

	if (!ret)
		ret = sys_write_ok(path.buf, value, ok);
	strbuf_dispose(&path);
	return ret;
}

/* The last component of the link at path, or NULL (errno says why). */
static char *link_name(const char *path)
{
	char buf[PATH_MAX];
	ssize_t n = readlink(path, buf, sizeof(buf) - 1);
	const char *slash;

	if (n < 0)
		return NULL;
	buf[n] = '\0';
	slash = strrchr(buf, '/');
	return strdup(slash ? slash + 1 : buf);
}

/* The first line of a small sysfs file, or NULL when it cannot be read. */
static char *read_line(const char *path)
{
	struct strbuf sb = STRBUF_INIT;
	char *s = NULL;

	if (!strbuf_read_file(&sb, path)) {
		strbuf_setlen(&sb, strcspn(sb.buf, "\n"));
		s = strbuf_detach(&sb, NULL);
	}
	strbuf_dispose(&sb);
	return s;
}

static int log_undo(struct ctr_vfio *v, enum undo_kind kind, const char *bdf,
		    const char *value, const char *override)
{
	struct ctr_vfio_undo *u;

	if (ALLOC_GROW(v->undo, v->undo_nr + 1, v->undo_alloc))
		return -1;
	u = &v->undo[v->undo_nr];
	memset(u, 0, sizeof(*u));
	u->kind = kind;
	u->bdf = strdup(bdf);
	u->value = value ? strdup(value) : NULL;
	u->override = override ? strdup(override) : NULL;
	if (!u->bdf || (value && !u->value) || (override && !u->override)) {
		free(u->bdf);
		free(u->value);
		free(u->override);
		return gate_error("out of memory");
	}
	v->undo_nr++;
	return 0;
}

static bool iommu_on(const struct ctr_vfio *v)
{
	struct strbuf path = STRBUF_INIT;
	struct dirent *de;
	bool on = false;
	DIR *d;

	if (sys_path(&path, v, "kernel/iommu_groups%s%s", "", ""))
		return false;
	d = opendir(path.buf);
	while (d && !on && (de = readdir(d)))
		on = de->d_name[0] != '.';
	if (d)
		closedir(d);
	strbuf_dispose(&path);
	return on;
}

static bool is_bridge(const struct ctr_vfio *v, const char *bdf)
{
	struct strbuf path = STRBUF_INIT;
	char *class = NULL;
	bool bridge;

	if (!sys_path(&path, v, "bus/pci/devices/%s/class%s", bdf, ""))
		class = read_line(path.buf);
	bridge = class && str_starts_with(class, "0x0604");
	free(class);
	strbuf_dispose(&path);
	return bridge;
}

/* Gives one device to vfio-pci, logging each step before taking it. */
static int bind_one(struct ctr_vfio *v, const char *bdf)
{
	struct strbuf path = STRBUF_INIT;
	struct ctr_vfio_undo *u;
	char *driver = NULL, *override = NULL;
	int ret = -1;

	if (sys_path(&path, v, "bus/pci/devices/%s/driver%s", bdf, ""))
		goto out;
	driver = link_name(path.buf);
	if (driver && !strcmp(driver, VFIO_DRIVER)) {
		ret = 0;
		goto out;
	}
	if (sys_path(&path, v, "bus/pci/devices/%s/driver_override%s", bdf, ""))
		goto out;
	override = read_line(path.buf);
	if (!override) {
		gate_error("cannot read '%s': %s", path.buf, gate_error_last());
		goto out;
	}
	if (log_undo(v, UNDO_DEVICE, bdf, driver,
		     strcmp(override, "(null)") ? override : NULL) ||
	    sys_write(path.buf, VFIO_DRIVER "\n"))
		goto out;
	u = &v->undo[v->undo_nr - 1];
	if (driver && sys_writef(v, "bus/pci/devices/%s/driver/unbind%s", bdf, "", bdf, 0))
		goto out;
	u->stage = STAGE_UNBOUND;
	if (sys_writef(v, "bus/pci/drivers_probe%s%s", "", "", bdf, 0))
		goto out;
	u->stage = STAGE_PROBED;
	ret = 0;
out:
	free(driver);
	free(override);
	strbuf_dispose(&path);
	return ret;
}

/* Binds every device of bdf's IOMMU group, bridges excepted. */
static int bind_group(struct ctr_vfio *v, const char *bdf)
{
	struct strbuf path = STRBUF_INIT;
	struct dirent *de;
	char *group = NULL;
	DIR *d = NULL;
	int ret = -1;

	if (sys_path(&path, v, "bus/pci/devices/%s/iommu_group%s", bdf, ""))
		goto out;
	group = link_name(path.buf);
	if (!group) {
		gate_error("device '%s' is in no IOMMU group", bdf);
		goto out;
	}
	if (sys_path(&path, v, "kernel/iommu_groups/%s/devices%s", group, ""))
		goto out;
	d = opendir(path.buf);
	if (!d) {
		gate_error("cannot list IOMMU group %s: %s", group, strerror(errno));
		goto out;
	}
	ret = 0;
	while (!ret && (de = readdir(d))) {
		if (de->d_name[0] == '.' || is_bridge(v, de->d_name))
			continue;
		ret = gate_interrupted() ? gate_error("interrupted") :
		      bind_one(v, de->d_name);
	}
out:
	if (d)
		closedir(d);
	free(group);
	strbuf_dispose(&path);
	return ret;
}

/* Creates num_vfs VFs on the PF and adds them to the passed list. */
static int create_vfs(struct ctr_vfio *v, const char *pf, int num_vfs)
{
	struct strbuf path = STRBUF_INIT;
	char *old = NULL, *vf = NULL, num[16];
	int ret = -1;

	if (sys_path(&path, v, "bus/pci/devices/%s/sriov_numvfs%s", pf, ""))
		goto out;
	old = read_line(path.buf);
	if (!old) {
		gate_error("device '%s' cannot make VFs: %s", pf, gate_error_last());
		goto out;
	}
	snprintf(num, sizeof(num), "%d\n", num_vfs);
	if (log_undo(v, UNDO_NUMVFS, pf, old, NULL) || sys_write(path.buf, "0\n") ||
	    sys_write(path.buf, num))
		goto out;
	for (int i = 0; i < num_vfs; i++) {
		snprintf(num, sizeof(num), "%d", i);
		if (sys_path(&path, v, "bus/pci/devices/%s/virtfn%s", pf, num))
			goto out;
		free(vf);
		vf = link_name(path.buf);
		if (!vf) {
			gate_error("VF %d of '%s' did not appear", i, pf);
			goto out;
		}
		if (strvec_push(&v->passed, vf))
			goto out;
	}
	ret = 0;
out:
	free(vf);
	free(old);
	strbuf_dispose(&path);
	return ret;
}

static int setup(struct ctr_vfio *v, const struct strvec *pci, int num_vfs)
{
	size_t i;

	if (!iommu_on(v)) {
		gate_error("no IOMMU is on: '%s/kernel/iommu_groups' is empty", v->sysfs);
		gate_error_hint("boot the host with intel_iommu=on or amd_iommu=on");
		return -1;
	}
	for (i = 0; i < pci->nr; i++) {
		if (num_vfs > 0 && create_vfs(v, pci->v[i], num_vfs))
			return -1;
		if (!num_vfs && strvec_push(&v->passed, pci->v[i]))
			return gate_error("out of memory");
	}
	for (i = 0; i < v->passed.nr; i++)
		if (bind_group(v, v->passed.v[i]))
			return -1;
	return 0;
}

int ctr_vfio_setup(struct ctr_vfio *v, const char *sysfs,
		   const struct strvec *pci, int num_vfs)
{
	struct strbuf why = STRBUF_INIT;

	free(v->sysfs);
	v->sysfs = strdup(sysfs ? sysfs : "/sys");
	if (!v->sysfs)
		return gate_error("out of memory");
	if (!setup(v, pci, num_vfs))
		return 0;
	strbuf_addstr(&why, gate_error_last());
	ctr_vfio_restore(v);
	gate_error("%s", why.buf);
	strbuf_dispose(&why);
	return -1;
}

int ctr_vfio_qemu_args(const struct ctr_vfio *v, struct strvec *out)
{
	for (size_t i = 0; i < v->passed.nr; i++)
		if (strvec_push(out, "-device") ||
		    strvec_pushf(out, "vfio-pci,host=%s", v->passed.v[i]))
			return gate_error("out of memory");
	return 0;
}

/* Override first: with "vfio-pci" still in it, the old driver would not bind. */
static int undo_device(const struct ctr_vfio *v, const struct ctr_vfio_undo *u)
{
	struct strbuf val = STRBUF_INIT;
	int ret;

	strbuf_addf(&val, "%s\n", u->override ? u->override : "");
	ret = sys_writef(v, "bus/pci/devices/%s/driver_override%s", u->bdf, "",
			 val.buf, 0);
	if (!ret && u->stage >= STAGE_PROBED)
		ret = sys_writef(v, "bus/pci/drivers/%s/unbind%s", VFIO_DRIVER, "",
				 u->bdf, ENODEV);
	if (!ret && u->stage >= STAGE_UNBOUND && u->value)
		ret = sys_writef(v, "bus/pci/drivers/%s/bind%s", u->value, "", u->bdf, 0);
	strbuf_dispose(&val);
	return ret;
}

static int undo_numvfs(const struct ctr_vfio *v, const struct ctr_vfio_undo *u)
{
	struct strbuf val = STRBUF_INIT;
	int ret;

	ret = sys_writef(v, "bus/pci/devices/%s/sriov_numvfs%s", u->bdf, "", "0\n", 0);
	strbuf_addf(&val, "%s\n", u->value);
	if (!ret && strcmp(u->value, "0"))
		ret = sys_writef(v, "bus/pci/devices/%s/sriov_numvfs%s", u->bdf, "",
				 val.buf, 0);
	strbuf_dispose(&val);
	return ret;
}

int ctr_vfio_restore(struct ctr_vfio *v)
{
	struct strbuf first = STRBUF_INIT;
	int ret = 0;

	while (v->undo_nr) {
		struct ctr_vfio_undo *u = &v->undo[--v->undo_nr];

		int err = u->kind == UNDO_DEVICE ? undo_device(v, u) : undo_numvfs(v, u);

		if (err && !ret) {
			ret = -1;
			strbuf_addstr(&first, gate_error_last());
		}
		free(u->bdf);
		free(u->value);
		free(u->override);
	}
	if (ret)
		gate_error("cannot give a device back: %s", first.buf);
	strbuf_dispose(&first);
	return ret;
}

bool ctr_vfio_iommu_on(const char *sysfs)
{
	struct ctr_vfio v = { .sysfs = (char *)(sysfs ? sysfs : "/sys") };

	return iommu_on(&v);
}

bool ctr_vfio_device_present(const char *sysfs, const char *bdf)
{
	struct ctr_vfio v = { .sysfs = (char *)(sysfs ? sysfs : "/sys") };
	struct strbuf path = STRBUF_INIT;
	bool there = !sys_path(&path, &v, "bus/pci/devices/%s%s", bdf, "") &&
		     !access(path.buf, F_OK);

	strbuf_dispose(&path);
	return there;
}
