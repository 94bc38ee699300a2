/* ccdb.h: generic C projects through compile_commands.json: the translation
 * units, their commands in the scratch tree, and which headers each one reads. */
#ifndef GATE_CCDB_H
#define GATE_CCDB_H

#include "strbuf.h"
#include "strvec.h"

#include <stdbool.h>

/*
 * One translation unit: file is relative to the repository top; key
 * identifies the unit in reports and caches (file, or file#N when the
 * database compiles one file more than once); args is the project's own
 * command with every path moved into the scratch tree; output the object
 * it writes as the database names it (relative to dir, or absolute;
 * NULL when unknown), which is the unit's target in the build system.
 */
struct ccdb_tu {
	char *file;
	char *key;
	char *dir;
	char *output;
	struct strvec args;
	struct strvec deps;	/* repo-relative inputs; empty until known */
	bool deps_known;
	bool reads_generated;	/* the depfile names files of the build dir */
	char deps_tree[41];	/* the tree deps were read at, as hex; "" unknown */
};

/*
 * Where the database comes from: the configured path (compile_commands
 * in [defaults]); the project's build system run by us in the scratch
 * build directory (buildsys.h), so that the commands follow each commit's
 * own build files; or a compile_commands.json at the top of the tree or
 * in build/ (the user's, with paths moved from the user's tree to ours).
 */
enum ccdb_origin {
	CCDB_NONE,
	CCDB_CONFIGURED_PATH,
	CCDB_BUILD_SYSTEM,
	CCDB_FOUND,
};

/*
 * src is the scratch source tree (the repository's files); root the tree
 * the commands compile: src, or the copy of it that an in-tree build
 * (make) builds in; build the scratch build directory. The *_real paths
 * are their realpath(), which every path a tool prints is compared with.
 */
struct ccdb {
	enum ccdb_origin origin;
	char *user_top;
	char *src;
	char *root;
	char *build;
	char *src_real;
	char *root_real;
	char *build_real;
	char *state;		/* where depfiles and objects go */
	char *path;		/* the database file in use */
	struct ccdb_tu *v;
	size_t nr;
};

/*
 * Life cycle: ccdb_init(), ccdb_load() whenever the scratch tree changed
 * what the database depends on (ccdb_needs_reload() says when),
 * ccdb_dispose(). state is a directory of ours for depfiles and objects.
 * ccdb_load() reads path as coming from origin, its commands compiling
 * root (NULL: src); units whose source is not in the repository's tree
 * (generated, or gone) are left out.
 */
void ccdb_init(struct ccdb *db, const char *user_top, const char *src,
	       const char *build, const char *state);
void ccdb_dispose(struct ccdb *db);
int ccdb_load(struct ccdb *db, enum ccdb_origin origin, const char *path,
	      const char *root);

/*
 * The user's own database for a tree no build system of ours handles: at
 * the top of the scratch tree or of the user's tree, or in its build/.
 */
int ccdb_find_user_db(const struct ccdb *db, struct strbuf *path);

/* Moves db's units to *out (emptied first) and leaves db without any. */
void ccdb_take_units(struct ccdb *out, struct ccdb *db);

/*
 * Whether the scratch tree's new state of path needs ccdb_load(): a build
 * file changed, or a source appeared or disappeared.
 */
bool ccdb_needs_reload(struct ccdb *db, const char *path);
bool ccdb_is_build_file(const char *path);

/*
 * The repository path of a file a tool printed, or named in a depfile,
 * relative to dir (where it ran), or already relative to src: through
 * symlinks to the file in src; "(build)/PATH" for a file of the build
 * directory (or of root's copy) that is no repository file (a generated
 * header); the path unchanged when it is outside them (a system header)
 * or does not exist.
 */
int ccdb_resolve(const struct ccdb *db, const char *dir, const char *printed,
		 struct strbuf *out);
#define CCDB_BUILD_PREFIX "(build)/"

/* Appends p made absolute (relative to dir) and normalised ("." and ".."). */
void ccdb_path_join(struct strbuf *out, const char *dir, const char *p);
/* Whether path is compiled as a unit of its own (a .c/.cc/.cpp of the db). */
struct ccdb_tu *ccdb_find(struct ccdb *db, const char *file);
struct ccdb_tu *ccdb_find_key(struct ccdb *db, const char *key);

/*
 * Forgets the dependencies of every unit that reads one of paths ("*":
 * all), because the scratch tree changed under them.
 */
void ccdb_invalidate(struct ccdb *db, const struct strvec *paths);

/*
 * The command that compiles tu for an analyzer: compiler is put in place
 * of the project's (dropping ccache-style wrappers), outputs go to our
 * state directory, -Werror and colour are dropped, depfile generation is
 * added and extra (already split) comes last so that it wins. With
 * deps_only the command only preprocesses, to learn the dependencies.
 */
int ccdb_command(struct ccdb *db, const struct ccdb_tu *tu, const char *compiler,
		 const struct strvec *extra, bool deps_only, struct strvec *argv);

/* Reads the depfile the last command for tu wrote; marks deps_known. */
int ccdb_read_deps(struct ccdb *db, struct ccdb_tu *tu);

/* Whether rel is a file of the repository's tree (in src). */
bool ccdb_in_src(const struct ccdb *db, const char *rel);

/* Whether the unit's known inputs include path. */
bool ccdb_tu_reads(const struct ccdb_tu *tu, const char *path);

bool ccdb_is_source(const char *path);

#endif
