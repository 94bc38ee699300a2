/* patch.h: the analyzers that look at a commit as a patch: checkpatch, the commit
 * message checks and kernel-doc on the touched files. One check per commit. */
#ifndef GATE_PATCH_H
#define GATE_PATCH_H

#include "config.h"
#include "diff.h"
#include "engine.h"
#include "finding.h"
#include "range.h"
#include "strbuf.h"
#include "strvec.h"
#include "waiver.h"

#include <jansson.h>
#include <stdbool.h>

/*
 * What a patch-level analyzer looks at. Everything is borrowed: git and
 * commit from the engine's range, diff the commit's diff with its hunk
 * maps (gate_diff_commit()), src the scratch tree at the commit's state
 * (after), kernel_tree whether src is a kbuild tree, waivers the set that
 * applies to this commit (may be NULL), ctr the engine the tools run in
 * (NULL: on the host as they are; else every path they see must be bound)
 * and tmp_root where their temporary files go (NULL: $TMPDIR), a folder
 * the engine binds writable.
 */
struct patch_ctx {
	git_repository *git;
	const struct gate_commit *commit;
	const struct gate_diff *diff;
	const struct config *cfg;
	const char *src;
	bool kernel_tree;
	const struct waivers *waivers;
	const struct ctr_engine *ctr;
	const char *tmp_root;
};

/*
 * Runs one patch-level analyzer ("checkpatch", "commit-msg" or
 * "kernel-doc") on the commit and hands over a finished check object of
 * the report model in *check_out, with the same shape as the engine's
 * unit checks: status pass or fail (any new, unwaived finding at or above
 * fail_on), skipped (the tool is not there: the reason says what to set)
 * or error (the tool ran but broke: the reason holds the end of its
 * output). fail_on is the analyzer's level, [analyzer.NAME] fail_on
 * already applied. Findings of checkpatch and commit-msg are all new:
 * they are about the patch itself; kernel-doc reports the warnings the
 * commit added to the touched files. Each finding's severity goes
 * through [analyzer.NAME] severity = RULE:LEVEL, and waivers mark theirs.
 *
 * Returns -1 only when no check could be made (out of memory, an
 * unreadable commit); a tool that fails is an "error" check, not a
 * failed call.
 */
int patch_check(json_t **check_out, const struct patch_ctx *pc,
		const char *analyzer, enum finding_severity fail_on);

/*
 * The command of a patch-level tool, appended to argv: for checkpatch
 * and kernel-doc, [analyzer.NAME] path (run with perl when it names a
 * Perl script), else the tree's own script when src is a kernel tree,
 * else [analyzer.NAME] command, a relative path in it taken from src.
 * Returns 1 when there is one, 0 when the tool cannot be found here (why
 * says what to set), -1 on error. Used by `mkt-gate doctor` as well.
 */
int patch_tool_command(struct strvec *argv, struct strbuf *why,
		       const struct config *cfg, const char *analyzer,
		       const char *src, bool kernel_tree);

/*
 * The commit-message checks on their own, for tests: appends the
 * findings of rules commit-msg:signoff, commit-msg:fixes,
 * commit-msg:subject, commit-msg:change-id and commit-msg:no-body to out,
 * fingerprinted. diff may be NULL (no body is then asked for).
 */
int patch_commit_msg(struct finding_list *out, git_repository *git,
		     const git_oid *commit, const struct gate_diff *diff,
		     const struct config *cfg);

#endif
