#!/bin/bash
# t200-range-cmake.sh: the gate on a throwaway CMake project, as issue 2 checks
# it: per-commit new and fixed findings, a header seen through another unit,
# moved warnings, the JSON report, exit codes, and the user's tree untouched.
. "$(dirname "$0")/lib/common.sh"

P=$T/proj
mkdir -p "$P" && cd "$P" && git init -q
cat > CMakeLists.txt <<'X'
cmake_minimum_required(VERSION 3.10)
project(demo C)
add_executable(demo a.c b.c c.c)
X
printf 'int a(void)\n{\n\treturn 1;\n}\n' > a.c
printf 'int b(int x)\n{\n\tint unused_b;\n\treturn x;\n}\n' > b.c
printf 'static inline int c_helper(int v)\n{\n\treturn v;\n}\n' > c.h
printf '#include "c.h"\nint main(void)\n{\n\treturn c_helper(0);\n}\n' > c.c
git add -A && git commit -qm base && git tag base

sed -i 's/\treturn 1;/\tint unused_a;\n\treturn 1;/' a.c
git commit -qam "a: add an unused variable"
sed -i 's|^int b(int x)|/* one */\n/* two */\nint b(int x)|' b.c
git commit -qam "b: insert lines above a warning b.c already had"
printf 'static inline int c_helper(int v)\n{\n\tint in_header = v;\n\treturn v;\n}\n' > c.h
git commit -qam "c.h: a warning that shows through c.c"
sed -i '/unused_a/d' a.c
git commit -qam "a: remove the unused variable again"

# A dirty working tree and a staged change must survive byte for byte.
echo "/* dirty */" >> a.c
echo staged > staged.txt && git add staged.txt
git stash list > /dev/null
before=$(repo_fingerprint "$P")

expect_rc 1 "$MKT_GATE" range base..HEAD --json "$T/r.json"
after=$(repo_fingerprint "$P")
[ "$before" = "$after" ] || fail "the run changed the user's repository"
pass "working tree, index and refs untouched"

schema_check "$T/r.json"
pass "report validates against the schema"

n() { jget "len(r['commits'][$1]['checks'][0]['$2'])" "$T/r.json"; }
[ "$(n 0 new)" = 1 ] && [ "$(n 0 fixed)" = 0 ] || fail "commit 1: want 1 new, 0 fixed"
[ "$(jget "r['commits'][0]['checks'][0]['new'][0]['rule']" "$T/r.json")" = -Wunused-variable ] ||
	fail "commit 1: want -Wunused-variable"
[ "$(n 1 new)" = 0 ] && [ "$(n 1 fixed)" = 0 ] || fail "commit 2: a moved warning is not new"
[ "$(jget "r['commits'][1]['checks'][0]['preexisting']" "$T/r.json")" = 1 ] ||
	fail "commit 2: want the moved warning counted as preexisting"
[ "$(n 2 new)" = 1 ] || fail "commit 3: want 1 new finding"
[ "$(jget "r['commits'][2]['checks'][0]['new'][0]['file']" "$T/r.json")" = c.h ] ||
	fail "commit 3: the finding is in c.h"
[ "$(jget "r['commits'][2]['objects']" "$T/r.json")" = "['c.c']" ] ||
	fail "commit 3: c.c is the unit the header change rebuilt"
[ "$(n 3 new)" = 0 ] && [ "$(n 3 fixed)" = 1 ] || fail "commit 4: want 1 fixed"
[ "$(jget "[c['verdict'] for c in r['commits']]" "$T/r.json")" = "['fail', 'pass', 'fail', 'pass']" ] ||
	fail "per-commit verdicts"
[ "$(jget "(len(r['series']['new']), len(r['series']['fixed']), len(r['series']['transient']))" "$T/r.json")" = "(1, 0, 1)" ] ||
	fail "series: want 1 new (c.h), 0 fixed, 1 transient (a.c)"
pass "per-commit and series findings"

expect_in "$OUT" "a\.c:3:[0-9]+: warning: unused variable 'unused_a' \[-Wunused-variable\] \(gcc\)"
expect_in "$OUT" "c\.h:3:[0-9]+: warning: unused variable 'in_header' \[-Wunused-variable\] \(gcc\)"
pass "terminal lists each new finding as file:line:col: severity: message [rule] (analyzer)"

# Exit codes of bad input, and the empty range.
expect_rc 2 "$MKT_GATE" range origin/mastr..HEAD
expect_in "$OUT" "revision 'origin/mastr' not found"
expect_rc 0 "$MKT_GATE" range HEAD..HEAD
expect_in "$OUT" "empty range"
expect_rc 2 "$MKT_GATE" range --frobnicate base..HEAD
expect_rc 2 "$MKT_GATE" range
expect_rc 2 "$MKT_GATE" range --analyzers=gcc,nosuch base..HEAD
expect_in "$OUT" "unknown analyzer 'nosuch'"
(cd "$T" && expect_rc 2 "$MKT_GATE" range HEAD~1..HEAD)
pass "exit codes for bad input"

# A single revision gates that commit alone; commit defaults to HEAD.
expect_rc 1 "$MKT_GATE" range HEAD~3 --json "$T/one.json"
[ "$(jget "len(r['commits'])" "$T/one.json")" = 1 ] || fail "a single revision is one commit"
expect_rc 0 "$MKT_GATE" commit --json "$T/head.json"
[ "$(jget "r['commits'][0]['subject']" "$T/head.json")" = "a: remove the unused variable again" ] ||
	fail "commit gates HEAD"
pass "single revision and commit"

# Merges are skipped with a reason; the root commit is compared with nothing.
git stash -q
git checkout -q -b side base
echo 'int side(void) { return 0; }' > side.c && git add side.c && git commit -qm side
git checkout -q master
git merge -q --no-ff -m "merge side" side
expect_rc 0 "$MKT_GATE" range HEAD~1..HEAD --json "$T/m.json"
[ "$(jget "[c['verdict'] for c in r['commits']]" "$T/m.json")" = "['pass', 'skipped']" ] ||
	fail "the merge is skipped, its side commit gated"
expect_in "$(jget "r['commits'][1]['reason']" "$T/m.json")" "merge commit"
expect_rc 1 "$MKT_GATE" range "$(git rev-list --max-parents=0 HEAD)" --json "$T/root.json"
[ "$(jget "len(r['commits'][0]['checks'][0]['new'])" "$T/root.json")" = 1 ] || fail "the root commit brings b.c's warning"
schema_check "$T/m.json" "$T/root.json"
pass "merge skipped with a reason, root commit gated"

# An unknown config key names the file, the line and the key.
printf '[defaults]\njbos = 3\n' > .mkt-gate.conf
expect_rc 2 "$MKT_GATE" range base..HEAD
expect_in "$OUT" "\.mkt-gate\.conf:2: unknown key 'jbos' in \[defaults\]"
rm .mkt-gate.conf
pass "config errors name file, line and key"
