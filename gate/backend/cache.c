/* cache.c: the on-disk result cache of cache.h, in jansson files.
 * Lookups refresh an entry's mtime, which is what pruning goes by. */
#include "cache.h"
#include "alloc.h"
#include "error.h"
#include "fs.h"
#include "hash.h"
#include "interrupt.h"
#include "proc.h"
#include "scratch.h"

#include <dirent.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <utime.h>

static void add_program(struct strbuf *sb, const char *cmd)
{
	struct strbuf path = STRBUF_INIT;
	struct stat st;

	if (proc_which(cmd, &path) && !stat(path.buf, &st))
		strbuf_addf(sb, "%s:%lld:%lld", path.buf, (long long)st.st_size,
			    (long long)st.st_mtime);
	strbuf_dispose(&path);
}

void gate_cache_hash(char out[GATE_CACHE_KEY_LEN + 1], const char *text)
{
	uint64_t a = gate_fnv1a_field(GATE_FNV1A_INIT, text);
	uint64_t b = gate_fnv1a_field(0x84222325cbf29ce4ULL, text);

	b = gate_fnv1a_field(b, "second half");
	snprintf(out, GATE_CACHE_KEY_LEN + 1, "%016llx%016llx",
		 (unsigned long long)a, (unsigned long long)b);
}

int gate_cache_key(char out[GATE_CACHE_KEY_LEN + 1], const char *analyzer,
		   const struct strvec *command, const struct strvec *extra,
		   const char *unit, const char *inputs, const char *salt)
{
	struct strbuf sb = STRBUF_INIT;

	/* v2: findings in their finding_to_json() form; v1 entries just miss. */
	strbuf_addf(&sb, "v2\n%s\n%s\n%s\n%s\n", analyzer, unit, inputs,
		    salt ? salt : "");
	for (size_t i = 0; i < command->nr; i++)
		strbuf_addf(&sb, "c:%s\n", command->v[i]);
	for (size_t i = 0; extra && i < extra->nr; i++)
		strbuf_addf(&sb, "x:%s\n", extra->v[i]);
	if (command->nr)
		add_program(&sb, command->v[0]);
	/* A new mkt-gate may parse or build differently: its results are its own. */
	strbuf_addf(&sb, "\n%s\n", MKT_GATE_VERSION);
	add_program(&sb, "/proc/self/exe");
	gate_cache_hash(out, sb.buf);
	strbuf_dispose(&sb);
	return 0;
}

static void entry_path(struct strbuf *p, const char *root, const char *key)
{
	strbuf_addf(p, "%s/results/%.2s/%s.json", root, key, key);
}

static void note_path(struct strbuf *p, const char *root, const char *ns,
		      const char *key)
{
	strbuf_addf(p, "%s/%s/%.2s/%s", root, ns, key, key);
}

int gate_cache_note_store(const char *root, const char *ns, const char *key,
			  const struct strbuf *text)
{
	struct strbuf path = STRBUF_INIT;
	char *slash;
	int ret;

	note_path(&path, root, ns, key);
	slash = strrchr(path.buf, '/');
	*slash = '\0';
	ret = gate_mkdirs(path.buf);
	*slash = '/';
	if (!ret)
		ret = strbuf_write_file(text, path.buf);
	strbuf_dispose(&path);
	return ret;
}

int gate_cache_note_load(const char *root, const char *ns, const char *key,
			 struct strbuf *text)
{
	struct strbuf path = STRBUF_INIT;
	int hit;

	note_path(&path, root, ns, key);
	hit = !strbuf_read_file(text, path.buf);
	if (hit)
		utime(path.buf, NULL);
	else
		gate_error_clear();
	strbuf_dispose(&path);
	return hit;
}

static void set_str(json_t *o, const char *k, const char *v)
{
	if (v)
		json_object_set_new(o, k, json_string(v));
}

static char *get_str(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s ? strdup(s) : NULL;
}

int gate_cache_store(const char *root, const char *key,
		     const struct finding_list *findings, int status,
		     const char *output)
{
	struct strbuf path = STRBUF_INIT, text = STRBUF_INIT;
	json_t *o, *a;
	char *dump, *slash;
	int ret = -1;

	if (status > 128 || gate_interrupted())
		return gate_error("not caching '%s': its tool was killed or interrupted", key);
	o = json_object();
	a = json_array();
	for (size_t i = 0; i < findings->nr; i++)
		json_array_append_new(a, finding_to_json(&findings->v[i],
							 FINDING_JSON_EXACT));
	json_object_set_new(o, "key", json_string(key));
	json_object_set_new(o, "status", json_integer(status));
	json_object_set_new(o, "findings", a);
	set_str(o, "output", output);
	dump = json_dumps(o, JSON_COMPACT);
	entry_path(&path, root, key);
	slash = strrchr(path.buf, '/');
	*slash = '\0';
	if (dump && !gate_mkdirs(path.buf)) {
		*slash = '/';
		strbuf_addstr(&text, dump);
		ret = strbuf_write_file(&text, path.buf);
	}
	free(dump);
	json_decref(o);
	strbuf_dispose(&path);
	strbuf_dispose(&text);
	return ret;
}

static int entry_from(struct gate_cache_entry *e, json_t *o, const char *key)
{
	json_t *a = json_object_get(o, "findings"), *it;
	size_t i;

	if (!json_is_object(o) || !json_is_array(a) ||
	    strcmp(json_string_value(json_object_get(o, "key")) ?: "", key) ||
	    !json_is_integer(json_object_get(o, "status")))
		return -1;
	e->status = (int)json_integer_value(json_object_get(o, "status"));
	if (e->status > 128)	/* a killed tool's half output: never served */
		return -1;
	e->output = get_str(o, "output");
	json_array_foreach(a, i, it) {
		struct finding f;

		if (finding_from_json(&f, it) || finding_list_take(&e->findings, &f)) {
			finding_dispose(&f);
			return -1;
		}
	}
	return 0;
}

int gate_cache_load(const char *root, const char *key, struct gate_cache_entry *e)
{
	struct strbuf path = STRBUF_INIT;
	json_t *o;
	int hit = 0;

	memset(e, 0, sizeof(*e));
	entry_path(&path, root, key);
	o = json_load_file(path.buf, 0, NULL);
	if (o && !entry_from(e, o, key)) {
		hit = 1;
		utime(path.buf, NULL);
	} else {
		gate_cache_entry_dispose(e);
		if (o)	/* damaged: not worth keeping */
			remove(path.buf);
	}
	json_decref(o);
	strbuf_dispose(&path);
	return hit;
}

void gate_cache_entry_dispose(struct gate_cache_entry *e)
{
	finding_list_dispose(&e->findings);
	free(e->error);
	free(e->output);
	memset(e, 0, sizeof(*e));
}

struct aged {
	char *path;
	time_t mtime;
};

static int by_age(const void *a, const void *b)
{
	const struct aged *x = a, *y = b;

	return x->mtime < y->mtime ? -1 : x->mtime > y->mtime;
}

static int push_aged(struct aged **v, size_t *n, size_t *alloc, char *path,
		     time_t mtime)
{
	if (ALLOC_GROW(*v, *n + 1, *alloc))
		return -1;
	(*v)[(*n)++] = (struct aged){ path, mtime };
	return 0;
}

static void list_dir(const char *dir, struct aged **v, size_t *n, size_t *alloc)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	while (d && (de = readdir(d))) {
		struct stat st;
		char *p;

		if (de->d_name[0] == '.' || asprintf(&p, "%s/%s", dir, de->d_name) < 0)
			continue;
		if (stat(p, &st) || push_aged(v, n, alloc, p, st.st_mtime))
			free(p);
	}
	if (d)
		closedir(d);
}

static void prune_ns(const char *root, const char *ns, size_t max)
{
	struct strbuf dir = STRBUF_INIT;
	struct aged *v = NULL;
	size_t n = 0, alloc = 0;

	for (int i = 0; i < 256; i++) {
		strbuf_reset(&dir);
		strbuf_addf(&dir, "%s/%s/%02x", root, ns, i);
		list_dir(dir.buf, &v, &n, &alloc);
	}
	if (n > max) {
		qsort(v, n, sizeof(*v), by_age);
		for (size_t i = 0; i < n - max; i++)
			remove(v[i].path);
	}
	for (size_t i = 0; i < n; i++)
		free(v[i].path);
	free(v);
	strbuf_dispose(&dir);
}

int gate_cache_prune(const char *root, size_t max)
{
	prune_ns(root, "results", max);
	prune_ns(root, GATE_CACHE_DEPS, max);
	prune_ns(root, GATE_CACHE_DBS, max / 100 + 1);
	return 0;
}
