#!/bin/bash
# t237-merges-evil.sh: merges git users meet: an octopus merge, a merge whose
# conflict resolution brings a warning of its own ("evil merge"), and a merge
# given to `commit`. Skipped, each is one line; with --merges=first-parent
# the evil merge fails with its finding, as its first-parent diff shows it.
set -euo pipefail

. "$(dirname "$0")/lib/common.sh"

P=$T/proj
mkdir -p "$P" && cd "$P" && git init -q
printf 'cmake_minimum_required(VERSION 3.10)\nproject(e C)\nadd_executable(e main.c a.c b.c c.c)\n' >CMakeLists.txt
printf 'int main(void)\n{\n\treturn 0;\n}\n' >main.c
for f in a b c; do printf 'int %s(void)\n{\n\treturn 0;\n}\n' $f >$f.c; done
git add -A && git commit -qm base && git tag base

# An octopus merge of three topics
for f in a b c; do
	git checkout -q -b oct-$f base
	printf '/* %s */\n' $f >>$f.c && git commit -qam "$f: a comment"
done
git checkout -q master
git merge -q --no-ff -m "Merge oct-a, oct-b and oct-c" oct-a oct-b oct-c >/dev/null
[ "$(git rev-list --parents -1 HEAD | wc -w)" -ge 4 ] || fail "not an octopus merge"
octopus=$(git rev-parse HEAD)

# Two sides change main.c's return line; the resolution adds a warning
git checkout -q -b side
sed -i 's/return 0;/return 1;/' main.c && git commit -qam "main: return 1"
git checkout -q master
sed -i 's/return 0;/return 2;/' main.c && git commit -qam "main: return 2"
git merge -q side >/dev/null 2>&1 && fail "the merge did not conflict"
printf 'int main(void)\n{\n\tint evil;\n\treturn 3;\n}\n' >main.c
git add main.c && git commit -qm "Merge branch 'side'"
evil=$(git rev-parse HEAD)

rc=0
"$MKT_GATE" range base..HEAD --json "$T/skip.json" >"$T/skip" 2>/dev/null || rc=$?
[ "$rc" = 0 ] || fail "range exited $rc: $(cat "$T/skip")"
grep -qx "$(git rev-parse --short=12 "$octopus") SKIPPED Merge oct-a, oct-b and oct-c  \[merge\]" "$T/skip" ||
	fail "octopus merge line: $(cat "$T/skip")"
grep -qx "$(git rev-parse --short=12 "$evil") SKIPPED Merge branch 'side'  \[merge\]" "$T/skip" ||
	fail "evil merge line: $(cat "$T/skip")"
[ "$(grep -c '' "$T/skip")" = "$(( $(git rev-list --count base..HEAD) + 1 + 7 ))" ] ||
	fail "not one line per commit, the hint and the closing lines: $(cat "$T/skip")"
grep -qx 'skipped 2 merge commits: --merges=first-parent gates each against its first parent' "$T/skip" ||
	fail "hint: $(cat "$T/skip")"
pass "an octopus and an evil merge, skipped: a line each"

rc=0
"$MKT_GATE" range base..HEAD --merges=first-parent --json "$T/fp.json" >"$T/fp" 2>/dev/null || rc=$?
[ "$rc" = 1 ] || fail "first-parent range exited $rc: $(cat "$T/fp")"
grep -q "^$(git rev-parse --short=12 "$evil") FAIL    Merge branch 'side'  \[gcc 1 new\]$" "$T/fp" ||
	fail "the evil merge is not failed: $(cat "$T/fp")"
grep -q "^main.c:3:[0-9]*: warning: unused variable 'evil' \[-Wunused-variable\] (gcc)$" "$T/fp" ||
	fail "the evil merge's finding: $(cat "$T/fp")"
[ "$(jget "[c['subject'] for c in r['commits']]" "$T/fp.json")" = \
	"['Merge oct-a, oct-b and oct-c', 'main: return 2', \"Merge branch 'side'\"]" ] ||
	fail "first-parent walk: $(jget "[c['subject'] for c in r['commits']]" "$T/fp.json")"
schema_check "$T/skip.json" "$T/fp.json"
pass "first-parent gates the evil merge's resolution"

# `commit` on a merge: skipped in one line by default, gated when asked
expect_rc 0 "$MKT_GATE" commit "$evil"
expect_in "$OUT" "^$(git rev-parse --short=12 "$evil") SKIPPED Merge branch 'side'  \[merge\]$"
expect_rc 1 "$MKT_GATE" commit --merges=first-parent "$evil"
expect_in "$OUT" "unused variable 'evil'"
# -q: only the verdict
expect_rc 0 "$MKT_GATE" range -q base..HEAD
[ "$OUT" = pass ] || fail "-q printed: $OUT"
pass "merges given to commit"
