#!/bin/bash
# t320-kernel-shipped.sh: the gate as a kernel developer runs it: the shipped
# configs/example-kernel.conf, unchanged, as the tree's .mkt-gate.conf (a
# second layer only makes the kconfig small), the default engine, and its
# build_dir (../build-gate) reached through a '..' and a symlink. A short
# series must give exactly its new findings for gcc W=1, sparse, checkpatch
# (the tree's own script) and commit-msg, and a harmless commit must pass.
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/kernel.sh"
. "$(dirname "$0")/lib/kernel-series.sh"

kseries_repo

# A checked-out tree of the shared repository, kept between runs. Its
# build_dir, ../build-gate, is a symlink to the kernel tests' build root,
# and the tree's directory has the shared repository's name: the scratch
# area is named after both, so the gate reuses the scratch tree and the
# baseline build that t310 uses (one at a time, under the same lock).
SHIP=$MKT_GATE_FIXTURES/t320
TREE=$SHIP/${KREPO##*/}
mkdir -p "$SHIP" "$KGATE_CACHE"
exec 8>"$KGATE_CACHE.lock"
flock 8
[ -L "$SHIP/build-gate" ] || ln -sfn ../"${KGATE_CACHE##*/}" "$SHIP/build-gate"
if [ ! -e "$TREE/.git" ]; then
	git -C "$KREPO" worktree prune
	git -C "$KREPO" worktree add -q --detach "$TREE" base
fi
cp "$MKT_GATE_SRC/configs/example-kernel.conf" "$TREE/.mkt-gate.conf"

cat > "$T/speed.conf" <<X
[defaults]
kconfig = tinyconfig
kconfig_fragments = $MKT_GATE_SRC/tests/data/kernel/gate-test.config
X

# kship_commit SUBJECT [SOB]: like kseries_commit, the sign-off optional.
kship_commit()
{
	local tree sob=()

	[ "${2:-}" ] && sob=(-m "$2")
	tree=$(git -C "$KREPO" write-tree)
	KTIP=$(git -C "$KREPO" commit-tree "$tree" -p "$KTIP" -m "$1" \
		-m "A change for the t320 test of mkt-gate." "${sob[@]}")
	git -C "$KREPO" update-ref "refs/heads/$KBRANCH" "$KTIP"
}

SOB="Signed-off-by: Test Author <test@example.org>"
f=$T/file
kseries_start t320
# A new tree every run, so that results come from this run, not the cache.
kseries_get kernel/fork.c > "$f"
printf '\n/* t320 run %s */\nint gate_ship_peek(int __user *p)\n{\n\treturn *p;\n}\n' \
	"$(date +%s%N)" >> "$f"
kseries_put kernel/fork.c "$f"
kship_commit "fork: peek at a user pointer" "$SOB"

sed -i 's|^\treturn \*p;$|\tint unused_peek;\n\n\tif(!p)\n\t\treturn 0;\n\treturn *p;|' "$f"
kseries_put kernel/fork.c "$f"
kship_commit "fork: check the pointer first"

sed -i 's|/\* The idle threads do not count\.\. \*/|/* The idle threads do not count. */|' "$f"
kseries_put kernel/fork.c "$f"
kship_commit "fork: one full stop is enough" "$SOB"
unset GIT_INDEX_FILE

R=$T/k.json
rc=0
(cd "$TREE" && "$MKT_GATE" range --config "$T/speed.conf" base..t320 --json "$R" -v) \
	> "$T/out" 2>&1 || rc=$?
cat "$T/out"
[ "$rc" = 1 ] || fail "want exit 1, got $rc"
schema_check "$R"
cmp -s "$MKT_GATE_SRC/configs/example-kernel.conf" "$TREE/.mkt-gate.conf" ||
	fail "the shipped config is used unchanged"
[ "$(jget "r['engine']" "$R")" = bwrap ] || fail "the default engine is bwrap here"
for frag in $(sed -n 's/^kconfig_fragments = //p' "$TREE/.mkt-gate.conf"); do
	[ -f "$TREE/$frag" ] || fail "the shipped config's fragment $frag is in a kernel tree"
done
expect_not_in "$(cat "$T/out")" "slot-[0-9]/src/"
[ "$(jget "sum(len(c['fixed']) for k in r['commits'] for c in k['checks'])" "$R")" = 0 ] ||
	fail "the series fixes nothing"
pass "the shipped config runs as it is, paths relative to the tree"

# new COMMIT ANALYZER: rule@file of each new finding of one check.
new() { jget "sorted(f.get('rule','') + '@' + f.get('file','') for c in r['commits'][$1]['checks'] if c['analyzer'] == '$2' for f in c['new'])" "$R"; }
status() { jget "[c['status'] for c in r['commits'][$1]['checks'] if c['analyzer'] == '$2']" "$R"; }
pre() { jget "[c.get('preexisting', 0) for c in r['commits'][$1]['checks'] if c['analyzer'] == '$2'][0]" "$R"; }

for i in 0 1 2; do
	for a in gcc sparse checkpatch commit-msg; do
		[ "$(status $i $a)" != "['error']" ] && [ "$(status $i $a)" != "['skipped']" ] ||
			fail "commit $((i + 1)): $a did not run: $(status $i $a)"
	done
done
pass "gcc, sparse, checkpatch and commit-msg all ran"

[ "$(jget "r['commits'][0]['objects']" "$R")" = "['kernel/fork.o']" ] ||
	fail "commit 1 builds kernel/fork.o"
[ "$(new 0 gcc)" = "['-Wmissing-prototypes@kernel/fork.c']" ] || fail "commit 1 gcc: $(new 0 gcc)"
[ "$(new 0 sparse)" = "['sparse:decl@kernel/fork.c', 'sparse:noderef@kernel/fork.c']" ] ||
	fail "commit 1 sparse: $(new 0 sparse)"
[ "$(new 0 checkpatch)" = "[]" ] || fail "commit 1 checkpatch: $(new 0 checkpatch)"
[ "$(new 0 commit-msg)" = "[]" ] || fail "commit 1 commit-msg: $(new 0 commit-msg)"
pass "a missing prototype, a non-static symbol and a __user dereference"

[ "$(new 1 gcc)" = "['-Wunused-variable@kernel/fork.c']" ] || fail "commit 2 gcc: $(new 1 gcc)"
[ "$(new 1 sparse)" = "[]" ] || fail "commit 2 sparse: $(new 1 sparse)"
[ "$(new 1 checkpatch)" = "['MISSING_SIGN_OFF@', 'SPACING@kernel/fork.c']" ] || fail "commit 2 checkpatch: $(new 1 checkpatch)"
[ "$(new 1 commit-msg)" = "['commit-msg:signoff@']" ] || fail "commit 2 commit-msg: $(new 1 commit-msg)"
pass "an unused variable, a checkpatch error and a missing Signed-off-by"

[ "$(jget "r['commits'][2]['verdict']" "$R")" = pass ] || fail "commit 3 passes"
[ "$(pre 2 sparse)" -gt 10 ] || fail "commit 3: sparse's warnings of kernel/fork.o are seen: $(pre 2 sparse)"
[ "$(pre 2 gcc)" -gt 0 ] || fail "commit 3: gcc's warnings of kernel/fork.o are seen: $(pre 2 gcc)"
[ "$(jget "r['verdict']" "$R")" = fail ] || fail "the series fails"
pass "a harmless commit passes, and the old warnings are all seen"

[ "$(git -C "$TREE" status --porcelain)" = "?? .mkt-gate.conf" ] ||
	fail "the tree is left as it was"
pass "the tree is left as it was"
