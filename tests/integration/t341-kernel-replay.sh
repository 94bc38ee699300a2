#!/bin/bash
# t341-kernel-replay.sh: issue 15's replay on the real Linux 6.1 tree: the
# series of t310 gated with make for every object, then by replaying the
# objects' recorded commands (and sparse with kbuild's flags) where only .c
# and .h files changed: the same findings on every commit, and each commit's
# "build" says which path it took and why.
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/kernel.sh"
. "$(dirname "$0")/lib/kernel-series.sh"

kseries_repo
kseries_standard t341
# kernel/fork.c has kernel-doc warnings, which W=1 makes make print too.
kseries_get kernel/fork.c > "$T/fork.c"
printf '\nint gate_replay_fork(int x)\n{\n\tint unused_fork;\n\treturn x;\n}\n' >> "$T/fork.c"
kseries_put kernel/fork.c "$T/fork.c"
kseries_commit "fork: a warning next to kernel-doc ones"
# A source no build of this directory has compiled yet: make, and then replay again.
NEW=lib/gate_t341_$(date +%s%N).c
printf 'int gate_t341_new(void)\n{\n\treturn 0;\n}\n' > "$T/new.c"
kseries_put "$NEW" "$T/new.c"
kseries_get lib/Makefile > "$T/Makefile"
printf 'obj-y += %s.o\n' "$(basename "$NEW" .c)" >> "$T/Makefile"
kseries_put lib/Makefile "$T/Makefile"
kseries_commit "lib: a new file of its own"
kseries_get lib/kstrtox.c > "$T/kstrtox.c"
printf '\nint gate_t341_after(int x)\n{\n\treturn x;\n}\n' >> "$T/kstrtox.c"
kseries_put lib/kstrtox.c "$T/kstrtox.c"
kseries_commit "lib/kstrtox: one more helper without a prototype"
unset GIT_INDEX_FILE

findings()
{
	jget "[(c['verdict'], [(k['analyzer'], k['status'], sorted((f['file'], f.get('line'), f['rule'], f['message']) for f in k['new']), sorted((f['file'], f['rule']) for f in k['fixed']), k['preexisting']) for k in c['checks']], c['objects']) for c in r['commits'][:7]]" "$1"
}
paths() { jget "[c['build']['path'] for c in r['commits']]" "$1"; }
reason() { jget "r['commits'][$2]['build']['reason']" "$1"; }

# make for every object: kbuild_replay = false
{ cat "$KCONF"; echo "kbuild_replay = false"; } > "$T/make.conf"
rc=0
# (not the last two commits: the replay run meets their new source unbuilt)
KCONF=$T/make.conf kseries_gate --analyzers=gcc,sparse --no-cache base..t341~2 \
	--json "$T/make.json" -v > "$T/make.out" 2>&1 || rc=$?
[ "$rc" = 1 ] || { cat "$T/make.out"; fail "make: want exit 1, got $rc"; }
schema_check "$T/make.json"
[ "$(paths "$T/make.json")" = "['make', 'make', 'make', 'none', 'make', 'make', 'make']" ] ||
	fail "with kbuild_replay = false every build is make: $(paths "$T/make.json")"
expect_in "$(reason "$T/make.json" 0)" "kbuild_replay = false"
expect_not_in "$(cat "$T/make.out")" "replayed"
pass "kbuild_replay = false builds with make"

rc=0
kseries_gate --analyzers=gcc,sparse --no-cache base..t341 --json "$T/replay.json" -v \
	> "$T/replay.out" 2>&1 || rc=$?
[ "$rc" = 1 ] || { cat "$T/replay.out"; fail "replay: want exit 1, got $rc"; }
schema_check "$T/replay.json"
[ "$(findings "$T/replay.json")" = "$(findings "$T/make.json")" ] || {
	diff <(findings "$T/make.json" | tr '(' '\n') <(findings "$T/replay.json" | tr '(' '\n') >&2
	fail "replayed commands find otherwise than make"
}
pass "the same findings on every commit as make"

p=$(paths "$T/replay.json")
path() { jget "r['commits'][$1]['build']['path']" "$T/replay.json"; }
# The run starts where the make run left the build directory, after lib/Makefile
# gained object lines: its other objects still replay.
[ "$(path 0)" = replay ] || fail "a Makefile whose object lists alone changed still replays: $p"
[ "$(path 1)" = replay ] || fail "a header change replays its four objects: $p"
[ "$(path 2)" = replay ] || fail "the sparse commit replays: $p"
[ "$(path 3)" = none ] || fail "the Documentation commit builds nothing: $p"
[ "$(path 6)" = replay ] || fail "kernel/fork.c replays: $p"
[ "$(path 7)" = make ] || fail "a new source needs make: $p"
expect_in "$(reason "$T/replay.json" 7)" "${NEW//./\\.}"
[ "$(path 8)" = replay ] || fail "after that make, a .c change replays again: $p"
expect_in "$(reason "$T/replay.json" 1)" "recorded command"
expect_in "$(cat "$T/replay.out")" "object\(s\) replayed in"
pass "replay where only .c and .h files changed, make otherwise, with the reason ($p)"

# The header commit's four other objects, as they are before it, build in
# the pool of the commit before it (its tree is their before-state): one
# pool of five objects, not one of one and then one of four with a CPU
# idle between them.
[ "$(grep -c '5 object(s) replayed in' "$T/replay.out")" = 2 ] &&
	! grep -q '4 object(s) replayed in' "$T/replay.out" || {
	grep "replayed in" "$T/replay.out" >&2
	fail "the next commit's objects build in this commit's pool"
}
pass "the next commit's objects build in this commit's pool"

# The objects' own .cmd files stay as make writes them (fixdep ran).
kb=$(ls -d "$KGATE_CACHE"/*/slot-*/kbuild | head -1)
grep -q '^cmd_lib/kstrtox.o := ' "$kb/lib/.kstrtox.o.cmd" &&
	grep -q '^deps_lib/kstrtox.o := ' "$kb/lib/.kstrtox.o.cmd" ||
	fail "a replayed object's .cmd file is rewritten as kbuild writes it"
[ ! -e "$kb/lib/.kstrtox.o.d" ] || fail "fixdep's input is removed, as kbuild does"
pass "a replayed object's .cmd file is kbuild's"

# A replayed object's compile and its sparse run side by side: on PATH, an
# nm (which the compile's rule steps run) that waits for the sparse of the
# same object to have started, and a sparse that says it did; run one
# after the other, the nm would wait in vain. Markers go in the build
# directory, the one place both jobs may write.
nm=$(command -v nm) sparse=$(command -v sparse)
mkdir -p "$T/bin"
cat > "$T/bin/sparse" <<X
#!/bin/sh
case "\$*" in *lib/kstrtox.c*) : > .t341-sparse-started ;; esac
exec $sparse "\$@"
X
cat > "$T/bin/nm" <<X
#!/bin/sh
case "\$*" in *kstrtox.o*)
	i=0
	while [ ! -e .t341-sparse-started ] && [ \$i -lt 200 ]; do sleep 0.1; i=\$((i + 1)); done
	if [ -e .t341-sparse-started ]; then echo overlap; else echo serial; fi >> .t341-nm.log
	rm -f .t341-sparse-started ;;
esac
exec $nm "\$@"
X
# and a ccache that notes whether it runs in depend mode (no preprocessor
# run before a miss's compile: kbuild's -MMD file lists the includes)
ccache=$(command -v ccache || true)
cat > "$T/bin/ccache" <<X
#!/bin/sh
case "\$*" in *lib/kstrtox.c*) echo "depend=\${CCACHE_DEPEND:-}" >> .t341-ccache.log ;; esac
exec $ccache "\$@"
X
chmod +x "$T/bin/sparse" "$T/bin/nm" "$T/bin/ccache"
[ -n "$ccache" ] || rm "$T/bin/ccache"
rm -f "$kb/.t341-sparse-started" "$kb/.t341-nm.log" "$kb/.t341-ccache.log"
rc=0
PATH=$T/bin:$PATH kseries_gate --analyzers=gcc,sparse --no-cache -j2 t341~1..t341 \
	--json "$T/overlap.json" > "$T/overlap.out" 2>&1 || rc=$?
[ "$rc" = 1 ] || { cat "$T/overlap.out"; fail "overlap: want exit 1, got $rc"; }
[ "$(paths "$T/overlap.json")" = "['replay']" ] || fail "one .c change replays: $(paths "$T/overlap.json")"
[ "$(cat "$kb/.t341-nm.log" 2>/dev/null)" = "$(printf 'overlap\noverlap')" ] ||
	fail "the compile and sparse of one object run at once: $(cat "$kb/.t341-nm.log" 2>&1)"
pass "a replayed object's compile and its sparse run side by side"
if [ -n "$ccache" ]; then
	[ "$(cat "$kb/.t341-ccache.log" 2>/dev/null)" = "$(printf 'depend=1\ndepend=1')" ] ||
		fail "ccache compiles in depend mode: $(cat "$kb/.t341-ccache.log" 2>&1)"
	pass "ccache compiles in depend mode"
fi
rm -f "$kb/.t341-sparse-started" "$kb/.t341-nm.log" "$kb/.t341-ccache.log"
