#!/bin/bash
# t115-cli-levels.sh: --fail-on takes the levels the config takes (error,
# warning, info) and decides the verdict of every analyzer, over their own
# built-in fail_on; errors in --fail-on and --analyzers name the option.
. "$(dirname "$0")/lib/common.sh"

cd "$T" && git init -q p && cd p
printf 'cmake_minimum_required(VERSION 3.10)\nproject(p C)\nadd_executable(p main.c)\n' >CMakeLists.txt
printf 'int main(void)\n{\n\treturn 0;\n}\n' >main.c
git add -A && git commit -q -m "p: start"
# gcc: a warning (-Wunused-variable); cppcheck: the same as style, our info
printf 'int main(void)\n{\n\tint unused;\n\n\treturn 0;\n}\n' >main.c
git commit -q -am "p: an unused variable"

gate() { "$MKT_GATE" range -q HEAD~1..HEAD "$@"; }
expect_rc 1 gate --analyzers gcc
expect_rc 1 gate --analyzers gcc --fail-on warning
expect_rc 0 gate --analyzers gcc --fail-on error
pass "--fail-on error lets a new warning pass, --fail-on warning does not"

if command -v cppcheck >/dev/null; then
	expect_rc 0 gate --analyzers cppcheck --fail-on warning
	expect_rc 1 gate --analyzers cppcheck --fail-on info
	pass "--fail-on info fails on a new info finding"
fi
printf '[defaults]\nfail_on = info\n' >"$T/info.conf"
expect_rc 1 gate --analyzers gcc --config "$T/info.conf"
pass "[defaults] fail_on = info is accepted"

# A config file's [defaults] fail_on decides for every analyzer (the shipped
# example-cmake.conf sets error), unless the analyzer's own section says else.
printf '[defaults]\nfail_on = error\n' >"$T/error.conf"
expect_rc 0 gate --analyzers gcc --config "$T/error.conf"
printf '[analyzer.gcc]\nfail_on = warning\n' >>"$T/error.conf"
expect_rc 1 gate --analyzers gcc --config "$T/error.conf"
pass "[defaults] fail_on = error in a config file lets a new warning pass"

expect_rc 2 gate --fail-on notice
expect_in "$OUT" "^error: '--fail-on' expects error, warning or info, not 'notice'$"
expect_rc 2 gate --analyzers gcc,nosuch
expect_in "$OUT" "^error: unknown analyzer 'nosuch' in --analyzers$"
expect_in "$OUT" "^hint: known analyzers: gcc clang "
expect_not_in "$OUT" "defaults"
pass "bad --fail-on and --analyzers values: the error names the option"
