#!/bin/bash
# t243-content-cache-cmake.sh: issue 15's result cache by content on a CMake
# project: gating the same range again configures, preprocesses and compiles
# nothing, and neither does gating the series rebased onto a base that
# changed an unrelated file; the findings stay the same. cmake, gcc, ccache
# and bwrap on PATH are wrappers that log every call: a cached re-gate
# spawns none of them (no engine probe, no ccache statistics either).
. "$(dirname "$0")/lib/common.sh"

LOG=$T/spawned.log
mkdir -p "$T/bin"
for tool in cmake gcc cc ccache bwrap; do
	real=$(command -v $tool) || continue
	printf '#!/bin/sh\necho "%s $*" >> "%s"\nexec %s "$@"\n' "$tool" "$LOG" "$real" > "$T/bin/$tool"
	chmod +x "$T/bin/$tool"
done
export PATH=$T/bin:$PATH

P=$T/proj
mkdir -p "$P" && cd "$P" && git init -q
cat > CMakeLists.txt <<'X'
cmake_minimum_required(VERSION 3.10)
project(demo C)
add_executable(demo a.c b.c c.c)
X
printf 'int a(void)\n{\n\treturn 1;\n}\n' > a.c
printf '#include "c.h"\nint b(int x)\n{\n\treturn c_helper(x);\n}\n' > b.c
printf 'static inline int c_helper(int v)\n{\n\treturn v;\n}\n' > c.h
printf '#include "c.h"\nint main(void)\n{\n\treturn c_helper(0);\n}\n' > c.c
printf 'int unrelated(void)\n{\n\treturn 0;\n}\n' > z.c
echo readme > README
git add -A && git commit -qm base && git tag base

sed -i 's/\treturn 1;/\tint unused_a;\n\treturn 1;/' a.c
git commit -qam "a: add an unused variable"
printf 'static inline int c_helper(int v)\n{\n\tint in_header = v;\n\treturn v;\n}\n' > c.h
git commit -qam "c.h: a warning that shows through b.c and c.c"
printf '#include "c.h"\nint d(void)\n{\n\tint unused_d;\n\treturn c_helper(1);\n}\n' > d.c
sed -i 's/c\.c)/c.c d.c)/' CMakeLists.txt
git add -A && git commit -qm "add d.c to the build"
sed -i '/unused_a/d' a.c
git commit -qam "a: remove the unused variable again"
sed -i 's/int in_header = v;/int in_header2 = v;/' c.h
git commit -qam "c.h: rename the variable"
git tag series

# Upstream moves on: a file no unit reads changes.
git checkout -q -b upstream base
printf 'int unrelated(void)\n{\n\treturn 1;\n}\n' > z.c
echo more >> README
git commit -qam "upstream: an unrelated change" && git tag newbase
git checkout -q -b rebased series
git rebase -q --onto newbase base rebased

findings()
{
	jget "[(c['verdict'], [(k['analyzer'], k['status'], sorted((f['file'], f['rule']) for f in k['new']), sorted((f['file'], f['rule']) for f in k['fixed']), k['preexisting']) for k in c['checks']], sorted(c['objects'])) for c in r['commits']]" "$1"
}
all_cached() { jget "all(k['cached'] for c in r['commits'] for k in c['checks'])" "$1"; }
count() { grep -c "^$1" "$LOG" || true; }
per_commit() { jget "'%.3f' % (r['duration_s'] / len(r['commits']))" "$1"; }

: > "$LOG"
expect_rc 1 "$MKT_GATE" range base..series --engine host --json "$T/r1.json"
schema_check "$T/r1.json"
[ "$(count cmake)" -ge 1 ] && [ "$(count gcc)" -ge 1 ] ||
	fail "the wrappers log the cold run's cmake and gcc: $(cat "$LOG")"
[ "$(jget "[c['verdict'] for c in r['commits']]" "$T/r1.json")" = \
  "['fail', 'fail', 'fail', 'pass', 'pass']" ] || fail "cold verdicts: $(findings "$T/r1.json")"
pass "cold run: $(count cmake) cmake, $(count gcc) gcc calls ($(per_commit "$T/r1.json") s/commit)"

: > "$LOG"
expect_rc 1 "$MKT_GATE" range base..series --engine host --json "$T/r2.json"
[ ! -s "$LOG" ] || fail "the same range again spawned: $(sort "$LOG" | uniq -c)"
[ "$(findings "$T/r2.json")" = "$(findings "$T/r1.json")" ] || fail "cached findings differ"
[ "$(all_cached "$T/r2.json")" = True ] || fail "every check of the re-gate is cached"
[ "$(jget "(r['ccache']['hits'], r['ccache']['misses'], 'hit_rate' in r['ccache'])" \
	"$T/r2.json")" = "(0, 0, False)" ] || fail "no job, no ccache hit: $(jget "r['ccache']" "$T/r2.json")"
pass "the same range again: no cmake, gcc or ccache, the same findings ($(per_commit "$T/r2.json") s/commit)"

: > "$LOG"
expect_rc 1 "$MKT_GATE" range newbase..rebased --engine host --json "$T/r3.json"
[ ! -s "$LOG" ] || fail "the rebased series spawned: $(sort "$LOG" | uniq -c)"
[ "$(findings "$T/r3.json")" = "$(findings "$T/r1.json")" ] ||
	fail "rebased findings differ: $(findings "$T/r3.json")"
[ "$(all_cached "$T/r3.json")" = True ] || fail "every unit of the rebased series is reused: $(jget "[[k['cached'] for k in c['checks']] for c in r['commits']]" "$T/r3.json")"
pass "rebased onto an unrelated change: every unit reused, nothing spawned ($(per_commit "$T/r3.json") s/commit)"

# Amending the last commit reuses the units its change leaves alone.
git checkout -q -b amended rebased
sed -i 's/in_header2/in_header3/' c.h
git commit -q --amend -am "c.h: rename the variable otherwise"
: > "$LOG"
expect_rc 0 "$MKT_GATE" range rebased~1..amended --engine host --json "$T/r4.json"
[ "$(count cmake)" = 0 ] || fail "an amended header configures nothing: $(cat "$LOG")"
[ "$(jget "r['commits'][0]['checks'][0]['cached']" "$T/r4.json")" = False ] ||
	fail "the amended header's readers are compiled again"
pass "an amended commit compiles only what its change reaches"

# Another clone of the project shares the cache (the same user): a
# compilation database names its clone's scratch tree in every command, so
# the first clone's must not serve the second. Its new commit adds e.c:
# the only unit it touches, as without the cache.
git clone -q "$P" "$T/proj2"
cd "$T/proj2"
git checkout -q -b more series
printf 'int e(void)\n{\n\tint unused_e;\n\treturn 0;\n}\n' > e.c
sed -i 's/d\.c)/d.c e.c)/' CMakeLists.txt
git add -A && git commit -qm "add e.c to the build"
expect_rc 1 "$MKT_GATE" range series..more --engine host --json "$T/c1.json"
expect_rc 1 "$MKT_GATE" range series..more --engine host --no-cache --json "$T/c2.json"
[ "$(findings "$T/c1.json")" = "$(findings "$T/c2.json")" ] ||
	fail "another clone: cached and uncached runs differ: $(findings "$T/c1.json") $(findings "$T/c2.json")"
[ "$(jget "r['commits'][0]['objects']" "$T/c1.json")" = "['e.c']" ] ||
	fail "another clone's commit touches e.c alone: $(jget "r['commits'][0]['objects']" "$T/c1.json")"
cd "$P"
git fetch -q "$T/proj2" more:more
expect_rc 1 "$MKT_GATE" range series..more --engine host --json "$T/c3.json"
[ "$(findings "$T/c3.json")" = "$(findings "$T/c2.json")" ] ||
	fail "the first clone, after the second: $(findings "$T/c3.json") $(findings "$T/c2.json")"
pass "clones sharing the cache each get their own compilation databases"

# --no-cache still runs everything.
: > "$LOG"
expect_rc 1 "$MKT_GATE" range newbase..rebased --engine host --no-cache --json "$T/r5.json"
[ "$(count cmake)" -ge 1 ] && [ "$(count gcc)" -ge 1 ] || fail "--no-cache runs the tools"
[ "$(findings "$T/r5.json")" = "$(findings "$T/r1.json")" ] || fail "--no-cache findings differ"
pass "--no-cache configures and compiles again"

# The default engine, auto, probes bwrap once: gating the same range again
# in bwrap spawns no probe, and the report still names bwrap.
if command -v bwrap >/dev/null; then
	expect_rc 1 "$MKT_GATE" range base..series --json "$T/a1.json"
	[ "$(jget "r['engine']" "$T/a1.json")" = bwrap ] || fail "auto chose bwrap"
	[ "$(findings "$T/a1.json")" = "$(findings "$T/r1.json")" ] || fail "bwrap findings differ"
	: > "$LOG"
	expect_rc 1 "$MKT_GATE" range base..series --json "$T/a2.json"
	[ ! -s "$LOG" ] || fail "the same range again in bwrap spawned: $(sort "$LOG" | uniq -c)"
	[ "$(jget "r['engine']" "$T/a2.json")" = bwrap ] || fail "the cached re-gate names bwrap"
	[ "$(findings "$T/a2.json")" = "$(findings "$T/r1.json")" ] || fail "cached findings differ"
	pass "engine auto: the same range again probes nothing and names bwrap"
fi
