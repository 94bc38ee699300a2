#!/bin/bash
# kernel-ccache-remote.sh [MKT_GATE]: the benchmark (not a test) of a shared
# ccache. Two "machines" gate the series of t310 on the real Linux 6.1 tree
# (tinyconfig + gate-test.config, gcc W=1), each with its own build dir and
# local ccache and one private redis-server between them; prints each run's
# wall time and ccache counters, whether the findings match, and redis' size.
# The first machine builds the baseline cold: it takes several minutes.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
export MKT_GATE=${1:-$here/../../build/mkt-gate}
MKT_GATE=$(realpath "$MKT_GATE")
. "$here/../integration/lib/common.sh"
. "$here/../integration/lib/kernel.sh"
. "$here/../integration/lib/kernel-series.sh"
. "$here/../integration/lib/remote.sh"

kseries_repo
kseries_standard bench-remote
unset GIT_INDEX_FILE	# kseries_start's
start_redis
printf 'ccache_remote = redis://127.0.0.1:%s\n' "$REDIS_PORT" >> "$KCONF"
cd "$KREPO"
for m in one two; do
	s=$EPOCHREALTIME
	XDG_CACHE_HOME=$T/$m-cache "$MKT_GATE" range --config "$KCONF" --build-dir "$T/$m" \
		--analyzers=gcc base..bench-remote --json "$T/$m.json" > "$T/$m.out" 2>&1 &&
		rc=0 || rc=$?
	echo "$m: exit $rc, $(echo "$EPOCHREALTIME - $s" | bc) s, ccache $(jget 'r.get("ccache")' "$T/$m.json")"
	findings "$T/$m.json" > "$T/$m.findings"
done
cmp -s "$T/one.findings" "$T/two.findings" && echo "findings: identical" || echo "findings: DIFFER"
echo "redis: $(redis-cli -p "$REDIS_PORT" dbsize) keys," \
	"$(redis-cli -p "$REDIS_PORT" info memory | tr -d '\r' | sed -n 's/^used_memory_human://p')"
