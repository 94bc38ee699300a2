/* verdict.h: the verdicts of a check, a commit and a report, their names
 * and their order; the one place that ranks them. Never prints or exits. */
#ifndef GATE_VERDICT_H
#define GATE_VERDICT_H

/*
 * Ordered by weight, so the worse of two verdicts is the larger:
 * skipped < pass < error < fail. A certain new finding outranks a check
 * that could not run: a commit that breaks the build fails (and gets its
 * Verified -1), although the checker after the compiler could not run on
 * it. error only wins where nothing failed. GATE_VERDICT_NONE ("none") is not a
 * verdict: a name that is none of the four, or a commit not checked yet;
 * it is lighter than every verdict, so it never wins a worst-of.
 */
enum gate_verdict {
	GATE_VERDICT_NONE = 0,
	GATE_VERDICT_SKIPPED,
	GATE_VERDICT_PASS,
	GATE_VERDICT_ERROR,
	GATE_VERDICT_FAIL,
};

/* The name as reports spell it; "none" for GATE_VERDICT_NONE or a bad value. */
const char *gate_verdict_name(enum gate_verdict v);
/* GATE_VERDICT_NONE for NULL, "none" or any other name. */
enum gate_verdict gate_verdict_parse(const char *name);
enum gate_verdict gate_verdict_worst(enum gate_verdict a, enum gate_verdict b);

#endif
