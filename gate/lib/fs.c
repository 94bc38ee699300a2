/* fs.c: mkdir -p, rm -rf, copy and write-with-folders of fs.h.
 * Every failure is recorded in the error slot with the path it was about. */
#include "fs.h"
#include "error.h"

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* mkdir -p of the first len bytes of path. */
static int mkdirs_n(const char *path, size_t len)
{
	char *p = strndup(path, len);
	int ret = 0;

	if (!p)
		return gate_error("out of memory");
	for (char *s = p + 1; *s && !ret; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0777) && errno != EEXIST)
			ret = gate_error("cannot create '%s': %s", p, strerror(errno));
		*s = '/';
	}
	if (!ret && *p && mkdir(p, 0777) && errno != EEXIST)
		ret = gate_error("cannot create '%s': %s", p, strerror(errno));
	free(p);
	return ret;
}

int gate_mkdirs(const char *path)
{
	return mkdirs_n(path, strlen(path));
}

int gate_mkdirs_parent(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash && slash != path ? mkdirs_n(path, slash - path) : 0;
}

static int rm_one(const char *path, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	return remove(path) ? -1 : 0;
}

int gate_remove_tree(const char *path)
{
	struct stat st;

	if (path[0] != '/' || !strcmp(path, "/"))
		GATE_BUG("refusing to remove a relative path or /");
	/* lstat: a dangling symlink is there too, and must go. */
	if (lstat(path, &st))
		return 0;
	if (nftw(path, rm_one, 32, FTW_DEPTH | FTW_PHYS))
		return gate_error("cannot remove '%s': %s", path, strerror(errno));
	return 0;
}

bool gate_exists_in(const char *dir, const char *name)
{
	struct strbuf p = STRBUF_INIT;
	bool ok = !strbuf_addf(&p, "%s/%s", dir, name) && !access(p.buf, F_OK);

	strbuf_dispose(&p);
	return ok;
}

int gate_copy_file(const char *from, const char *to)
{
	struct strbuf sb = STRBUF_INIT;
	int ret = strbuf_read_file(&sb, from);

	if (ret)
		gate_error("cannot read '%s'", from);
	else
		ret = strbuf_write_file(&sb, to);
	strbuf_dispose(&sb);
	return ret;
}

int gate_write_file_mkdirs(const struct strbuf *sb, const char *path)
{
	if (gate_mkdirs_parent(path))
		return -1;
	return strbuf_write_file(sb, path);
}

int gate_cache_root(struct strbuf *out)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");

	if (xdg && *xdg)
		return strbuf_addf(out, "%s/mkt-gate", xdg);
	if (home && *home)
		return strbuf_addf(out, "%s/.cache/mkt-gate", home);
	return gate_error("neither XDG_CACHE_HOME nor HOME is set");
}
