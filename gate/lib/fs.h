/* fs.h: the few file-system steps everything shares: mkdir -p, rm -rf,
 * copying a file, writing one with its folders, the user's cache folder. */
#ifndef GATE_FS_H
#define GATE_FS_H

#include "strbuf.h"

#include <stdbool.h>

/* mkdir -p path; and of the folder that holds path. */
int gate_mkdirs(const char *path);
int gate_mkdirs_parent(const char *path);

/* rm -rf path; refuses "/" and relative paths (a GATE_BUG). */
int gate_remove_tree(const char *path);

/* Whether dir/name exists (a link counts, whatever it points at or not). */
bool gate_exists_in(const char *dir, const char *name);

/* Copies from's bytes to to (created or truncated). */
int gate_copy_file(const char *from, const char *to);

/* Writes sb to path, creating the folders that hold it first. */
int gate_write_file_mkdirs(const struct strbuf *sb, const char *path);

/* The user's cache directory for mkt-gate ($XDG_CACHE_HOME/mkt-gate). */
int gate_cache_root(struct strbuf *out);

#endif
