/* config.h: the layered INI configuration and its typed getters.
 * Validates every value when it is loaded; never prints or exits. */
#ifndef GATE_CONFIG_H
#define GATE_CONFIG_H

#include <stdbool.h>

#include "finding.h"

struct strbuf;
struct strvec;

/*
 * Format: `[section]`, `key = value`, `# comment` or `; comment` (only at
 * the start of a line; there are no inline comments), blank lines. Keys
 * and values are trimmed; a value ending in a backslash goes on with the
 * next line, joined by one space. Section names use [A-Za-z0-9._-], keys
 * [A-Za-z0-9_-]; both are case sensitive. Sections are `[defaults]`,
 * `[analyzer.NAME]`, `[engine.NAME]` (host, bwrap, podman or docker),
 * `[gerrit]`, `[device.NAME]` (an emulated device a boot target's `pci`
 * names), and any other name is a boot target section (`[qemu]`).
 *
 * Invariants: the key table in config.c is the single source of truth.
 * Every value held has passed its type check (bool, int with range,
 * list, path, severity, choice, RULE:LEVEL pairs, size), so the typed
 * getters cannot meet a bad value written by a user. A failed load
 * leaves the config exactly as it was before the call. Errors name the
 * origin, the line and the key, git style:
 *   /home/u/repo/.mkt-gate.conf:7: unknown key 'jbos' in [defaults]
 * with a gate_error_hint() naming the closest known key when one is
 * close. Built-in defaults are named "<built-in>", config_set() values
 * "<command line>" (which has no line number).
 *
 * Layers: later loads win, key by key ("last layer wins"). The standard
 * order is built-in < user file < repository file < --config FILE <
 * command line; config_load_layers() loads the first four.
 *
 * Paths: a relative path value is relative to the directory of the file
 * it came from; for "<built-in>" and "<command line>" it is relative to
 * the working directory when it was loaded. "~" and "~/..." start at
 * $HOME. Path getters return absolute paths; nothing is checked to exist.
 *
 * Life cycle: config_new(), any number of loads and config_set(), getters,
 * config_free(). A config is not thread safe while it is being loaded and
 * may be read from many threads once loading is over.
 *
 * Ownership: strings returned by config_get() are borrowed and live until
 * config_free(); the strbuf and strvec out-parameters are appended to
 * and stay the caller's.
 *
 * Getters return 1 when the key is set (out filled), 0 when it is unset
 * (out untouched) and -1 on error. Asking a typed getter for a key that
 * is not of its type in the key table is a GATE_BUG().
 */
struct config;

/* The contents of configs/defaults.conf, embedded by the build. */
extern const char gate_default_config[];

#define CONFIG_BUILTIN "<built-in>"
#define CONFIG_CMDLINE "<command line>"

int config_new(struct config **out);
void config_free(struct config *cfg);

/*
 * Parses text as one layer. origin is used in messages; relative paths
 * are resolved against dirname(origin) unless origin is CONFIG_BUILTIN
 * or CONFIG_CMDLINE (then the working directory).
 */
int config_load_string(struct config *cfg, const char *origin, const char *text);
/* Loads a file; a missing file is an error only when must_exist. */
int config_load_file(struct config *cfg, const char *path, bool must_exist);
/*
 * The standard layers: built-in, $XDG_CONFIG_HOME/mkt-gate/config (or
 * ~/.config/mkt-gate/config), <repo_top>/.mkt-gate.conf (repo_top may be
 * NULL), then extra_file (may be NULL; must exist when given).
 */
int config_load_layers(struct config *cfg, const char *repo_top, const char *extra_file);
/* The command-line layer: one value, validated, origin CONFIG_CMDLINE. */
int config_set(struct config *cfg, const char *section, const char *key,
	       const char *value);

/* The raw winning value, or NULL when unset. */
const char *config_get(const struct config *cfg, const char *section, const char *key);
int config_get_bool(const struct config *cfg, const char *section, const char *key,
		    bool *out);
int config_get_int(const struct config *cfg, const char *section, const char *key,
		   int *out);
/* Appends the words of a list (quotes honoured as in strvec_split()). */
int config_get_list(const struct config *cfg, const char *section, const char *key,
		    struct strvec *out);
/* Appends the resolved absolute path. */
int config_get_path(const struct config *cfg, const char *section, const char *key,
		    struct strbuf *out);
/* Appends each word of a list of paths, resolved (kconfig_fragments, fragment). */
int config_get_path_list(const struct config *cfg, const char *section, const char *key,
			 struct strvec *out);
int config_get_severity(const struct config *cfg, const char *section, const char *key,
			enum finding_severity *out);
/*
 * The level `severity = RULE:LEVEL ...` of [analyzer.NAME] gives rule;
 * 1 when the rule is listed, 0 when not (out untouched).
 */
int config_get_rule_severity(const struct config *cfg, const char *analyzer,
			     const char *rule, enum finding_severity *out);
/*
 * [defaults] kconfig: a file (it holds a '/' or ends in ".config"), which
 * is appended resolved with *is_file set, or a make target such as
 * "defconfig", appended as it is with *is_file cleared.
 */
int config_get_kconfig(const struct config *cfg, struct strbuf *out, bool *is_file);

/* Appends "file:line" (or "<command line>") of the winning value. */
int config_origin(const struct config *cfg, const char *section, const char *key,
		  struct strbuf *out);
/*
 * Appends the names of the sections starting with prefix ("" for all),
 * each once, first seen first.
 */
int config_sections(const struct config *cfg, const char *prefix, struct strvec *out);
bool config_is_target_section(const char *section);
/*
 * The name of names closest to word when one is close enough to be a typo
 * of it (one edit for short names, two for longer), else NULL; borrowed.
 */
const char *config_closest(const char *word, const struct strvec *names);

/*
 * Finds a file mkt-gate ships, rel being its path in the source tree
 * ("configs/kernel/qemu-boot.config"): under the installed data directory,
 * or in the source tree that self (the binary; NULL: /proc/self/exe) was
 * built in. Appends the path to out; -1 with gate_error() when not found.
 */
int config_data_path(const char *self, const char *rel, struct strbuf *out);

/*
 * Appends the effective config as INI text that loads back to the same
 * values: sections first seen first, one winning `key = value` a key,
 * path values resolved to absolute paths.
 */
int config_dump(const struct config *cfg, struct strbuf *out);

#endif
