/* recipe.h: a recipe, the definition of a tool added to a derived image:
 * header lines, then the build script. Parses only; never prints or exits. */
#ifndef CTR_RECIPE_H
#define CTR_RECIPE_H

#include "strvec.h"

/*
 * Format, in the manner of the original mkt:
 *
 *   git_url: https://git.kernel.org/pub/scm/devel/sparse/sparse.git
 *   git_commit: v0.6.4
 *   other_files: fix-build.patch extra.h
 *
 *   set -e
 *   git apply "$MKT_RECIPE_FILES/fix-build.patch"
 *   make -j"$(nproc)" && make PREFIX=/usr/local install
 *
 * The header is the leading `key: value` lines (keys git_url, git_commit,
 * other_files; each at most once) and `#` comment lines; the first blank
 * line ends it and is dropped, and any other line starts the script.
 * git_commit is required with git_url and meaningless without it.
 * other_files are paths relative to the recipe's directory, neither
 * absolute nor climbing out with "..". The script must not be empty.
 *
 * How it runs (image.c): git_url is cloned at git_commit on the host,
 * other_files are copied to $MKT_RECIPE_FILES, and the script runs with
 * sh -e inside a container of the base image, as root, without network,
 * in the clone (or an empty directory without git_url).
 *
 * Life cycle: ctr_recipe_init(), ctr_recipe_parse() or ctr_recipe_load(),
 * ctr_recipe_dispose(). Strings are owned by the struct.
 */
struct ctr_recipe {
	char *name;		/* the file name without directory and ".recipe" */
	char *dir;		/* where other_files are found */
	char *git_url;		/* NULL when absent */
	char *git_commit;
	struct strvec other_files;	/* as written, relative to dir */
	char *script;
};

void ctr_recipe_init(struct ctr_recipe *r);
void ctr_recipe_dispose(struct ctr_recipe *r);

/* Parses text; origin (a path) names the recipe in errors, with the line. */
int ctr_recipe_parse(struct ctr_recipe *r, const char *origin, const char *text);
/* Reads and parses the file at path; dir and name come from path. */
int ctr_recipe_load(struct ctr_recipe *r, const char *path);

#endif
