/* kbuild.h: what a kbuild tree builds, which objects a change touches, how to make them.
 * Reads .cmd files, Makefiles and .config; runs make only when asked. Never prints or exits. */
#ifndef GATE_KBUILD_H
#define GATE_KBUILD_H

#include "analyzer.h"
#include "repo.h"
#include "strbuf.h"
#include "strvec.h"

#include <stdbool.h>
#include <stddef.h>

/*
 * Whether top is the top of a kbuild tree: a Makefile with VERSION and
 * PATCHLEVEL lines, a Kbuild file and a scripts/ directory.
 */
bool kbuild_detect(const char *top);
/* The same of the tree of commit, read from the object database. */
bool kbuild_detect_commit(git_repository *git, const git_oid *commit);

/*
 * The object database of one out-of-tree build directory (O=).
 *
 * Invariants: the db knows every object the build compiled, that is every
 * `.<name>.o.cmd` file with a `source_<obj>` line, except under tools/
 * (not kbuild) and modpost's *.mod.o. Object names are relative to the
 * build directory ("kernel/fork.o"). Files are named relative to the
 * source directory ("include/linux/sched.h"); dependencies outside the
 * source tree (generated headers in the build directory, system headers)
 * are not recorded, and `$(wildcard include/config/FOO)` entries are
 * recorded as the config symbol "CONFIG_FOO". Look-ups are hash-table
 * lookups, so the db scales to allmodconfig.
 *
 * Life cycle: kbuild_db_load() scans the build directory once;
 * kbuild_db_update() re-reads the .cmd files of objects just rebuilt (an
 * object whose .cmd file went away is forgotten); kbuild_db_free().
 *
 * Ownership: the caller owns the db and frees it with kbuild_db_free()
 * (NULL is fine). Lists are appended to the caller's strvec, sorted.
 */
struct kbuild_db;

int kbuild_db_load(struct kbuild_db **out, const char *src_dir,
		   const char *build_dir);
/*
 * Writes the db's parse of the .cmd files into the build directory
 * (.mkt-gate-db) when it changed since last written; the next load takes
 * each object whose .cmd file is unchanged from it instead of parsing.
 * Loading only reads it: the caller saves once, when done with the db.
 */
int kbuild_db_save(struct kbuild_db *db);
void kbuild_db_free(struct kbuild_db *db);
size_t kbuild_db_count(const struct kbuild_db *db);
bool kbuild_db_builds(const struct kbuild_db *db, const char *obj);
/* The object's source, relative to the source directory; NULL if unknown. */
const char *kbuild_db_source(const struct kbuild_db *db, const char *obj);

/*
 * Appends the objects that path (relative to the source directory)
 * touches: those compiled from it and those whose deps list it, sorted
 * and without duplicates. A header nobody includes gives none, which is
 * not an error. path may also be a config symbol ("CONFIG_SMP").
 */
int kbuild_db_dependents(const struct kbuild_db *db, const char *path,
			 struct strvec *objs);
/*
 * Appends the files of the source tree the object read at its last build
 * (its source and the deps of its .cmd file, not config symbols). Returns
 * 1, or 0 when the object is not known.
 */
int kbuild_db_inputs(const struct kbuild_db *db, const char *obj,
		     struct strvec *files);
/* Appends every object compiled in directory dir ("" is the top). */
int kbuild_db_directory(const struct kbuild_db *db, const char *dir,
			struct strvec *objs);
int kbuild_db_update(struct kbuild_db *db, const struct strvec *objs);

/*
 * The objects one commit touches. Fill it by calling kbuild_touch_path()
 * for each changed file, then kbuild_touch_finish() once.
 *
 * objs: sorted, no duplicates, at most max_objects after finish.
 * left_out: what the cap dropped, sorted; never dropped silently.
 * config_changed: a Kconfig file changed, so the caller re-runs
 * olddefconfig and maps the changed symbols (kbuild_config_diff()) to
 * objects with kbuild_db_dependents().
 * reasons: one "path: why" line per changed file, also when it maps to
 * nothing (Documentation/, tools/, a file this config does not build).
 * all_objects: rules every object is built with changed (the top
 * Makefile or Kbuild, arch/<arch>/Makefile*, scripts/Makefile.*,
 * scripts/Kbuild.include), so objs holds every object of the db.
 *
 * Life cycle: kbuild_touch_init(), kbuild_touch_path()..., _finish(),
 * read, kbuild_touch_dispose(), which frees the contents only.
 */
struct kbuild_touch {
	struct strvec objs;
	struct strvec left_out;
	struct strvec reasons;
	bool config_changed;
	bool all_objects;
};

void kbuild_touch_init(struct kbuild_touch *t);
void kbuild_touch_dispose(struct kbuild_touch *t);

/*
 * Adds what path touches. status is the diff status: 'A', 'M', 'D' or
 * 'R' (path is then the new name; pass the old one as 'D'). src_dir is
 * the tree as of the change (where a new .c file's Makefile is read),
 * which may differ from the db's source directory; NULL means the db's.
 * A Makefile or Kbuild touches every object of its directory (see
 * kbuild_touch_rules() for a finer answer), a Kconfig file sets
 * config_changed. A new .c or .S file is built when its directory's
 * Makefile or Kbuild wires it in (obj-y, obj-$(CONFIG_FOO) with FOO=y or
 * m in the build directory's .config, or a part of a composite object
 * that is built); ifeq/ifdef blocks are not evaluated.
 */
int kbuild_touch_path(struct kbuild_touch *t, const struct kbuild_db *db,
		   const char *src_dir, const char *path, int status);
/*
 * Like kbuild_touch_path() for a Makefile or Kbuild file ('M') whose old and
 * new contents the caller has: when the change only edits object lists
 * ("obj-$(CONFIG_FOO) += a.o", "foo-y := a.o b.o"), just the objects on
 * the changed lines that the new rules build are touched (the parts of a
 * composite); any other change (flags, subdirectories, conditionals)
 * touches every object of the directory. Other paths go to kbuild_touch_path().
 */
int kbuild_touch_rules(struct kbuild_touch *t, const struct kbuild_db *db,
			 const char *path, const char *old_text, const char *new_text);
/* Sorts, removes duplicates and moves objects past max (0: no cap) to left_out. */
int kbuild_touch_finish(struct kbuild_touch *t, size_t max_objects);

/* Whether the .config at path sets sym (CONFIG_WERROR) to y; false when unreadable. */
bool kbuild_config_enabled(const char *config, const char *sym);
/*
 * Appends to syms the CONFIG_ symbols whose value differs between two
 * .config files (set, unset or changed), sorted.
 */
int kbuild_config_diff(struct strvec *syms, const char *old_config,
		       const char *new_config);

/*
 * How to run make for one analyzer.
 *
 * kbuild_make_opts_init() fills in the defaults for an analyzer by what
 * it can do: a compiler gets W=1 (and LLVM=1 for clang: give it a build
 * directory of its own), a checker C=2 CHECK="command check_args"
 * (sparse; "smatch -p=kernel"); NULL or any other: a plain build. The checkers use
 * C=2, which runs the checker on every object asked for whether or not it
 * is rebuilt; the compilers need kbuild_make_prepare() to remove the
 * objects first, so that make compiles them again and the diagnostics of
 * an unchanged object are printed again. kbuild rebuilds an object whose
 * command line changed, so a build directory shared by analyzers with
 * different W= or flags recompiles on each switch: give W-levels a build
 * directory each, or keep them equal.
 *
 * The strings are borrowed and must outlive the options.
 */
struct ctr_engine;

struct kbuild_make_opts {
	const char *make;		/* "make" */
	struct ctr_engine *ctr;		/* configure steps run here; NULL: host */
	const char *src_dir;		/* make -C */
	const char *build_dir;		/* O= */
	const char *arch;		/* ARCH=; NULL: the host's */
	const char *cross_compile;	/* CROSS_COMPILE=; NULL: none */
	const char *check;		/* CHECK=; with C=2 */
	const char *check_args;		/* follow check in CHECK= */
	const char *cf;			/* CF=, flags for the checker */
	const char *kcflags;		/* KCFLAGS=, appended last by kbuild */
	const char *launcher;		/* "ccache": CC= the compiler through it */
	unsigned int w;			/* W=; 0: none */
	unsigned int jobs;		/* -j; 0: 1 */
	bool llvm;			/* LLVM=1 */
	bool keep_going;		/* -k */
	bool silent;			/* -s */
};

void kbuild_make_opts_init(struct kbuild_make_opts *o, const struct an_desc *d);
/* Appends the make command line that builds objs (NULL or empty: everything). */
int kbuild_make_args(struct strvec *argv, const struct kbuild_make_opts *o,
		     const struct strvec *objs);
/* Removes the object files so that a compiler analyzer re-emits their diagnostics. */
int kbuild_make_prepare(const struct kbuild_make_opts *o,
			const struct strvec *objs);

/*
 * Configures o->build_dir: kconfig is either a make target such as
 * "tinyconfig" or "defconfig", or a config file (it contains a '/' or
 * names an existing file) copied to .config; fragments (may be NULL) are
 * merged on top with scripts/kconfig/merge_config.sh -m; then make
 * olddefconfig. make's output is appended to log (may be NULL).
 */
int kbuild_config(const struct kbuild_make_opts *o, const char *kconfig,
		  const struct strvec *fragments, struct strbuf *log);
/*
 * Appends to out, each on a line of its own indented by four spaces, the
 * lines of a failed make's output that say why (compiler errors, make's
 * "*** ..."), at most max of them; with none, its last max lines.
 */
void kbuild_make_errors(const struct strbuf *log, size_t max, struct strbuf *out);
int kbuild_olddefconfig(const struct kbuild_make_opts *o, struct strbuf *log);

#endif
