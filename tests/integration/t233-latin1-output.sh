#!/bin/bash
# t233-latin1-output.sh: a source in Latin-1 that gcc quotes in its warnings
# (a deprecation message, a #warning) still makes findings, with each stray
# byte as U+FFFD, and the JSON report validates against its schema.
. "$(dirname "$0")/lib/common.sh"

P=$T/proj
mkdir -p "$P" && cd "$P" && git init -q
printf 'cmake_minimum_required(VERSION 3.10)\nproject(demo C)\nadd_executable(demo a.c)\n' > CMakeLists.txt
printf 'int main(void)\n{\n\treturn 0;\n}\n' > a.c
git add -A && git commit -qm base && git tag base
printf '%s\n' $'__attribute__((deprecated("caf\351 cr\350me"))) static int old(void) { return 0; }' \
	$'#warning "na\357ve"' 'int main(void)' '{' '	return old();' '}' > a.c
git commit -qam "a: Latin-1 in strings"

expect_rc 1 "$MKT_GATE" range base..HEAD --analyzers=gcc --json "$T/r.json"
schema_check "$T/r.json"
msgs=$(jget "ascii(sorted(f['message'] for c in r['commits'][0]['checks'] for f in c['new']))" "$T/r.json")
expect_in "$msgs" "caf.ufffd cr.ufffdme"
expect_in "$msgs" "na.ufffdve"
pass "Latin-1 bytes in gcc's messages: findings kept, the JSON validates"
[ "$(jget "'output' in r['commits'][0]['checks'][0] and 'na' in r['commits'][0]['checks'][0]['output']" "$T/r.json")" = True ] ||
	fail "the check's output was dropped for its Latin-1 bytes"
pass "the check keeps gcc's output too"
