/* kbuild_split.h: one make's output cut into each object's compiler and checker text.
 * Pure text work; never runs anything, prints or exits. */
#ifndef GATE_KBUILD_SPLIT_H
#define GATE_KBUILD_SPLIT_H

#include "strbuf.h"
#include "strvec.h"

#include <stdbool.h>
#include <stddef.h>

/*
 * The output of one make run with --output-sync=target, by object.
 *
 * The lines after an object's quiet line ("  CC      kernel/fork.o") are
 * its compiler's (cc), those after "  CHECK   /src/kernel/fork.c" its
 * checker's (check). A CHECK line names the source through make's srctree,
 * which is the canonical path of the source directory: src_dir is matched
 * as given and in canonical form. seen_cc and seen_check say which objects
 * had a section at all.
 *
 * Lines that look like diagnostics (an_diagnostic_like()) but lie outside
 * every object's section, and are not repeated inside one (a header's
 * warning printed again while make rebuilt the prepare stage), belong to
 * no object: they go to stray_cc, or to stray_check when they followed a
 * CHECK line, and the caller must not let them pass unseen.
 *
 * Life cycle: kbuild_split_init() for nr objects, kbuild_split_output()
 * once, read, kbuild_split_dispose(), which frees everything.
 */
struct kbuild_split {
	size_t nr;
	struct strbuf *cc;		/* nr of each */
	struct strbuf *check;
	bool *seen_cc;
	bool *seen_check;
	struct strvec stray_cc;
	struct strvec stray_check;
};

int kbuild_split_init(struct kbuild_split *s, size_t nr);
void kbuild_split_dispose(struct kbuild_split *s);
/* objs: the nr objects asked for, relative to the build directory. */
int kbuild_split_output(struct kbuild_split *s, const char *out, size_t len,
			const char *src_dir, const struct strvec *objs);

#endif
