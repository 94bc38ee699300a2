/* shard.c: `--shard K/N|auto` for range and gerrit watch (shard.h). What a
 * share holds is the caller's; this only says whose an item is. */
#include "shard.h"
#include "error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SHARD_HINT "give --shard K/N, or set " GATE_SHARD_ENV_INDEX " and " \
	GATE_SHARD_ENV_TOTAL " (1-based) in each parallel stage, or run under GitLab's 'parallel:'"

static int set(struct gate_shard *out, int k, int n, const char *what)
{
	if (n < 1 || k < 1 || k > n) {
		gate_error("%s: want 1 <= K <= N, not %d/%d", what, k, n);
		gate_error_hint(SHARD_HINT);
		return -1;
	}
	out->k = k;
	out->n = n;
	snprintf(out->name, sizeof(out->name), "%d/%d", k, n);
	return 0;
}

/* A positive decimal number and nothing else, or -1. */
static int env_number(const char *name, const char *v)
{
	char *end;
	long n;

	if (!v)
		return 0;
	n = strtol(v, &end, 10);
	if (end == v || *end || n < 1 || n > 1000000) {
		gate_error("--shard auto: %s='%s' is not a positive number", name, v);
		gate_error_hint(SHARD_HINT);
		return -1;
	}
	return (int)n;
}

/* 1 when the pair gave the shard, 0 when neither is set, -1 on an error. */
static int from_env(struct gate_shard *out, const char *index, const char *total,
		    bool total_alone_is_one)
{
	const char *iv = getenv(index), *tv = getenv(total);
	int k = env_number(index, iv), n = env_number(total, tv);

	if (k < 0 || n < 0)
		return -1;
	if (!iv && !tv)
		return 0;
	if (!iv && total_alone_is_one && n == 1)
		return set(out, 1, 1, "--shard auto") ? -1 : 1;
	if (!iv || !tv) {
		gate_error("--shard auto: %s is set but %s is not", iv ? index : total,
			   iv ? total : index);
		gate_error_hint(SHARD_HINT);
		return -1;
	}
	return set(out, k, n, "--shard auto") ? -1 : 1;
}

static int parse_auto(struct gate_shard *out)
{
	int ret = from_env(out, GATE_SHARD_ENV_INDEX, GATE_SHARD_ENV_TOTAL, false);

	if (!ret)
		ret = from_env(out, "CI_NODE_INDEX", "CI_NODE_TOTAL", true);
	if (ret)
		return ret < 0 ? -1 : 0;
	gate_error("--shard auto: no shard in the environment (neither %s/%s nor CI_NODE_INDEX/CI_NODE_TOTAL is set)",
		   GATE_SHARD_ENV_INDEX, GATE_SHARD_ENV_TOTAL);
	gate_error_hint(SHARD_HINT);
	return -1;
}

int gate_shard_parse(struct gate_shard *out, const char *spec)
{
	char tail;
	int k, n;

	memset(out, 0, sizeof(*out));
	if (!spec)
		return 0;
	if (!strcmp(spec, "auto"))
		return parse_auto(out);
	if (sscanf(spec, "%d/%d%c", &k, &n, &tail) != 2 || n < 1 || k < 1 || k > n)
		return gate_error("'--shard' expects K/N with 1 <= K <= N, or auto, not '%s'",
				  spec);
	return set(out, k, n, "--shard");
}

bool gate_shard_has(const struct gate_shard *s, unsigned long long i)
{
	if (!s->n)
		return true;
	return i >= 1 && (i - 1) % (unsigned long long)s->n == (unsigned long long)(s->k - 1);
}
