/* ccache.h: the one ccache directory shared by every engine, and its counters.
 * Reads statistics only; never prints or exits. */
#ifndef CTR_CCACHE_H
#define CTR_CCACHE_H

#include "strbuf.h"

/*
 * Counters as ccache keeps them in the directory: hits (direct and
 * preprocessed) and misses. They only grow (until `ccache -z`), so the
 * hit rate of one run is the difference of two readings taken before and
 * after it: ctr_ccache_stats_diff().
 */
struct ctr_ccache_stats {
	unsigned long long hits;
	unsigned long long misses;
};

/* Appends $XDG_CACHE_HOME/mkt-gate/ccache (or ~/.cache/mkt-gate/ccache). */
int ctr_ccache_default_dir(struct strbuf *out);

/*
 * Reads the counters of dir with `ccache --print-stats` run on the host.
 * A directory ccache has never written to reads as all zero.
 */
int ctr_ccache_stats(const char *dir, struct ctr_ccache_stats *out);

/* Parses the tab-separated output of `ccache --print-stats`. */
int ctr_ccache_stats_parse(const char *text, struct ctr_ccache_stats *out);

/* after - before, counter by counter; a counter that went down (zeroed) reads 0. */
struct ctr_ccache_stats ctr_ccache_stats_diff(const struct ctr_ccache_stats *before,
					      const struct ctr_ccache_stats *after);

#endif
