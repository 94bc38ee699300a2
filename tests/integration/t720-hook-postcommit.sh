#!/usr/bin/env bash
# t720-hook-postcommit.sh: post-commit with the stand-in gate: returns at once, runs in the
# background, one run at a time, bursts coalesced, stale locks broken, results reused by pre-push.
set -euo pipefail
. "$MKT_GATE_SRC/tests/data/hooks/lib.sh"

new_repo "$T/repo"
cd "$T/repo"
use_fake_gate "$T/gate.log"
export MKT_GATE_HOOK_DEBOUNCE_MS=0
"$MKT_GATE" install >/dev/null
state=.git/mkt-gate

# The gate takes 3 s; the commit must not wait for it.
export FAKE_GATE_SLEEP=3
echo 'int a(void) { return 0; }' >a.c
git add a.c
read -r wall cpu < <( { ms git commit -qm "add a"; } 3>&1)
echo "git commit with the post-commit hook, gate busy 3 s: $wall ms wall, $cpu ms CPU"
[ "$wall" -lt 2000 ] || fail "post-commit waited for the gate ($wall ms)"
wait_for "running:" "$MKT_GATE" status
read -r wall cpu < <(best 5 .git/hooks/post-commit)
echo "post-commit hook alone (best of 5): $wall ms wall, $cpu ms CPU ($(cut -d' ' -f1-3 /proc/loadavg) load)"
[ "$cpu" -lt "$CPU_BOUND" ] || fail "post-commit used $cpu ms of CPU"
pass "post-commit returns at once and the check runs in the background"

# Commits made while a run holds the lock are queued, then coalesced into one
# run by that runner once its job is done. The holder is a real runner (busy
# 4 s on "b 0"): a lock held by anything else would leave the queue to no one.
wait_for "finished: $(git rev-parse --short=12 HEAD)" "$MKT_GATE" status
: >"$T/gate.log"
export FAKE_GATE_SLEEP=4
commit_file b.c "int b0(void) { return 0; }" "b 0"
busy=$(git rev-parse --short=12 HEAD)
wait_for "running:" "$MKT_GATE" status
unset FAKE_GATE_SLEEP
for i in 1 2 3 4 5; do commit_file b.c "int b$i(void) { return $i; }" "b $i"; done
"$MKT_GATE" status | grep -q "^pending:  $(git rev-parse --short=12 HEAD)" || fail "burst not queued"
commit_file b.c 'int bad(void) { int unused; return 0; }' "b bad"
"$MKT_GATE" status | grep -q "^running:  $busy" ||
	fail "the run of 'b 0' ended before the burst was queued: $("$MKT_GATE" status)"
[ "$(wc -l <"$T/gate.log")" = 1 ] ||
	fail "a second run started while the lock was held: $(cat "$T/gate.log")"
head=$(git rev-parse HEAD)
wait_for "finished: ${head:0:12}" "$MKT_GATE" status
sed -i 1d "$T/gate.log"
runs=$(wc -l <"$T/gate.log")
[ "$runs" = 1 ] || fail "$runs gate runs for 6 queued commits: $(cat "$T/gate.log")"
grep -q "^range $(git rev-parse HEAD~6)\.\.$head$" "$T/gate.log" || fail "not one range: $(cat "$T/gate.log")"
"$MKT_GATE" status >"$T/out"
grep -q "${head:0:12} b bad: fail" "$T/out" || fail "status: $(cat "$T/out")"
grep -q "b.c:7: warning: unused variable 'unused'" "$T/out" ||
	fail "status findings: $(cat "$T/out")"
"$MKT_GATE" status HEAD~1 | grep -q "b 5: pass" || fail "status HEAD~1"
for i in 0 1 2 3 4 5 6; do
	[ -s "$state/results/$(git rev-parse HEAD~$i).json" ] || fail "no result for HEAD~$i"
done
pass "6 commits queued behind a run are gated in one run; status shows the failure"

# pre-push reuses the stored results: no new gate run.
: >"$T/gate.log"
if git push origin master 2>"$T/err"; then fail "push of a stored fail went through"; fi
[ ! -s "$T/gate.log" ] || fail "pre-push ran the gate again: $(cat "$T/gate.log")"
grep -q "b.c:7: warning" "$T/err" || fail "stored finding not shown on push"
git reset -q --hard HEAD~1
git push -q origin master 2>"$T/err" || fail "push of stored passes refused: $(cat "$T/err")"
[ ! -s "$T/gate.log" ] || fail "pre-push ran the gate for stored passes"
pass "pre-push reuses the post-commit results"

# A lock left by a dead run is broken by the next one.
sleep 0.3 &
dead=$!
wait $dead
echo $dead >$state/lock
commit_file c.c 'int c(void) { return 0; }' "add c"
wait_for "finished: $(git rev-parse --short=12 HEAD)" "$MKT_GATE" status
grep -q "broke the stale lock of pid $dead" $state/log || fail "stale lock: $(cat $state/log)"
pass "a stale lock from a dead pid is broken"

# A linked worktree with a space in its path shares the state of the common git dir.
git worktree add -q "$T/linked tree" -b side
(cd "$T/linked tree" && commit_file d.c 'int d(void) { return 0; }' "add d")
side=$(git rev-parse side)
wait_for "finished: ${side:0:12} in '$T/linked tree'" "$MKT_GATE" status
[ -s "$state/results/$side.json" ] || fail "linked worktree result not stored"
(cd "$T/linked tree" && "$MKT_GATE" status) | grep -q "${side:0:12} add d: pass" || fail "status in linked worktree"
pass "linked worktree"

# The user's working tree, index and refs are untouched by all this.
git status --porcelain >"$T/porcelain"
[ ! -s "$T/porcelain" ] || fail "worktree changed: $(cat "$T/porcelain")"
[ -z "$(git stash list)" ] || fail "stash changed"
"$MKT_GATE" uninstall >/dev/null
[ ! -e .git/hooks/post-commit ] || fail "post-commit left"
pass "worktree, index, stash untouched; uninstall removes the hooks"
