/* analyzer.h: what the engine knows about each analyzer (how to run it, how
 * to read what it prints) and the output parsers. Never prints or exits. */
#ifndef AN_ANALYZER_H
#define AN_ANALYZER_H

#include "finding.h"
#include "strbuf.h"

#include <stdbool.h>
#include <stddef.h>

/*
 * How to read one run's output. root is the absolute directory the tool
 * ran on (the scratch source tree) and build_root an out-of-tree build
 * directory; both are stripped from paths, as given and in canonical form
 * (tools print the realpath of a directory reached through a symlink), so
 * that files come out relative to the repository top, as finding.h wants.
 * Either may be NULL.
 */
struct an_parse_opts {
	const char *analyzer;	/* stored in each finding, e.g. "gcc" */
	const char *root;
	const char *build_root;
	/*
	 * May be NULL. Lines that look like diagnostics ("file:line:
	 * warning: ...") but that the parser could not read go here, one
	 * per line (the first AN_OUTPUT_MAX_UNREAD bytes' worth), so that
	 * the caller can tell that a finding was lost.
	 */
	struct strbuf *unread;
};

/*
 * Whether a line of tool output looks like a compiler-style diagnostic:
 * "file:line[:col]: [fatal ]warning|error: ...", colours and all.
 */
bool an_diagnostic_like(const char *line, size_t len);

/*
 * A parser appends the findings it reads from text (len bytes of whatever
 * the tool printed, not necessarily NUL-terminated, possibly binary) to
 * out, each with its fingerprint computed. It never fails on odd input,
 * only when out of memory: then it returns -1 with the error recorded,
 * and what it appended so far stays in out.
 *
 * Findings get `function` only when the tool names it (gcc's "In
 * function", smatch); the engine fills in the rest with
 * an_enclosing_function() and then recomputes the fingerprint.
 */
typedef int (*an_parse_fn)(struct finding_list *out, const char *text,
			   size_t len, const struct an_parse_opts *o);

/* gcc, clang and clang-tidy: "file:line:col: warning: msg [-Wflag]". */
int an_ccdiag_parse(struct finding_list *out, const char *text, size_t len,
		    const struct an_parse_opts *o);
/* sparse: ccdiag's format, rules "sparse:<kind>" from the message. */
int an_sparse_parse(struct finding_list *out, const char *text, size_t len,
		    const struct an_parse_opts *o);
/* scripts/kernel-doc -none: "file:line: warning: msg", rule "kernel-doc". */
int an_kerneldoc_parse(struct finding_list *out, const char *text, size_t len,
		       const struct an_parse_opts *o);
/* cppcheck run with --template=AN_CPPCHECK_TEMPLATE. */
#define AN_CPPCHECK_TEMPLATE "{file}:{line}:{column}: {severity}: {message} [{id}]"
int an_cppcheck_parse(struct finding_list *out, const char *text, size_t len,
		      const struct an_parse_opts *o);
/* smatch: "file:line func() warn: msg" on stdout. */
int an_smatch_parse(struct finding_list *out, const char *text, size_t len,
		    const struct an_parse_opts *o);
/* checkpatch.pl --show-types --color=never, with or without --showfile. */
int an_checkpatch_parse(struct finding_list *out, const char *text,
			size_t len, const struct an_parse_opts *o);

/*
 * OBJECT analyzers run per build object (gcc clang sparse smatch cppcheck
 * clang-tidy), PATCH ones per commit (checkpatch commit-msg kernel-doc).
 */
enum an_kind {
	AN_KIND_OBJECT,
	AN_KIND_PATCH,
};

/*
 * What an analyzer can do, so that backends ask the descriptor instead of
 * comparing names. COMPILER: a C compiler that builds objects with the
 * unit's own command (kbuild: CC=, or LLVM=1 when also LLVM). CHECKER:
 * kbuild runs it as CHECK= on every object it compiles (C=2). TU: it runs
 * on one translation unit from the unit's compile flags (an_tu_command).
 */
enum an_cap {
	AN_CAP_COMPILER = 1 << 0,
	AN_CAP_LLVM = 1 << 1,
	AN_CAP_CHECKER = 1 << 2,
	AN_CAP_TU = 1 << 3,
};

/* How an_tu_command() passes a unit's flags to the analyzer. */
enum an_tu_style {
	AN_TU_NONE,
	AN_TU_CGCC,		/* the compiler's own flags, as cgcc does */
	AN_TU_CPPCHECK,
	AN_TU_CLANG_TIDY,	/* "file -- flags" */
};

/* What a patch-level analyzer reads of a commit. */
enum an_patch_input {
	AN_PATCH_NONE,
	AN_PATCH_DIFF,		/* the commit as a patch (checkpatch) */
	AN_PATCH_FILES,		/* the C files it touches (kernel-doc) */
	AN_PATCH_MESSAGE,	/* its message (commit-msg, built in) */
};

/*
 * One analyzer. default_command is split on white space like a shell
 * would (so "perl scripts/checkpatch.pl" works); NULL for analyzers built
 * into mkt-gate (commit-msg), which also have no parser. version_flag is
 * NULL when the tool has no way to tell its version. check_args follow
 * the command in kbuild's CHECK= (smatch's "-p=kernel").
 */
struct an_desc {
	const char *name;
	enum an_kind kind;
	const char *default_command;
	const char *version_flag;
	const char *install_hint;
	an_parse_fn parse;
	unsigned int caps;		/* enum an_cap bits */
	enum an_tu_style tu_style;
	enum an_patch_input patch_input;
	const char *check_args;
};

static inline bool an_can(const struct an_desc *d, enum an_cap cap)
{
	return d && (d->caps & cap);
}

/* The table is static: the pointers live as long as the program. */
const struct an_desc *an_find(const char *name);
const struct an_desc *an_all(size_t *n);

/*
 * Whether the analyzer's command is installed, where, and which version.
 * A missing tool is not an error: found is false and the caller reports
 * the analyzer skipped with d->install_hint. Runs `command version_flag`
 * with a timeout and takes the first version-like number ("12.2.0") from
 * the first line that has one; version is "" when none. Returns -1 only
 * when the tool was found but could not be run.
 */
struct an_probe {
	bool found;
	char path[4096];
	char version[128];
};

int an_probe(const struct an_desc *d, const char *command,
	     struct an_probe *out);

/*
 * The name of the function whose definition contains `line` (1-based) of
 * a C source: from the line of its name to its closing brace. A function
 * defined by a macro (SYSCALL_DEFINE3(open, ...)) is named by the
 * invocation up to its first comma, "SYSCALL_DEFINE3(open". Appends
 * nothing at file scope. Returns 0, or -1 when out of memory.
 */
int an_enclosing_function(const char *source, size_t len, unsigned int line,
			  struct strbuf *out);

/*
 * The command that runs the source analyzer d (cppcheck, clang-tidy,
 * sparse or smatch) on one translation unit, appended to argv: tool_cmd
 * (the analyzer's command, already split), the unit's -I, -D, -U, -std,
 * -include and -isystem flags taken from cc_args (the compiler's command,
 * argv[0] the compiler; everything else is dropped), extra (may be NULL;
 * it comes last among the options so that it wins) and file_abs.
 * cppcheck gets --template=AN_CPPCHECK_TEMPLATE and its checks, and
 * clang-tidy the "file -- flags" form. Relative paths stay as they are,
 * so the command runs in the unit's directory. Fails for other analyzers.
 */
struct strvec;
int an_tu_command(struct strvec *argv, const struct an_desc *d,
		  const struct strvec *tool_cmd, const struct strvec *cc_args,
		  const char *file_abs, const struct strvec *extra);

/*
 * Appends the analyzers [defaults] analyzers names and [analyzer.NAME]
 * does not disable, each once, in the config's order; an unknown name is
 * an error with a hint listing the known ones.
 */
struct config;
int an_enabled_list(const struct config *cfg, struct strvec *out);
/* Records the hint "known analyzers: gcc clang ...", after an unknown name. */
void an_hint_known(void);

#endif
