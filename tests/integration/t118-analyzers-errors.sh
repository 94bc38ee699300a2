#!/bin/bash
# t118-analyzers-errors.sh: what is wrong with the analyzers asked for is said
# where it was asked: an error in --analyzers names the option, one in a
# config names its file and line; an empty list is an error, never a gate
# that runs nothing and passes; a name on the command line runs the analyzer
# even where a config has 'enabled = false'. All before any work (exit 2).
set -euo pipefail

. "$(dirname "$0")/lib/common.sh"

P=$T/proj
mkdir -p "$P" && cd "$P" && git init -q
printf 'cmake_minimum_required(VERSION 3.10)\nproject(a C)\nadd_executable(a a.c)\n' >CMakeLists.txt
printf 'int main(void)\n{\n\tint unused;\n\treturn 0;\n}\n' >a.c
git add -A && git commit -qm "a: the first commit"

no_work() { [ ! -e "$XDG_CACHE_HOME/mkt-gate" ] || fail "'$*' ran the gate first"; }

for list in "" " " "," "gcc;clang"; do
	for cmd in range commit; do
		expect_rc 2 "$MKT_GATE" "$cmd" --analyzers="$list" HEAD
		if [ "$list" = "gcc;clang" ]; then
			expect_in "$OUT" "^error: unknown analyzer 'gcc;clang' in --analyzers$"
		else
			expect_in "$OUT" "^error: '--analyzers' names no analyzer$"
			expect_in "$OUT" "^hint: give some, such as --analyzers=gcc,sparse"
		fi
		expect_not_in "$OUT" "defaults"
		no_work "$cmd --analyzers='$list'"
	done
done
expect_rc 2 "$MKT_GATE" range --analyzers gcc,Sparse HEAD
expect_in "$OUT" "^error: unknown analyzer 'Sparse' in --analyzers$"
expect_in "$OUT" "^hint: known analyzers: gcc clang sparse "
no_work "--analyzers gcc,Sparse"
pass "--analyzers errors name the command line"

printf '[defaults]\n# the analyzers\nanalyzers = gcc bogus\n' >"$T/bad.conf"
expect_rc 2 "$MKT_GATE" range --config "$T/bad.conf" HEAD
expect_in "$OUT" "^error: $T/bad.conf:3: unknown analyzer 'bogus' in \[defaults\] analyzers$"
expect_in "$OUT" "^hint: known analyzers: gcc clang sparse "
printf '[defaults]\nanalyzers =\n' >"$T/empty.conf"
expect_rc 2 "$MKT_GATE" range --config "$T/empty.conf" HEAD
expect_in "$OUT" "^error: $T/empty.conf:2: no analyzer to run: \[defaults\] analyzers names none that is enabled$"
printf '[defaults]\nanalyzers = clang\n[analyzer.clang]\nenabled = false\n' >"$T/off.conf"
expect_rc 2 "$MKT_GATE" range --config "$T/off.conf" HEAD
expect_in "$OUT" "^error: $T/off.conf:2: no analyzer to run"
no_work "a config with no analyzer"
pass "config errors name the file and line"

# What the command line names runs, whatever 'enabled' a config says
expect_rc 1 "$MKT_GATE" range --config "$T/off.conf" --analyzers clang HEAD
expect_in "$OUT" "\[clang 1 new\]"
expect_in "$OUT" "a\.c:3:[0-9]+: warning: unused variable 'unused' .*\(clang\)$"
pass "analyzers errors"
