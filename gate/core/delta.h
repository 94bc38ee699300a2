/* delta.h: what a commit introduced and fixed, by fingerprint, never by line.
 * Pure functions over finding lists; the heart of "report only what's new". */
#ifndef GATE_DELTA_H
#define GATE_DELTA_H

#include "diff.h"
#include "finding.h"

/*
 * new: findings after the commit whose fingerprint (counted as a
 * multiset) was not there before; fixed: the reverse; preexisting: how
 * many after-findings were matched with one from before. Lines shown are
 * the "after" ones for new findings and the "before" ones for fixed ones.
 */
struct gate_finding_delta {
	struct finding_list added;
	struct finding_list fixed;
	size_t preexisting;
};

void gate_finding_delta_init(struct gate_finding_delta *d);
void gate_finding_delta_dispose(struct gate_finding_delta *d);

/*
 * Fingerprints every finding of list, those of the before state under the
 * path the file has after the commit (so a renamed file keeps its
 * findings). diff may be NULL for the after state.
 */
int gate_findings_fingerprint(struct finding_list *list,
			      const struct gate_diff *renames);

/*
 * Merges the findings of several build units into one multiset: a finding
 * in a header seen through five objects counts once, the same warning
 * twice in one function counts twice (the largest count in any unit).
 * The lists must be fingerprinted; out receives copies.
 */
int gate_findings_merge_units(struct finding_list *out,
			      struct finding_list *const *units, size_t n);

/*
 * Compares before and after (both fingerprinted). When counts differ,
 * the hunk map of diff decides which instances are the old ones: a
 * before-finding matches the after-finding at its mapped line first.
 * Then what is left unpaired is paired across the commit's renames: a
 * before-finding whose analyzer, rule, function and message, with the
 * names diff renamed applied, equal an after-finding's, and whose line
 * maps onto that finding's line (or was removed from a function whose
 * lines the commit added elsewhere, where the after-finding sits) is not
 * new, and not fixed. diff may be NULL: fingerprints alone.
 */
int gate_findings_delta(struct gate_finding_delta *out,
			const struct finding_list *before,
			const struct finding_list *after,
			const struct gate_diff *diff);

#endif
