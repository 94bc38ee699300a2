/* config.c: parses, validates and layers the INI config of config.h.
 * The key table below is the single source of truth; never prints or exits. */
#include "config.h"
#include "alloc.h"
#include "error.h"
#include "strbuf.h"
#include "strvec.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Longest key name; longer ones are refused, which bounds edit_distance(). */
#define KEY_MAX 64
/* A config file is written by people: 1 MiB is far beyond any real one. */
#define CONFIG_FILE_MAX ((size_t)1 << 20)
/* Timeouts are seconds, at most a week; 0 means none. */
#define TIMEOUT_MAX 604800

enum cfg_kind {
	SK_DEFAULTS, SK_ANALYZER, SK_ENGINE, SK_GERRIT, SK_TARGET, SK_DEVICE, SK_BAD
};

enum cfg_type {
	CT_STRING,
	CT_BOOL,
	CT_INT,
	CT_LIST,
	CT_PATH,
	CT_PATHS,	/* a list of paths */
	CT_SEVERITY,	/* one of choices, parsed by finding_severity_parse */
	CT_CHOICE,	/* one of choices */
	CT_RULES,	/* RULE:LEVEL pairs */
	CT_SIZE,	/* a number with an optional K, M, G or T */
	CT_ENV,		/* NAME=VALUE words, as an environment */
};

#define TYPE_BIT(t) (1u << (t))

struct cfg_key {
	enum cfg_kind kind;
	const char *name;
	enum cfg_type type;
	int min;
	int max;
	const char *choices;	/* "a|b|c" for CT_CHOICE and CT_SEVERITY */
};

#define K(kind, name, type) { kind, name, type, 0, 0, NULL }
#define K_INT(kind, name, lo, hi) { kind, name, CT_INT, lo, hi, NULL }
#define K_ONE(kind, name, type, choices) { kind, name, type, 0, 0, choices }

static const struct cfg_key keys[] = {
	K(SK_DEFAULTS, "analyzers", CT_LIST),
	K_ONE(SK_DEFAULTS, "engine", CT_CHOICE, "host|bwrap|podman|docker|auto"),
	K_INT(SK_DEFAULTS, "jobs", 1, 1024),
	K_ONE(SK_DEFAULTS, "fail_on", CT_SEVERITY, "error|warning|info"),
	K(SK_DEFAULTS, "build_dir", CT_PATH),
	K(SK_DEFAULTS, "compile_commands", CT_PATH),
	K(SK_DEFAULTS, "cmake_args", CT_LIST),
	K(SK_DEFAULTS, "meson_args", CT_LIST),
	K(SK_DEFAULTS, "build_command", CT_LIST),
	K(SK_DEFAULTS, "build_env", CT_ENV),
	K(SK_DEFAULTS, "kconfig", CT_STRING),
	K(SK_DEFAULTS, "kconfig_fragments", CT_PATHS),
	K(SK_DEFAULTS, "arch", CT_STRING),
	K(SK_DEFAULTS, "cross_compile", CT_STRING),
	K_INT(SK_DEFAULTS, "max_objects", 1, 1000000),
	K(SK_DEFAULTS, "kbuild_replay", CT_BOOL),
	K_ONE(SK_DEFAULTS, "merges", CT_CHOICE, "skip|first-parent"),
	K(SK_DEFAULTS, "cache_dir", CT_PATH),
	K_ONE(SK_DEFAULTS, "color", CT_CHOICE, "auto|always|never"),
	K_INT(SK_DEFAULTS, "timeout", 0, TIMEOUT_MAX),
	K_ONE(SK_DEFAULTS, "ccache", CT_CHOICE, "auto|yes|no"),
	K(SK_DEFAULTS, "ccache_remote", CT_STRING),
	K(SK_DEFAULTS, "distcc_hosts", CT_STRING),

	K(SK_ANALYZER, "enabled", CT_BOOL),
	K(SK_ANALYZER, "command", CT_LIST),
	K(SK_ANALYZER, "extra_flags", CT_LIST),
	K_ONE(SK_ANALYZER, "fail_on", CT_SEVERITY, "error|warning|info"),
	K(SK_ANALYZER, "severity", CT_RULES),
	K_INT(SK_ANALYZER, "timeout", 0, TIMEOUT_MAX),
	K(SK_ANALYZER, "options", CT_LIST),
	K(SK_ANALYZER, "ignore", CT_LIST),
	K(SK_ANALYZER, "cf_flags", CT_STRING),
	K(SK_ANALYZER, "forbid_change_id", CT_BOOL),
	K(SK_ANALYZER, "subject_prefix", CT_BOOL),
	K(SK_ANALYZER, "path", CT_PATH),

	K(SK_ENGINE, "image", CT_STRING),
	K(SK_ENGINE, "command", CT_STRING),
	K(SK_ENGINE, "extra_args", CT_LIST),
	K(SK_ENGINE, "ccache_dir", CT_PATH),

	K(SK_GERRIT, "url", CT_STRING),
	K(SK_GERRIT, "user", CT_STRING),
	K(SK_GERRIT, "password_file", CT_PATH),
	K(SK_GERRIT, "label", CT_STRING),
	K_ONE(SK_GERRIT, "notify", CT_CHOICE, "NONE|OWNER|OWNER_REVIEWERS|ALL"),
	K(SK_GERRIT, "query", CT_STRING),
	K_INT(SK_GERRIT, "interval", 1, 86400),
	K(SK_GERRIT, "ca_file", CT_PATH),
	K(SK_GERRIT, "project", CT_STRING),
	K(SK_GERRIT, "branch", CT_STRING),
	K_INT(SK_GERRIT, "timeout", 0, TIMEOUT_MAX),
	K_INT(SK_GERRIT, "retries", 0, 20),
	K(SK_GERRIT, "state_file", CT_PATH),
	K_INT(SK_GERRIT, "claim_timeout", 60, 7 * 86400),

	K(SK_TARGET, "pci", CT_LIST),
	K_INT(SK_TARGET, "num_of_vfs", 0, 256),
	K(SK_TARGET, "boot_script", CT_PATH),
	K(SK_TARGET, "kernel_args", CT_STRING),
	K_INT(SK_TARGET, "timeout", 0, TIMEOUT_MAX),
	K(SK_TARGET, "memory", CT_SIZE),
	K_INT(SK_TARGET, "cpus", 1, 256),
	K(SK_TARGET, "kernel", CT_PATH),
	K(SK_TARGET, "rootfs", CT_PATH),
	K_ONE(SK_TARGET, "accel", CT_CHOICE, "auto|kvm|tcg"),
	K(SK_TARGET, "fragment", CT_PATHS),
	K(SK_TARGET, "sysfs_root", CT_PATH),
	K(SK_TARGET, "ssh", CT_BOOL),
	K(SK_TARGET, "ssh_key", CT_PATHS),
	K(SK_TARGET, "command", CT_STRING),
	K(SK_TARGET, "qemu", CT_PATH),
	K_INT(SK_TARGET, "nics", 0, 16),
	K(SK_TARGET, "nic_device", CT_STRING),
	K(SK_TARGET, "addresses", CT_LIST),

	K(SK_DEVICE, "device", CT_STRING),
	K(SK_DEVICE, "netdev", CT_STRING),
	K_INT(SK_DEVICE, "num_of_vfs", 0, 256),
	K(SK_DEVICE, "qemu_args", CT_LIST),
};

#define NKEYS (sizeof(keys) / sizeof(keys[0]))

static const char engine_names[] = "host|bwrap|podman|docker";
static const char severity_names[] = "error|warning|info";

/*
 * One value from one layer. Entries are only ever appended, so the last
 * matching one wins and a failed load is undone by truncating.
 */
struct config_entry {
	char *section;
	char *key;
	char *value;
	size_t source;		/* index into origins and dirs */
	unsigned int line;	/* 0 for the command line */
};

struct config {
	struct config_entry *v;
	size_t nr;
	size_t alloc;
	struct strvec sections;	/* each name once, first seen first */
	struct strvec origins;	/* a source's name as shown in messages */
	struct strvec dirs;	/* a source's absolute base for paths */
};

/* How far a config had got, so that a failed load can be undone. */
struct config_mark {
	size_t entries;
	size_t sections;
	size_t sources;
};

/* Where a value came from, for messages. */
struct cfg_loc {
	const char *origin;
	unsigned int line;
	const char *section;
};

struct cfg_parser {
	struct config *cfg;
	struct cfg_loc loc;
	size_t source;
	struct strbuf value;
};

static int cfg_fail(const struct cfg_loc *loc, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int cfg_fail(const struct cfg_loc *loc, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (loc->line)
		return gate_error("%s:%u: %s", loc->origin, loc->line, msg);
	return gate_error("%s: %s", loc->origin, msg);
}

/* ---- the key table ---- */

static bool choice_has(const char *choices, const char *v)
{
	size_t n = strlen(v);
	const char *p = choices;

	while (p) {
		if (!strncmp(p, v, n) && (p[n] == '|' || !p[n]))
			return true;
		p = strchr(p, '|');
		if (p)
			p++;
	}
	return false;
}

static enum cfg_kind section_kind(const char *s)
{
	if (!strcmp(s, "defaults"))
		return SK_DEFAULTS;
	if (!strcmp(s, "gerrit"))
		return SK_GERRIT;
	if (str_starts_with(s, "analyzer."))
		return s[9] ? SK_ANALYZER : SK_BAD;
	if (str_starts_with(s, "engine."))
		return choice_has(engine_names, s + 7) ? SK_ENGINE : SK_BAD;
	if (str_starts_with(s, "device."))
		return s[7] ? SK_DEVICE : SK_BAD;
	if (!strcmp(s, "analyzer") || !strcmp(s, "engine") || !strcmp(s, "device"))
		return SK_BAD;
	return SK_TARGET;
}

static const struct cfg_key *key_find(enum cfg_kind kind, const char *name)
{
	size_t i;

	for (i = 0; i < NKEYS; i++)
		if (keys[i].kind == kind && !strcmp(keys[i].name, name))
			return &keys[i];
	return NULL;
}

static size_t min_size(size_t a, size_t b)
{
	return a < b ? a : b;
}

/* Optimal string alignment distance, case blind: "jbos" is 1 from "jobs". */
static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, cost;
	unsigned char d[KEY_MAX + 1][KEY_MAX + 1];

	if (la > KEY_MAX || lb > KEY_MAX)
		return SIZE_MAX;
	for (i = 0; i <= la; i++)
		d[i][0] = (unsigned char)i;
	for (j = 0; j <= lb; j++)
		d[0][j] = (unsigned char)j;
	for (i = 1; i <= la; i++) {
		for (j = 1; j <= lb; j++) {
			cost = tolower((unsigned char)a[i - 1]) !=
			       tolower((unsigned char)b[j - 1]);
			cost = min_size(d[i - 1][j - 1] + cost,
					min_size(d[i - 1][j], d[i][j - 1]) + 1);
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1])
				cost = min_size(cost, d[i - 2][j - 2] + 1u);
			d[i][j] = (unsigned char)cost;
		}
	}
	return d[la][lb];
}

/* Close enough to suggest: one edit for short names, two for longer. */
static bool is_close(const char *typo, const char *known)
{
	return edit_distance(typo, known) <= (strlen(known) <= 4 ? 1u : 2u);
}

static const char *closest_key(enum cfg_kind kind, const char *name)
{
	size_t i, d, best_d = SIZE_MAX;
	const char *best = NULL;

	for (i = 0; i < NKEYS; i++) {
		if (keys[i].kind != kind || !is_close(name, keys[i].name))
			continue;
		d = edit_distance(name, keys[i].name);
		if (d < best_d) {
			best_d = d;
			best = keys[i].name;
		}
	}
	return best;
}

/* A target section whose name looks like a misspelt fixed one. */
static const char *closest_section(const char *section)
{
	static const char *const fixed[] = { "defaults", "gerrit" };
	size_t i;

	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		if (is_close(section, fixed[i]))
			return fixed[i];
	return NULL;
}

static int unknown_key(const struct cfg_loc *loc, enum cfg_kind kind, const char *key)
{
	const char *near = closest_key(kind, key);
	const char *sect = kind == SK_TARGET ? closest_section(loc->section) : NULL;

	cfg_fail(loc, "unknown key '%s' in [%s]", key, loc->section);
	if (near)
		return gate_error_hint("did you mean '%s'?", near);
	if (sect)
		return gate_error_hint("did you mean the section [%s]?", sect);
	return -1;
}

/* ---- values ---- */

static int parse_bool(const char *v, bool *out)
{
	static const char *const yes[] = { "true", "yes", "on", "1" };
	static const char *const no[] = { "false", "no", "off", "0" };
	size_t i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (!strcasecmp(v, yes[i]) || !strcasecmp(v, no[i])) {
			*out = !strcasecmp(v, yes[i]);
			return 0;
		}
	}
	return -1;
}

static int parse_int(const char *v, int min, int max, int *out)
{
	char *end;
	long n;

	if (!isdigit((unsigned char)*v) && *v != '-' && *v != '+')
		return -1;
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno || *end || n < min || n > max)
		return -1;
	*out = (int)n;
	return 0;
}

static bool size_ok(const char *v)
{
	const char *p = v;

	while (isdigit((unsigned char)*p))
		p++;
	if (p == v || p - v > 12 || strspn(v, "0") == (size_t)(p - v))
		return false;
	if (*p && strchr("KMGTkmgt", *p))
		p++;
	return !*p;
}

static bool rule_ok(const char *word)
{
	const char *colon = strrchr(word, ':');

	return colon && colon != word && choice_has(severity_names, colon + 1);
}

/* NAME=VALUE with NAME a shell variable name. */
static bool env_ok(const char *word)
{
	const char *eq = strchr(word, '=');
	const char *p = word;

	while (p < eq && (isalnum((unsigned char)*p) || *p == '_'))
		p++;
	return eq && p == eq && eq != word && !isdigit((unsigned char)*word);
}

/* A list splits; every word is a RULE:LEVEL pair, or a NAME=VALUE one. */
static bool list_ok(const char *v, enum cfg_type type)
{
	struct strvec words = STRVEC_INIT;
	bool ok = !strvec_split(&words, v);
	size_t i;

	for (i = 0; ok && type != CT_LIST && i < words.nr; i++)
		ok = type == CT_RULES ? rule_ok(words.v[i]) : env_ok(words.v[i]);
	strvec_dispose(&words);
	return ok;
}

/* Checks v against k; on failure, why says what was expected. */
static bool value_ok(const struct cfg_key *k, const char *v, char *why, size_t n)
{
	bool b;
	int i;

	switch (k->type) {
	case CT_BOOL:
		snprintf(why, n, "expected true, false, yes, no, on, off, 1 or 0");
		return !parse_bool(v, &b);
	case CT_INT:
		snprintf(why, n, "expected a whole number from %d to %d", k->min, k->max);
		return !parse_int(v, k->min, k->max, &i);
	case CT_LIST:
	case CT_PATHS:
		snprintf(why, n, "expected words separated by spaces, quotes closed");
		return list_ok(v, CT_LIST);
	case CT_RULES:
		snprintf(why, n, "expected RULE:LEVEL pairs such as 'CHECK:info'");
		return list_ok(v, CT_RULES);
	case CT_ENV:
		snprintf(why, n, "expected NAME=VALUE words such as 'CC=gcc CFLAGS=\"-O1 -g\"'");
		return list_ok(v, CT_ENV);
	case CT_PATH:
		snprintf(why, n, "expected a path");
		return *v != '\0';
	case CT_SEVERITY:
	case CT_CHOICE:
		snprintf(why, n, "expected one of %s", k->choices);
		return choice_has(k->choices, v);
	case CT_SIZE:
		snprintf(why, n, "expected a size such as 512M or 2G");
		return size_ok(v);
	default:
		return true;
	}
}

static int check_value(const struct cfg_loc *loc, const struct cfg_key *k, const char *v)
{
	char why[160];

	if (value_ok(k, v, why, sizeof(why)))
		return 0;
	return cfg_fail(loc, "bad value '%.100s' for '%s' in [%s]: %s",
			v, k->name, loc->section, why);
}

static bool name_ok(const char *s, size_t len, const char *extra)
{
	size_t i;

	if (!len || len > KEY_MAX * 2)
		return false;
	for (i = 0; i < len; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr(extra, s[i]))
			return false;
	return true;
}

static int check_section(const struct cfg_loc *loc, const char *s)
{
	if (!name_ok(s, strlen(s), "._-"))
		return cfg_fail(loc, "bad section name '%.100s'", s);
	if (section_kind(s) != SK_BAD)
		return 0;
	if (str_starts_with(s, "engine.") && s[7]) {
		cfg_fail(loc, "unknown engine '%s' in [%s]", s + 7, s);
		return gate_error_hint("engines are host, bwrap, podman and docker");
	}
	cfg_fail(loc, "section [%s] needs a name, as in [%s.NAME]", s,
		 str_starts_with(s, "engine") ? "engine" : "analyzer");
	return -1;
}

/* ---- sources, entries and undo ---- */

static void config_mark(const struct config *cfg, struct config_mark *m)
{
	m->entries = cfg->nr;
	m->sections = cfg->sections.nr;
	m->sources = cfg->origins.nr;
}

static void entry_dispose(struct config_entry *e)
{
	free(e->section);
	free(e->key);
	free(e->value);
}

static void config_rollback(struct config *cfg, const struct config_mark *m)
{
	while (cfg->nr > m->entries)
		entry_dispose(&cfg->v[--cfg->nr]);
	while (cfg->sections.nr > m->sections)
		strvec_pop(&cfg->sections);
	while (cfg->origins.nr > m->sources)
		strvec_pop(&cfg->origins);
	while (cfg->dirs.nr > m->sources)
		strvec_pop(&cfg->dirs);
}

static int add_cwd(struct strbuf *dir)
{
	char *cwd = getcwd(NULL, 0);
	int ret;

	if (!cwd)
		return gate_error("cannot get the working directory: %s",
				  strerror(errno));
	ret = strbuf_addstr(dir, cwd);
	free(cwd);
	return ret;
}

static bool is_file_origin(const char *origin)
{
	return strcmp(origin, CONFIG_BUILTIN) && strcmp(origin, CONFIG_CMDLINE);
}

/* The absolute directory relative paths of origin start from. */
static int source_dir(struct strbuf *dir, const char *origin)
{
	const char *slash = is_file_origin(origin) ? strrchr(origin, '/') : NULL;

	if ((!slash || origin[0] != '/') && add_cwd(dir))
		return -1;
	if (slash && origin[0] != '/' && strbuf_addch(dir, '/'))
		return -1;
	if (slash && strbuf_add(dir, origin, (size_t)(slash - origin)))
		return -1;
	return dir->len ? 0 : strbuf_addch(dir, '/');
}

static int add_source(struct config *cfg, const char *origin, size_t *out)
{
	struct strbuf dir = STRBUF_INIT;
	int ret = source_dir(&dir, origin);

	if (!ret)
		ret = strvec_push(&cfg->dirs, dir.buf);
	if (!ret)
		ret = strvec_push(&cfg->origins, origin);
	*out = cfg->origins.nr - 1;
	strbuf_dispose(&dir);
	return ret;
}

/* The section's name as held by cfg, added when first seen. */
static int intern_section(struct config *cfg, const char *s, const char **out)
{
	int i = strvec_find(&cfg->sections, s);

	if (i < 0 && strvec_push(&cfg->sections, s))
		return -1;
	*out = cfg->sections.v[i < 0 ? cfg->sections.nr - 1 : (size_t)i];
	return 0;
}

static int entry_push(struct config *cfg, const struct cfg_loc *loc, size_t source,
		      const char *key, const char *value)
{
	struct config_entry *e;

	if (ALLOC_GROW(cfg->v, cfg->nr + 1, cfg->alloc))
		return -1;
	e = &cfg->v[cfg->nr];
	e->section = strdup(loc->section);
	e->key = strdup(key);
	e->value = strdup(value);
	e->source = source;
	e->line = loc->line;
	if (!e->section || !e->key || !e->value) {
		entry_dispose(e);
		return gate_error("out of memory");
	}
	cfg->nr++;
	return 0;
}

/* Validates key and value for the section of loc, then adds them. */
static int config_add(struct config *cfg, const struct cfg_loc *loc, size_t source,
		      const char *key, const char *value)
{
	enum cfg_kind kind = section_kind(loc->section);
	const struct cfg_key *k = key_find(kind, key);

	if (!k)
		return unknown_key(loc, kind, key);
	if (check_value(loc, k, value))
		return -1;
	return entry_push(cfg, loc, source, key, value);
}

/* ---- the parser ---- */

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static const char *skip_blank(const char *p, const char *end)
{
	while (p < end && is_blank(*p))
		p++;
	return p;
}

static const char *trim_end(const char *start, const char *end)
{
	while (end > start && is_blank(end[-1]))
		end--;
	return end;
}

/* The next line: [*start, *end) trimmed; *pp moves past its newline. */
static void next_line(const char **pp, const char **start, const char **end)
{
	const char *eol = strchrnul(*pp, '\n');

	*start = skip_blank(*pp, eol);
	*end = trim_end(*start, eol);
	*pp = *eol ? eol + 1 : eol;
}

static int parse_section(struct cfg_parser *ps, const char *start, const char *end)
{
	struct strbuf name = STRBUF_INIT;
	const char *s;
	int ret;

	if (end - start < 2 || end[-1] != ']')
		return cfg_fail(&ps->loc,
				"syntax error: expected ']' to end the section line");
	s = skip_blank(start + 1, end - 1);
	ret = strbuf_add(&name, s, (size_t)(trim_end(s, end - 1) - s));
	if (!ret)
		ret = check_section(&ps->loc, name.buf);
	if (!ret)
		ret = intern_section(ps->cfg, name.buf, &ps->loc.section);
	strbuf_dispose(&name);
	return ret;
}

/* Reads a value and its continuation lines into ps->value. */
static int read_value(struct cfg_parser *ps, const char *v, const char *end,
		      const char **pp)
{
	bool more;

	strbuf_reset(&ps->value);
	for (;;) {
		more = end > v && end[-1] == '\\';
		if (more)
			end = trim_end(v, end - 1);
		if (ps->value.len && end > v && strbuf_addch(&ps->value, ' '))
			return -1;
		if (strbuf_add(&ps->value, v, (size_t)(end - v)))
			return -1;
		if (!more || !**pp)
			return 0;
		ps->loc.line++;
		next_line(pp, &v, &end);
	}
}

static int parse_assignment(struct cfg_parser *ps, const char *start, const char *end,
			    const char **pp)
{
	const char *eq = memchr(start, '=', (size_t)(end - start));
	struct cfg_loc loc = ps->loc;
	char key[KEY_MAX + 1];
	size_t len;

	if (!eq)
		return cfg_fail(&loc, "syntax error: expected 'key = value' or '[section]'");
	len = (size_t)(trim_end(start, eq) - start);
	if (!name_ok(start, len, "_-") || len > KEY_MAX)
		return cfg_fail(&loc, "bad key name '%.*s'", (int)min_size(len, KEY_MAX), start);
	memcpy(key, start, len);
	key[len] = '\0';
	if (!loc.section)
		return cfg_fail(&loc, "key '%s' outside of any section", key);
	if (read_value(ps, skip_blank(eq + 1, end), end, pp))
		return -1;
	return config_add(ps->cfg, &loc, ps->source, key, ps->value.buf);
}

static int parse_text(struct cfg_parser *ps, const char *text)
{
	const char *p = text, *start, *end;
	int ret = 0;

	while (*p && !ret) {
		ps->loc.line++;
		next_line(&p, &start, &end);
		if (start == end || *start == '#' || *start == ';')
			continue;
		if (*start == '[')
			ret = parse_section(ps, start, end);
		else
			ret = parse_assignment(ps, start, end, &p);
	}
	return ret;
}

/* ---- loading ---- */

int config_new(struct config **out)
{
	struct config *cfg = calloc(1, sizeof(*cfg));

	if (!cfg)
		return gate_error("out of memory");
	strvec_init(&cfg->sections);
	strvec_init(&cfg->origins);
	strvec_init(&cfg->dirs);
	*out = cfg;
	return 0;
}

void config_free(struct config *cfg)
{
	struct config_mark none = { 0, 0, 0 };

	if (!cfg)
		return;
	config_rollback(cfg, &none);
	free(cfg->v);
	strvec_dispose(&cfg->sections);
	strvec_dispose(&cfg->origins);
	strvec_dispose(&cfg->dirs);
	free(cfg);
}

int config_load_string(struct config *cfg, const char *origin, const char *text)
{
	struct cfg_parser ps = { cfg, { origin, 0, NULL }, 0, STRBUF_INIT };
	struct config_mark mark;
	int ret;

	config_mark(cfg, &mark);
	ret = add_source(cfg, origin, &ps.source);
	if (!ret)
		ret = parse_text(&ps, text);
	if (ret)
		config_rollback(cfg, &mark);
	strbuf_dispose(&ps.value);
	return ret;
}

/* A NUL byte would silently cut the file short: name its line instead. */
static int check_nul(const struct strbuf *sb, const char *path)
{
	const char *nul = memchr(sb->buf, '\0', sb->len);
	struct cfg_loc loc = { path, 1, NULL };
	const char *p;

	if (!nul)
		return 0;
	for (p = sb->buf; p < nul; p++)
		loc.line += *p == '\n';
	return cfg_fail(&loc, "NUL byte in a config file");
}

int config_load_file(struct config *cfg, const char *path, bool must_exist)
{
	struct strbuf sb = STRBUF_INIT;
	char why[256];
	int fd, ret;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT && !must_exist)
		return 0;
	if (fd < 0)
		return gate_error("cannot open config file '%s': %s", path,
				  strerror(errno));
	sb.cap = CONFIG_FILE_MAX;
	ret = strbuf_read_fd(&sb, fd);
	close(fd);
	if (ret) {
		snprintf(why, sizeof(why), "%s", gate_error_last());
		gate_error("cannot read config file '%s': %s", path, why);
		goto out;
	}
	ret = check_nul(&sb, path);
	if (!ret)
		ret = config_load_string(cfg, path, sb.buf);
out:
	strbuf_dispose(&sb);
	return ret;
}

/* $XDG_CONFIG_HOME/mkt-gate/config, else ~/.config/..., else nothing. */
static int user_config_path(struct strbuf *out)
{
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");

	if (xdg && xdg[0] == '/')
		return strbuf_addf(out, "%s/mkt-gate/config", xdg);
	if (home && home[0])
		return strbuf_addf(out, "%s/.config/mkt-gate/config", home);
	return 0;
}

int config_load_layers(struct config *cfg, const char *repo_top, const char *extra_file)
{
	struct strbuf path = STRBUF_INIT;
	struct config_mark mark;
	int ret;

	config_mark(cfg, &mark);
	ret = config_load_string(cfg, CONFIG_BUILTIN, gate_default_config);
	if (!ret)
		ret = user_config_path(&path);
	if (!ret && path.len)
		ret = config_load_file(cfg, path.buf, false);
	strbuf_reset(&path);
	if (!ret && repo_top)
		ret = strbuf_addf(&path, "%s/.mkt-gate.conf", repo_top);
	if (!ret && repo_top)
		ret = config_load_file(cfg, path.buf, false);
	if (!ret && extra_file)
		ret = config_load_file(cfg, extra_file, true);
	if (ret)
		config_rollback(cfg, &mark);
	strbuf_dispose(&path);
	return ret;
}

int config_set(struct config *cfg, const char *section, const char *key,
	       const char *value)
{
	struct cfg_loc loc = { CONFIG_CMDLINE, 0, section };
	const char *v = skip_blank(value, value + strlen(value));
	const char *end = trim_end(v, v + strlen(v));
	struct strbuf trimmed = STRBUF_INIT;
	struct config_mark mark;
	size_t source;
	int ret;

	config_mark(cfg, &mark);
	if (strchr(value, '\n') || (end > v && end[-1] == '\\'))
		return cfg_fail(&loc, "bad value for '%s' in [%s]: %s", key, section,
				"no line breaks or final backslash");
	ret = check_section(&loc, section);
	if (!ret)
		ret = strbuf_add(&trimmed, v, (size_t)(end - v));
	if (!ret)
		ret = add_source(cfg, CONFIG_CMDLINE, &source);
	if (!ret)
		ret = intern_section(cfg, section, &loc.section);
	if (!ret)
		ret = config_add(cfg, &loc, source, key, trimmed.buf);
	if (ret)
		config_rollback(cfg, &mark);
	strbuf_dispose(&trimmed);
	return ret;
}

/* ---- getters ---- */

static const struct config_entry *entry_find(const struct config *cfg,
					     const char *section, const char *key)
{
	size_t i;

	for (i = cfg->nr; i-- > 0;)
		if (!strcmp(cfg->v[i].key, key) && !strcmp(cfg->v[i].section, section))
			return &cfg->v[i];
	return NULL;
}

/* The winning entry of a key the table gives one of the types in mask. */
static const struct config_entry *typed_find(const struct config *cfg,
					     const char *section, const char *key,
					     unsigned int mask)
{
	const struct cfg_key *k = key_find(section_kind(section), key);

	if (!k || !(mask & TYPE_BIT(k->type)))
		GATE_BUG("config key asked for as a type the key table does not give it");
	return entry_find(cfg, section, key);
}

/* Appends the absolute, tidied form of value: "~" is $HOME, relative is under dir. */
static int path_resolve(struct strbuf *out, const char *dir, const char *value)
{
	const char *home = getenv("HOME");
	struct strbuf tmp = STRBUF_INIT;
	size_t start = out->len;
	const char *p, *next;
	int ret;

	if (value[0] == '~' && (value[1] == '/' || !value[1]) && !(home && home[0]))
		return gate_error("cannot resolve '%s': $HOME is not set", value);
	if (value[0] == '~' && (value[1] == '/' || !value[1]))
		ret = strbuf_addf(&tmp, "%s/%s", home, value + 1);
	else
		ret = strbuf_addf(&tmp, "%s/%s", value[0] == '/' ? "" : dir, value);
	for (p = tmp.buf; !ret && *p; p = *next ? next + 1 : next) {
		next = strchrnul(p, '/');
		if (next == p || (next - p == 1 && *p == '.'))
			continue;
		ret = strbuf_addch(out, '/');
		if (!ret)
			ret = strbuf_add(out, p, (size_t)(next - p));
	}
	if (!ret && out->len == start)
		ret = strbuf_addch(out, '/');
	if (ret)
		strbuf_setlen(out, start);
	strbuf_dispose(&tmp);
	return ret;
}

const char *config_get(const struct config *cfg, const char *section, const char *key)
{
	const struct config_entry *e = entry_find(cfg, section, key);

	return e ? e->value : NULL;
}

int config_get_bool(const struct config *cfg, const char *section, const char *key,
		    bool *out)
{
	const struct config_entry *e = typed_find(cfg, section, key, TYPE_BIT(CT_BOOL));

	if (!e)
		return 0;
	if (parse_bool(e->value, out))
		return gate_error("bad boolean '%s' for '%s' in [%s]",
				  e->value, key, section);
	return 1;
}

int config_get_int(const struct config *cfg, const char *section, const char *key,
		   int *out)
{
	const struct config_entry *e = typed_find(cfg, section, key, TYPE_BIT(CT_INT));

	if (!e)
		return 0;
	if (parse_int(e->value, INT_MIN, INT_MAX, out))
		return gate_error("bad number '%s' for '%s' in [%s]",
				  e->value, key, section);
	return 1;
}

int config_get_list(const struct config *cfg, const char *section, const char *key,
		    struct strvec *out)
{
	unsigned int mask = TYPE_BIT(CT_LIST) | TYPE_BIT(CT_PATHS) | TYPE_BIT(CT_RULES) |
			    TYPE_BIT(CT_ENV);
	const struct config_entry *e = typed_find(cfg, section, key, mask);

	if (!e)
		return 0;
	return strvec_split(out, e->value) ? -1 : 1;
}

int config_get_path(const struct config *cfg, const char *section, const char *key,
		    struct strbuf *out)
{
	const struct config_entry *e = typed_find(cfg, section, key, TYPE_BIT(CT_PATH));

	if (!e)
		return 0;
	return path_resolve(out, cfg->dirs.v[e->source], e->value) ? -1 : 1;
}

/* Appends each path of the list value of e, resolved. */
static int resolve_paths(const struct config *cfg, const struct config_entry *e,
			 struct strvec *out)
{
	struct strvec words = STRVEC_INIT;
	struct strbuf path = STRBUF_INIT;
	int ret = strvec_split(&words, e->value);
	size_t i;

	for (i = 0; !ret && i < words.nr; i++) {
		strbuf_reset(&path);
		ret = path_resolve(&path, cfg->dirs.v[e->source], words.v[i]);
		if (!ret)
			ret = strvec_push(out, path.buf);
	}
	strbuf_dispose(&path);
	strvec_dispose(&words);
	return ret;
}

int config_get_path_list(const struct config *cfg, const char *section, const char *key,
			 struct strvec *out)
{
	const struct config_entry *e = typed_find(cfg, section, key, TYPE_BIT(CT_PATHS));

	if (!e)
		return 0;
	return resolve_paths(cfg, e, out) ? -1 : 1;
}

int config_get_severity(const struct config *cfg, const char *section, const char *key,
			enum finding_severity *out)
{
	const struct config_entry *e;

	e = typed_find(cfg, section, key, TYPE_BIT(CT_SEVERITY));

	if (!e)
		return 0;
	return finding_severity_parse(e->value, out) ? -1 : 1;
}

/* The level of rule in a RULE:LEVEL list; the last pair for it wins. */
static int rule_level(const struct strvec *pairs, const char *rule,
		      enum finding_severity *out)
{
	size_t i, len = strlen(rule);
	const char *w;

	for (i = pairs->nr; i-- > 0;) {
		w = pairs->v[i];
		if (!strncmp(w, rule, len) && strrchr(w, ':') == w + len)
			return finding_severity_parse(w + len + 1, out) ? -1 : 1;
	}
	return 0;
}

int config_get_rule_severity(const struct config *cfg, const char *analyzer,
			     const char *rule, enum finding_severity *out)
{
	struct strbuf section = STRBUF_INIT;
	struct strvec pairs = STRVEC_INIT;
	int ret;

	ret = strbuf_addf(&section, "analyzer.%s", analyzer);
	if (!ret)
		ret = config_get_list(cfg, section.buf, "severity", &pairs);
	if (ret > 0)
		ret = rule_level(&pairs, rule, out);
	strvec_dispose(&pairs);
	strbuf_dispose(&section);
	return ret;
}

int config_get_kconfig(const struct config *cfg, struct strbuf *out, bool *is_file)
{
	const struct config_entry *e;

	e = typed_find(cfg, "defaults", "kconfig", TYPE_BIT(CT_STRING));
	if (!e)
		return 0;
	*is_file = strchr(e->value, '/') || str_ends_with(e->value, ".config");
	if (!*is_file)
		return strbuf_addstr(out, e->value) ? -1 : 1;
	return path_resolve(out, cfg->dirs.v[e->source], e->value) ? -1 : 1;
}

int config_origin(const struct config *cfg, const char *section, const char *key,
		  struct strbuf *out)
{
	const struct config_entry *e = entry_find(cfg, section, key);
	const char *origin;

	if (!e)
		return 0;
	origin = cfg->origins.v[e->source];
	if (!e->line)
		return strbuf_addstr(out, origin) ? -1 : 1;
	return strbuf_addf(out, "%s:%u", origin, e->line) ? -1 : 1;
}

int config_sections(const struct config *cfg, const char *prefix, struct strvec *out)
{
	size_t i;

	for (i = 0; i < cfg->sections.nr; i++)
		if (str_starts_with(cfg->sections.v[i], prefix) &&
		    strvec_push(out, cfg->sections.v[i]))
			return -1;
	return 0;
}

bool config_is_target_section(const char *section)
{
	return section_kind(section) == SK_TARGET;
}

const char *config_closest(const char *word, const struct strvec *names)
{
	size_t d, best_d = SIZE_MAX;
	const char *best = NULL;

	for (size_t i = 0; i < names->nr; i++) {
		if (!is_close(word, names->v[i]))
			continue;
		d = edit_distance(word, names->v[i]);
		if (d < best_d) {
			best_d = d;
			best = names->v[i];
		}
	}
	return best;
}

/* ---- dump ---- */

/* One word of a list, escaped so that strvec_split() gives it back. */
static int dump_word(struct strbuf *out, const char *word, bool space)
{
	const char *p;
	int ret = space ? strbuf_addch(out, ' ') : 0;

	for (p = word; !ret && *p; p++) {
		if (strchr(" \t'\"\\", *p))
			ret = strbuf_addch(out, '\\');
		if (!ret)
			ret = strbuf_addch(out, *p);
	}
	return ret;
}

static int dump_entry(const struct config *cfg, const struct config_entry *e,
		      struct strbuf *out)
{
	const struct cfg_key *k = key_find(section_kind(e->section), e->key);
	struct strvec paths = STRVEC_INIT;
	int ret = strbuf_addf(out, "%s = ", e->key);
	size_t i;

	if (!ret && k->type == CT_PATH)
		ret = path_resolve(out, cfg->dirs.v[e->source], e->value);
	else if (!ret && k->type == CT_PATHS)
		ret = resolve_paths(cfg, e, &paths);
	else if (!ret)
		ret = strbuf_addstr(out, e->value);
	for (i = 0; !ret && i < paths.nr; i++)
		ret = dump_word(out, paths.v[i], i > 0);
	if (!ret)
		ret = strbuf_addch(out, '\n');
	strvec_dispose(&paths);
	return ret;
}

int config_dump(const struct config *cfg, struct strbuf *out)
{
	const char *s;
	size_t i, j;

	for (i = 0; i < cfg->sections.nr; i++) {
		s = cfg->sections.v[i];
		if (strbuf_addf(out, "%s[%s]\n", i ? "\n" : "", s))
			return -1;
		for (j = 0; j < cfg->nr; j++) {
			if (strcmp(cfg->v[j].section, s) ||
			    entry_find(cfg, s, cfg->v[j].key) != &cfg->v[j])
				continue;
			if (dump_entry(cfg, &cfg->v[j], out))
				return -1;
		}
	}
	return 0;
}

int config_data_path(const char *self, const char *rel, struct strbuf *out)
{
	/* bin/ of an install, libexec/mkt-gate/ (mkt-gate-full), the build tree */
	static const char *const roots[] = {
		"%s/../share/mkt-gate/%s", "%s/../../share/mkt-gate/%s", "%s/../%s", NULL,
	};
	char exe[PATH_MAX], *bin;
	const char *dir;
	struct strbuf p = STRBUF_INIT;
	ssize_t n;
	int ret;

	n = self ? -1 : readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		self = exe;
	}
	bin = strdup(self ? self : "./mkt-gate");
	if (!bin)
		return gate_error("out of memory");
	dir = dirname(bin);	/* in place: once */
	strbuf_addf(&p, "%s/%s", MKT_GATE_DATADIR, rel);
	for (size_t i = 0; access(p.buf, R_OK) && roots[i]; i++) {
		strbuf_reset(&p);
		strbuf_addf(&p, roots[i], dir, rel);
	}
	if (!access(p.buf, R_OK))
		ret = strbuf_addbuf(out, &p);
	else
		ret = gate_error("cannot find '%s', which mkt-gate ships", rel);
	free(bin);
	strbuf_dispose(&p);
	return ret;
}
