#!/bin/bash
# t117-usage-up-front.sh: usage errors are found before the gate runs and name
# what is wrong: a bad --color or --shard, and an unterminated quote in a
# word-list key of the config (file, line and key).
. "$(dirname "$0")/lib/common.sh"

P=$T/proj
mkdir -p "$P" && cd "$P" && git init -q
printf 'cmake_minimum_required(VERSION 3.10)\nproject(demo C)\nadd_executable(demo a.c)\n' > CMakeLists.txt
printf 'int main(void)\n{\n\treturn 0;\n}\n' > a.c
git add -A && git commit -qm base && git tag base
printf 'int main(void)\n{\n\tint x;\n\treturn 0;\n}\n' > a.c
git commit -qam "a: x"

for opt in --color=bogus --shard=3/2; do
	expect_rc 2 "$MKT_GATE" range base..HEAD "$opt"
	[ ! -e "$XDG_CACHE_HOME/mkt-gate" ] || fail "$opt: the gate ran before the option was checked"
done
expect_in "$OUT" "'--shard' expects K/N"
pass "--color and --shard are checked before the gate runs"

for key in extra_flags options command; do
	printf '[analyzer.gcc]\n%s = -Wall "-DX=1\n' "$key" > "$T/gate.conf"
	expect_rc 2 "$MKT_GATE" range base..HEAD --config "$T/gate.conf"
	expect_in "$OUT" "gate\.conf:2: bad value .* for '$key' in \[analyzer\.gcc\]: .*quotes closed"
done
[ ! -e "$XDG_CACHE_HOME/mkt-gate" ] || fail "the gate ran with a bad config"
pass "an unterminated quote names the file, the line and the key"
