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
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define SCRATCH_SLOTS 8

/*
 * The first slot under base whose lock is free. Only a lock held by
 * another run makes a slot busy; a base that cannot hold slots (a file, a
 * read-only folder) is said as such.
 */
static int take_slot(struct gate_scratch *s, const char *base)
{
	struct strbuf lock = STRBUF_INIT;
	int ret = -1;

	s->lock_fd = -1;
	for (int slot = 0; slot < SCRATCH_SLOTS; slot++) {
		strbuf_reset(&lock);
		strbuf_addf(&lock, "%s/slot-%d", base, slot);
		if (gate_mkdirs(lock.buf))
			goto out;
		strbuf_addstr(&lock, "/lock");
		s->lock_fd = open(lock.buf, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
		if (s->lock_fd < 0) {
			gate_error("cannot create '%s': %s", lock.buf, strerror(errno));
			goto out;
		}
		if (!flock(s->lock_fd, LOCK_EX | LOCK_NB)) {
			strbuf_setlen(&lock, lock.len - 5);
			s->dir = strbuf_detach(&lock, NULL);
			return 0;
		}
		if (errno != EWOULDBLOCK) {
			gate_error("cannot lock '%s': %s", lock.buf, strerror(errno));
			goto out;
		}
		close(s->lock_fd);
		s->lock_fd = -1;
	}
	strbuf_dispose(&lock);
	return gate_error("all %d scratch slots under '%s' are busy", SCRATCH_SLOTS, base);
out:
	if (s->lock_fd >= 0)
		close(s->lock_fd);
	s->lock_fd = -1;
	strbuf_dispose(&lock);
	gate_error_hint("scratch trees go under [defaults] build_dir (--build-dir) or the user's cache directory: a folder this user can write");
	return ret;
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

/*
 * The gated tree is untrusted: one holding a symlink 'd -> /elsewhere' and
 * a folder 'd/' (git fsck rejects it, a fetch does not) would have a plain
 * path write into /elsewhere. So every path is opened one component at a
 * time with O_NOFOLLOW, from the scratch tree down, and never holds "..".
 */
static bool safe_name(const char *name, size_t n)
{
	return n && n <= NAME_MAX && !(n == 1 && name[0] == '.') &&
	       !(n == 2 && name[0] == '.' && name[1] == '.');
}

/* Opens folder name in dir, never through a symlink; create replaces what is in the way. */
static int open_folder(int dir, const char *name, bool create)
{
	int fd = openat(dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (fd >= 0 || !create)
		return fd;
	/* A symlink or a file where the tree has a folder: the link goes, not its target. */
	if ((errno == ELOOP || errno == ENOTDIR) && unlinkat(dir, name, 0))
		return -1;
	if (mkdirat(dir, name, 0777) && errno != EEXIST)
		return -1;
	return openat(dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

/*
 * The folder that holds path (relative to src), as an fd, and its last
 * component in *leaf. Without create, a folder that is missing or not a
 * real folder gives -1 with errno ENOENT: there is nothing there of ours.
 */
static int open_parent(const char *src, const char *path, bool create,
		       const char **leaf)
{
	char name[NAME_MAX + 1];
	int dir = open(src, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	while (dir >= 0) {
		size_t n = strcspn(path, "/");
		int next;

		if (!safe_name(path, n)) {
			close(dir);
			errno = EINVAL;
			return -1;
		}
		if (!path[n]) {
			*leaf = path;
			return dir;
		}
		memcpy(name, path, n);
		name[n] = '\0';
		next = open_folder(dir, name, create);
		if (next < 0 && !create && (errno == ELOOP || errno == ENOTDIR))
			errno = ENOENT;
		close(dir);
		dir = next;
		path += n + 1;
	}
	return -1;
}

/* Makes room for leaf in dir: a file or link goes, and so does a folder. */
static int clear_leaf(int dir, const char *leaf, const char *src, const char *path)
{
	struct strbuf full = STRBUF_INIT;
	int ret = 0;

	if (!unlinkat(dir, leaf, 0) || errno == ENOENT)
		return 0;
	if (errno != EISDIR)
		return gate_error("cannot remove '%s/%s': %s", src, path, strerror(errno));
	/* Its parents are real folders (open_parent): rm -rf stays inside. */
	strbuf_addf(&full, "%s/%s", src, path);
	ret = gate_remove_tree(full.buf);
	strbuf_dispose(&full);
	return ret;
}

static int write_data(int dir, const char *leaf, const void *data, size_t len,
		      git_filemode_t mode)
{
	const char *p = data;
	int fd;

	if (mode == GIT_FILEMODE_LINK) {
		struct strbuf target = STRBUF_INIT;
		int ret = strbuf_add(&target, data, len) ? -1 : symlinkat(target.buf, dir, leaf);

		strbuf_dispose(&target);
		return ret;
	}
	fd = openat(dir, leaf, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
	if (fd < 0)
		return -1;
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		p += n;
		len -= (size_t)n;
	}
	if (len || (mode == GIT_FILEMODE_BLOB_EXECUTABLE && fchmod(fd, 0755))) {
		close(fd);
		return -1;
	}
	return close(fd);
}

static int write_blob(git_repository *git, const char *src, const char *path,
		      const git_oid *id, git_filemode_t mode)
{
	git_blob *blob = NULL;
	const char *leaf;
	int dir, ret = -1;

	if (git_blob_lookup(&blob, git, id))
		return gate_git_error("cannot read a blob");
	dir = open_parent(src, path, true, &leaf);
	if (dir < 0) {
		gate_error("cannot write '%s' in the scratch tree: %s", path,
			   errno == EINVAL ? "not a safe path" : strerror(errno));
		goto out;
	}
	if (clear_leaf(dir, leaf, src, path))
		goto out;
	if (write_data(dir, leaf, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob),
		       mode))
		gate_error("cannot write '%s/%s': %s", src, path, strerror(errno));
	else
		ret = 0;
out:
	if (dir >= 0)
		close(dir);
	git_blob_free(blob);
	return ret;
}

/* Removes path from the scratch tree, never through a symlink. */
static int remove_path(const char *src, const char *path)
{
	const char *leaf;
	int dir = open_parent(src, path, false, &leaf), ret = 0;

	if (dir < 0)
		return errno == ENOENT ? 0 : gate_error("cannot remove '%s': %s", path,
							 strerror(errno));
	/* A folder in its place holds other files of the tree: it stays. */
	if (unlinkat(dir, leaf, 0) && errno != ENOENT && errno != EISDIR)
		ret = gate_error("cannot remove '%s/%s': %s", src, path, strerror(errno));
	close(dir);
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
		       git_tree *tree, const struct gate_change *d)
{
	git_tree_entry *e = NULL;
	int ret = 0;

	if (d->old_path && (d->status == 'D' || d->status == 'R'))
		ret = remove_path(s->src, d->old_path);
	if (!ret && d->new_path) {
		if (git_tree_entry_bypath(&e, tree, d->new_path))
			return gate_git_error("cannot find a changed file");
		if (git_tree_entry_filemode(e) != GIT_FILEMODE_COMMIT)
			ret = write_blob(git, s->src, d->new_path,
					 git_tree_entry_id(e), git_tree_entry_filemode(e));
		git_tree_entry_free(e);
	}
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
	struct stat st;
	int ret = -1;

	/* Something put a link or a file where the tree was: start over, not fail forever. */
	if (s->has_tree && (lstat(s->src, &st) || !S_ISDIR(st.st_mode)))
		s->has_tree = false;
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
