#!/bin/bash
# t340-kernel-rebase-cache.sh: issue 15 on the real Linux 6.1 tree: the series
# of t310 rebased onto a base that changes files none of its objects read
# reuses every unit (no make runs, every check cached), with the findings
# of the original; gating the same range again runs nothing either.
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/kernel.sh"
. "$(dirname "$0")/lib/kernel-series.sh"

kseries_repo
kseries_standard t340
unset GIT_INDEX_FILE
kseries_rebase t340

findings()
{
	jget "[(c['verdict'], [(k['analyzer'], k['status'], sorted((f['file'], f['rule'], f['message']) for f in k['new']), sorted((f['file'], f['rule']) for f in k['fixed']), k['preexisting']) for k in c['checks']], c['objects']) for c in r['commits']]" "$1"
}
all_cached() { jget "all(k['cached'] for c in r['commits'] for k in c['checks'])" "$1"; }
ran_make() { grep -E "object\(s\) in |configuring|baseline" "$1" || true; }

rc=0
kseries_gate --analyzers=gcc,sparse base..t340 --json "$T/a.json" -v > "$T/a.out" 2>&1 || rc=$?
[ "$rc" = 1 ] || { cat "$T/a.out"; fail "the series: want exit 1, got $rc"; }

# The run's own time: kseries_gate waits for other tests' runs first.
per_commit() { jget "'%.3f' % (r['duration_s'] / len(r['commits']))" "$1"; }

rc=0
kseries_gate --analyzers=gcc,sparse t340-newbase..t340-rebased --json "$T/b.json" -v \
	> "$T/b.out" 2>&1 || rc=$?
[ "$rc" = 1 ] || { cat "$T/b.out"; fail "the rebased series: want exit 1, got $rc"; }
schema_check "$T/b.json"
[ "$(findings "$T/b.json")" = "$(findings "$T/a.json")" ] ||
	fail "the rebased series finds otherwise: $(findings "$T/b.json")"
[ "$(all_cached "$T/b.json")" = True ] || { cat "$T/b.out"; fail "every unit of the rebased series is reused: $(jget "[[(k['analyzer'], k['cached']) for k in c['checks']] for c in r['commits']]" "$T/b.json")"; }
[ -z "$(ran_make "$T/b.out")" ] || fail "the rebased series ran make: $(ran_make "$T/b.out")"
pass "rebased onto unrelated changes: every unit reused, no make ($(per_commit "$T/b.json") s/commit)"

rc=0
kseries_gate --analyzers=gcc,sparse t340-newbase..t340-rebased --json "$T/c.json" -v \
	> "$T/c.out" 2>&1 || rc=$?
[ "$rc" = 1 ] || fail "again: want exit 1, got $rc"
[ "$(findings "$T/c.json")" = "$(findings "$T/a.json")" ] || fail "again: other findings"
[ "$(all_cached "$T/c.json")" = True ] && [ -z "$(ran_make "$T/c.out")" ] ||
	fail "the same range again runs nothing"
pass "the same range again: nothing runs ($(per_commit "$T/c.json") s/commit)"
