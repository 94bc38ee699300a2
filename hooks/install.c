/* install.c: writes our hooks into the hooks dir, chains the ones found there, and restores them.
 * Every replacement is a rename, so git never sees a half-written hook. */
#include "hook.h"
#include "error.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* 1 if path exists (without following a symlink), 0 if not, -1 on error. */
static int exists(const char *path, struct stat *st)
{
	if (!lstat(path, st))
		return 1;
	if (errno == ENOENT)
		return 0;
	return gate_error("cannot read '%s': %s", path, strerror(errno));
}

/* Written aside and renamed in, so git never runs half a script. */
static int write_script(const char *path, const struct strbuf *text)
{
	if (strbuf_write_file(text, path))
		return -1;
	if (chmod(path, 0755))
		return gate_error("cannot make '%s' executable: %s", path,
				  strerror(errno));
	return 0;
}

/*
 * Keeps the foreign hook at path as chained. A hard link leaves path in
 * place until ours replaces it, so a crash in between loses nothing; on a
 * file system without hard links a rename does the same job.
 */
static int chain_foreign(const char *path, const char *chained, bool force)
{
	struct strbuf old = STRBUF_INIT;
	struct stat st;
	int ret = -1, have = exists(chained, &st);

	if (have < 0)
		goto out;
	if (have && !force) {
		gate_error("'%s' is not mkt-gate's hook, and '%s' exists already",
			   path, chained);
		gate_error_hint("run 'mkt-gate install --force' to chain it anyway (the older chained hook is kept as '%s.old')",
				chained);
		goto out;
	}
	if (have && (strbuf_addf(&old, "%s.old", chained) ||
		     rename(chained, old.buf))) {
		gate_error("cannot move '%s' aside: %s", chained, strerror(errno));
		goto out;
	}
	if (link(path, chained) && rename(path, chained)) {
		gate_error("cannot keep '%s' as '%s': %s", path, chained,
			   strerror(errno));
		goto out;
	}
	ret = 0;
out:
	strbuf_dispose(&old);
	return ret;
}

static int hook_paths(struct strbuf *path, struct strbuf *chained,
		      const char *hooksdir, const char *name)
{
	if (!hook_name_known(name))
		return gate_error("unknown hook '%s'", name);
	if (strbuf_addf(path, "%s/%s", hooksdir, name) ||
	    strbuf_addf(chained, "%s%s", path->buf, HOOK_CHAINED_SUFFIX))
		return -1;
	return 0;
}

/* 1 when path is a regular file with our marker, 0 when not, -1 on error. */
static int is_ours(const char *path, const struct stat *st,
		   struct strbuf *content)
{
	if (!S_ISREG(st->st_mode))
		return 0;
	if (strbuf_read_file(content, path))
		return -1;
	return hook_script_is_ours(content->buf, content->len);
}

int hook_install_one(enum hook_action *act, const char *hooksdir,
		     const char *name, const char *self, bool force)
{
	struct strbuf path = STRBUF_INIT, chained = STRBUF_INIT;
	struct strbuf want = STRBUF_INIT, have = STRBUF_INIT;
	struct stat st;
	int ret = -1, found, ours = 0;

	if (hook_paths(&path, &chained, hooksdir, name) ||
	    hook_script_render(&want, name, self))
		goto out;
	if (mkdir(hooksdir, 0777) && errno != EEXIST) {
		gate_error("cannot create '%s': %s", hooksdir, strerror(errno));
		goto out;
	}
	found = exists(path.buf, &st);
	if (found > 0)
		ours = is_ours(path.buf, &st, &have);
	if (found < 0 || ours < 0)
		goto out;
	*act = !found ? HOOK_ACT_WRITTEN : ours ? HOOK_ACT_UPDATED : HOOK_ACT_CHAINED;
	if (ours && have.len == want.len && !memcmp(have.buf, want.buf, want.len) &&
	    (st.st_mode & 0111)) {
		*act = HOOK_ACT_NONE;
		ret = 0;
		goto out;
	}
	if (found && !ours && chain_foreign(path.buf, chained.buf, force))
		goto out;
	ret = write_script(path.buf, &want);
out:
	strbuf_dispose(&path);
	strbuf_dispose(&chained);
	strbuf_dispose(&want);
	strbuf_dispose(&have);
	return ret;
}

int hook_uninstall_one(enum hook_action *act, const char *hooksdir,
		       const char *name)
{
	struct strbuf path = STRBUF_INIT, chained = STRBUF_INIT;
	struct strbuf have = STRBUF_INIT;
	struct stat st;
	int ret = -1, found, ours = 0, kept;

	if (hook_paths(&path, &chained, hooksdir, name))
		goto out;
	found = exists(path.buf, &st);
	if (found > 0)
		ours = is_ours(path.buf, &st, &have);
	kept = exists(chained.buf, &st);
	if (found < 0 || ours < 0 || kept < 0)
		goto out;
	ret = 0;
	*act = HOOK_ACT_NONE;
	if (found && !ours) {
		*act = HOOK_ACT_FOREIGN;
	} else if (kept) {
		*act = HOOK_ACT_RESTORED;
		if (rename(chained.buf, path.buf))
			ret = gate_error("cannot restore '%s': %s", path.buf,
					 strerror(errno));
	} else if (found) {
		*act = HOOK_ACT_REMOVED;
		if (unlink(path.buf))
			ret = gate_error("cannot remove '%s': %s", path.buf,
					 strerror(errno));
	}
out:
	strbuf_dispose(&path);
	strbuf_dispose(&chained);
	strbuf_dispose(&have);
	return ret;
}
