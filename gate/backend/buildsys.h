/* buildsys.h: a generic project's own build system (CMake, Meson, make through
 * bear) in the scratch build directory, run in the job engine, never on the host. */
#ifndef GATE_BUILDSYS_H
#define GATE_BUILDSYS_H

#include "ccdb.h"
#include "repo.h"
#include "run_opts.h"
#include "strbuf.h"
#include "strvec.h"

#include <stdbool.h>

/*
 * The kind of a tree, by its top-level files: CMakeLists.txt, meson.build,
 * then a Makefile or an autotools configure(.ac). NONE: no build system
 * we run (a compile_commands.json of the user's may still describe it).
 */
enum buildsys_kind {
	BUILDSYS_NONE,
	BUILDSYS_CMAKE,
	BUILDSYS_MESON,
	BUILDSYS_MAKE,
};

/*
 * CMake and Meson configure out of tree in build (which then holds
 * compile_commands.json); make builds in place, so build holds a copy of
 * the sources, kept in step with the scratch tree, and bear records the
 * commands of its build into state. The first build of a build directory
 * is a full one (the baseline): it makes every generated input, and its
 * stamp in state names what it was configured with, so a change of
 * cmake_args, meson_args, build_env or build_command starts over.
 *
 * Every configure and build runs through o->ctr (bwrap, podman), with
 * build_env and LC_ALL=C in its environment; what it printed last is in
 * log, for the report when it fails.
 *
 * Life cycle: buildsys_init(), buildsys_prepare() whenever the database
 * must be (re)made, buildsys_sync() and buildsys_objects() as the scratch
 * tree moves, buildsys_dispose().
 */
struct buildsys {
	enum buildsys_kind kind;
	const struct gate_run_opts *o;
	char *src;
	char *build;
	char *state;
	char *db_path;			/* the database, once prepared */
	struct strvec cmake_args;
	struct strvec meson_args;
	struct strvec env;		/* build_env */
	char *build_command;		/* NULL: by kind */
	bool ninja;			/* build holds build.ninja */
	bool ninja_known, ninja_found;	/* whether the engine has ninja */
	struct strbuf log;
};

enum buildsys_kind buildsys_detect(const char *src);
const char *buildsys_name(enum buildsys_kind kind);

/* Reads cmake_args, meson_args, build_env and build_command of [defaults]. */
int buildsys_init(struct buildsys *b, const struct gate_run_opts *o,
		  const char *src, const char *build, const char *state);
void buildsys_dispose(struct buildsys *b);

/*
 * Configures the tree of kind (now in src) and builds the baseline when
 * the build directory has none; make runs the build again (bear appends
 * what it compiles to the database). Sets db_path. -1 when the configure
 * failed, or make left no database at all.
 */
int buildsys_prepare(struct buildsys *b, enum buildsys_kind kind,
		     git_repository *git, const git_oid *tree);

/*
 * CMake and Meson: takes the build directory as a buildsys_prepare() of
 * the same kind and build files left it (the caller knows it did), so
 * nothing is configured again.
 */
int buildsys_reuse(struct buildsys *b, enum buildsys_kind kind);

/* Where the commands compile: the copy for make, else src. */
const char *buildsys_root(const struct buildsys *b);

/* make: brings the copy in build to tree (what src holds). */
int buildsys_sync(struct buildsys *b, git_repository *git, const git_oid *tree);

/*
 * Has the build system make every input the units' objects need
 * (generated headers, the targets they depend on): ninja builds what
 * `ninja -t query` names before each object, make (which cannot tell)
 * the objects themselves. -j jobs, keeping going past failures, which
 * the compiles that follow report. Units without a target are left to
 * the compiles alone.
 */
int buildsys_objects(struct buildsys *b, struct ccdb_tu *const *units, size_t n);

/*
 * The target that builds tu's object (*dir: where to run the build
 * system, borrowed from b or tu), or -1 when there is none.
 */
int buildsys_target(const struct buildsys *b, const struct ccdb_tu *tu,
		    const char **dir, struct strbuf *target);

/*
 * make: bear recorded what one build compiled in fresh_path; its entries
 * replace those of the database at db_path for the same source and
 * object, the others stay while their source exists (an incremental build
 * compiles only what changed). The result is written to db_path.
 */
int buildsys_merge_db(const char *db_path, const char *fresh_path);

#endif
