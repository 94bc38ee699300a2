/* kbuild_replay.h: kbuild's recorded commands, run again without make: what
 * a .<obj>.cmd says, the checker's command built from it, and when it may be. */
#ifndef GATE_KBUILD_REPLAY_H
#define GATE_KBUILD_REPLAY_H

#include "strbuf.h"

#include <stdbool.h>

/*
 * Appends dir/.name for the object dir/name: the stem of its .cmd file and
 * of its depfile, relative to the build directory. -1 when out of memory.
 */
int kbuild_dot_name(struct strbuf *out, const char *obj);

/*
 * kbuild writes each object's command to build_dir/<dir>/.<name>.o.cmd as
 * `cmd_<obj> := ...` (`savedcmd_<obj> := ...` since 6.3), escaped for make
 * ($ as $$, # as $(pound)). raw gets it as written, cmd as the shell runs
 * it. Returns 1 when recorded, 0 when there is no such line or file.
 */
int kbuild_recorded_cmd(const char *build_dir, const char *obj, struct strbuf *raw,
			struct strbuf *cmd);

/*
 * The parts of a recorded C compile (`$(CC) $(c_flags) -c -o obj src`):
 * c_flags (from -Wp,-MMD, on) and the source as the command names it.
 * -1 when the command is not of that shape (an assembler or a custom rule).
 */
int kbuild_cmd_parts(const char *cmd, const char *obj, struct strbuf *c_flags,
		     struct strbuf *src);

/*
 * kbuild's rule for a C object, replayed: the recorded command, then
 * fixdep to write the .cmd file again as make does (cmd_and_fixdep), so
 * the object's dependencies stay those of its last compile, then steps
 * (the rule's other commands that print diagnostics; may be NULL).
 */
void kbuild_replay_compile(const char *obj, const char *raw, const char *cmd,
			   const char *steps, struct strbuf *sh);

/*
 * The other commands of rule_cc_o_c that can print diagnostics, in make's
 * order (the checker aside): check-local-export on the object (when the
 * tree has it, with NM and AWK as make exports them), and under W= the kernel-doc
 * check of the source (checkdoc). The recorded command says W= by its
 * -DKBUILD_EXTRA_WARN flags.
 */
void kbuild_rule_steps(const char *srctree, const char *nm, const char *obj,
		       const char *cmd, const char *src, bool has_local_export,
		       struct strbuf *out);

/*
 * CHECKFLAGS (and the checker's own arguments after check) as a `make -n
 * C=2` of an object printed them: the words between check and the
 * object's c_flags on the line that runs the checker. -1 when not found.
 */
int kbuild_checkflags(const char *make_n, const char *check, const char *c_flags,
		      struct strbuf *out);

/*
 * Whether a change to path (status 'A', 'M', 'D', 'R') since the build
 * directory's last make leaves its generated files and rules as they are,
 * so recorded commands may run without make: a .c or .h modified or
 * removed (or a header added), outside scripts/ and tools/, and no source of a
 * generated header (asm-offsets, bounds); or text no build reads
 * (Documentation/, *.rst, README, ...). Else why says why not. (A
 * Makefile or Kbuild whose object lists alone changed is the caller's.)
 */
bool kbuild_replay_allows(const char *path, int status, struct strbuf *why);

#endif
