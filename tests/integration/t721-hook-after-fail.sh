#!/usr/bin/env bash
# t721-hook-after-fail.sh: a stored failure among a head's commits must not
# stop the background check of the commits after it. A run that errored
# leaves no "last gated" head, so the next plan holds the failed commit
# again; its newer commits are gated all the same, and `status` never says
# "not checked yet" for them.
set -euo pipefail
. "$MKT_GATE_SRC/tests/data/hooks/lib.sh"

new_repo "$T/repo"
cd "$T/repo"
use_fake_gate "$T/gate.log"
export MKT_GATE_HOOK_DEBOUNCE_MS=0
"$MKT_GATE" install >/dev/null

commit_file a.c 'int a(void) { int unused; return 0; }' "a: bad"
wait_for "finished: $(git rev-parse --short=12 HEAD)" "$MKT_GATE" status
"$MKT_GATE" status | grep -q "a: bad: fail" || fail "the bad commit is not a stored fail"

# The next run breaks (exit 3): no head counts as gated any more.
export FAKE_GATE_EXIT=3
commit_file b.c 'int b(void) { return 0; }' "b: fine"
wait_for "finished: $(git rev-parse --short=12 HEAD)" "$MKT_GATE" status
unset FAKE_GATE_EXIT

commit_file c.c 'int c(void) { return 0; }' "c: fine"
wait_for "finished: $(git rev-parse --short=12 HEAD)" "$MKT_GATE" status
"$MKT_GATE" status >"$T/out"
grep -q "b: fine: pass" "$T/out" || fail "b was not checked: $(cat "$T/out")"
grep -q "c: fine: pass" "$T/out" || fail "c was not checked: $(cat "$T/out")"
! grep -q "not checked yet" "$T/out" || fail "status: $(cat "$T/out")"
pass "commits after a stored failure are checked in the background"
