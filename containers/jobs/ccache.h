/* ccache.h: the one ccache directory shared by every engine, and its counters.
 * Reads statistics only; never prints or exits. */
#ifndef CTR_CCACHE_H
#define CTR_CCACHE_H

#include "strbuf.h"

#include <jansson.h>

/*
 * Counters as ccache keeps them in the directory: hits (direct and
 * preprocessed) and misses. They only grow (until `ccache -z`), so the
 * hit rate of one run is the difference of two readings taken before and
 * after it: ctr_ccache_stats_diff().
 */
struct ctr_ccache_stats {
	unsigned long long hits;
	unsigned long long misses;
	/* hits split by where the result came from, and failed remote calls */
	unsigned long long local_hits;
	unsigned long long remote_hits;
	unsigned long long remote_errors;
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

/*
 * ccache's remote storage ([defaults] ccache_remote, CCACHE_REMOTE_STORAGE),
 * the second level behind the local directory: redis://[[USER:]PASSWORD@]
 * HOST[:PORT][/DB], redis+unix:SOCKET, http://[USER:PASSWORD@]HOST[:PORT]/PATH
 * or file:DIR, each optionally followed by |ATTRIBUTE=VALUE... as ccache
 * takes them. host is NULL for redis+unix and file, path NULL for the
 * others; shown is the URL without its user and password, for reports.
 */
enum ctr_ccache_scheme { CTR_CCACHE_REDIS, CTR_CCACHE_REDIS_UNIX, CTR_CCACHE_HTTP,
			 CTR_CCACHE_FILE };

struct ctr_ccache_remote {
	enum ctr_ccache_scheme scheme;
	char *host;
	unsigned int port;
	char *path;
	char *shown;
};

/* Fills r from url; an unknown scheme or a malformed URL is an error naming it. */
int ctr_ccache_remote_parse(struct ctr_ccache_remote *r, const char *url);
void ctr_ccache_remote_dispose(struct ctr_ccache_remote *r);

/*
 * A redis:// URL as jobs without a network use it, through the relay's
 * socket: redis+unix://[USER:PASSWORD@localhost]SOCKET[?db=DB][|ATTRS...],
 * the same password, database and attributes. Appends to out.
 */
int ctr_ccache_remote_relayed(struct strbuf *out, const char *url, const char *socket);

/*
 * Adds the split of d's hits to the report's ccache object c when the run
 * had a remote storage (shown, as ctr_ccache_remote's): "remote",
 * "local_hits", "remote_hits" and "remote_errors". Does nothing when
 * c or shown is NULL, so reports of runs without one stay as they were.
 */
void ctr_ccache_json_remote(json_t *c, const char *shown, const struct ctr_ccache_stats *d);

#endif
