#!/bin/bash
# t310-kernel-series.sh: the gate on the real Linux 6.1 tree (tinyconfig plus
# tests/data/kernel/gate-test.config, x86_64) with a series that covers a W=1
# warning in a .c, a header warning seen through objects whose .c did not
# change, a sparse __user dereference, a Documentation-only commit, a new .c
# wired into a Makefile, and a commit that only moves a warning.
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/kernel.sh"
. "$(dirname "$0")/lib/kernel-series.sh"

kseries_repo
kseries_standard t310

R=$T/k.json
rc=0
kseries_gate --analyzers=gcc,sparse base..t310 --json "$R" -v > "$T/out" 2>&1 || rc=$?
cat "$T/out"
[ "$rc" = 1 ] || fail "want exit 1, got $rc"
schema_check "$R"
[ "$(jget "r['project_kind']" "$R")" = kbuild ] || fail "a kernel tree is a kbuild project"

# new COMMIT ANALYZER: the rules of the new findings of one check.
new() { jget "sorted(f.get('rule','') + '@' + f.get('file','') for c in r['commits'][$1]['checks'] if c['analyzer'] == '$2' for f in c['new'])" "$R"; }
fixed() { jget "sum(len(c['fixed']) for c in r['commits'][$1]['checks'])" "$R"; }
objects() { jget "r['commits'][$1]['objects']" "$R"; }

[ "$(objects 0)" = "['lib/kstrtox.o']" ] || fail "commit 1 rebuilds lib/kstrtox.o only: $(objects 0)"
[ "$(new 0 gcc)" = "['-Wmissing-prototypes@lib/kstrtox.c']" ] || fail "commit 1: $(new 0 gcc)"
[ "$(new 0 sparse)" = "['sparse:decl@lib/kstrtox.c']" ] || echo "note: commit 1 sparse: $(new 0 sparse)"
pass "a W=1 warning in a .c"

for o in lib/kstrtox.o lib/vsprintf.o lib/bitmap.o kernel/sysctl.o; do
	expect_in "$(objects 1)" "'$o'"
done
[ "$(new 1 gcc)" = "['-Wunused-variable@lib/kstrtox.h']" ] || fail "commit 2: one finding in the header: $(new 1 gcc)"
pass "a header warning shows through unchanged objects, reported once"

[ "$(new 2 gcc)" = "[]" ] || fail "commit 3: gcc has nothing new: $(new 2 gcc)"
expect_in "$(new 2 sparse)" "sparse:noderef@lib/kstrtox.c"
pass "a sparse __user dereference"

[ "$(objects 3)" = "[]" ] || fail "commit 4 builds nothing: $(objects 3)"
[ "$(jget "r['commits'][3]['verdict']" "$R")" = pass ] || fail "commit 4 passes"
[ "$(jget "r['commits'][3]['checks'][0].get('note')" "$R")" = \
	"no unit to build for Documentation/process/howto.rst" ] || fail "commit 4 does not say why"
pass "a Documentation-only commit builds nothing"

expect_in "$(objects 4)" "'lib/gate_new.o'"
[ "$(new 4 gcc)" = "['-Wunused-variable@lib/gate_new.c']" ] || fail "commit 5: $(new 4 gcc)"
pass "a new .c wired into a Makefile is built"

[ "$(objects 5)" = "['lib/kstrtox.o']" ] || fail "commit 6 rebuilds lib/kstrtox.o: $(objects 5)"
[ "$(new 5 gcc)" = "[]" ] && [ "$(new 5 sparse)" = "[]" ] && [ "$(fixed 5)" = 0 ] ||
	fail "commit 6 moves warnings without adding or fixing any"
pass "moved warnings are not new"
