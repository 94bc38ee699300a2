#!/bin/bash
# t241-generic-meson.sh: a Meson project, configured by mkt-gate in its scratch
# build directory with meson_args and built with ninja: per-commit new and
# fixed findings, a configured header, and a source no target builds.
. "$(dirname "$0")/lib/common.sh"

command -v meson >/dev/null || fail "meson is not installed (tests/setup.sh installs it)"
P=$T/proj
mkdir -p "$P/src" && cd "$P" && git init -q
cat > meson.build <<'X'
project('demo', 'c')
conf = configuration_data()
conf.set('GEN_VALUE', 7)
configure_file(output : 'gen.h', configuration : conf)
if get_option('extra')
	add_project_arguments('-DDEMO_EXTRA', language : 'c')
endif
executable('demo', 'src/main.c', 'src/a.c')
X
printf "option('extra', type : 'boolean', value : false)\n" > meson_options.txt
printf '#include "gen.h"\nint a(void)\n{\n\treturn GEN_VALUE;\n}\n' > src/a.c
printf 'int main(void)\n{\n#ifdef DEMO_EXTRA\n\tint from_meson_args;\n#endif\n\treturn 0;\n}\n' > src/main.c
printf '[defaults]\nanalyzers = gcc\nmeson_args = -Dextra=true\n' > .mkt-gate.conf
git add -A && git commit -qm base && git tag base

sed -i 's/\treturn GEN_VALUE;/\tint unused;\n\treturn GEN_VALUE;/' src/a.c
git commit -qam "a: a new warning"
sed -i '/int unused;/d' src/a.c
git commit -qam "a: fix it"
printf 'int orphan(void)\n{\n\treturn 0;\n}\n' > src/orphan.c
git add src/orphan.c && git commit -qm "add a source no target builds"
sed -i 's|return 0;|return 0 + 0;|' src/main.c
git commit -qam "main: touch the unit meson_args gives a warning"

expect_rc 1 "$MKT_GATE" range base..HEAD --json "$T/r.json"
schema_check "$T/r.json"
R=$T/r.json
[ "$(jget "r['project_kind']" "$R")" = compile_commands ] || fail "a generic project"
[ "$(jget "[c['verdict'] for c in r['commits']]" "$R")" = "['fail', 'pass', 'pass', 'pass']" ] ||
	fail "per-commit verdicts: $(jget "[c['verdict'] for c in r['commits']]" "$R")"
[ "$(jget "[(f['file'], f['line'], f['rule']) for f in r['commits'][0]['checks'][0]['new']]" "$R")" = \
  "[('src/a.c', 4, '-Wunused-variable')]" ] || fail "commit 1: one new warning in src/a.c"
[ "$(jget "len(r['commits'][1]['checks'][0]['fixed'])" "$R")" = 1 ] || fail "commit 2 fixes it"
pass "meson: new and fixed per commit, paths relative to the top"

[ "$(jget "r['commits'][2]['object_reasons']" "$R")" = "['src/orphan.c: not in any target']" ] ||
	fail "the unbuilt source has its reason"
expect_in "$OUT" "^    not built: src/orphan\.c: not in any target$"
pass "meson: a source no target builds is listed"

# meson_args reached the configure: main.c's warning is there before and after.
[ "$(jget "r['commits'][3]['checks'][0]['preexisting']" "$R")" = 1 ] ||
	fail "meson_args switch on the code with the warning"
pass "meson: meson_args configure the project"
