#!/bin/bash
# t607-report-unbuilt.sh: a commit whose files no unit builds says so on its
# line ("[gcc, clang: no unit to build for README]"), with a "note" on each
# unit check of the JSON report (valid against the schema), in JUnit and in
# HTML; a commit that builds something, and a patch-level check, get none.
set -euo pipefail

. "$(dirname "$0")/lib/common.sh"

P=$T/proj
mkdir -p "$P" && cd "$P" && git init -q
printf 'cmake_minimum_required(VERSION 3.10)\nproject(u C)\nadd_executable(u a.c)\n' >CMakeLists.txt
printf 'int main(void)\n{\n\treturn 0;\n}\n' >a.c
git add -A && git commit -qm base && git tag base
echo hello >README && git add README && git commit -qsm "README: say hello"
mkdir docs && printf 'int x(void)\n{\n\tint unused;\n\treturn 0;\n}\n' >docs/x.c
git add docs && git commit -qsm "docs: an example no target builds"
git commit -qs --allow-empty -m "empty: a commit of no file"
for i in 1 2 3 4 5 6; do echo "$i" >"docs/n$i.txt"; done
git add docs && git commit -qsm "docs: six notes"
printf 'int main(void)\n{\n\treturn 1;\n}\n' >a.c && git commit -qsam "a: return 1"

"$MKT_GATE" range base..HEAD --analyzers gcc,clang,commit-msg \
	--json "$T/r.json" --junit "$T/r.xml" --html "$T/r.html" >"$T/out" 2>"$T/err" ||
	fail "range exited $?: $(cat "$T/err")"
sha() { git rev-parse --short=12 "$1"; }
line() { grep "^$(sha "$1") " "$T/out" || fail "no line for $1: $(cat "$T/out")"; }

expect_in "$(line HEAD~4)" '  \[gcc, clang: no unit to build for README; commit-msg ok\]$'
expect_in "$(line HEAD~3)" '\[gcc, clang: no unit to build for docs/x\.c; commit-msg ok\]$'
grep -q '^    not built: docs/x.c: not in any target$' "$T/out" || fail "the why of docs/x.c is lost"
expect_in "$(line HEAD~2)" '\[gcc, clang: the commit changes no file; commit-msg ok\]$'
expect_in "$(line HEAD~1)" 'no unit to build for docs/n1\.txt, docs/n2\.txt, docs/n3\.txt, docs/n4\.txt and 2 more; commit-msg ok\]$'
expect_in "$(line HEAD)" '\[gcc ok; clang ok; commit-msg ok\]$'
pass "the terminal says which commits had nothing to build, and why"

schema_check "$T/r.json"
[ "$(jget "[[c.get('note') for c in k['checks']] for k in r['commits']][0]" "$T/r.json")" = \
	"['no unit to build for README', 'no unit to build for README', None]" ] ||
	fail "notes of the README commit: $(jget "[c.get('note') for c in r['commits'][0]['checks']]" "$T/r.json")"
[ "$(jget "[c.get('note') for c in r['commits'][4]['checks']]" "$T/r.json")" = "[None, None, None]" ] ||
	fail "a commit that builds a unit got a note"
grep -q '<system-out>no unit to build for README' "$T/r.xml" || fail "JUnit lacks the note"
xmllint --noout --schema "$JUNIT_XSD" "$T/r.xml"
grep -q '<p class="muted">gcc: no unit to build for docs/x.c</p>' "$T/r.html" || fail "HTML lacks the note"
pass "the JSON, JUnit and HTML reports carry the note"

# Re-rendered from the JSON, the same lines
"$MKT_GATE" report --from "$T/r.json" >"$T/again"
diff <(grep -v 's)$' "$T/out") <(grep -v 's)$' "$T/again") >/dev/null ||
	fail "report --from renders otherwise: $(diff "$T/out" "$T/again")"
# -v tells what is cached, but a check that ran nothing has nothing cached
"$MKT_GATE" report --from "$T/r.json" -v >"$T/verbose"
grep -q "^$(sha HEAD~4) PASS    README: say hello  \[gcc, clang: no unit to build for README; commit-msg ok" "$T/verbose" ||
	fail "-v: $(grep "^$(sha HEAD~4)" "$T/verbose")"
pass "unbuilt commits"
