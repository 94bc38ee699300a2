#!/bin/bash
# t240-generic-cmake.sh: a CMake project as issue 19 found real ones: a header
# generated at build time, a build-tree link to a source header, cmake_args and
# build_env, a unit that no target builds, one that does not compile, and a
# CMakeLists.txt that tries to write outside the sandbox.
. "$(dirname "$0")/lib/common.sh"

P=$T/proj
mkdir -p "$P/lib" "$P/util" && cd "$P" && git init -q
cat > CMakeLists.txt <<'X'
cmake_minimum_required(VERSION 3.13)
project(demo C)
option(DEMO_EXTRA "extra code" OFF)
if(DEMO_EXTRA)
	add_compile_definitions(DEMO_EXTRA)
endif()
if(DEFINED ENV{DEMO_ENV})
	add_compile_definitions(DEMO_ENV)
endif()
# A header the build makes, as rdma-core makes kernel-abi/*.h.
add_custom_command(OUTPUT ${CMAKE_BINARY_DIR}/gen/gen.h
	COMMAND sh ${CMAKE_SOURCE_DIR}/mkgen.sh ${CMAKE_BINARY_DIR}/gen/gen.h
	DEPENDS ${CMAKE_SOURCE_DIR}/mkgen.sh)
# Public headers reached through links in the build tree, as rdma-core does.
file(MAKE_DIRECTORY ${CMAKE_BINARY_DIR}/include/util)
file(RELATIVE_PATH rel ${CMAKE_BINARY_DIR}/include/util ${CMAKE_SOURCE_DIR}/util/util.h)
file(CREATE_LINK ${rel} ${CMAKE_BINARY_DIR}/include/util/util.h SYMBOLIC)
include_directories(${CMAKE_BINARY_DIR}/gen ${CMAKE_BINARY_DIR}/include)
add_executable(demo lib/main.c lib/gen_user.c lib/old.c lib/extra.c ${CMAKE_BINARY_DIR}/gen/gen.h)
X
printf 'mkdir -p "$(dirname "$1")"\nprintf "#define GEN_VALUE 3\\n" > "$1"\n' > mkgen.sh
printf 'static inline int util_less(int a, unsigned int b)\n{\n\treturn a < b;\n}\n' > util/util.h
printf '#include "util/util.h"\nint old_fn(int a)\n{\n\treturn util_less(a, 2u);\n}\n' > lib/old.c
printf '#include "gen.h"\nint gen_user(void)\n{\n\treturn GEN_VALUE;\n}\n' > lib/gen_user.c
printf 'int extra(void)\n{\n\treturn 0;\n}\n' > lib/extra.c
printf 'int main(void)\n{\n#ifdef DEMO_FLAG\n\tint from_flag;\n#endif\n\treturn 0;\n}\n' > lib/main.c
cat > .mkt-gate.conf <<'X'
[defaults]
analyzers = gcc
cmake_args = -DDEMO_EXTRA=ON -DCMAKE_BUILD_TYPE=Debug
build_env = DEMO_ENV=1
[analyzer.gcc]
extra_flags = -Wall -Wextra -Wsign-compare
X
git add -A && git commit -qm base && git tag base

printf '#include "util/util.h"\nint new_fn(int a)\n{\n\treturn util_less(a, 5u);\n}\n' > lib/new.c
sed -i 's|lib/old.c|lib/old.c lib/new.c|' CMakeLists.txt
git add -A && git commit -qm "add lib/new.c, which includes util.h and its old warning"
sed -i 's/\treturn GEN_VALUE;/\tint unused;\n\treturn GEN_VALUE;/' lib/gen_user.c
git commit -qam "gen_user: a new warning in a unit that needs gen.h"
sed -i '/int unused;/d' lib/gen_user.c
git commit -qam "gen_user: fix it"
printf 'static inline int util_more(int a, unsigned int b)\n{\n\treturn a > b;\n}\n' >> util/util.h
git commit -qam "util.h: a new warning, reached through the build tree's link"
printf 'int orphan(void)\n{\n\tint x;\n\treturn 0;\n}\n' > lib/orphan.c
git add lib/orphan.c && git commit -qm "add a source no target builds"
cat > lib/extra.c <<'X'
int extra(void)
{
#ifdef DEMO_EXTRA
	int from_cmake_args;
#endif
#ifdef DEMO_ENV
	int from_build_env;
#endif
	return 0;
}
X
git commit -qam "extra: warnings only cmake_args and build_env switch on"
git tag series

expect_rc 1 "$MKT_GATE" range base..series --json "$T/r.json"
schema_check "$T/r.json"
R=$T/r.json
verdicts=$(jget "[c['verdict'] for c in r['commits']]" "$R")
[ "$verdicts" = "['pass', 'fail', 'pass', 'fail', 'pass', 'fail']" ] ||
	fail "per-commit verdicts: $verdicts"
new() { jget "[(f['file'], f['rule']) for f in r['commits'][$1]['checks'][0]['new']]" "$R"; }
fixed() { jget "[(f['file'], f['rule']) for f in r['commits'][$1]['checks'][0]['fixed']]" "$R"; }

[ "$(new 0)" = "[]" ] && [ "$(fixed 0)" = "[]" ] ||
	fail "a new unit including an unchanged header: its old warning is not new: $(new 0)"
[ "$(jget "r['commits'][0]['checks'][0]['preexisting']" "$R")" = 1 ] ||
	fail "the header's old warning counts as preexisting"
pass "a header's old warning through a new unit is not new"

[ "$(new 1)" = "[('lib/gen_user.c', '-Wunused-variable')]" ] ||
	fail "the unit that includes the generated header is compiled: $(new 1)"
[ "$(fixed 2)" = "[('lib/gen_user.c', '-Wunused-variable')]" ] || fail "commit 3 fixes it: $(fixed 2)"
pass "generated header built first: new and fixed found"

[ "$(new 3)" = "[('util/util.h', '-Wsign-compare')]" ] ||
	fail "the header's warning is reported under its source path: $(new 3)"
[ "$(jget "sorted(r['commits'][3]['objects'])" "$R")" = "['lib/new.c', 'lib/old.c']" ] ||
	fail "a header reached through the build tree's link touches its readers"
pass "build-tree links resolve to the source header"

[ "$(jget "r['commits'][4]['objects']" "$R")" = "[]" ] || fail "nothing builds lib/orphan.c"
[ "$(jget "r['commits'][4]['object_reasons']" "$R")" = "['lib/orphan.c: not in any target']" ] ||
	fail "the unbuilt source has its reason in the report"
expect_in "$OUT" "^    not built: lib/orphan\.c: not in any target$"
pass "a source no target builds is listed with its reason"

[ "$(new 5)" = "[('lib/extra.c', '-Wunused-variable'), ('lib/extra.c', '-Wunused-variable')]" ] ||
	fail "cmake_args and build_env reach the configure: $(new 5)"
expect_in "$OUT" "unused variable 'from_cmake_args'"
expect_in "$OUT" "unused variable 'from_build_env'"
pass "cmake_args and build_env configure the project"

# The same series from a cache reached through a link and a "..": the same verdicts.
mkdir -p "$T/real-cache" && ln -s real-cache "$T/link"
expect_rc 1 env XDG_CACHE_HOME="$T/link/../link" "$MKT_GATE" range base..series --json "$T/l.json"
for q in "[c['verdict'] for c in r['commits']]" \
	 "[[(f['file'], f['line'], f['rule']) for f in c['checks'][0]['new'] + c['checks'][0]['fixed']] for c in r['commits']]" \
	 "[c['objects'] for c in r['commits']]"; do
	[ "$(jget "$q" "$T/l.json")" = "$(jget "$q" "$R")" ] ||
		fail "through a link: $(jget "$q" "$T/l.json")"
done
pass "a cache path through a link and a '..' gives the same findings"

# Other cmake_args, other commands: no result of the first run is reused.
printf '[defaults]\ncmake_args = -DCMAKE_BUILD_TYPE=Debug\n' > "$T/no-extra.conf"
expect_rc 1 "$MKT_GATE" range series --config "$T/no-extra.conf" --json "$T/x.json"
[ "$(jget "[f['message'] for f in r['commits'][0]['checks'][0]['new']]" "$T/x.json")" = \
  "[\"unused variable 'from_build_env'\"]" ] || fail "cmake_args changed: the results too"
pass "the result cache tells configurations apart"

# A header generated by a rule the commit adds: the build makes it first.
git checkout -q -b gen2 series
cat >> CMakeLists.txt <<'X'
add_custom_command(OUTPUT ${CMAKE_BINARY_DIR}/gen/gen2.h
	COMMAND sh ${CMAKE_SOURCE_DIR}/mkgen2.sh ${CMAKE_BINARY_DIR}/gen/gen2.h)
target_sources(demo PRIVATE lib/gen2_user.c ${CMAKE_BINARY_DIR}/gen/gen2.h)
X
printf 'printf "#define GEN2_VALUE 5\\n" > "$1"\n' > mkgen2.sh
printf '#include "gen2.h"\nint gen2_user(void)\n{\n\tint unused2;\n\treturn GEN2_VALUE;\n}\n' > lib/gen2_user.c
git add -A && git commit -qm "a unit that needs a header the commit's new rule generates"
expect_rc 1 "$MKT_GATE" range series..gen2 --json "$T/g.json"
[ "$(jget "[(f['file'], f['message']) for f in r['commits'][0]['checks'][0]['new']]" "$T/g.json")" = \
  "[('lib/gen2_user.c', \"unused variable 'unused2'\")]" ] ||
	fail "the new generated header exists before the unit compiles"
git checkout -q master
pass "a header generated by a new rule is built before its unit"

# A define the build files add: the units they compile otherwise are rebuilt.
git checkout -q -b flags series
printf 'target_compile_definitions(demo PRIVATE DEMO_FLAG)\n' >> CMakeLists.txt
git commit -qam "CMakeLists.txt: a define that switches on a warning"
expect_rc 1 "$MKT_GATE" range series..flags --json "$T/f.json"
[ "$(jget "[(f['file'], f['message']) for f in r['commits'][0]['checks'][0]['new']]" "$T/f.json")" = \
  "[('lib/main.c', \"unused variable 'from_flag'\")]" ] ||
	fail "a unit whose command the commit changed is compiled both ways"
git checkout -q master
pass "a changed command rebuilds the units it changes"

# A unit that starts failing is a new finding; one failing on both sides is an error.
printf '#include "nowhere.h"\nint broken(void)\n{\n\treturn NOWHERE;\n}\n' > lib/broken.c
sed -i 's|lib/extra.c|lib/extra.c lib/broken.c|' CMakeLists.txt
git add -A && git commit -qm "add a unit that does not compile"
sed -i 's/return NOWHERE;/return NOWHERE + 1;/' lib/broken.c
git commit -qam "touch the unit that does not compile"
expect_rc 1 "$MKT_GATE" range series..HEAD --json "$T/b.json"
schema_check "$T/b.json"
[ "$(jget "[c['verdict'] for c in r['commits']]" "$T/b.json")" = "['fail', 'error']" ] ||
	fail "starts failing: fail; fails before and after: error"
[ "$(jget "r['commits'][0]['checks'][0]['new'][0]['message']" "$T/b.json")" = "nowhere.h: No such file or directory" ] ||
	fail "the failure is the new finding"
expect_in "$(jget "r['commits'][1]['checks'][0]['reason']" "$T/b.json")" \
	"^lib/broken\.c does not compile before or after the commit: lib/broken\.c:1: nowhere\.h: No such file"
expect_in "$OUT" "ERROR +touch the unit that does not compile"
pass "a unit failing on both sides is an error, never ok; the failing commit before it decides the exit (1)"

# The configure step runs in the sandbox: CMake cannot write outside it.
S=$T/sandboxed
probe=/tmp/outside-mkt-gate-$$-$RANDOM
mkdir -p "$S" && cd "$S" && git init -q
printf 'cmake_minimum_required(VERSION 3.13)\nproject(s C)\nadd_executable(s main.c)\n' > CMakeLists.txt
printf 'int main(void)\n{\n\treturn 0;\n}\n' > main.c
git add -A && git commit -qm base
printf 'file(WRITE %s "escaped")\nexecute_process(COMMAND touch %s-exec)\n' "$probe" "$probe" >> CMakeLists.txt
git commit -qam "a build file that writes outside"
trap 'rm -rf "$T" "$probe" "$probe-exec"' EXIT
expect_rc 0 "$MKT_GATE" range HEAD --json "$T/s.json"
engine=$(jget "r['engine']" "$T/s.json")
[ "$engine" = bwrap ] || fail "the default engine here is bwrap, not $engine"
[ ! -e "$probe" ] && [ ! -e "$probe-exec" ] || fail "cmake wrote $probe on the host"
pass "configure runs in the default engine ($engine): nothing written outside"
