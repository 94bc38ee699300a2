#!/bin/bash
# t400-patch-checkpatch.sh: checkpatch on each commit's own patch in a generic CMake
# project: a style error is new and fails the gate, a clean patch passes, the
# config's ignore list is honoured, without a checkpatch.pl the check is skipped,
# and a tree's own scripts/checkpatch.pl named relative to the top runs.
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/checkpatch.sh"

checkpatch_fixture || fail "cannot get checkpatch.pl"
P=$T/proj
mkdir -p "$P" && cd "$P" && git init -q
cat > CMakeLists.txt <<'X'
cmake_minimum_required(VERSION 3.10)
project(demo C)
add_executable(demo a.c)
X
printf 'int main(void)\n{\n\treturn 0;\n}\n' > a.c
git add -A && git commit -qm base && git tag base

printf 'static int twice(int x)\n{\n\treturn 2 * x;\n}\n\nint main(void)\n{\n\treturn twice(0);\n}\n' > a.c
git commit -qs -am "a: add a helper" -m "The helper doubles its argument."
printf 'static int twice(int x)\n{\n\tif(x)\n\t\treturn 2 * x;\n\treturn 0;\n}\n\nint main(void)\n{\n\treturn twice(0);\n}\n' > a.c
git commit -qs -am "a: return early" -m "Zero stays zero."

cat > "$T/gate.conf" <<X
[analyzer.checkpatch]
path = $CHECKPATCH_PL
X
expect_rc 1 "$MKT_GATE" range base..HEAD --analyzers=gcc,checkpatch,commit-msg \
	--config "$T/gate.conf" --json "$T/r.json"
schema_check "$T/r.json"
chk() { jget "[k for k in r['commits'][$1]['checks'] if k['analyzer'] == '$2'][0]$3" "$T/r.json"; }
[ "$(chk 0 checkpatch "['status']")" = pass ] || fail "a clean patch passes checkpatch"
[ "$(chk 0 commit-msg "['status']")" = pass ] || fail "a signed-off commit passes commit-msg"
[ "$(chk 1 checkpatch "['status']")" = fail ] || fail "the style error fails checkpatch"
[ "$(chk 1 checkpatch "['new'][0]['rule']")" = SPACING ] || fail "want SPACING"
[ "$(chk 1 checkpatch "['new'][0]['file']")" = a.c ] || fail "the finding is in a.c"
[ "$(chk 1 checkpatch "['new'][0]['line']")" = 3 ] || fail "the finding is on line 3"
[ "$(chk 1 checkpatch "['new'][0]['severity']")" = error ] || fail "ERROR is an error"
expect_in "$OUT" "a\.c:3: error: space required before the open parenthesis"
pass "a checkpatch style error is new; a clean patch passes"

# The config's ignore list, and the tree's .checkpatch.conf, silence a type.
printf '[analyzer.checkpatch]\npath = %s\nignore = SPACING\n' "$CHECKPATCH_PL" > "$T/ignore.conf"
expect_rc 0 "$MKT_GATE" range HEAD~1..HEAD --analyzers=checkpatch --config "$T/ignore.conf" \
	--json "$T/i.json"
[ "$(jget "len(r['commits'][0]['checks'][0]['new'])" "$T/i.json")" = 0 ] || fail "ignore = SPACING"
echo '--ignore SPACING' > .checkpatch.conf
git add .checkpatch.conf && git commit -qs -m "add .checkpatch.conf" -m "Quiet."
sed -i 's/if(x)/if(x )/' a.c
git commit -qs -am "a: more style" -m "Still bad."
expect_rc 0 "$MKT_GATE" range HEAD~1..HEAD --analyzers=checkpatch --config "$T/gate.conf" \
	--json "$T/c.json"
[ "$(jget "[f['rule'] for f in r['commits'][0]['checks'][0]['new']]" "$T/c.json")" = "[]" ] ||
	fail ".checkpatch.conf of the tree is read"
pass "ignored types from the config and from .checkpatch.conf"

# Without checkpatch.pl: skipped, with what to set; not a failure.
expect_rc 0 "$MKT_GATE" range HEAD~1..HEAD --analyzers=checkpatch --json "$T/s.json"
[ "$(jget "r['commits'][0]['checks'][0]['status']" "$T/s.json")" = skipped ] || fail "skipped"
expect_in "$(jget "r['commits'][0]['checks'][0]['reason']" "$T/s.json")" \
	"set \[analyzer\.checkpatch\] path"
pass "no checkpatch.pl: skipped with the reason"

# A tree that ships its own checkpatch, named relative to the top as the
# kernel's example config does, run from the top with the default engine.
mkdir -p scripts && cp "$(dirname "$CHECKPATCH_PL")"/* scripts/
git rm -q .checkpatch.conf && git add scripts
git commit -qs -m "scripts: our own checkpatch" -m "Vendored."
sed -i 's/if(x )/if(x)/' a.c
git commit -qs -am "a: style again" -m "Still bad."
printf '[analyzer.checkpatch]\ncommand = scripts/checkpatch.pl\n' > "$T/tree.conf"
expect_rc 1 "$MKT_GATE" range HEAD~1..HEAD --analyzers=gcc,checkpatch --config "$T/tree.conf" \
	--json "$T/t.json"
[ "$(jget "[f['rule'] for c in r['commits'][0]['checks'] for f in c['new']]" "$T/t.json")" = "['SPACING']" ] ||
	fail "the tree's own scripts/checkpatch.pl runs"
pass "a tree-relative checkpatch command runs under the default engine"
