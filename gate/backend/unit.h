/* unit.h: the backends' common ground: the unit_backend vtable, the run's
 * state they share, and the memo of every unit's result per analyzer and tree. */
#ifndef GATE_UNIT_H
#define GATE_UNIT_H

#include "analyzer.h"
#include "diff.h"
#include "run_opts.h"
#include "scratch.h"
#include "waiver.h"

#include <jansson.h>

/* One analyzer as this run uses it: its command, flags and levels. */
struct unit_analyzer {
	const struct an_desc *desc;
	struct strvec command;
	struct strvec extra;
	enum finding_severity fail_on;
	int timeout_s;
	char *skip_reason;	/* set when it cannot run here */
};

/* What one analyzer found in one unit at one tree, kept for the next commit. */
struct unit_memo {
	const struct unit_analyzer *an;
	char *key;
	git_oid tree;
	struct finding_list findings;
	int status;		/* the tool's exit status */
	char *error;		/* set when the tool could not run */
	char *output;		/* the tool's output, for the report */
	double seconds;
	bool cached;		/* from the result cache: nothing ran */
};

struct gate_engine;
struct gate_finding_delta;

/*
 * What a kind of project (kbuild, compile_commands) brings to the engine.
 * Each keeps its state behind e->state, made by open and freed by dispose.
 * detect: whether the tree of commit is such a project. moved: the scratch
 * tree now holds another tree (changed lists the paths written, "*" for
 * all; empty the first time): bring the unit database in step. touched:
 * add the keys of the units the commit in e->diff touches. build: run
 * analyzer a on units at tree (the scratch tree is there) and record a
 * memo entry for each, also for units that do not exist at tree (empty).
 */
struct unit_backend {
	const char *kind;
	const char *default_extra;	/* extra_flags when the config has none */
	bool kernel_tree;		/* checkpatch and kernel-doc see a kernel */
	/*
	 * touched may be asked, at a commit's tree, for the next commit's
	 * units (whose before-state that tree is): they build in one pool.
	 */
	bool build_ahead;
	bool (*detect)(git_repository *git, const git_oid *commit);
	bool (*supports)(const struct an_desc *d);
	int (*open)(struct gate_engine *e);
	int (*moved)(struct gate_engine *e, const struct strvec *changed);
	int (*touched)(struct gate_engine *e, struct strvec *units);
	int (*build)(struct gate_engine *e, struct unit_analyzer *a,
		     const struct strvec *units, const git_oid *tree);
	void (*dispose)(struct gate_engine *e);
	/*
	 * What a's result on unit at tree depends on, for the result cache:
	 * appends to paths the repository files the unit read (its recorded
	 * dependencies) and to what anything else that decides it (the exact
	 * command). With exact, they must be those of the unit's last build,
	 * made at tree (the result is being stored); without, any recorded
	 * ones will do (a lookup: a stored entry only matches when every file
	 * it read is the same, so the unit reads the same files). Returns 1
	 * when known, 0 when not (the tree then keys the result). May be NULL.
	 */
	int (*inputs)(struct gate_engine *e, const struct unit_analyzer *a,
		      const char *unit, const git_oid *tree, bool exact,
		      struct strvec *paths, struct strbuf *what);
	/* What else the result depends on (the kernel .config); may be NULL. */
	void (*cache_salt)(struct gate_engine *e, const struct unit_analyzer *a,
			   struct strbuf *out);
	/*
	 * What the backend knows beyond the units' own results, once the
	 * delta of a's check is made: it may move findings of files the
	 * commit did not change to preexisting (other units show them on
	 * both sides), and set *error (allocated) when it is still NULL to
	 * make the check an error. (A unit that compiles on neither side is
	 * an error for every backend: unit.c sees to that.) May be NULL.
	 */
	int (*review)(struct gate_engine *e, const struct unit_analyzer *a,
		      const struct strvec *units, const git_oid *before,
		      const git_oid *after, struct gate_finding_delta *d, char **error);
	/* What a failed set-up printed (CMake's output); may be NULL. */
	const struct strbuf *(*setup_log)(struct gate_engine *e);
	/*
	 * range --boot: configures a build directory of its own (the
	 * project's kconfig and fragments, then fragments on top) and runs
	 * `make bzImage` there on the scratch tree as it is. *build_dir is
	 * that directory (owned by the backend); *status make's exit status,
	 * with its output appended to log. Returns -1 only when make could
	 * not run. NULL: this kind of project has no kernel to boot.
	 */
	int (*boot_image)(struct gate_engine *e, const struct strvec *fragments,
			  const char **build_dir, int *status, struct strbuf *log);
};

/* The backends (kbuild_units.c, ccdb_units.c), for unit_backend_for(). */
extern const struct unit_backend unit_kbuild_backend;
extern const struct unit_backend unit_ccdb_backend;

/*
 * The backend for the tree of commit: the first of unit_backends whose
 * detect says yes (compile_commands, the last, takes any project).
 */
const struct unit_backend *unit_backend_for(git_repository *git,
					    const git_oid *commit);

/* The state of one run of the engine; engine/series.c owns its life cycle. */
struct gate_engine {
	const struct unit_backend *backend;
	void *state;		/* the backend's, behind its open and dispose */
	json_t *commit_json;	/* the commit being gated, for notes */
	struct gate_repo *repo;
	const struct gate_run_opts *o;
	struct gate_scratch scratch;
	bool setup_failed;
	char *setup_reason;
	struct gate_diff diff;
	struct unit_analyzer *an;
	size_t nr_an;
	struct unit_memo *memo;
	size_t nr_memo, alloc_memo;
	json_t *report;
	struct waivers *waivers;	/* as the commit being gated leaves them */
	struct strbuf cache_dir;	/* the result cache's root */
	struct gate_boot *boot;		/* range --boot; range_boot.c's */
	struct gate_patch_job *patch_job;	/* running; patch_job.c's */
	json_t *ahead_json;	/* the next commit's stand-in while its units are found */
	git_oid patch_tree;		/* the tree it reads */
};

int unit_analyzers_setup(struct gate_engine *e);
/* Whether a runs on build units (not once per commit, like checkpatch). */
bool unit_analyzer_on_units(const struct unit_analyzer *a);
void unit_analyzers_dispose(struct gate_engine *e);
void unit_memo_dispose(struct gate_engine *e);

/* Records that the project could not be set up (e.g. cmake failed). */
void unit_report_setup_failure(struct gate_engine *e);

/* Memo entries: one per (analyzer, unit, tree); pointers move on add. */
struct unit_memo *unit_memo_find(struct gate_engine *e,
				 const struct unit_analyzer *an,
				 const char *key, const git_oid *tree);
struct unit_memo *unit_memo_add(struct gate_engine *e,
				const struct unit_analyzer *an,
				const char *key, const git_oid *tree);

/*
 * Fills in m from a tool's output: parses it, names functions from the
 * sources in the scratch tree, applies the config's severity mapping,
 * and turns a tool that could not run, or output with diagnostics the
 * parser could not read, into m->error.
 */
int unit_memo_record(struct gate_engine *e, struct unit_memo *m, int status,
		     const char *output, size_t len, double seconds,
		     const char *build_root);
/*
 * The tool ran, but what it said about m cannot be trusted to be complete
 * (output that could not be attributed to m, lines that could not be
 * read): m gets the error why, unless it has one, and its check is an
 * error, never a pass. Returns -1 only when out of memory.
 */
int unit_memo_lost(struct unit_memo *m, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* A unit that failed to build without saying why still fails visibly. */
int unit_memo_build_failure(struct unit_memo *m, const char *file);
bool unit_memo_has_error(const struct unit_memo *m);

/*
 * Drops the entries of units at tree that record a tool that could not
 * run: built ahead with another commit's units, they may have failed for
 * those (make stops at the first error); their own commit builds them again.
 */
void unit_memo_forget_errors(struct gate_engine *e, const struct strvec *units,
			     const git_oid *tree);

void unit_add_unique(struct strvec *v, const char *s);

/* Whether a unit lacks a result at tree although its source exists there. */
int unit_missing(struct gate_engine *e, const struct strvec *units,
		 const git_oid *tree, struct strvec *missing);

/*
 * Appends "path id" lines for paths: the blob id of each at tree, "-"
 * where it has none. What a unit read, named by content, not by tree.
 */
int unit_content_ids(struct gate_engine *e, const git_oid *tree,
		     const struct strvec *paths, struct strbuf *out);

/* Memo entries from the result cache, for the units of a it knows at tree. */
int unit_from_cache(struct gate_engine *e, const struct unit_analyzer *a,
		    const struct strvec *units, const git_oid *tree);
/* The same for every analyzer that runs on units. */
int unit_from_cache_all(struct gate_engine *e, const struct strvec *units,
			const git_oid *tree);

/* Runs every available analyzer on units at tree (scratch is there). */
int unit_build(struct gate_engine *e, const struct strvec *units,
	       const git_oid *tree);

/* Appends one check per analyzer to the commit's JSON. */
int unit_checks(struct gate_engine *e, json_t *commit, const struct strvec *units,
		const git_oid *before, const git_oid *after);
int unit_checks_error(struct gate_engine *e, json_t *commit, const char *reason);

#endif
