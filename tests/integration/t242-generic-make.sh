#!/bin/bash
# t242-generic-make.sh: Makefile and autotools projects, built through bear in
# a copy of the sources: per-commit new and fixed findings, a header the
# Makefile generates, build_command and build_env, a source no rule builds.
. "$(dirname "$0")/lib/common.sh"

command -v bear >/dev/null || fail "bear is not installed (tests/setup.sh installs it)"
P=$T/make
mkdir -p "$P/lib" && cd "$P" && git init -q
cat > Makefile <<'X'
OBJS = main.o lib/a.o
demo: $(OBJS)
	$(CC) -o $@ $(OBJS)
gen.h: mkgen.sh
	sh mkgen.sh > $@
lib/a.o: lib/a.c gen.h
	$(CC) $(CFLAGS) $(DEMO_FLAGS) -I. -c -o $@ lib/a.c
X
printf 'printf "#define GEN_VALUE 2\\n"\n' > mkgen.sh
printf '#include "gen.h"\nint a(void)\n{\n\treturn GEN_VALUE;\n}\n' > lib/a.c
printf 'int main(void)\n{\n\treturn 0;\n}\n' > main.c
printf '[defaults]\nanalyzers = gcc\nbuild_command = make demo\nbuild_env = DEMO_FLAGS=-DDEMO_ENV\n' > .mkt-gate.conf
git add -A && git commit -qm base && git tag base

sed -i 's/\treturn GEN_VALUE;/\tint unused;\n#ifdef DEMO_ENV\n\tint from_build_env;\n#endif\n\treturn GEN_VALUE;/' lib/a.c
git commit -qam "a: two new warnings, one that build_env switches on"
sed -i '/int unused;/d' lib/a.c
git commit -qam "a: fix one"
printf 'int orphan(void)\n{\n\tint x;\n\treturn 0;\n}\n' > orphan.c
git add orphan.c && git commit -qm "add a source no rule builds"
sed -i 's|OBJS = main.o lib/a.o|OBJS = main.o lib/a.o orphan.o|' Makefile
git commit -qam "build it"

expect_rc 1 "$MKT_GATE" range base..HEAD --json "$T/r.json"
schema_check "$T/r.json"
R=$T/r.json
[ "$(jget "[c['verdict'] for c in r['commits']]" "$R")" = "['fail', 'pass', 'pass', 'fail']" ] ||
	fail "per-commit verdicts: $(jget "[c['verdict'] for c in r['commits']]" "$R")"
[ "$(jget "sorted(f['message'] for f in r['commits'][0]['checks'][0]['new'])" "$R")" = \
  "[\"unused variable 'from_build_env'\", \"unused variable 'unused'\"]" ] ||
	fail "commit 1: two new warnings in the unit that needs the generated gen.h"
[ "$(jget "[(f['file'], f['line']) for f in r['commits'][1]['checks'][0]['fixed']]" "$R")" = \
  "[('lib/a.c', 4)]" ] || fail "commit 2 fixes one, in lib/a.c"
[ "$(jget "r['commits'][2]['object_reasons']" "$R")" = "['orphan.c: not in any target']" ] ||
	fail "a source no rule builds has its reason"
expect_in "$OUT" "^    not built: orphan\.c: not in any target$"
[ "$(jget "[(f['file'], f['rule']) for f in r['commits'][3]['checks'][0]['new']]" "$R")" = \
  "[('orphan.c', '-Wunused-variable')]" ] || fail "commit 4 builds orphan.c and its warning"
pass "make through bear: new, fixed, generated header, build_command and build_env"

# bear loses a compile now and then under load (its parts talk over gRPC):
# the build goes again rather than leave units out of the database.
mkdir -p "$T/fakebin"
cat > "$T/fakebin/bear" <<X
#!/bin/sh
if [ ! -e "$T/bear-failed" ]; then
	touch "$T/bear-failed"
	echo "wrapper: failed with: gRPC call failed: failed to connect to all addresses" >&2
	exit 2
fi
exec /usr/bin/bear "\$@"
X
chmod +x "$T/fakebin/bear"
expect_rc 1 env PATH="$T/fakebin:$PATH" XDG_CACHE_HOME="$T/cache-flaky" \
	"$MKT_GATE" range base..HEAD --engine host --json "$T/flaky.json"
[ -e "$T/bear-failed" ] || fail "the flaky bear ran"
expect_in "$OUT" "bear lost a compile it was to record; building again"
[ "$(jget "[c['verdict'] for c in r['commits']]" "$T/flaky.json")" = "['fail', 'pass', 'pass', 'fail']" ] ||
	fail "a lost connection of bear changes no verdict"
pass "bear losing its connection: the build goes again"

# The user's tree holds no build products: make ran in a copy.
[ ! -e "$P/main.o" ] && [ ! -e "$P/gen.h" ] || fail "make wrote into the user's tree"
pass "make builds in a copy of the sources"

# autotools: configure.ac and Makefile.am only, the default build command.
command -v autoreconf >/dev/null || fail "autoconf is not installed (tests/setup.sh installs it)"
A=$T/autotools
mkdir -p "$A/src" && cd "$A" && git init -q
cat > configure.ac <<'X'
AC_INIT([demo], [1.0])
AM_INIT_AUTOMAKE([foreign subdir-objects])
AC_PROG_CC
AC_CONFIG_HEADERS([config.h])
AC_CONFIG_FILES([Makefile])
AC_OUTPUT
X
printf 'bin_PROGRAMS = demo\ndemo_SOURCES = src/main.c src/a.c\n' > Makefile.am
printf '#include "config.h"\nint a(void)\n{\n\treturn 1;\n}\n' > src/a.c
printf 'int main(void)\n{\n\treturn 0;\n}\n' > src/main.c
printf '[defaults]\nanalyzers = gcc\n' > .mkt-gate.conf
git add -A && git commit -qm base && git tag base
sed -i 's/\treturn 1;/\tint unused;\n\treturn 1;/' src/a.c
git commit -qam "a: a new warning"
sed -i '/int unused;/d' src/a.c
git commit -qam "a: fix it"
expect_rc 1 "$MKT_GATE" range base..HEAD --json "$T/a.json"
schema_check "$T/a.json"
[ "$(jget "[c['verdict'] for c in r['commits']]" "$T/a.json")" = "['fail', 'pass']" ] ||
	fail "autotools: per-commit verdicts"
[ "$(jget "[(f['file'], f['rule']) for f in r['commits'][0]['checks'][0]['new']]" "$T/a.json")" = \
  "[('src/a.c', '-Wunused-variable')]" ] || fail "autotools: the new warning"
[ "$(jget "len(r['commits'][1]['checks'][0]['fixed'])" "$T/a.json")" = 1 ] || fail "autotools: fixed"
pass "autotools (autoreconf, configure, make) through bear"
