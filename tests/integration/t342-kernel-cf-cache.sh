#!/bin/bash
# t342-kernel-cf-cache.sh: sparse's cf_flags (CF=) change what it reports, so
# a result found without them is never served to a run with them: since the
# cache keys objects by content, the same object at another tree would be.
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/kernel.sh"
. "$(dirname "$0")/lib/kernel-series.sh"

kseries_repo
kseries_standard t342
unset GIT_INDEX_FILE

sparse_of() { jget "[(k['cached'], k['preexisting'], len(k['new'])) for k in r['commits'][0]['checks'] if k['analyzer'] == 'sparse'][0]" "$1"; }

rc=0
kseries_gate --analyzers=gcc,sparse base..t342~5 --json "$T/plain.json" > "$T/out" 2>&1 || rc=$?
[ "$rc" = 1 ] || { cat "$T/out"; fail "want exit 1, got $rc"; }

# The results live in the shared fixture's cache, where an earlier run of
# this test left its own cf_flags results: a define of this run's own makes
# its key new, so a hit can only be the result found without cf_flags.
{ cat "$KCONF"; printf '[analyzer.sparse]\ncf_flags = -Wsparse-all -DT342_RUN_%s\n' "$$$(date +%s%N)"; } \
	> "$T/cf.conf"
rc=0
KCONF=$T/cf.conf kseries_gate --analyzers=gcc,sparse base..t342~5 --json "$T/cf.json" \
	> "$T/out" 2>&1 || rc=$?
[ "$rc" = 1 ] || { cat "$T/out"; fail "with cf_flags: want exit 1, got $rc"; }
[ "$(jget "[k['cached'] for k in r['commits'][0]['checks'] if k['analyzer'] == 'sparse'][0]" "$T/cf.json")" = False ] ||
	fail "sparse with cf_flags reuses the result without them: $(sparse_of "$T/cf.json")"
[ "$(jget "[k['cached'] for k in r['commits'][0]['checks'] if k['analyzer'] == 'gcc'][0]" "$T/cf.json")" = True ] ||
	fail "gcc's result does not depend on sparse's flags"
pass "cf_flags are part of sparse's cache key ($(sparse_of "$T/plain.json") -> $(sparse_of "$T/cf.json"))"
