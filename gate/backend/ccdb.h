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
 * command with every path moved into the scratch tree.
 */
struct ccdb_tu {
	char *file;
	char *key;
	char *dir;
	struct strvec args;
	struct strvec deps;	/* repo-relative inputs; empty until known */
	bool deps_known;
};

/*
 * Where the database comes from, in this order: the configured path
 * (compile_commands in [defaults]); a CMake project configured by us in
 * the scratch build directory, so that the commands follow each commit's
 * own CMakeLists.txt; a compile_commands.json at the top of the tree or
 * in build/ (the user's, with paths moved from the user's tree to ours).
 */
enum ccdb_origin {
	CCDB_NONE,
	CCDB_CONFIGURED_PATH,
	CCDB_CMAKE,
	CCDB_FOUND,
};

struct ccdb {
	enum ccdb_origin origin;
	char *user_top;
	char *src;		/* scratch source tree */
	char *build;		/* scratch build directory */
	char *state;		/* where depfiles and objects go */
	char *path;		/* the database file in use */
	char *configured;	/* the configured path, if any */
	struct ccdb_tu *v;
	size_t nr;
	struct strbuf log;	/* output of the last configure step */
};

/*
 * Life cycle: ccdb_init(), ccdb_load() whenever the scratch tree changed
 * what the database depends on (ccdb_needs_reload() says when),
 * ccdb_dispose(). state is a directory of ours for depfiles and objects.
 * A failed CMake configure returns -1 with its output in db->log.
 */
void ccdb_init(struct ccdb *db, const char *user_top, const char *src,
	       const char *build, const char *state, const char *configured);
void ccdb_dispose(struct ccdb *db);
int ccdb_load(struct ccdb *db);

/*
 * Whether the scratch tree's new state of path needs ccdb_load(): a build
 * file changed, or a source appeared or disappeared.
 */
bool ccdb_needs_reload(struct ccdb *db, const char *path);
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

/* Whether the unit's known inputs include path. */
bool ccdb_tu_reads(const struct ccdb_tu *tu, const char *path);

bool ccdb_is_source(const char *path);

#endif
