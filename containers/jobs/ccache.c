/* ccache.c: where the shared ccache lives and how many hits and misses it counts.
 * Runs `ccache --print-stats`; never prints or exits. */
#include "ccache.h"
#include "error.h"
#include "fs.h"
#include "proc.h"
#include "fs.h"

#include <stdlib.h>
#include <string.h>

#define CCACHE_TIMEOUT_S 30

int ctr_ccache_default_dir(struct strbuf *out)
{
	if (gate_cache_root(out))
		return -1;
	return strbuf_addstr(out, "/ccache") ? gate_error("out of memory") : 0;
}

/* Adds the value of "key\tvalue" lines to *sum when key is one of keys. */
static void add_counter(const char *line, const char *const *keys,
			unsigned long long *sum)
{
	const char *tab = strchr(line, '\t');

	if (!tab)
		return;
	for (; *keys; keys++) {
		if (strlen(*keys) == (size_t)(tab - line) &&
		    !strncmp(line, *keys, (size_t)(tab - line)))
			*sum += strtoull(tab + 1, NULL, 10);
	}
}

int ctr_ccache_stats_parse(const char *text, struct ctr_ccache_stats *out)
{
	static const char *const hit_keys[] = {
		"direct_cache_hit", "preprocessed_cache_hit", NULL,
	};
	static const char *const miss_keys[] = { "cache_miss", NULL };
	const char *line = text;
	int seen = 0;

	out->hits = 0;
	out->misses = 0;
	while (*line) {
		const char *end = strchrnul(line, '\n');

		seen |= str_starts_with(line, "cache_miss\t");
		add_counter(line, hit_keys, &out->hits);
		add_counter(line, miss_keys, &out->misses);
		line = *end ? end + 1 : end;
	}
	if (!seen)
		return gate_error("no 'cache_miss' counter in the output of 'ccache --print-stats'");
	return 0;
}

int ctr_ccache_stats(const char *dir, struct ctr_ccache_stats *out)
{
	struct strbuf text = STRBUF_INIT, err = STRBUF_INIT;
	struct proc p;
	int status, ret = -1;

	proc_init(&p);
	strvec_pushv(&p.args, (const char *[]){ "ccache", "--print-stats", NULL });
	strvec_pushf(&p.env, "CCACHE_DIR=%s", dir);
	status = proc_capture(&p, &text, &err, CCACHE_TIMEOUT_S);
	if (status) {
		strbuf_trim_trailing(&err);
		gate_error("cannot read the ccache statistics of '%s': %s", dir,
			   status == 127 || status < 0 ? "ccache is not installed" : err.buf);
		gate_error_hint("install ccache 4 or later (apt-get install ccache)");
		goto out;
	}
	ret = ctr_ccache_stats_parse(text.buf, out);
out:
	strbuf_dispose(&text);
	strbuf_dispose(&err);
	proc_dispose(&p);
	return ret;
}

struct ctr_ccache_stats ctr_ccache_stats_diff(const struct ctr_ccache_stats *before,
					      const struct ctr_ccache_stats *after)
{
	struct ctr_ccache_stats d = { 0, 0 };

	if (after->hits >= before->hits)
		d.hits = after->hits - before->hits;
	if (after->misses >= before->misses)
		d.misses = after->misses - before->misses;
	return d;
}
