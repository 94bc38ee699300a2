#!/bin/bash
# t220-range-shallow.sh: ranges in shallow clones (file:// clone --depth N):
# what can be gated is gated as in a full clone; a commit whose parent was
# never fetched is an input error with a hint, never "nothing to gate".
. "$(dirname "$0")/lib/common.sh"

U=$T/upstream
mkdir -p "$U" && cd "$U" && git init -q
printf 'cmake_minimum_required(VERSION 3.10)\nproject(demo C)\nadd_executable(demo a.c)\n' > CMakeLists.txt
printf 'int main(void)\n{\n\treturn 0;\n}\n' > a.c
git add -A && git commit -qm base
for i in 1 2; do
	printf 'int f%d(void);\nint f%d(void)\n{\n\treturn %d;\n}\n' $i $i $i >> a.c
	git commit -qam "a: clean function $i"
done
printf 'int g(void);\nint g(void)\n{\n\tint unused;\n\treturn 0;\n}\n' >> a.c
git commit -qam "a: g with a warning"

shas() { jget "' '.join(c['sha'][:12] for c in r['commits'])" "$1"; }
verdicts() { jget "[(c['sha'][:12], k['status'], len(k['new'])) for c in r['commits'] for k in c['checks']]" "$1"; }

clone() { rm -rf "$T/c$1"; git clone -q --depth "$1" "file://$U" "$T/c$1"; cd "$T/c$1"; }

# What a full clone says, for comparison.
cd "$U"
expect_rc 1 "$MKT_GATE" range HEAD~1..HEAD --json "$T/full1.json"
expect_rc 1 "$MKT_GATE" range HEAD~2..HEAD --json "$T/full2.json"

clone 1
for revs in HEAD~1..HEAD HEAD~2...HEAD HEAD HEAD~1; do
	expect_rc 2 "$MKT_GATE" range "$revs"
	expect_in "$OUT" "shallow clone"
	expect_in "$OUT" "hint: .*git fetch --deepen=<n>.*git fetch --unshallow"
	expect_not_in "$OUT" "nothing to gate"
done
pass "depth 1: every range needs a parent the clone lacks: exit 2 with a hint"

clone 2
expect_rc 1 "$MKT_GATE" range HEAD~1..HEAD --json "$T/s.json"
[ "$(verdicts "$T/s.json")" = "$(verdicts "$T/full1.json")" ] ||
	fail "depth 2, HEAD~1..HEAD: $(verdicts "$T/s.json"), full clone: $(verdicts "$T/full1.json")"
expect_rc 1 "$MKT_GATE" range HEAD~1...HEAD --json "$T/s.json"
[ "$(verdicts "$T/s.json")" = "$(verdicts "$T/full1.json")" ] || fail "depth 2, HEAD~1...HEAD"
expect_rc 2 "$MKT_GATE" range HEAD~1
expect_in "$OUT" "commit $(git rev-parse --short=12 HEAD~1) cannot be gated: its parent is not in this shallow clone"
expect_rc 2 "$MKT_GATE" range HEAD~2..HEAD
expect_in "$OUT" "shallow clone"
pass "depth 2: HEAD~1..HEAD gates the new warning; the boundary commit is exit 2, named"

clone 3
expect_rc 1 "$MKT_GATE" range HEAD~2..HEAD --json "$T/s.json"
[ "$(shas "$T/s.json")" = "$(shas "$T/full2.json")" ] || fail "depth 3: commits $(shas "$T/s.json")"
[ "$(verdicts "$T/s.json")" = "$(verdicts "$T/full2.json")" ] || fail "depth 3: verdicts differ"
expect_rc 1 "$MKT_GATE" range HEAD~2...HEAD --json "$T/s.json"
[ "$(shas "$T/s.json")" = "$(shas "$T/full2.json")" ] || fail "depth 3, A...B: $(shas "$T/s.json")"
pass "depth 3: A..B and A...B give the commits and verdicts of a full clone"

# A branch with no history in common with the clone's.
git checkout -q --orphan lonely && git commit -q --allow-empty -m lonely && git checkout -q master
expect_rc 2 "$MKT_GATE" range lonely..master
expect_in "$OUT" "commit $(git rev-parse --short=12 HEAD~2) cannot be gated"
expect_rc 2 "$MKT_GATE" range lonely...master
expect_in "$OUT" "no common ancestor in this shallow clone"
pass "a walk that reaches the shallow boundary names the commit it cannot gate"

clone 1
git fetch -q --deepen=1
expect_rc 1 "$MKT_GATE" range HEAD~1..HEAD --json "$T/s.json"
[ "$(verdicts "$T/s.json")" = "$(verdicts "$T/full1.json")" ] || fail "after --deepen=1"
pass "following the hint (git fetch --deepen=1) makes the range gate"
