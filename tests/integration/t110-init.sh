#!/bin/bash
# t110-init.sh: `mkt-gate init` writes a commented .mkt-gate.conf that fits the
# tree (kernel: kconfig, arch, the kernel analyzers; CMake, meson: the generic
# ones), never overwrites one without --force; a bare `mkt-gate range` then
# gates @{upstream}..HEAD and says so, or says how to name a range.
. "$(dirname "$0")/lib/common.sh"

# A tree kbuild_detect() takes for a kernel: Kbuild, scripts/, the Makefile head.
mkdir "$T/linux" && cd "$T/linux"
git init -q
printf 'VERSION = 6\nPATCHLEVEL = 1\nSUBLEVEL = 0\n' >Makefile
printf 'obj-y += init/\n' >Kbuild
mkdir scripts && printf '#!/usr/bin/perl\nprint "Version: 0.32\\n";\n' >scripts/checkpatch.pl
chmod +x scripts/checkpatch.pl
git add -A && git commit -q -m "Linux 6.1"

expect_rc 0 "$MKT_GATE" init
expect_in "$OUT" "^wrote $T/linux/.mkt-gate.conf for a kernel tree"
conf=$(cat .mkt-gate.conf)
expect_in "$conf" '^kconfig = defconfig$'
[ "$(uname -m)" != x86_64 ] || expect_in "$conf" '^arch = x86_64$'
expect_in "$conf" '^fail_on = warning$'
expect_in "$conf" '^analyzers = gcc( sparse)? checkpatch commit-msg$'
command -v sparse >/dev/null && expect_in "$conf" '^analyzers = gcc sparse checkpatch'
[ "$(grep -c '^#' <<<"$conf")" -ge 15 ] || fail "the config is hardly commented: $conf"
expect_in "$conf" "example-kernel.conf"
pass "kernel tree: kconfig, arch and the kernel analyzers, commented"

# Never over a config without --force; --force writes a fresh one.
echo "# mine" >>.mkt-gate.conf
before=$(sha1sum .mkt-gate.conf)
expect_rc 2 "$MKT_GATE" init
expect_in "$OUT" "^error: '$T/linux/.mkt-gate.conf' already exists"
expect_in "$OUT" '^hint: .*--force'
[ "$(sha1sum .mkt-gate.conf)" = "$before" ] || fail "init changed an existing config"
expect_rc 0 "$MKT_GATE" init --force -q
[ -z "$OUT" ] || fail "init -q said: $OUT"
grep -q '^# mine' .mkt-gate.conf && fail "--force kept the old config"
pass "an existing config is kept unless --force"

# A CMake project: the generic analyzers, then a bare `range` gates the
# commits that are not upstream yet.
git init -q --bare "$T/origin.git"
mkdir "$T/proj" && cd "$T/proj"
git init -q
printf 'cmake_minimum_required(VERSION 3.10)\nproject(p C)\nadd_executable(p main.c)\n' >CMakeLists.txt
printf 'int main(void)\n{\n\treturn 0;\n}\n' >main.c
git add -A && git commit -q -m "p: start"
expect_rc 0 "$MKT_GATE" init
expect_in "$OUT" "for a CMake project"
conf=$(cat .mkt-gate.conf)
expect_in "$conf" '^analyzers = gcc'
expect_not_in "$conf" '^analyzers = .*(sparse|checkpatch)'
expect_not_in "$conf" '^(kconfig|arch) ='
expect_in "$conf" "example-cmake.conf"
# what init wrote is a config mkt-gate reads without complaint
expect_rc 0 "$MKT_GATE" init --print --force
git add .mkt-gate.conf && git commit -q -m "p: gate with mkt-gate"

expect_rc 2 "$MKT_GATE" range
expect_in "$OUT" "^error: no revision given, and branch 'master' has no upstream"
expect_in "$OUT" "^hint: .*git branch --set-upstream-to="
pass "a bare range without an upstream names what to do"

git remote add origin "$T/origin.git"
git push -q -u origin master
printf 'int main(void)\n{\n\tint unused;\n\n\treturn 0;\n}\n' >main.c
git commit -q -am "p: add an unused variable"
printf '/* p */\nint main(void)\n{\n\tint unused;\n\n\treturn 0;\n}\n' >main.c
git commit -q -am "p: say what it is"
rc=0
"$MKT_GATE" range --analyzers gcc --json "$T/r.json" >"$T/out" 2>"$T/err" || rc=$?
[ "$rc" = 1 ] || fail "bare range exited $rc: $(cat "$T/err")"
grep -q "^gating origin/master..HEAD (@{upstream}..HEAD)" "$T/err" ||
	fail "bare range did not say what it gates: $(cat "$T/err")"
[ "$(jget 'r["range"]' "$T/r.json")" = "origin/master..HEAD" ] || fail "range: $(jget 'r["range"]' "$T/r.json")"
[ "$(jget 'len(r["commits"])' "$T/r.json")" = 2 ] || fail "not the 2 new commits"
pass "a bare range gates @{upstream}..HEAD and says so"

# meson: the compile_commands.json of its build directory, wherever it is.
mkdir "$T/mes" && cd "$T/mes"
git init -q
echo "project('m', 'c')" >meson.build
mkdir builddir && echo '[]' >builddir/compile_commands.json
git add meson.build && git commit -q -m "m: start"
expect_rc 0 "$MKT_GATE" init
expect_in "$OUT" "for a meson project"
expect_in "$(cat .mkt-gate.conf)" '^compile_commands = builddir/compile_commands.json$'
pass "meson: its compilation database is named"

cd "$T"
expect_rc 2 "$MKT_GATE" init
expect_in "$OUT" "^error: .* is not inside a git repository"
pass "outside a repository: an error and a hint"
