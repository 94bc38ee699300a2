/* scratch.c: the scratch tree of scratch.h: open, lock, sync, recover.
 * Writes blobs from the object database; never runs a git checkout. */
#include "scratch.h"
#include "diff.h"
#include "error.h"
#include "fs.h"
#include "hash.h"
#include "interrupt.h"
#include "strbuf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define SCRATCH_SLOTS 8

static int take_slot(struct gate_scratch *s, const char *base)
{
	struct strbuf lock = STRBUF_INIT;

	for (int slot = 0; slot < SCRATCH_SLOTS; slot++) {
		strbuf_reset(&lock);
		strbuf_addf(&lock, "%s/slot-%d", base, slot);
		if (gate_mkdirs(lock.buf))
			break;
		s->dir = strdup(lock.buf);
		strbuf_addstr(&lock, "/lock");
		s->lock_fd = open(lock.buf, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
		if (s->lock_fd >= 0 && !flock(s->lock_fd, LOCK_EX | LOCK_NB)) {
			strbuf_dispose(&lock);
			return 0;
		}
		if (s->lock_fd >= 0)
			close(s->lock_fd);
		s->lock_fd = -1;
		free(s->dir);
		s->dir = NULL;
	}
	strbuf_dispose(&lock);
	return gate_error("all %d scratch slots under '%s' are busy", SCRATCH_SLOTS, base);
}

static int read_state(struct gate_scratch *s)
{
	struct strbuf path = STRBUF_INIT, st = STRBUF_INIT;

	strbuf_addf(&path, "%s/state", s->dir);
	s->has_tree = false;
	if (!strbuf_read_file(&st, path.buf) && str_starts_with(st.buf, "clean ") &&
	    !git_oid_fromstrn(&s->tree, st.buf + 6, GIT_OID_HEXSZ))
		s->has_tree = true;
	gate_error_clear();
	strbuf_dispose(&path);
	strbuf_dispose(&st);
	return 0;
}

static int write_state(struct gate_scratch *s, const git_oid *tree)
{
	struct strbuf path = STRBUF_INIT, st = STRBUF_INIT;
	char hex[GIT_OID_HEXSZ + 1];
	int ret;

	strbuf_addf(&path, "%s/state", s->dir);
	if (tree)
		strbuf_addf(&st, "clean %s\n", gate_oid_hex(tree, hex));
	else
		strbuf_addstr(&st, "dirty\n");
	ret = strbuf_write_file(&st, path.buf);
	strbuf_dispose(&path);
	strbuf_dispose(&st);
	return ret;
}

/*
 * Tools name what they build by its canonical path (kbuild's srctree is a
 * realpath), so a build dir given through a symlink or a '..' must not
 * leave another spelling anywhere that paths are compared.
 */
static int canonical(char **dir)
{
	char *real = realpath(*dir, NULL);

	if (!real)
		return gate_error("cannot resolve '%s': %s", *dir, strerror(errno));
	free(*dir);
	*dir = real;
	return 0;
}

int gate_scratch_open(struct gate_scratch *s, const struct gate_repo *repo,
		      const char *cache_root)
{
	struct strbuf base = STRBUF_INIT;
	const char *name = repo->top ? repo->top : repo->commondir;
	const char *slash = strrchr(name, '/');
	int ret = -1;

	memset(s, 0, sizeof(*s));
	s->lock_fd = -1;
	if (cache_root)
		strbuf_addstr(&base, cache_root);
	else if (gate_cache_root(&base))
		goto out;
	strbuf_addf(&base, "/%s-%012llx", slash ? slash + 1 : name,
		    gate_fnv1a(GATE_FNV1A_INIT, repo->commondir) & 0xffffffffffffULL);
	if (take_slot(s, base.buf) || canonical(&s->dir))
		goto out;
	if (asprintf(&s->src, "%s/src", s->dir) < 0 ||
	    asprintf(&s->build, "%s/build", s->dir) < 0) {
		gate_error("out of memory");
		goto out;
	}
	ret = read_state(s);
out:
	strbuf_dispose(&base);
	if (ret)
		gate_scratch_close(s);
	return ret;
}

void gate_scratch_close(struct gate_scratch *s)
{
	if (s->lock_fd >= 0)
		close(s->lock_fd);
	free(s->dir);
	free(s->src);
	free(s->build);
	memset(s, 0, sizeof(*s));
	s->lock_fd = -1;
}

static int write_blob(git_repository *git, const char *src, const char *path,
		      const git_oid *id, git_filemode_t mode)
{
	struct strbuf full = STRBUF_INIT, data = STRBUF_INIT;
	git_blob *blob = NULL;
	char *slash;
	int ret = -1;

	strbuf_addf(&full, "%s/%s", src, path);
	slash = strrchr(full.buf, '/');
	*slash = '\0';
	if (gate_mkdirs(full.buf))
		goto out;
	*slash = '/';
	unlink(full.buf);
	if (git_blob_lookup(&blob, git, id)) {
		gate_git_error("cannot read a blob");
		goto out;
	}
	if (mode == GIT_FILEMODE_LINK) {
		strbuf_add(&data, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob));
		if (symlink(data.buf, full.buf))
			gate_error("cannot create '%s': %s", full.buf, strerror(errno));
		else
			ret = 0;
		goto out;
	}
	strbuf_add(&data, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob));
	ret = strbuf_write_file(&data, full.buf);
	if (!ret && mode == GIT_FILEMODE_BLOB_EXECUTABLE)
		chmod(full.buf, 0755);
out:
	git_blob_free(blob);
	strbuf_dispose(&full);
	strbuf_dispose(&data);
	return ret;
}

struct export_ctx {
	git_repository *git;
	const char *src;
	int err;
};

static int export_entry(const char *root, const git_tree_entry *e, void *data)
{
	struct export_ctx *x = data;
	struct strbuf path = STRBUF_INIT;
	git_filemode_t mode = git_tree_entry_filemode(e);

	if (mode == GIT_FILEMODE_TREE || mode == GIT_FILEMODE_COMMIT)
		return 0;
	if (gate_interrupted()) {	/* the state stays "dirty": rebuilt next time */
		x->err = gate_error("interrupted");
		return -1;
	}
	strbuf_addf(&path, "%s%s", root, git_tree_entry_name(e));
	x->err = write_blob(x->git, x->src, path.buf, git_tree_entry_id(e), mode);
	strbuf_dispose(&path);
	return x->err ? -1 : 0;
}

static int full_export(struct gate_scratch *s, git_repository *git,
		       git_tree *tree, struct strvec *changed)
{
	struct export_ctx x = { git, s->src, 0 };

	if (gate_remove_tree(s->src) || gate_mkdirs(s->src))
		return -1;
	if (git_tree_walk(tree, GIT_TREEWALK_PRE, export_entry, &x))
		return x.err ? -1 : gate_git_error("cannot walk the tree");
	if (changed)
		strvec_push(changed, "*");
	return 0;
}

static int apply_delta(struct gate_scratch *s, git_repository *git,
		       git_tree *tree, const struct gate_delta *d)
{
	struct strbuf full = STRBUF_INIT;
	git_tree_entry *e = NULL;
	int ret = 0;

	if (d->old_path && (d->status == 'D' || d->status == 'R')) {
		strbuf_addf(&full, "%s/%s", s->src, d->old_path);
		if (unlink(full.buf) && errno != ENOENT)
			ret = gate_error("cannot remove '%s': %s", full.buf, strerror(errno));
	}
	if (!ret && d->new_path) {
		if (git_tree_entry_bypath(&e, tree, d->new_path))
			return gate_git_error("cannot find a changed file");
		if (git_tree_entry_filemode(e) != GIT_FILEMODE_COMMIT)
			ret = write_blob(git, s->src, d->new_path,
					 git_tree_entry_id(e), git_tree_entry_filemode(e));
		git_tree_entry_free(e);
	}
	strbuf_dispose(&full);
	return ret;
}

static int apply_diff(struct gate_scratch *s, git_repository *git,
		      git_tree *from, git_tree *to, struct strvec *changed)
{
	struct gate_diff d;
	int ret = 0;

	if (gate_diff_trees(&d, git, from, to, 0))
		return -1;
	for (size_t i = 0; i < d.nr && !ret; i++) {
		ret = apply_delta(s, git, to, &d.v[i]);
		if (!ret && changed && d.v[i].old_path)
			strvec_push(changed, d.v[i].old_path);
		if (!ret && changed && d.v[i].new_path && d.v[i].status != 'M')
			strvec_push(changed, d.v[i].new_path);
	}
	gate_diff_dispose(&d);
	return ret;
}

int gate_scratch_sync(struct gate_scratch *s, git_repository *git,
		      const git_oid *tree_id, struct strvec *changed)
{
	git_tree *from = NULL, *to = NULL;
	int ret = -1;

	if (s->has_tree && git_oid_equal(&s->tree, tree_id))
		return 0;
	if (git_tree_lookup(&to, git, tree_id))
		return gate_git_error("cannot read the tree to check out");
	if (s->has_tree && git_tree_lookup(&from, git, &s->tree))
		s->has_tree = false;	/* gc'ed since: start over */
	if (write_state(s, NULL))
		goto out;
	s->has_tree = false;
	if (from)
		ret = apply_diff(s, git, from, to, changed);
	else
		ret = full_export(s, git, to, changed);
	if (ret || write_state(s, tree_id)) {
		ret = -1;
		goto out;
	}
	git_oid_cpy(&s->tree, tree_id);
	s->has_tree = true;
out:
	git_tree_free(from);
	git_tree_free(to);
	return ret;
}
