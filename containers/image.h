/* image.h: builds the support image (Containerfile, or mmdebstrap + import
 * offline), derives images from recipes, lists them. Never prints or exits. */
#ifndef CTR_IMAGE_H
#define CTR_IMAGE_H

#include "recipe.h"
#include "strbuf.h"
#include "strvec.h"

#include <stdbool.h>

/* Called with one line of progress; data is passed back untouched. */
typedef void (*ctr_progress_fn)(void *data, const char *line);

/*
 * command: "podman" or "docker". context: the directory holding
 * Containerfile and packages.txt (ctr_image_context_dir()). packages:
 * the package list to install instead of context/packages.txt (NULL:
 * that one). offline: use mmdebstrap + import even where a registry
 * may be reachable. Strings are borrowed.
 */
struct ctr_image_opts {
	const char *command;
	const char *context;
	const char *packages;
	bool offline;
	ctr_progress_fn progress;
	void *progress_data;
	const char *extra_packages;	/* a second list, installed too (NULL: none) */
};

/*
 * Finds the directory of Containerfile and packages.txt: the installed
 * share/mkt-gate/containers/image, or containers/image of the source tree
 * that self (the mkt-gate binary) was built in.
 */
int ctr_image_context_dir(const char *self, struct strbuf *out);

/* Appends the packages of a list file: one a line, '#' comments, blank lines. */
int ctr_packages_read(const char *path, struct strvec *out);

/* Whether a TCP connection to the default registry opens within seconds. */
bool ctr_registry_reachable(void);

/*
 * Builds the support image `name` (NAME:TAG): with `build` from the
 * Containerfile where a registry is reachable (or debian:bookworm is
 * already there), else with mmdebstrap and `import`. The same package
 * list feeds both.
 */
int ctr_image_build(const struct ctr_image_opts *o, const char *name);

/*
 * Derives image `to` from image `from` by running recipe r in a container
 * of `from` and committing the result (see recipe.h for what the script
 * gets).
 */
int ctr_image_derive(const struct ctr_image_opts *o, const struct ctr_recipe *r,
		     const char *from, const char *to);

/*
 * Derives image `to` from `from` with mkt-gate in it: with deb NULL this
 * one, laid out as `cmake --install` does under /usr/local: self (the
 * `mkt-gate` users run), the running binary as its mkt-gate-full, and the
 * configs of share/mkt-gate; else the .deb at path deb, installed with
 * dpkg. `from` must hold the libraries mkt-gate links (no network).
 */
int ctr_image_add_gate(const struct ctr_image_opts *o, const char *self, const char *deb,
		       const char *from, const char *to);

/* Appends the table of the images whose name starts with "mkt-gate". */
int ctr_image_list(const char *command, struct strbuf *out);

#endif
