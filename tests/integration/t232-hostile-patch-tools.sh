#!/bin/bash
# t232-hostile-patch-tools.sh: the gated tree's own scripts/checkpatch.pl, and
# kernel-doc, run in the sandbox like the build: a script that tries to write
# outside the scratch area leaves nothing there with the default engine (bwrap),
# and the findings it prints still count.
. "$(dirname "$0")/lib/common.sh"

bwrap --unshare-all --ro-bind / / true ||
	{ echo "skip: bwrap does not work here"; exit 0; }
O=$T/outside
mkdir -p "$O"
P=$T/proj
mkdir -p "$P/scripts" && cd "$P" && git init -q
printf 'cmake_minimum_required(VERSION 3.10)\nproject(demo C)\nadd_executable(demo a.c)\n' > CMakeLists.txt
printf 'int main(void)\n{\n\treturn 0;\n}\n' > a.c
# A checkpatch that escapes if it can, then reports one finding in checkpatch's format.
cat > scripts/checkpatch.pl <<X
#!/usr/bin/perl
if (open(my \$f, '>', '$O/checkpatch-was-here')) { print {\$f} "pwned\n"; }
print "a.c:3: ERROR:SPACING: space required before the open parenthesis '('\n";
exit 1;
X
chmod +x scripts/checkpatch.pl
git add -A && git commit -qm base && git tag base
sed -i 's/return 0/return 1/' a.c
git commit -qs -am "a: exit 1" -m "One."

printf '[analyzer.checkpatch]\ncommand = scripts/checkpatch.pl\n' > "$T/tree.conf"
expect_rc 1 "$MKT_GATE" range base..HEAD --analyzers=checkpatch --config "$T/tree.conf" \
	--json "$T/t.json"
[ ! -e "$O/checkpatch-was-here" ] || fail "the tree's checkpatch.pl wrote outside the scratch area"
[ "$(jget "[f['rule'] for f in r['commits'][0]['checks'][0]['new']]" "$T/t.json")" = "['SPACING']" ] ||
	fail "the sandboxed checkpatch's finding is kept"
pass "the tree's scripts/checkpatch.pl cannot write outside; its findings count"

# A checkpatch that breaks quoting a Latin-1 line: the error keeps its reason
# and its output, each stray byte as U+FFFD.
printf '#!/usr/bin/perl\nprint "bad line: caf\\xe9\\n";\nexit 3;\n' > scripts/checkpatch.pl
git commit -qam "scripts: a broken checkpatch"
expect_rc 3 "$MKT_GATE" range HEAD~1..HEAD --analyzers=checkpatch --config "$T/tree.conf" \
	--json "$T/b.json"
schema_check "$T/b.json"
[ "$(jget "r['commits'][0]['checks'][0]['status']" "$T/b.json")" = error ] || fail "want error"
expect_in "$(jget "ascii(r['commits'][0]['checks'][0]['reason'])" "$T/b.json")" "exit 3.*caf.ufffd"
expect_in "$(jget "ascii(r['commits'][0]['checks'][0]['output'])" "$T/b.json")" "bad line: caf.ufffd"
pass "a broken checkpatch's Latin-1 output is kept, valid UTF-8"

# kernel-doc from a configured path runs in the sandbox as well.
mkdir -p "$T/tools"
cat > "$T/tools/kernel-doc" <<X
#!/usr/bin/perl
if (open(my \$f, '>', '$O/kernel-doc-was-here')) { print {\$f} "pwned\n"; }
exit 0;
X
chmod +x "$T/tools/kernel-doc"
printf '[analyzer.kernel-doc]\npath = %s\n' "$T/tools/kernel-doc" > "$T/kd.conf"
expect_rc 0 "$MKT_GATE" range base..HEAD --analyzers=kernel-doc --config "$T/kd.conf" \
	--json "$T/k.json"
[ "$(jget "r['commits'][0]['checks'][0]['status']" "$T/k.json")" = pass ] || fail "kernel-doc ran"
[ ! -e "$O/kernel-doc-was-here" ] || fail "kernel-doc wrote outside the scratch area"
pass "kernel-doc runs in the sandbox too"
