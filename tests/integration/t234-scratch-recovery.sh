#!/bin/bash
# t234-scratch-recovery.sh: a scratch area damaged between runs is rebuilt, not
# a failure on every later run: its tree replaced by a symlink (to a folder,
# or dangling) gates as before and writes nothing through the link. A
# build_dir that cannot hold scratch trees says what is wrong with it.
. "$(dirname "$0")/lib/common.sh"

P=$T/proj
mkdir -p "$P" && cd "$P" && git init -q
printf 'cmake_minimum_required(VERSION 3.10)\nproject(demo C)\nadd_executable(demo a.c)\n' > CMakeLists.txt
printf 'int main(void)\n{\n\treturn 0;\n}\n' > a.c
git add -A && git commit -qm base && git tag base
commit() { printf 'int main(void)\n{\n\treturn %d;\n}\n' "$1" > a.c; git commit -qam "a: $1"; }
commit 1
expect_rc 0 "$MKT_GATE" range base..HEAD
S=$(echo "$XDG_CACHE_HOME"/mkt-gate/*/slot-0)
[ -d "$S/src" ] || fail "no scratch tree at $S/src"

E=$T/elsewhere
mkdir -p "$E" && echo mine > "$E/keep.h"
n=1
for target in "$E" "$T/missing"; do
	rm -rf "$S/src" && ln -s "$target" "$S/src"
	# a new value each time: a repeated one left nothing to commit
	n=$((n + 1))
	commit "$n"
	for run in 1 2; do
		expect_rc 0 "$MKT_GATE" range HEAD~1..HEAD
	done
	[ -d "$S/src" ] && [ ! -L "$S/src" ] || fail "the scratch tree is not rebuilt"
	[ "$(ls "$E")" = keep.h ] && [ "$(cat "$E/keep.h")" = mine ] ||
		fail "written through the link: $(ls "$E")"
done
pass "a scratch tree replaced by a symlink is rebuilt; nothing written through it"

# A build_dir that is a file: the message names it, not busy slots.
echo file > "$T/bd"
expect_rc 3 "$MKT_GATE" range HEAD~1..HEAD --build-dir "$T/bd"
expect_not_in "$OUT" "busy"
expect_in "$OUT" "cannot create '$T/bd/.*': Not a directory"
expect_in "$OUT" "hint: .*build_dir"
if [ "$(id -u)" != 0 ]; then
	mkdir -p "$T/ro" && chmod 555 "$T/ro"
	expect_rc 3 "$MKT_GATE" range HEAD~1..HEAD --build-dir "$T/ro"
	expect_in "$OUT" "cannot create '$T/ro/.*': Permission denied"
fi
pass "a build_dir that cannot hold scratch trees says why"
