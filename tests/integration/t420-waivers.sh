#!/bin/bash
# t420-waivers.sh: .mkt-gate-waivers of the commit's tree: a waived finding is listed
# under "waived", not "new", and does not fail the gate; a bad waiver line is named
# by file and line.
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/checkpatch.sh"

checkpatch_fixture || fail "cannot get checkpatch.pl"
P=$T/proj
mkdir -p "$P" && cd "$P" && git init -q
printf 'cmake_minimum_required(VERSION 3.10)\nproject(demo C)\nadd_executable(demo a.c)\n' \
	> CMakeLists.txt
printf 'int main(void)\n{\n\treturn 0;\n}\n' > a.c
git add -A && git commit -qs -m "demo: start" -m "The start." && git tag base
printf '[analyzer.checkpatch]\npath = %s\n' "$CHECKPATCH_PL" > "$T/gate.conf"

# The waivers come with the commit that needs them.
printf 'int main(void)\n{\n\tint unused;\n\n\tif(1)\n\t\treturn 0;\n\treturn 1;\n}\n' > a.c
cat > .mkt-gate-waivers <<'X'
# accepted findings
commit-msg:signoff:*          # imported from a tree without sign-offs
checkpatch:SPACING:a.c:open parenthesis
checkpatch:MISSING_SIGN_OFF:*
gcc:-Wunused-variable:*.c
X
git add -A && git commit -q -m "demo: imported code" -m "From elsewhere."

expect_rc 0 "$MKT_GATE" range base..HEAD --analyzers=gcc,checkpatch,commit-msg \
	--config "$T/gate.conf" --json "$T/r.json"
schema_check "$T/r.json"
w() { jget "[(k['analyzer'], len(k['new']), [f['rule'] for f in k.get('waived', [])]) for k in r['commits'][0]['checks']]" "$T/r.json"; }
[ "$(w)" = "[('gcc', 0, ['-Wunused-variable']), ('checkpatch', 0, ['MISSING_SIGN_OFF', 'SPACING']), ('commit-msg', 0, ['commit-msg:signoff'])]" ] ||
	{ w >&2; fail "each finding is waived, listed under 'waived'"; }
[ "$(jget "r['verdict']" "$T/r.json")" = pass ] || fail "waived findings do not fail the gate"
pass "waived findings listed as waived, not new"

# A waiver by fingerprint, in the next commit.
fp=$(jget "[f['fingerprint'] for k in r['commits'][0]['checks'] for f in k['waived'] if k['analyzer'] == 'gcc'][0]" "$T/r.json")
printf '%s # by fingerprint\n' "$fp" > .mkt-gate-waivers
git commit -qs -am "demo: waive by fingerprint" -m "Narrower."
expect_rc 0 "$MKT_GATE" range HEAD~1..HEAD --analyzers=gcc --json "$T/f.json"
pass "a fingerprint waiver"

printf 'gcc:-Wall:*\nthis is not a waiver\n' > .mkt-gate-waivers
git commit -qs -am "demo: break the waivers" -m "Oops."
rc=0
OUT=$("$MKT_GATE" range HEAD~1..HEAD --analyzers=gcc 2>&1) || rc=$?
[ "$rc" != 0 ] && [ "$rc" != 1 ] || fail "a bad waiver file is not a pass or a fail (rc $rc)"
expect_in "$OUT" "\.mkt-gate-waivers:2: bad waiver 'this is not a waiver'"
pass "a bad waiver line is named by file and line"
