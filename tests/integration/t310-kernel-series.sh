#!/bin/bash
# t310-kernel-series.sh: the gate on the real Linux 6.1 tree (tinyconfig plus
# configs/kernel/gate-test.config, x86_64) with a series that covers a W=1
# warning in a .c, a header warning seen through objects whose .c did not
# change, a sparse __user dereference, a Documentation-only commit, a new .c
# wired into a Makefile, and a commit that only moves a warning.
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/kernel.sh"
. "$(dirname "$0")/lib/kernel-series.sh"

kseries_repo
kseries_start t310

f=$T/file
kseries_get lib/kstrtox.c > "$f"
printf '\nint gate_test_noproto(int x)\n{\n\treturn x + 1;\n}\n' >> "$f"
kseries_put lib/kstrtox.c "$f"
kseries_commit "lib/kstrtox: add a helper without a prototype"

kseries_get lib/kstrtox.h > "$f"
sed -i 's|^#endif|static inline int gate_test_inline(void)\n{\n\tint unused_in_header;\n\treturn 0;\n}\n#endif|' "$f"
kseries_put lib/kstrtox.h "$f"
kseries_commit "lib/kstrtox.h: a warning seen through every object that includes it"

kseries_get lib/kstrtox.c > "$f"
printf '\nint gate_test_peek(int __user *p);\nint gate_test_peek(int __user *p)\n{\n\treturn *p;\n}\n' >> "$f"
kseries_put lib/kstrtox.c "$f"
kseries_commit "lib/kstrtox: dereference a user pointer"

kseries_get Documentation/process/howto.rst > "$f"
echo "A line that builds nothing." >> "$f"
kseries_put Documentation/process/howto.rst "$f"
kseries_commit "Documentation: a change that builds nothing"

printf '// SPDX-License-Identifier: GPL-2.0\nint gate_new_fn(void);\nint gate_new_fn(void)\n{\n\tint unused_new;\n\treturn 0;\n}\n' > "$f"
kseries_put lib/gate_new.c "$f"
kseries_get lib/Makefile > "$f"
printf 'obj-y += gate_new.o\n' >> "$f"
kseries_put lib/Makefile "$f"
kseries_commit "lib: a new file wired into the Makefile"

kseries_get lib/kstrtox.c > "$f"
sed -i '0,/^#include/s//\/* one *\/\n\/* two *\/\n\/* three *\/\n#include/' "$f"
kseries_put lib/kstrtox.c "$f"
kseries_commit "lib/kstrtox: move the old warnings down"

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
pass "a Documentation-only commit builds nothing"

expect_in "$(objects 4)" "'lib/gate_new.o'"
[ "$(new 4 gcc)" = "['-Wunused-variable@lib/gate_new.c']" ] || fail "commit 5: $(new 4 gcc)"
pass "a new .c wired into a Makefile is built"

[ "$(objects 5)" = "['lib/kstrtox.o']" ] || fail "commit 6 rebuilds lib/kstrtox.o: $(objects 5)"
[ "$(new 5 gcc)" = "[]" ] && [ "$(new 5 sparse)" = "[]" ] && [ "$(fixed 5)" = 0 ] ||
	fail "commit 6 moves warnings without adding or fixing any"
pass "moved warnings are not new"
