/* probe_memo.c: remembers, in the build or cache directory, that a bwrap binary
 * could run jobs on this kernel, so later runs skip the probe. Never prints or exits. */
#include "engine_int.h"
#include "config.h"
#include "error.h"
#include "fs.h"
#include "hash.h"
#include "strbuf.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <sys/stat.h>

/* The kernel settings that decide whether unprivileged namespaces work. */
static const char *const userns_knobs[] = {
	"/proc/sys/kernel/unprivileged_userns_clone",
	"/proc/sys/user/max_user_namespaces",
	"/proc/sys/kernel/apparmor_restrict_unprivileged_userns",
};

static uint64_t hash_file(uint64_t h, const char *path)
{
	char buf[64];
	size_t n = 0;
	FILE *f = fopen(path, "r");

	if (f) {
		n = fread(buf, 1, sizeof(buf) - 1, f);
		fclose(f);
	}
	buf[n] = '\0';
	return gate_fnv1a_field(h, f ? buf : "-");
}

/*
 * ROOT/probes/bwrap-<hash> of what decides the probe's outcome: the binary
 * (path, inode, size, mtime), its extra arguments and the kernel's
 * user-namespace settings. Any of them changing means probing again. ROOT
 * is [defaults] build_dir (--build-dir), where the results are, else the
 * cache directory.
 */
static int memo_path(const struct ctr_engine *e, const struct config *cfg,
		     const char *binary, struct strbuf *out)
{
	char num[128];
	struct stat st;
	uint64_t h = gate_fnv1a_field(GATE_FNV1A_INIT, binary);
	int got;

	if (stat(binary, &st))
		return -1;
	snprintf(num, sizeof(num), "%ju %jd %jd.%09ld", (uintmax_t)st.st_ino,
		 (intmax_t)st.st_size, (intmax_t)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
	h = gate_fnv1a_field(h, num);
	for (size_t i = 0; i < e->extra_args.nr; i++)
		h = gate_fnv1a_field(h, e->extra_args.v[i]);
	for (size_t i = 0; i < sizeof(userns_knobs) / sizeof(userns_knobs[0]); i++)
		h = hash_file(h, userns_knobs[i]);
	got = cfg ? config_get_path(cfg, "defaults", "build_dir", out) : 0;
	if (got < 0 || (!got && gate_cache_root(out)) ||
	    strbuf_addf(out, "/probes/bwrap-%016" PRIx64, h))
		return -1;
	return 0;
}

bool ctr_probe_memo_has(const struct ctr_engine *e, const struct config *cfg,
			const char *binary)
{
	struct strbuf path = STRBUF_INIT;
	struct stat st;
	bool has = !memo_path(e, cfg, binary, &path) && !stat(path.buf, &st);

	gate_error_clear();
	strbuf_dispose(&path);
	return has;
}

void ctr_probe_memo_add(const struct ctr_engine *e, const struct config *cfg,
			const char *binary)
{
	struct strbuf path = STRBUF_INIT, empty = STRBUF_INIT;

	/* Only a cache: failing to write it costs a probe next time. */
	if (!memo_path(e, cfg, binary, &path))
		gate_write_file_mkdirs(&empty, path.buf);
	gate_error_clear();
	strbuf_dispose(&path);
	strbuf_dispose(&empty);
}
