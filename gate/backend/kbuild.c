/* kbuild.c: the kbuild object database, touched-object mapping and make command lines.
 * Reads build and source trees and runs make through proc; never prints or exits. */
#include "kbuild.h"
#include "kbuild_replay.h"
#include "alloc.h"
#include "error.h"
#include "engine.h"
#include "hash.h"
#include "repo.h"
#include "proc.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * A string-keyed open-addressing hash table of indices. Keys are borrowed
 * from the object and file tables, whose strings never move.
 */
struct kb_slot {
	const char *key;
	uint32_t val;
};

struct kb_map {
	struct kb_slot *slots;
	size_t mask;
	size_t used;
};

/* Indices of the objects that depend on one file. */
struct kb_ids {
	uint32_t *v;
	size_t nr, alloc;
};

/* What a .cmd file was when it was parsed: its saved parse holds while it is so. */
struct kb_stamp {
	int64_t sec, nsec, size;
	uint64_t ino;
};

/* Both tables keep the name first: see kb_intern(). */
struct kb_obj {
	char *name;
	char *source;
	struct kb_ids deps;
	bool alive;
	struct kb_stamp stamp;
};

struct kb_file {
	char *path;
	struct kb_ids users;
};

struct kbuild_db {
	char *src_dir, *src_real;
	char *build_dir, *build_real;
	struct kb_obj *objs;
	size_t nr_objs, alloc_objs, alive;
	struct kb_file *files;
	size_t nr_files, alloc_files;
	struct kb_map obj_map, file_map;
	/* deps entries as spelled in .cmd files, mapped to a file or KB_NONE */
	struct kb_map dep_map;
	struct strvec dep_keys;
	bool dirty;		/* parsed since the saved parse was written */
};

#define KB_NONE UINT32_MAX

static struct kb_slot *kb_map_slot(const struct kb_map *m, const char *key)
{
	size_t i = gate_table_hash(key) & m->mask;

	while (m->slots[i].key && strcmp(m->slots[i].key, key))
		i = (i + 1) & m->mask;
	return &m->slots[i];
}

static bool kb_map_get(const struct kb_map *m, const char *key, uint32_t *val)
{
	struct kb_slot *s;

	if (!m->slots)
		return false;
	s = kb_map_slot(m, key);
	if (!s->key)
		return false;
	*val = s->val;
	return true;
}

static int kb_map_grow(struct kb_map *m)
{
	struct kb_map bigger = { NULL, m->mask ? m->mask * 2 + 1 : 1023, 0 };
	size_t i;

	bigger.slots = calloc(bigger.mask + 1, sizeof(*bigger.slots));
	if (!bigger.slots)
		return gate_error("out of memory");
	for (i = 0; m->slots && i <= m->mask; i++)
		if (m->slots[i].key)
			*kb_map_slot(&bigger, m->slots[i].key) = m->slots[i];
	bigger.used = m->used;
	free(m->slots);
	*m = bigger;
	return 0;
}

/* key must not be in the map yet. */
static int kb_map_put(struct kb_map *m, const char *key, uint32_t val)
{
	struct kb_slot *s;

	if ((m->used + 1) * 2 > m->mask + 1 && kb_map_grow(m))
		return -1;
	s = kb_map_slot(m, key);
	s->key = key;
	s->val = val;
	m->used++;
	return 0;
}

static int kb_ids_add(struct kb_ids *ids, uint32_t id)
{
	if (ALLOC_GROW(ids->v, ids->nr + 1, ids->alloc))
		return -1;
	ids->v[ids->nr++] = id;
	return 0;
}

static void kb_ids_remove(struct kb_ids *ids, uint32_t id)
{
	size_t i;

	for (i = 0; i < ids->nr; i++) {
		if (ids->v[i] == id) {
			ids->v[i] = ids->v[--ids->nr];
			return;
		}
	}
}

/*
 * Finds key in a table whose items start with their name (a char *), or
 * appends a zeroed item of that name.
 */
static int kb_intern(struct kb_map *map, void **items, size_t *nr,
		     size_t *alloc, size_t size, const char *key, uint32_t *id)
{
	char **name;

	if (kb_map_get(map, key, id))
		return 0;
	if (gate_alloc_grow(items, size, *nr + 1, alloc))
		return -1;
	name = (char **)((char *)*items + *nr * size);
	memset(name, 0, size);
	*name = strdup(key);
	if (!*name)
		return gate_error("out of memory");
	if (kb_map_put(map, *name, *nr)) {
		free(*name);
		*name = NULL;
		return -1;
	}
	*id = (*nr)++;
	return 0;
}

static int kb_file_id(struct kbuild_db *db, const char *path, uint32_t *id)
{
	return kb_intern(&db->file_map, (void **)&db->files, &db->nr_files,
			 &db->alloc_files, sizeof(*db->files), path, id);
}

static int kb_obj_id(struct kbuild_db *db, const char *name, uint32_t *id)
{
	return kb_intern(&db->obj_map, (void **)&db->objs, &db->nr_objs,
			 &db->alloc_objs, sizeof(*db->objs), name, id);
}

/* Resolves "." and ".." in an absolute path, without touching the disk. */
static void kb_normalize(struct strbuf *sb)
{
	char *in = sb->buf, *out = sb->buf;

	while (*in) {
		while (*in == '/')
			in++;
		if (!*in)
			break;
		if (in[0] == '.' && (in[1] == '/' || !in[1])) {
			in++;
			continue;
		}
		if (in[0] == '.' && in[1] == '.' && (in[2] == '/' || !in[2])) {
			in += 2;
			while (out > sb->buf && *--out != '/')
				;
			continue;
		}
		*out++ = '/';
		while (*in && *in != '/')
			*out++ = *in++;
	}
	if (out == sb->buf)
		*out++ = '/';
	strbuf_setlen(sb, out - sb->buf);
}

static const char *kb_under(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	if (strncmp(path, dir, n) || path[n] != '/')
		return NULL;
	return path + n + 1;
}

static bool kb_in_build(const struct kbuild_db *db, const char *path)
{
	return kb_under(path, db->build_real) || kb_under(path, db->build_dir);
}

static const char *kb_in_src(const struct kbuild_db *db, const char *path)
{
	const char *rel = kb_under(path, db->src_real);

	return rel ? rel : kb_under(path, db->src_dir);
}

/* Replaces path by its realpath when it exists; a system header stays as it is. */
static int kb_realpath(struct strbuf *path)
{
	char *real = realpath(path->buf, NULL);
	int ret = 0;

	if (real) {
		strbuf_reset(path);
		ret = strbuf_addstr(path, real);
	}
	free(real);
	return ret;
}

/*
 * Turns one deps entry into the name the db records: a path relative to
 * the source tree or a CONFIG_ symbol. Returns 1 when recorded, 0 when
 * the entry lies outside the source tree (or inside the build tree).
 */
static int kb_dep_name(const struct kbuild_db *db, const char *dep,
		       struct strbuf *out)
{
	static const char wild[] = "$(wildcard include/config/";
	const char *rel;

	strbuf_reset(out);
	if (str_starts_with(dep, wild)) {
		dep += sizeof(wild) - 1;
		if (strbuf_addstr(out, "CONFIG_") ||
		    strbuf_add(out, dep, strcspn(dep, ")")))
			return -1;
		return 1;
	}
	if (*dep != '/' && strbuf_addf(out, "%s/", db->build_real))
		return -1;
	if (strbuf_addstr(out, dep))
		return -1;
	kb_normalize(out);
	if (kb_in_build(db, out->buf))
		return 0;
	rel = kb_in_src(db, out->buf);
	/* The tree spelt another way: a build made through a symlink. */
	if (!rel && kb_realpath(out))
		return -1;
	if (!rel && kb_in_build(db, out->buf))
		return 0;
	if (!rel)
		rel = kb_in_src(db, out->buf);
	if (!rel)
		return 0;
	memmove(out->buf, rel, strlen(rel) + 1);
	strbuf_setlen(out, strlen(out->buf));
	return 1;
}

/* The file a raw deps entry names, or KB_NONE; cached by its spelling. */
static int kb_dep_file(struct kbuild_db *db, const char *dep,
		       struct strbuf *tmp, uint32_t *fid)
{
	int ret;

	if (kb_map_get(&db->dep_map, dep, fid))
		return 0;
	ret = kb_dep_name(db, dep, tmp);
	if (ret < 0)
		return -1;
	*fid = KB_NONE;
	if (ret && kb_file_id(db, tmp->buf, fid))
		return -1;
	if (strvec_push(&db->dep_keys, dep))
		return -1;
	return kb_map_put(&db->dep_map, db->dep_keys.v[db->dep_keys.nr - 1], *fid);
}

/* Records that object oid reads file fid, in both directions. */
static int kb_link(struct kbuild_db *db, uint32_t oid, uint32_t fid)
{
	struct kb_file *f = &db->files[fid];

	/* Each object is read in one go, so a repeat is the last user. */
	if (f->users.nr && f->users.v[f->users.nr - 1] == oid)
		return 0;
	return kb_ids_add(&f->users, oid) || kb_ids_add(&db->objs[oid].deps, fid) ? -1 : 0;
}

static int kb_add_dep(struct kbuild_db *db, uint32_t oid, const char *dep,
		      struct strbuf *tmp, uint32_t *out)
{
	uint32_t fid = KB_NONE;

	if (kb_dep_file(db, dep, tmp, &fid))
		return -1;
	if (out)
		*out = fid;
	return fid == KB_NONE ? 0 : kb_link(db, oid, fid);
}

static char *kb_trim(char *s)
{
	char *end;

	while (*s == ' ' || *s == '\t')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' ||
			   end[-1] == '\\' || end[-1] == '\r'))
		*--end = '\0';
	return s;
}

/* Adds the entries of one line of a deps_ list, which may hold several. */
static int kb_add_deps_line(struct kbuild_db *db, uint32_t oid, char *line,
			    struct strbuf *tmp)
{
	char *p = kb_trim(line), *end;
	char save;

	while (*p) {
		if (str_starts_with(p, "$(wildcard "))
			end = p + strcspn(p, ")") + (strchr(p, ')') ? 1 : 0);
		else
			end = p + strcspn(p, " \t");
		save = *end;
		*end = '\0';
		if (kb_add_dep(db, oid, p, tmp, NULL))
			return -1;
		*end = save;
		p = end + strspn(end, " \t");
	}
	return 0;
}

/* A source generated in the build directory has no name in the source tree. */
static int kb_set_source(struct kbuild_db *db, uint32_t oid, const char *src,
			 struct strbuf *tmp)
{
	struct kb_obj *o = &db->objs[oid];
	uint32_t fid = KB_NONE;

	if (kb_add_dep(db, oid, src, tmp, &fid))
		return -1;
	free(o->source);
	o->source = NULL;
	if (fid == KB_NONE)
		return 0;
	o->source = strdup(db->files[fid].path);
	return o->source ? 0 : gate_error("out of memory");
}

/* Parses the source_ line and the deps_ list of one .cmd file. */
static int kb_parse_cmd(struct kbuild_db *db, uint32_t oid, char *text)
{
	struct strbuf tmp = STRBUF_INIT;
	bool in_deps = false, more;
	char *line, *next, *val;
	int ret = -1;

	for (line = text; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		more = str_ends_with(line, "\\");
		val = strstr(line, ":=");
		if (in_deps) {
			if (kb_add_deps_line(db, oid, line, &tmp))
				goto out;
			in_deps = more;
		} else if (str_starts_with(line, "source_") && val) {
			if (kb_set_source(db, oid, kb_trim(val + 2), &tmp))
				goto out;
		} else if (str_starts_with(line, "deps_") && val) {
			if (kb_add_deps_line(db, oid, val + 2, &tmp))
				goto out;
			in_deps = more;
		}
	}
	ret = 0;
out:
	strbuf_dispose(&tmp);
	return ret;
}

static void kb_obj_forget(struct kbuild_db *db, uint32_t oid)
{
	struct kb_obj *o = &db->objs[oid];
	size_t i;

	for (i = 0; i < o->deps.nr; i++)
		kb_ids_remove(&db->files[o->deps.v[i]].users, oid);
	o->deps.nr = 0;
	free(o->source);
	o->source = NULL;
	if (o->alive)
		db->alive--;
	o->alive = false;
}

static struct kb_stamp kb_stamp_of(const struct stat *st)
{
	return (struct kb_stamp){ st->st_mtim.tv_sec, st->st_mtim.tv_nsec, st->st_size,
				  st->st_ino };
}

struct kb_snap;
static int kb_snap_restore(struct kbuild_db *db, struct kb_snap *snap, const char *obj,
			   const struct kb_stamp *stamp);

/*
 * (Re)reads the .cmd file of obj, or takes its parse from snap (may be
 * NULL) when the file is as it was then. One without a source_ line (a
 * linked composite object) or that does not exist leaves the object unknown.
 */
static int kb_read_obj(struct kbuild_db *db, const char *obj, const char *cmd,
		       struct kb_snap *snap)
{
	struct strbuf text = STRBUF_INIT;
	struct kb_stamp stamp = { 0, 0, 0, 0 };
	struct kb_obj *o;
	struct stat st;
	uint32_t oid = 0;
	int ret = -1;

	/* A .cmd file that went away leaves text empty: the object is gone. */
	if (!stat(cmd, &st)) {
		stamp = kb_stamp_of(&st);
		ret = snap ? kb_snap_restore(db, snap, obj, &stamp) : 0;
		if (ret)
			return ret < 0 ? -1 : 0;
		ret = -1;
		if (strbuf_read_file(&text, cmd))
			goto out;
	} else if (errno != ENOENT) {
		gate_error("cannot read '%s': %s", cmd, strerror(errno));
		goto out;
	}
	db->dirty = true;
	if (!strstr(text.buf, "\nsource_") && !str_starts_with(text.buf, "source_")) {
		if (kb_map_get(&db->obj_map, obj, &oid))
			kb_obj_forget(db, oid);
		ret = 0;
		goto out;
	}
	if (kb_obj_id(db, obj, &oid))
		goto out;
	kb_obj_forget(db, oid);
	if (kb_parse_cmd(db, oid, text.buf))
		goto out;
	o = &db->objs[oid];
	o->alive = true;
	o->stamp = stamp;
	db->alive++;
	ret = 0;
out:
	strbuf_dispose(&text);
	return ret;
}

/*
 * The saved parse of a build directory's .cmd files (.mkt-gate-db in it):
 * a defconfig build has 280 MB of them, half a second to read and parse
 * again on every run though few change between runs. Each object's entry
 * holds the stamp of its .cmd file; a file whose stamp differs is parsed
 * again. Binary, for this machine only; anything unexpected in it (another
 * version, a truncated write) makes it ignored, never trusted.
 */
#define KB_SNAP_MAGIC "mkt-gate kbuild db 1\n"
#define KB_SNAP_NAME ".mkt-gate-db"
#define KB_UNSET (UINT32_MAX - 1)

struct kb_snap {
	struct strbuf buf;
	const char **files;	/* its file table, into buf */
	uint32_t *fid;		/* each file's id in the db, KB_UNSET until needed */
	size_t nr_files;
	struct kb_map objs;	/* object name -> offset of its entry in buf */
	size_t restored, nr_objs;
};

static int kb_put(struct strbuf *sb, const void *p, size_t n)
{
	return strbuf_add(sb, p, n);
}

static int kb_put_str(struct strbuf *sb, const char *s)
{
	return kb_put(sb, s ? s : "", strlen(s ? s : "") + 1);
}

static int kb_put_obj(struct strbuf *sb, const struct kb_obj *o)
{
	uint32_t n = (uint32_t)o->deps.nr;

	return kb_put_str(sb, o->name) || kb_put_str(sb, o->source) ||
	       kb_put(sb, &o->stamp, sizeof(o->stamp)) || kb_put(sb, &n, sizeof(n)) ||
	       kb_put(sb, o->deps.v, n * sizeof(*o->deps.v));
}

static int kb_snap_path(const struct kbuild_db *db, struct strbuf *path)
{
	return strbuf_addf(path, "%s/%s", db->build_real, KB_SNAP_NAME);
}

int kbuild_db_save(struct kbuild_db *db)
{
	struct strbuf sb = STRBUF_INIT, path = STRBUF_INIT, tmp = STRBUF_INIT;
	uint32_t n;
	int ret;

	if (!db || !db->dirty)
		return 0;
	ret = strbuf_addstr(&sb, KB_SNAP_MAGIC) || kb_put_str(&sb, db->src_real) ||
	      kb_put_str(&sb, db->build_real);
	n = (uint32_t)db->nr_files;
	ret = ret || kb_put(&sb, &n, sizeof(n));
	for (size_t i = 0; !ret && i < db->nr_files; i++)
		ret = kb_put_str(&sb, db->files[i].path);
	n = (uint32_t)db->alive;
	ret = ret || kb_put(&sb, &n, sizeof(n));
	for (size_t i = 0; !ret && i < db->nr_objs; i++)
		if (db->objs[i].alive)
			ret = kb_put_obj(&sb, &db->objs[i]);
	/* written whole, then renamed: a reader never sees half of it */
	ret = ret || kb_snap_path(db, &path) || strbuf_addf(&tmp, "%s.tmp", path.buf) ||
	      strbuf_write_file(&sb, tmp.buf);
	if (!ret && rename(tmp.buf, path.buf))
		ret = gate_error("cannot write '%s': %s", path.buf, strerror(errno));
	if (!ret)
		db->dirty = false;
	strbuf_dispose(&sb);
	strbuf_dispose(&path);
	strbuf_dispose(&tmp);
	return ret ? -1 : 0;
}

/* Reads n bytes at *at of buf into p; false past its end. */
static bool kb_get(const struct strbuf *buf, size_t *at, void *p, size_t n)
{
	if (buf->len - *at < n)
		return false;
	memcpy(p, buf->buf + *at, n);
	*at += n;
	return true;
}

static const char *kb_get_str(const struct strbuf *buf, size_t *at)
{
	const char *s = buf->buf + *at, *nul = memchr(s, '\0', buf->len - *at);

	if (!nul)
		return NULL;
	*at += (size_t)(nul - s) + 1;
	return s;
}

/* Skips one object's entry at *at; false when it does not fit. */
static bool kb_skip_obj(const struct kb_snap *snap, size_t *at, const char **name)
{
	struct kb_stamp st;
	uint32_t n;

	*name = kb_get_str(&snap->buf, at);
	if (!*name || !kb_get_str(&snap->buf, at) || !kb_get(&snap->buf, at, &st, sizeof(st)) ||
	    !kb_get(&snap->buf, at, &n, sizeof(n)) || (snap->buf.len - *at) / 4 < n)
		return false;
	*at += (size_t)n * 4;
	return true;
}

static void kb_snap_dispose(struct kb_snap *snap)
{
	strbuf_dispose(&snap->buf);
	free(snap->files);
	free(snap->fid);
	free(snap->objs.slots);
	memset(snap, 0, sizeof(*snap));
}

static bool kb_snap_index(struct kb_snap *snap, size_t at)
{
	uint32_t n;

	if (!kb_get(&snap->buf, &at, &n, sizeof(n)))
		return false;
	snap->files = calloc((size_t)n + 1, sizeof(*snap->files));
	snap->fid = calloc((size_t)n + 1, sizeof(*snap->fid));
	if (!snap->files || !snap->fid)
		return false;
	for (snap->nr_files = 0; snap->nr_files < n; snap->nr_files++) {
		snap->fid[snap->nr_files] = KB_UNSET;
		snap->files[snap->nr_files] = kb_get_str(&snap->buf, &at);
		if (!snap->files[snap->nr_files])
			return false;
	}
	if (!kb_get(&snap->buf, &at, &n, sizeof(n)))
		return false;
	for (snap->nr_objs = 0; snap->nr_objs < n; snap->nr_objs++) {
		size_t entry = at;
		const char *name;

		if (!kb_skip_obj(snap, &at, &name) ||
		    kb_map_put(&snap->objs, name, (uint32_t)entry))
			return false;
	}
	return at == snap->buf.len && snap->buf.len < UINT32_MAX;
}

/* The saved parse of db's build directory, if there is a sound one for it. */
static void kb_snap_load(struct kbuild_db *db, struct kb_snap *snap)
{
	struct strbuf path = STRBUF_INIT;
	size_t at = strlen(KB_SNAP_MAGIC);
	const char *src, *build;
	bool ok;

	memset(snap, 0, sizeof(*snap));
	strbuf_init(&snap->buf, 0);
	ok = !kb_snap_path(db, &path) && !strbuf_read_file(&snap->buf, path.buf) &&
	     snap->buf.len >= at && !memcmp(snap->buf.buf, KB_SNAP_MAGIC, at);
	src = ok ? kb_get_str(&snap->buf, &at) : NULL;
	build = src ? kb_get_str(&snap->buf, &at) : NULL;
	ok = build && !strcmp(src, db->src_real) && !strcmp(build, db->build_real) &&
	     kb_snap_index(snap, at);
	if (!ok)
		kb_snap_dispose(snap);
	gate_error_clear();
	strbuf_dispose(&path);
}

/* The entry's file idx as a file of db. */
static int kb_snap_file(struct kbuild_db *db, struct kb_snap *snap, uint32_t idx,
			uint32_t *fid)
{
	if (idx >= snap->nr_files)
		return 1;
	if (snap->fid[idx] == KB_UNSET && kb_file_id(db, snap->files[idx], &snap->fid[idx]))
		return -1;
	*fid = snap->fid[idx];
	return 0;
}

/*
 * Takes obj's parse from snap when its .cmd file's stamp is the saved one:
 * 1 when it did, 0 when the file must be parsed, -1 on error.
 */
static int kb_snap_restore(struct kbuild_db *db, struct kb_snap *snap, const char *obj,
			   const struct kb_stamp *stamp)
{
	const char *name, *source;
	struct kb_stamp saved;
	struct kb_obj *o;
	uint32_t at32, n, oid, fid;
	size_t at;

	if (!kb_map_get(&snap->objs, obj, &at32))
		return 0;
	at = at32;
	name = kb_get_str(&snap->buf, &at);
	source = kb_get_str(&snap->buf, &at);
	if (!name || !source || !kb_get(&snap->buf, &at, &saved, sizeof(saved)) ||
	    memcmp(&saved, stamp, sizeof(saved)) || !kb_get(&snap->buf, &at, &n, sizeof(n)))
		return 0;
	if (kb_obj_id(db, obj, &oid))
		return -1;
	kb_obj_forget(db, oid);
	for (uint32_t i = 0; i < n; i++) {
		uint32_t idx;
		int r;

		memcpy(&idx, snap->buf.buf + at + (size_t)i * 4, 4);
		r = kb_snap_file(db, snap, idx, &fid);
		if (r)
			return r < 0 ? -1 : 0;
		if (kb_link(db, oid, fid))
			return -1;
	}
	o = &db->objs[oid];
	o->source = *source ? strdup(source) : NULL;
	if (*source && !o->source)
		return gate_error("out of memory");
	o->alive = true;
	o->stamp = *stamp;
	db->alive++;
	snap->restored++;
	return 1;
}

/* ".fork.o.cmd" in "kernel" is kernel/fork.o; modpost's *.mod.o are not ours. */
static bool kb_cmd_object(const char *dir, const char *name, struct strbuf *obj)
{
	size_t n = strlen(name);

	if (name[0] != '.' || !str_ends_with(name, ".o.cmd") ||
	    str_ends_with(name, ".mod.o.cmd") || n < 8)
		return false;
	strbuf_reset(obj);
	if (*dir)
		strbuf_addf(obj, "%s/", dir);
	return !strbuf_add(obj, name + 1, n - 5);
}

static int kb_scan(struct kbuild_db *db, struct strbuf *path, const char *rel,
		   struct kb_snap *snap);

static int kb_scan_entry(struct kbuild_db *db, struct strbuf *path,
			 const char *rel, const struct dirent *de, struct kb_snap *snap)
{
	struct strbuf sub = STRBUF_INIT;
	size_t len = path->len;
	struct stat st;
	bool is_dir;
	int ret = -1;

	if (strbuf_addf(path, "/%s", de->d_name))
		goto out;
	is_dir = de->d_type == DT_DIR;
	if (de->d_type == DT_UNKNOWN && !lstat(path->buf, &st))
		is_dir = S_ISDIR(st.st_mode);
	if (is_dir) {
		/* tools/ is not kbuild; dot directories hold no objects. */
		if (de->d_name[0] == '.' || (!*rel && !strcmp(de->d_name, "tools")))
			ret = 0;
		else if (!strbuf_addf(&sub, "%s%s%s", rel, *rel ? "/" : "",
				      de->d_name))
			ret = kb_scan(db, path, sub.buf, snap);
	} else if (kb_cmd_object(rel, de->d_name, &sub)) {
		ret = kb_read_obj(db, sub.buf, path->buf, snap);
	} else {
		ret = 0;
	}
out:
	strbuf_setlen(path, len);
	strbuf_dispose(&sub);
	return ret;
}

static int kb_scan(struct kbuild_db *db, struct strbuf *path, const char *rel,
		   struct kb_snap *snap)
{
	struct dirent *de;
	DIR *d = opendir(path->buf);
	int ret = 0;

	if (!d)
		return gate_error("cannot read '%s': %s", path->buf, strerror(errno));
	while (!ret) {
		errno = 0;
		de = readdir(d);
		if (!de)
			break;
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			ret = kb_scan_entry(db, path, rel, de, snap);
	}
	if (!ret && errno)
		ret = gate_error("cannot read '%s': %s", path->buf, strerror(errno));
	closedir(d);
	return ret;
}

/* Both the given spelling and the real path: deps may use either. */
static int kb_dir_names(const char *dir, char **given, char **real)
{
	struct strbuf sb = STRBUF_INIT;

	*real = realpath(dir, NULL);
	if (!*real)
		return gate_error("cannot resolve '%s': %s", dir, strerror(errno));
	if (*dir != '/') {
		char cwd[PATH_MAX];

		if (!getcwd(cwd, sizeof(cwd)))
			return gate_error("cannot get the current directory");
		strbuf_addf(&sb, "%s/", cwd);
	}
	if (strbuf_addstr(&sb, dir))
		return -1;
	kb_normalize(&sb);
	*given = strbuf_detach(&sb, NULL);
	return 0;
}

int kbuild_db_load(struct kbuild_db **out, const char *src_dir,
		   const char *build_dir)
{
	struct strbuf path = STRBUF_INIT;
	struct kbuild_db *db;
	struct kb_snap snap;

	*out = NULL;
	db = calloc(1, sizeof(*db));
	if (!db)
		return gate_error("out of memory");
	strvec_init(&db->dep_keys);
	if (kb_dir_names(src_dir, &db->src_dir, &db->src_real) ||
	    kb_dir_names(build_dir, &db->build_dir, &db->build_real))
		goto free_db;
	kb_snap_load(db, &snap);
	if (strbuf_addstr(&path, db->build_real) || kb_scan(db, &path, "", &snap)) {
		kb_snap_dispose(&snap);
		goto free_db;
	}
	/* objects gone since it was saved: save it again without them */
	if (snap.restored < snap.nr_objs)
		db->dirty = true;
	kb_snap_dispose(&snap);
	strbuf_dispose(&path);
	*out = db;
	return 0;
free_db:
	strbuf_dispose(&path);
	kbuild_db_free(db);
	return -1;
}

void kbuild_db_free(struct kbuild_db *db)
{
	size_t i;

	if (!db)
		return;
	for (i = 0; i < db->nr_objs; i++) {
		free(db->objs[i].name);
		free(db->objs[i].source);
		free(db->objs[i].deps.v);
	}
	for (i = 0; i < db->nr_files; i++) {
		free(db->files[i].path);
		free(db->files[i].users.v);
	}
	free(db->objs);
	free(db->files);
	free(db->obj_map.slots);
	free(db->file_map.slots);
	free(db->dep_map.slots);
	strvec_dispose(&db->dep_keys);
	free(db->src_dir);
	free(db->src_real);
	free(db->build_dir);
	free(db->build_real);
	free(db);
}

size_t kbuild_db_count(const struct kbuild_db *db)
{
	return db->alive;
}

static const struct kb_obj *kb_find(const struct kbuild_db *db, const char *obj)
{
	uint32_t oid = 0;

	if (!kb_map_get(&db->obj_map, obj, &oid) || !db->objs[oid].alive)
		return NULL;
	return &db->objs[oid];
}

bool kbuild_db_builds(const struct kbuild_db *db, const char *obj)
{
	return kb_find(db, obj) != NULL;
}

const char *kbuild_db_source(const struct kbuild_db *db, const char *obj)
{
	const struct kb_obj *o = kb_find(db, obj);

	return o ? o->source : NULL;
}

int kbuild_db_inputs(const struct kbuild_db *db, const char *obj,
		     struct strvec *files)
{
	const struct kb_obj *o = kb_find(db, obj);

	if (!o || !o->alive || !o->source)
		return 0;
	for (size_t i = 0; i < o->deps.nr; i++) {
		const char *path = db->files[o->deps.v[i]].path;

		/* .config is the cache's salt already */
		if (!str_starts_with(path, "CONFIG_") && strvec_push(files, path))
			return -1;
	}
	return strvec_find(files, o->source) < 0 && strvec_push(files, o->source) ? -1 : 1;
}

static int kb_cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Sorts the entries of sv from `from` on and drops duplicates. */
static void kb_sort_unique(struct strvec *sv, size_t from)
{
	size_t i, n = from;

	if (sv->nr - from < 2)
		return;
	qsort(sv->v + from, sv->nr - from, sizeof(*sv->v), kb_cmp_str);
	for (i = from; i < sv->nr; i++) {
		if (n > from && !strcmp(sv->v[n - 1], sv->v[i]))
			free((char *)sv->v[i]);
		else
			sv->v[n++] = sv->v[i];
	}
	sv->nr = n;
	sv->v[n] = NULL;
}

int kbuild_db_dependents(const struct kbuild_db *db, const char *path,
			 struct strvec *objs)
{
	const struct kb_file *f;
	size_t from = objs->nr;
	uint32_t fid;
	size_t i;

	if (!kb_map_get(&db->file_map, path, &fid))
		return 0;
	f = &db->files[fid];
	for (i = 0; i < f->users.nr; i++)
		if (strvec_push(objs, db->objs[f->users.v[i]].name))
			return -1;
	kb_sort_unique(objs, from);
	return 0;
}

int kbuild_db_directory(const struct kbuild_db *db, const char *dir,
			struct strvec *objs)
{
	size_t i, from = objs->nr, n = strlen(dir);
	const char *name;

	for (i = 0; i < db->nr_objs; i++) {
		name = db->objs[i].name;
		if (!db->objs[i].alive)
			continue;
		if (n && (strncmp(name, dir, n) || name[n] != '/'))
			continue;
		if (strchr(name + (n ? n + 1 : 0), '/'))
			continue;
		if (strvec_push(objs, name))
			return -1;
	}
	kb_sort_unique(objs, from);
	return 0;
}

static int kb_cmd_path(struct strbuf *sb, const char *build, const char *obj)
{
	strbuf_reset(sb);
	return strbuf_addf(sb, "%s/", build) || kbuild_dot_name(sb, obj) ||
	       strbuf_addstr(sb, ".cmd");
}

int kbuild_db_update(struct kbuild_db *db, const struct strvec *objs)
{
	struct strbuf cmd = STRBUF_INIT;
	size_t i;
	int ret = 0;

	for (i = 0; !ret && i < objs->nr; i++) {
		ret = kb_cmd_path(&cmd, db->build_real, objs->v[i]);
		if (!ret)
			ret = kb_read_obj(db, objs->v[i], cmd.buf, NULL);
	}
	strbuf_dispose(&cmd);
	return ret;
}

static bool kb_is(const char *top, const char *name, mode_t type)
{
	struct strbuf sb = STRBUF_INIT;
	struct stat st;
	bool ok;

	ok = !strbuf_addf(&sb, "%s/%s", top, name) && !stat(sb.buf, &st) &&
	     (st.st_mode & S_IFMT) == type;
	strbuf_dispose(&sb);
	return ok;
}

/* The top Makefile of a kernel sets VERSION and PATCHLEVEL. */
static bool kb_makefile_is_kernel(const struct strbuf *mk)
{
	return (str_starts_with(mk->buf, "VERSION =") || strstr(mk->buf, "\nVERSION =")) &&
	       strstr(mk->buf, "\nPATCHLEVEL =");
}

bool kbuild_detect(const char *top)
{
	struct strbuf path = STRBUF_INIT, mk = STRBUF_INIT;
	bool ok = false;

	if (!kb_is(top, "Kbuild", S_IFREG) || !kb_is(top, "scripts", S_IFDIR))
		return false;
	if (strbuf_addf(&path, "%s/Makefile", top) || strbuf_read_file(&mk, path.buf))
		goto out;
	ok = kb_makefile_is_kernel(&mk);
out:
	strbuf_dispose(&mk);
	strbuf_dispose(&path);
	gate_error_clear();
	return ok;
}

/* The same question of a commit's tree, read from the object database. */
bool kbuild_detect_commit(git_repository *git, const git_oid *commit)
{
	struct strbuf mk = STRBUF_INIT;
	git_commit *c = NULL;
	git_tree *t = NULL;
	const git_tree_entry *kb, *scripts;
	bool ok = false;

	if (git_commit_lookup(&c, git, commit) || git_commit_tree(&t, c))
		goto out;
	kb = git_tree_entry_byname(t, "Kbuild");
	scripts = git_tree_entry_byname(t, "scripts");
	if (!kb || git_tree_entry_type(kb) != GIT_OBJECT_BLOB ||
	    !scripts || git_tree_entry_type(scripts) != GIT_OBJECT_TREE)
		goto out;
	ok = !gate_tree_read_file(git, t, "Makefile", &mk) &&
	     kb_makefile_is_kernel(&mk);
out:
	strbuf_dispose(&mk);
	git_tree_free(t);
	git_commit_free(c);
	gate_error_clear();
	return ok;
}

void kbuild_touch_init(struct kbuild_touch *t)
{
	strvec_init(&t->objs);
	strvec_init(&t->left_out);
	strvec_init(&t->reasons);
	t->config_changed = false;
	t->all_objects = false;
}

void kbuild_touch_dispose(struct kbuild_touch *t)
{
	strvec_dispose(&t->objs);
	strvec_dispose(&t->left_out);
	strvec_dispose(&t->reasons);
	kbuild_touch_init(t);
}

/* Rules every object is built with: the top Makefile, arch and scripts rules. */
static bool kb_global_rules(const char *path)
{
	const char *rest;

	if (!strcmp(path, "Makefile") || !strcmp(path, "Kbuild") ||
	    !strcmp(path, "scripts/Kbuild.include") ||
	    str_starts_with(path, "scripts/Makefile"))
		return true;
	if (!str_starts_with(path, "arch/"))
		return false;
	rest = strchr(path + 5, '/');
	return rest && !strchr(rest + 1, '/') && str_starts_with(rest, "/Makefile");
}

static bool kb_dir_rules(const char *base)
{
	return !strcmp(base, "Makefile") || !strcmp(base, "Kbuild") ||
	       str_starts_with(base, "Makefile.");
}

/* A Makefile as logical lines: continuations joined, comments dropped. */
static int kb_make_lines(struct strvec *lines, const char *text)
{
	struct strbuf line = STRBUF_INIT;
	const char *p = text, *end, *hash;
	int ret = 0;

	while (!ret && *p) {
		end = strchrnul(p, '\n');
		hash = memchr(p, '#', end - p);
		ret = strbuf_add(&line, p, (hash ? hash : end) - p);
		p = *end ? end + 1 : end;
		if (ret || str_ends_with(line.buf, "\\")) {
			if (!ret)
				line.buf[line.len - 1] = ' ';
			continue;
		}
		ret = strvec_push(lines, line.buf);
		strbuf_reset(&line);
	}
	if (!ret && line.len)
		ret = strvec_push(lines, line.buf);
	strbuf_dispose(&line);
	return ret;
}

/* The value of sym ("CONFIG_FOO") in a .config: 'y', 'm' or 0 when unset. */
static char kb_config_value(const char *config, const char *sym, size_t len)
{
	const char *p = config, *end = config + strlen(config);

	while ((p = memmem(p, end - p, sym, len))) {
		if ((p == config || p[-1] == '\n') && p[len] == '=')
			return p[len + 1] == 'y' || p[len + 1] == 'm' ? p[len + 1] : 0;
		p += len;
	}
	return 0;
}

/* Where a new source file may be wired in: its directory's Makefile and the build. */
struct kb_wiring {
	struct strvec lines;
	struct strbuf config;
	const char *build_dir;
	const char *dir;
};

/* Whether the condition of "obj-<cond>" holds: y, m, objs or $(CONFIG_FOO). */
static bool kb_cond_on(const struct kb_wiring *w, const char *cond, size_t len)
{
	if ((len == 1 && (*cond == 'y' || *cond == 'm')) ||
	    (len == 4 && !strncmp(cond, "objs", 4)))
		return true;
	if (len < 10 || strncmp(cond, "$(CONFIG_", 9) || cond[len - 1] != ')')
		return false;
	return kb_config_value(w->config.buf, cond + 2, len - 3) != 0;
}

static bool kb_has_token(const char *s, const char *tok)
{
	size_t n = strlen(tok);

	for (s += strspn(s, " \t"); *s; s += strspn(s, " \t")) {
		if (strcspn(s, " \t") == n && !strncmp(s, tok, n))
			return true;
		s += strcspn(s, " \t");
	}
	return false;
}

static bool kb_composite_built(const struct kb_wiring *w, const char *obj)
{
	struct strbuf sb = STRBUF_INIT;
	bool built;

	built = !strbuf_addf(&sb, "%s/.%s.cmd", w->dir, obj) &&
		kb_is(w->build_dir, sb.buf, S_IFREG);
	strbuf_dispose(&sb);
	return built;
}

/*
 * Whether obj ("name.o") is built: listed under obj-/lib- with a condition
 * that holds, or as a part of a composite object that is itself built.
 */
/*
 * Splits an assignment "<stem>-<cond> += a.o b.o" into its stem, its
 * condition and its value; false for any other line.
 */
static bool kb_assignment(const char *line, size_t *stem, const char **cond,
			  size_t *cond_len, const char **value)
{
	const char *op, *dash;
	size_t n;

	line += strspn(line, " \t");
	op = strchr(line, '=');
	n = strcspn(line, " \t+:?=");
	dash = memrchr(line, '-', n);
	if (!op || !dash || dash == line)
		return false;
	*stem = dash - line;
	*cond = dash + 1;
	*cond_len = line + n - dash - 1;
	*value = op + 1;
	return true;
}

static bool kb_is_list(const char *line, size_t stem)
{
	line += strspn(line, " \t");
	return stem == 3 && (!strncmp(line, "obj", 3) || !strncmp(line, "lib", 3));
}

/*
 * Whether obj ("name.o") is built: listed under obj-/lib- with a condition
 * that holds, or as a part of a composite object that is itself built.
 */
static bool kb_wired(const struct kb_wiring *w, const char *obj, int depth)
{
	struct strbuf comp = STRBUF_INIT;
	const char *line, *cond, *value;
	size_t i, stem, len;
	bool on = false;

	for (i = 0; !on && i < w->lines.nr; i++) {
		line = w->lines.v[i] + strspn(w->lines.v[i], " \t");
		if (!kb_assignment(line, &stem, &cond, &len, &value) ||
		    !kb_has_token(value, obj) || !kb_cond_on(w, cond, len))
			continue;
		if (kb_is_list(line, stem)) {
			on = true;
			continue;
		}
		strbuf_reset(&comp);
		if (depth >= 3 || strbuf_addf(&comp, "%.*s.o", (int)stem, line))
			continue;
		on = kb_composite_built(w, comp.buf) || kb_wired(w, comp.buf, depth + 1);
	}
	strbuf_dispose(&comp);
	return on;
}

static int kb_reason(struct kbuild_touch *t, const char *path, const char *fmt,
		     const char *arg)
{
	return strvec_pushf(&t->reasons, "%s: %s%s", path, fmt, arg ? arg : "");
}

static int kb_read_rules(struct strbuf *text, const char *src, const char *dir)
{
	struct strbuf path = STRBUF_INIT;
	int ret;

	ret = strbuf_addf(&path, "%s/%s%sKbuild", src, dir, *dir ? "/" : "");
	if (!ret && strbuf_read_file(text, path.buf)) {
		strbuf_setlen(&path, path.len - strlen("Kbuild"));
		ret = strbuf_addstr(&path, "Makefile") || strbuf_read_file(text, path.buf);
	}
	strbuf_dispose(&path);
	return ret;
}

/* Reads the rules text and the build's .config; dir is borrowed. */
static int kb_wiring_init(struct kb_wiring *w, const struct kbuild_db *db,
			  const char *dir, const char *rules)
{
	struct strbuf path = STRBUF_INIT;
	int ret;

	strvec_init(&w->lines);
	strbuf_init(&w->config, 0);
	w->build_dir = db->build_real;
	w->dir = dir;
	ret = kb_make_lines(&w->lines, rules);
	if (!ret)
		ret = strbuf_addf(&path, "%s/.config", db->build_real);
	if (!ret)
		ret = strbuf_read_file(&w->config, path.buf);
	strbuf_dispose(&path);
	return ret;
}

static void kb_wiring_dispose(struct kb_wiring *w)
{
	strvec_dispose(&w->lines);
	strbuf_dispose(&w->config);
}

/* "kernel/fork.c" gives dir "kernel"; base points into path. */
static int kb_split(const char *path, struct strbuf *dir, const char **base)
{
	const char *slash = strrchr(path, '/');

	*base = slash ? slash + 1 : path;
	strbuf_reset(dir);
	return strbuf_add(dir, path, slash ? (size_t)(slash - path) : 0);
}

static int kb_push_obj(struct kbuild_touch *t, const char *dir, const char *obj)
{
	return strvec_pushf(&t->objs, "%s%s%s", dir, *dir ? "/" : "", obj);
}

/* A new .c or .S file: built if its directory's rules wire it in. */
static int kb_touched_new(struct kbuild_touch *t, const struct kbuild_db *db,
			  const char *src, const char *path)
{
	struct strbuf text = STRBUF_INIT, dir = STRBUF_INIT, obj = STRBUF_INIT;
	const char *base, *dot = strrchr(path, '.');
	struct kb_wiring w;
	int ret = -1;

	if (kb_split(path, &dir, &base) ||
	    strbuf_addf(&obj, "%.*s.o", (int)(dot - base), base))
		goto out;
	if (kb_read_rules(&text, src, dir.buf)) {
		ret = kb_reason(t, path, "new file, no Makefile or Kbuild in its directory", NULL);
		goto out;
	}
	if (kb_wiring_init(&w, db, dir.buf, text.buf))
		goto dispose_wiring;
	if (!kb_wired(&w, obj.buf, 0)) {
		ret = kb_reason(t, path, "new file, not wired in under an enabled option", NULL);
		goto dispose_wiring;
	}
	if (kb_push_obj(t, dir.buf, obj.buf))
		goto dispose_wiring;
	ret = kb_reason(t, path, "new file, builds ", t->objs.v[t->objs.nr - 1]);
dispose_wiring:
	kb_wiring_dispose(&w);
out:
	strbuf_dispose(&obj);
	strbuf_dispose(&dir);
	strbuf_dispose(&text);
	return ret;
}

/* A removed source compiles no more: drop the objects made from it. */
static void kb_drop_sources(struct kbuild_touch *t, const struct kbuild_db *db,
			    const char *path, size_t from)
{
	const char *src;
	size_t i, n = from;

	for (i = from; i < t->objs.nr; i++) {
		src = kbuild_db_source(db, t->objs.v[i]);
		if (src && !strcmp(src, path))
			free((char *)t->objs.v[i]);
		else
			t->objs.v[n++] = t->objs.v[i];
	}
	t->objs.nr = n;
	t->objs.v[n] = NULL;
}

static const char *kb_not_built(const char *path, int status)
{
	if (str_starts_with(path, "Documentation/"))
		return "documentation, not built";
	if (str_starts_with(path, "tools/"))
		return "tools/ is not built by kbuild";
	if (status == 'D')
		return "removed, no object depended on it";
	return "not built by this config";
}

static int kb_touched_all(struct kbuild_touch *t, const struct kbuild_db *db,
			  const char *path)
{
	size_t i;

	t->all_objects = true;
	for (i = 0; i < db->nr_objs; i++)
		if (db->objs[i].alive && strvec_push(&t->objs, db->objs[i].name))
			return -1;
	return kb_reason(t, path, "build rules of every object", NULL);
}

static int kb_touched_dir(struct kbuild_touch *t, const struct kbuild_db *db,
			  const char *path, const char *base)
{
	struct strbuf dir = STRBUF_INIT;
	size_t from = t->objs.nr;
	int ret;

	ret = strbuf_add(&dir, path, base - path - (base != path));
	if (!ret)
		ret = kbuild_db_directory(db, dir.buf, &t->objs);
	if (!ret)
		ret = strvec_pushf(&t->reasons, "%s: build rules of %s/, %zu object%s",
				   path, dir.len ? dir.buf : ".", t->objs.nr - from,
				   t->objs.nr - from == 1 ? "" : "s");
	strbuf_dispose(&dir);
	return ret;
}

int kbuild_touch_path(struct kbuild_touch *t, const struct kbuild_db *db,
		   const char *src_dir, const char *path, int status)
{
	const char *base = strrchr(path, '/');
	size_t from = t->objs.nr;

	base = base ? base + 1 : path;
	if (str_starts_with(base, "Kconfig")) {
		t->config_changed = true;
		return kb_reason(t, path, "config rules, re-run olddefconfig", NULL);
	}
	if (kb_global_rules(path))
		return kb_touched_all(t, db, path);
	if (kb_dir_rules(base))
		return kb_touched_dir(t, db, path, base);
	if (kbuild_db_dependents(db, path, &t->objs))
		return -1;
	if (status == 'D')
		kb_drop_sources(t, db, path, from);
	if (t->objs.nr > from)
		return strvec_pushf(&t->reasons, "%s: %zu object%s", path,
				    t->objs.nr - from, t->objs.nr - from == 1 ? "" : "s");
	if ((status == 'A' || status == 'R') &&
	    (str_ends_with(base, ".c") || str_ends_with(base, ".S")))
		return kb_touched_new(t, db, src_dir ? src_dir : db->src_real, path);
	return kb_reason(t, path, kb_not_built(path, status), NULL);
}

/* Lines of `a` that `b` lacks; Makefiles are short enough for a plain search. */
static int kb_lines_only_in(struct strvec *out, const struct strvec *a,
			    const struct strvec *b)
{
	size_t i;

	for (i = 0; i < a->nr; i++)
		if (a->v[i][strspn(a->v[i], " \t")] && strvec_find(b, a->v[i]) < 0 &&
		    strvec_push(out, a->v[i]))
			return -1;
	return 0;
}

/* Whether every changed line only lists objects: "<stem>-<cond> += a.o b.o". */
static bool kb_only_lists(const struct strvec *changed)
{
	const char *cond, *value, *p;
	size_t i, stem, len, n;

	for (i = 0; i < changed->nr; i++) {
		if (!kb_assignment(changed->v[i], &stem, &cond, &len, &value))
			return false;
		for (p = value + strspn(value, " \t"); *p; p += strspn(p, " \t")) {
			n = strcspn(p, " \t");
			if (n < 3 || strncmp(p + n - 2, ".o", 2))
				return false;
			p += n;
		}
	}
	return true;
}

/* Adds obj, or the parts of obj when the rules make it a composite. */
static int kb_touch_listed(struct kbuild_touch *t, const struct kb_wiring *w,
			   const char *obj)
{
	const char *line, *cond, *value, *p;
	struct strbuf part = STRBUF_INIT;
	size_t i, stem, len, n;
	bool composite = false;
	int ret = 0;

	for (i = 0; !ret && i < w->lines.nr; i++) {
		line = w->lines.v[i] + strspn(w->lines.v[i], " \t");
		if (!kb_assignment(line, &stem, &cond, &len, &value) ||
		    kb_is_list(line, stem) || stem != strlen(obj) - 2 ||
		    strncmp(line, obj, stem))
			continue;
		composite = true;
		for (p = value + strspn(value, " \t"); !ret && *p; p += strspn(p, " \t")) {
			n = strcspn(p, " \t");
			strbuf_reset(&part);
			ret = strbuf_add(&part, p, n);
			if (!ret && kb_wired(w, part.buf, 0))
				ret = kb_push_obj(t, w->dir, part.buf);
			p += n;
		}
	}
	if (!ret && !composite && kb_wired(w, obj, 0))
		ret = kb_push_obj(t, w->dir, obj);
	strbuf_dispose(&part);
	return ret;
}

/* "lhs\ttoken" for each object a list line names, so a moved object is a change. */
static int kb_list_keys(struct strvec *keys, const struct strvec *lines)
{
	const char *cond, *value, *p, *line;
	size_t i, stem, len, n, lhs;

	for (i = 0; i < lines->nr; i++) {
		line = lines->v[i] + strspn(lines->v[i], " \t");
		kb_assignment(line, &stem, &cond, &len, &value);
		lhs = cond + len - line;
		for (p = value + strspn(value, " \t"); *p; p += strspn(p, " \t")) {
			n = strcspn(p, " \t");
			if (strvec_pushf(keys, "%.*s\t%.*s", (int)lhs, line, (int)n, p))
				return -1;
			p += n;
		}
	}
	return 0;
}

/* The objects whose list entries differ between old and new changed lines. */
static int kb_touch_lists(struct kbuild_touch *t, const struct kb_wiring *w,
			  const struct strvec *old_changed,
			  const struct strvec *new_changed)
{
	struct strvec a = STRVEC_INIT, b = STRVEC_INIT, keys = STRVEC_INIT;
	size_t i;
	int ret;

	ret = kb_list_keys(&a, old_changed);
	if (!ret)
		ret = kb_list_keys(&b, new_changed);
	if (!ret)
		ret = kb_lines_only_in(&keys, &a, &b) || kb_lines_only_in(&keys, &b, &a);
	for (i = 0; !ret && i < keys.nr; i++)
		ret = kb_touch_listed(t, w, strchr(keys.v[i], '\t') + 1);
	strvec_dispose(&keys);
	strvec_dispose(&b);
	strvec_dispose(&a);
	return ret;
}

int kbuild_touch_rules(struct kbuild_touch *t, const struct kbuild_db *db,
			 const char *path, const char *old_text, const char *new_text)
{
	struct strvec old_lines = STRVEC_INIT, added = STRVEC_INIT, removed = STRVEC_INIT;
	struct strbuf dir = STRBUF_INIT;
	size_t from = t->objs.nr;
	struct kb_wiring w;
	const char *base;
	int ret = -1;

	if (kb_split(path, &dir, &base))
		goto out;
	if (kb_global_rules(path) || !kb_dir_rules(base)) {
		ret = kbuild_touch_path(t, db, NULL, path, 'M');
		goto out;
	}
	if (kb_wiring_init(&w, db, dir.buf, new_text) ||
	    kb_make_lines(&old_lines, old_text) ||
	    kb_lines_only_in(&added, &w.lines, &old_lines) ||
	    kb_lines_only_in(&removed, &old_lines, &w.lines))
		goto dispose_wiring;
	if (!kb_only_lists(&added) || !kb_only_lists(&removed)) {
		ret = kb_touched_dir(t, db, path, base);
		goto dispose_wiring;
	}
	if (kb_touch_lists(t, &w, &removed, &added))
		goto dispose_wiring;
	kb_sort_unique(&t->objs, from);
	ret = strvec_pushf(&t->reasons, "%s: object lists changed, %zu object%s", path,
			   t->objs.nr - from, t->objs.nr - from == 1 ? "" : "s");
dispose_wiring:
	kb_wiring_dispose(&w);
out:
	strvec_dispose(&removed);
	strvec_dispose(&added);
	strvec_dispose(&old_lines);
	strbuf_dispose(&dir);
	return ret;
}

int kbuild_touch_finish(struct kbuild_touch *t, size_t max_objects)
{
	size_t i;

	kb_sort_unique(&t->objs, 0);
	if (!max_objects || t->objs.nr <= max_objects)
		return 0;
	for (i = max_objects; i < t->objs.nr; i++)
		if (strvec_push(&t->left_out, t->objs.v[i]))
			return -1;
	while (t->objs.nr > max_objects)
		strvec_pop(&t->objs);
	kb_sort_unique(&t->left_out, 0);
	return 0;
}

/* Orders "CONFIG_FOO=y" lines by symbol: '=' ends the name. */
static int kb_cmp_sym(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	size_t nx = strcspn(x, "="), ny = strcspn(y, "=");
	int c = strncmp(x, y, nx < ny ? nx : ny);

	return c ? c : (nx > ny) - (nx < ny);
}

/* The set symbols of a .config as sorted "CONFIG_FOO=value" lines. */
static int kb_config_lines(struct strvec *lines, const char *path)
{
	struct strbuf text = STRBUF_INIT;
	char *line, *next;
	int ret = strbuf_read_file(&text, path);

	for (line = text.buf; !ret && *line; line = next) {
		next = strchrnul(line, '\n');
		if (*next)
			*next++ = '\0';
		if (str_starts_with(line, "CONFIG_") && strchr(line, '='))
			ret = strvec_push(lines, line);
	}
	if (!ret)
		qsort(lines->v, lines->nr, sizeof(*lines->v), kb_cmp_sym);
	strbuf_dispose(&text);
	return ret;
}

bool kbuild_config_enabled(const char *config, const char *sym)
{
	struct strvec lines = STRVEC_INIT;
	struct strbuf want = STRBUF_INIT;
	bool on;

	strbuf_addf(&want, "%s=y", sym);
	on = !kb_config_lines(&lines, config) && strvec_find(&lines, want.buf) >= 0;
	gate_error_clear();
	strvec_dispose(&lines);
	strbuf_dispose(&want);
	return on;
}

int kbuild_config_diff(struct strvec *syms, const char *old_config,
		       const char *new_config)
{
	struct strvec a = STRVEC_INIT, b = STRVEC_INIT;
	const char *changed;
	size_t i = 0, j = 0;
	int ret, c;

	ret = kb_config_lines(&a, old_config);
	if (!ret)
		ret = kb_config_lines(&b, new_config);
	while (!ret && (i < a.nr || j < b.nr)) {
		if (i == a.nr || j == b.nr)
			c = i == a.nr ? 1 : -1;
		else
			c = kb_cmp_sym(&a.v[i], &b.v[j]);
		changed = c < 0 ? a.v[i] : b.v[j];
		if (c || strcmp(a.v[i], b.v[j]))
			ret = strvec_pushf(syms, "%.*s", (int)strcspn(changed, "="),
					   changed);
		i += c <= 0;
		j += c >= 0;
	}
	strvec_dispose(&a);
	strvec_dispose(&b);
	return ret;
}

void kbuild_make_opts_init(struct kbuild_make_opts *o, const struct an_desc *d)
{
	memset(o, 0, sizeof(*o));
	o->make = "make";
	o->jobs = 1;
	o->keep_going = true;
	if (an_can(d, AN_CAP_COMPILER)) {
		o->llvm = an_can(d, AN_CAP_LLVM);
		o->w = 1;
	} else if (an_can(d, AN_CAP_CHECKER)) {
		o->check = d->default_command;
		o->check_args = d->check_args;
	}
}

/* What every make call of one build directory shares. */
/*
 * The lines of a failed make that say why: the compiler's errors and
 * make's own, at most max of them, else its last lines. A baseline that
 * failed without them sends the user digging for a log.
 */
void kbuild_make_errors(const struct strbuf *log, size_t max, struct strbuf *out)
{
	const char *line, *next, *tail = log->buf + log->len;
	size_t n = 0;

	for (line = log->buf; *line && n < max; line = next) {
		next = strchrnul(line, '\n');
		if (memmem(line, (size_t)(next - line), ": error:", 8) ||
		    memmem(line, (size_t)(next - line), "*** ", 4)) {
			strbuf_addf(out, "\n    %.*s", (int)(next - line), line);
			n++;
		}
		next += *next != '\0';
	}
	if (n)
		return;
	/* none: the last max lines */
	while (tail > log->buf && tail[-1] == '\n')
		tail--;
	for (line = tail; line > log->buf; line--)
		if (line[-1] == '\n' && ++n == max)
			break;
	for (; line < tail; line = next + 1) {
		next = memchr(line, '\n', (size_t)(tail - line));
		next = next ? next : tail;
		strbuf_addf(out, "\n    %.*s", (int)(next - line), line);
	}
}

static int kb_make_base(struct strvec *argv, const struct kbuild_make_opts *o)
{
	if (strvec_push(argv, o->make ? o->make : "make"))
		return -1;
	if (o->src_dir && strvec_pushf(argv, "--directory=%s", o->src_dir))
		return -1;
	if (o->build_dir && strvec_pushf(argv, "O=%s", o->build_dir))
		return -1;
	if (o->arch && strvec_pushf(argv, "ARCH=%s", o->arch))
		return -1;
	if (o->cross_compile && strvec_pushf(argv, "CROSS_COMPILE=%s", o->cross_compile))
		return -1;
	if (o->llvm && strvec_push(argv, "LLVM=1"))
		return -1;
	return 0;
}

int kbuild_make_args(struct strvec *argv, const struct kbuild_make_opts *o,
		     const struct strvec *objs)
{
	if (kb_make_base(argv, o))
		return -1;
	if (o->w && strvec_pushf(argv, "W=%u", o->w))
		return -1;
	if (o->check && (strvec_push(argv, "C=2") ||
			 strvec_pushf(argv, "CHECK=%s%s%s", o->check,
				      o->check_args ? " " : "",
				      o->check_args ? o->check_args : "")))
		return -1;
	if (o->check && o->cf && strvec_pushf(argv, "CF=%s", o->cf))
		return -1;
	if (o->kcflags && strvec_pushf(argv, "KCFLAGS=%s", o->kcflags))
		return -1;
	/* LLVM=1 cross-compiles with clang --target, never a prefixed clang. */
	if (o->launcher && strvec_pushf(argv, "CC=%s %s%s", o->launcher,
					o->cross_compile && !o->llvm ? o->cross_compile : "",
					o->llvm ? "clang" : "gcc"))
		return -1;
	if (strvec_pushf(argv, "-j%u", o->jobs ? o->jobs : 1))
		return -1;
	if ((o->keep_going && strvec_push(argv, "-k")) ||
	    (o->silent && strvec_push(argv, "-s")))
		return -1;
	return objs ? strvec_pushv(argv, objs->v) : 0;
}

int kbuild_make_prepare(const struct kbuild_make_opts *o,
			const struct strvec *objs)
{
	struct strbuf path = STRBUF_INIT;
	size_t i;
	int ret = 0;

	if (o->check)
		return 0;
	if (!o->build_dir)
		return gate_error("kbuild: no build directory to remove objects from");
	for (i = 0; !ret && i < objs->nr; i++) {
		strbuf_reset(&path);
		ret = strbuf_addf(&path, "%s/%s", o->build_dir, objs->v[i]);
		if (!ret && unlink(path.buf) && errno != ENOENT)
			ret = gate_error("cannot remove '%s': %s", path.buf,
					 strerror(errno));
	}
	strbuf_dispose(&path);
	return ret;
}

/* Runs argv; on failure the error names the command and its last output line. */
/* Runs a configure step of the tree (make *config, merge_config.sh) in o's engine. */
static int kb_run(const struct kbuild_make_opts *o, const struct strvec *argv,
		  struct strbuf *log)
{
	struct strbuf out = STRBUF_INIT;
	struct proc p;
	const char *last;
	int ret;

	proc_init(&p);
	p.dir = o->build_dir;
	ret = strvec_pushv(&p.args, argv->v);
	if (!ret && o->ctr)
		ret = ctr_engine_wrap(o->ctr, &p);
	if (!ret)
		ret = proc_capture(&p, &out, NULL, 0);
	if (ret > 0) {
		strbuf_trim_trailing(&out);
		last = strrchr(out.buf, '\n');
		gate_error("'%s %s' failed with status %d: %s", argv->v[0],
			   argv->v[argv->nr - 1], ret, last ? last + 1 : out.buf);
		ret = -1;
	}
	if (log)
		strbuf_add(log, out.buf, out.len);
	proc_dispose(&p);
	strbuf_dispose(&out);
	return ret;
}

static int kb_make_target(const struct kbuild_make_opts *o, const char *target,
			  struct strbuf *log)
{
	struct strvec argv = STRVEC_INIT;
	int ret;

	ret = kb_make_base(&argv, o);
	if (!ret)
		ret = strvec_push(&argv, target);
	if (!ret)
		ret = kb_run(o, &argv, log);
	strvec_dispose(&argv);
	return ret;
}

int kbuild_olddefconfig(const struct kbuild_make_opts *o, struct strbuf *log)
{
	return kb_make_target(o, "olddefconfig", log);
}

static int kb_copy_config(const struct kbuild_make_opts *o, const char *file)
{
	struct strbuf text = STRBUF_INIT, dst = STRBUF_INIT;
	int ret;

	if (mkdir(o->build_dir, 0777) && errno != EEXIST)
		return gate_error("cannot create '%s': %s", o->build_dir, strerror(errno));
	ret = strbuf_read_file(&text, file);
	if (!ret)
		ret = strbuf_addf(&dst, "%s/.config", o->build_dir);
	if (!ret)
		ret = strbuf_write_file(&text, dst.buf);
	strbuf_dispose(&dst);
	strbuf_dispose(&text);
	return ret;
}

static int kb_merge_fragments(const struct kbuild_make_opts *o,
			      const struct strvec *fragments, struct strbuf *log)
{
	struct strvec argv = STRVEC_INIT;
	int ret;

	ret = strvec_pushf(&argv, "%s/scripts/kconfig/merge_config.sh",
			   o->src_dir ? o->src_dir : ".");
	if (!ret)
		ret = strvec_push(&argv, "-m") || strvec_push(&argv, "-O") ||
		      strvec_push(&argv, o->build_dir) ||
		      strvec_pushf(&argv, "%s/.config", o->build_dir) ||
		      strvec_pushv(&argv, fragments->v);
	if (!ret)
		ret = kb_run(o, &argv, log);
	strvec_dispose(&argv);
	return ret;
}

int kbuild_config(const struct kbuild_make_opts *o, const char *kconfig,
		  const struct strvec *fragments, struct strbuf *log)
{
	struct stat st;
	int ret;

	if (!o->build_dir)
		return gate_error("kbuild: configuring needs a build directory");
	if (strchr(kconfig, '/') || !stat(kconfig, &st))
		ret = kb_copy_config(o, kconfig);
	else
		ret = kb_make_target(o, kconfig, log);
	if (!ret && fragments && fragments->nr)
		ret = kb_merge_fragments(o, fragments, log);
	if (!ret)
		ret = kbuild_olddefconfig(o, log);
	return ret;
}
