#!/bin/bash
# t520-range-engines.sh: `mkt-gate range --engine bwrap` and `--engine podman`
# give the same findings as `--engine host` on a small CMake series.
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/podman.sh"

# Sources under src/, a header under include/: the engines must see both.
P=$T/proj
mkdir -p "$P/src" "$P/include" && cd "$P" && git init -q
cat > CMakeLists.txt <<'X'
cmake_minimum_required(VERSION 3.10)
project(engines C)
add_executable(engines src/main.c src/util.c)
target_include_directories(engines PRIVATE include)
target_compile_options(engines PRIVATE -Wall -Wextra)
X
printf 'int util_twice(int v);\n' > include/util.h
printf '#include "util.h"\n\nint util_twice(int v)\n{\n\treturn 2 * v;\n}\n' > src/util.c
printf '#include "util.h"\n\nint main(int argc, char **argv)\n{\n\treturn util_twice(argc) - 2;\n}\n' > src/main.c
git add -A && git commit -qm "engines: a two-file program" && git tag base
sed -i 's/\treturn 2 \* v;/\tint spare;\n\treturn 2 * v;/' src/util.c
git commit -qam "util: an unused variable"
printf 'static inline int util_id(int v)\n{\n\tint shadow = v;\n\treturn v;\n}\nint util_twice(int v);\n' > include/util.h
git commit -qam "util.h: a warning seen through both units"
sed -i '/spare/d' src/util.c
git commit -qam "util: drop the unused variable"
before=$(repo_fingerprint "$P")

# What must not differ between engines: per commit and check, new and fixed findings.
findings()
{
	/usr/bin/python3 - "$1" <<'X'
import json, sys
r = json.load(open(sys.argv[1]))
key = lambda f: (f.get('file'), f.get('line'), f.get('rule'), f.get('message'))
for c in r['commits']:
    for ch in c.get('checks', []):
        for kind in ('new', 'fixed'):
            for f in sorted(map(key, ch.get(kind, [])), key=str):
                print(c['subject'], ch.get('analyzer'), kind, *f, sep=' | ')
    print(c['subject'], 'verdict', c['verdict'], sep=' | ')
X
}

gate()
{
	local engine=$1
	shift
	# A cache of its own: nothing built or cached by another engine is reused.
	expect_rc 1 env XDG_CACHE_HOME="$T/cache-$engine" \
		"$MKT_GATE" range base..HEAD --engine "$engine" --json "$T/$engine.json" "$@"
	schema_check "$T/$engine.json"
	findings "$T/$engine.json" > "$T/$engine.txt"
}

gate host
expect_in "$(cat "$T/host.txt")" "new \| src/util\.c \| 5 \| -Wunused-variable"
[ "$(jget "r['engine']" "$T/host.json")" = host ] || fail "the report names another engine"
pass "host: the reference findings"

if command -v bwrap >/dev/null; then
	gate bwrap
	diff -u "$T/host.txt" "$T/bwrap.txt" || fail "bwrap findings differ from host"
	[ "$(jget "r['engine']" "$T/bwrap.json")" = bwrap ] ||
		fail "the report says jobs ran on '$(jget "r['engine']" "$T/bwrap.json")', not bwrap"
	pass "bwrap: the same findings as host, and the report says bwrap"
	# The default engine is auto: the report names what auto chose.
	expect_rc 1 env XDG_CACHE_HOME="$T/cache-auto" "$MKT_GATE" range base..HEAD \
		--json "$T/auto.json"
	[ "$(jget "r['engine']" "$T/auto.json")" = bwrap ] ||
		fail "auto ran jobs in bwrap; the report says '$(jget "r['engine']" "$T/auto.json")'"
	pass "the default engine: the report names the engine auto chose"
	# The scratch build dir holds files the engine wrote: all the user's.
	others=$(find "$T/cache-bwrap" ! -user "$(id -u)" -print -quit)
	[ -z "$others" ] || fail "'$others' does not belong to the invoking user"
	pass "bwrap: every file written belongs to the invoking user"

	# The shared ccache: the first run fills it, a --no-cache run replays
	# every compile from it, with the same warnings.
	if command -v ccache >/dev/null; then
		[ "$(jget "r['ccache']['misses'] > 0" "$T/bwrap.json")" = True ] ||
			fail "the first run compiles: $(jget "r.get('ccache')" "$T/bwrap.json")"
		cp "$T/bwrap.json" "$T/bwrap-first.json"
		gate bwrap --no-cache
		diff -u "$T/host.txt" "$T/bwrap.txt" || fail "ccache hits lost findings"
		[ "$(jget "(r['ccache']['misses'], r['ccache']['hits'] > 0, r['ccache']['hit_rate'])" \
			"$T/bwrap.json")" = "(0, True, 1.0)" ] ||
			fail "a second run is all ccache hits: $(jget "r['ccache']" "$T/bwrap.json")"
		expect_rc 1 env XDG_CACHE_HOME="$T/cache-bwrap" "$MKT_GATE" range base..HEAD \
			--engine bwrap --no-cache
		expect_in "$OUT" "ccache: [0-9]+ hits, 0 misses \(100% hit rate\)"
		pass "bwrap: the shared ccache replays compiles with their warnings"
	fi
else
	echo "SKIP: bwrap is not installed"
fi

if podman_setup; then
	printf '[engine.podman]\nimage = %s\n' "$PODMAN_TEST_IMAGE" > "$T/podman.conf"
	gate podman --config "$T/podman.conf"
	diff -u "$T/host.txt" "$T/podman.txt" || fail "podman findings differ from host"
	[ "$(jget "r['engine']" "$T/podman.json")" = podman ] || fail "the report does not say podman"
	pass "podman: the same findings as host, and the report says podman"
	printf '[engine.podman]\nimage = mkt-gate-nosuch:1\n' > "$T/nosuch.conf"
	expect_rc 3 "$MKT_GATE" range base..HEAD --engine podman --config "$T/nosuch.conf"
	expect_in "$OUT" "mkt-gate image build"
	pass "podman: a missing image is exit 3 with the way out"
fi

[ "$before" = "$(repo_fingerprint "$P")" ] || fail "a run changed the user's repository"
pass "the user's repository is untouched"
