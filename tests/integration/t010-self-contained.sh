#!/bin/bash
# t010-self-contained.sh: a plain clone runs its own tests: no test or CMake
# file names a path outside the clone, and the report schema gets installed.
. "$(dirname "$0")/lib/common.sh"

cd "$MKT_GATE_SRC"
self=tests/integration/$(basename "$0")

# The files that decide what the tests read: the tests and the build.
files()
{
	git ls-files --cached --others --exclude-standard -- tests .ci \
		CMakeLists.txt '*/CMakeLists.txt' '*.cmake' | grep -vxF "$self"
}
[ "$(files | wc -l)" -gt 50 ] || fail "cannot list the tracked files of $MKT_GATE_SRC"

# Above the clone: a sibling folder ('../shared'), this machine's paths, or
# the top of the source tree followed by '..'.
outside='\.\./shared|/work/|MKT_GATE_SHARED|(CMAKE_SOURCE_DIR|PROJECT_SOURCE_DIR|MKT_GATE_SRC)\}?/\.\.'
hits=$(files | xargs -d '\n' grep -nE -- "$outside" || true)
[ -z "$hits" ] || fail "paths outside the clone:"$'\n'"$hits"
pass "no test or CMake file names a path outside the clone"

# Every literal "$MKT_GATE_SRC/path" a test names exists in the clone.
missing=
while read -r path; do
	[ -e "$path" ] || missing+=" $path"
done < <(files | grep '\.sh$' | xargs -d '\n' grep -ohE '\$\{?MKT_GATE_SRC\}?/[A-Za-z0-9_./-]+' |
	 sed -E 's|^\$\{?MKT_GATE_SRC\}?/||; s|/$||' | sort -u)
[ -z "$missing" ] || fail "tests name files the clone lacks:$missing"
[ -f "$SCHEMA" ] && [ -f "$JUNIT_XSD" ] || fail "the schemas are not in the clone"
pass "every file the tests name is in the clone"

# `cmake --install` puts the schema next to the configs.
: "${MKT_GATE_BUILD:?MKT_GATE_BUILD must name the build directory}"
cmake --install "$MKT_GATE_BUILD" --prefix "$T/inst" >/dev/null
cmp "$SCHEMA" "$T/inst/share/mkt-gate/report-v1.schema.json" ||
	fail "the report schema is not installed in share/mkt-gate/"
pass "the report schema is installed"
