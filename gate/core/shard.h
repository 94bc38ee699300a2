/* shard.h: which share of the work one of N parallel runs takes, given as
 * K/N or read from the CI's parallel-job variables. Never prints or exits. */
#ifndef GATE_SHARD_H
#define GATE_SHARD_H

#include <stdbool.h>

/*
 * k is 1-based (1 <= k <= n); n == 0 means "not sharded", and then every
 * item belongs to this run. name is "K/N" as the report records it.
 */
struct gate_shard {
	int k, n;
	char name[24];
};

/* The pairs `--shard auto` reads, in this order; each index is 1-based. */
#define GATE_SHARD_ENV_INDEX "MKT_GATE_SHARD_INDEX"
#define GATE_SHARD_ENV_TOTAL "MKT_GATE_SHARD_TOTAL"

/*
 * Fills *out from spec: NULL (not sharded), "K/N", or "auto", which takes
 * MKT_GATE_SHARD_INDEX/MKT_GATE_SHARD_TOTAL (set them in a Jenkins
 * parallel stage), else GitLab's CI_NODE_INDEX/CI_NODE_TOTAL (`parallel:`;
 * CI_NODE_TOTAL=1 without an index is the one job of an unparallel
 * pipeline: 1/1). Fails with a message and a hint naming the variables
 * when none is set, or when one is set without the other or is not a
 * number in range.
 */
int gate_shard_parse(struct gate_shard *out, const char *spec);

/*
 * True when the item at 1-based position or number i is this shard's:
 * (i - 1) mod n == k - 1, so items 1..N go to shards 1..N.
 */
bool gate_shard_has(const struct gate_shard *s, unsigned long long i);

#endif
