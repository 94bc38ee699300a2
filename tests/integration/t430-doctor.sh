#!/bin/bash
# t430-doctor.sh: mkt-gate doctor lists every analyzer and engine, marks what the
# config asks for, and exits 0 when that is usable, 3 when not, 2 on a bad config.
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/checkpatch.sh"

checkpatch_fixture || fail "cannot get checkpatch.pl"
P=$T/proj
mkdir -p "$P" && cd "$P" && git init -q

expect_rc 0 "$MKT_GATE" doctor
for name in gcc clang sparse smatch cppcheck clang-tidy checkpatch kernel-doc commit-msg \
	    host bwrap podman docker; do
	expect_in "$OUT" "^[* ] $name +(ok|missing) "
done
expect_in "$OUT" '^\* gcc +ok +[0-9]+\.[0-9.]+ +/'
expect_in "$OUT" '^  commit-msg +ok +- +\(built in\)'
expect_in "$OUT" '^[* ] host +ok '
pass "every analyzer and engine listed; the defaults are usable"

printf '[defaults]\nanalyzers = gcc checkpatch commit-msg\n' > .mkt-gate.conf
expect_rc 3 "$MKT_GATE" doctor
expect_in "$OUT" '^\* checkpatch +missing +- +.*set \[analyzer\.checkpatch\] path'
expect_in "$OUT" '^\* commit-msg +ok'
expect_in "$OUT" "error: 1 of the tools the config asks for cannot be used here"
pass "exit 3 when an analyzer the config asks for is missing"

printf '[analyzer.checkpatch]\npath = %s\n[defaults]\nengine = host\n' "$CHECKPATCH_PL" > "$T/extra.conf"
expect_rc 0 "$MKT_GATE" doctor --config "$T/extra.conf"
expect_in "$OUT" '^\* checkpatch +ok +[0-9.]+ +/.*checkpatch\.pl'
expect_in "$OUT" '^\* host +ok'
expect_in "$OUT" '^  bwrap '
pass "--config FILE is read last; a configured checkpatch.pl is found with its version"

printf '[analyzer.checkpatch]\npath = %s\n[defaults]\nengine = podman\n' "$CHECKPATCH_PL" > "$T/podman.conf"
if command -v podman >/dev/null; then want=0; else want=3; fi
expect_rc $want "$MKT_GATE" doctor --config "$T/podman.conf"
expect_in "$OUT" '^\* podman '
pass "the engine the config asks for"

printf '[defaults]\nanalyzers = gcc nosuch\n' > .mkt-gate.conf
expect_rc 2 "$MKT_GATE" doctor
expect_in "$OUT" "unknown analyzer 'nosuch'"
printf '[defaults]\nfrob = 1\n' > .mkt-gate.conf
expect_rc 2 "$MKT_GATE" doctor
expect_in "$OUT" "\.mkt-gate\.conf:2: unknown key 'frob'"
rm .mkt-gate.conf
expect_rc 0 "$MKT_GATE" doctor -h
expect_in "$OUT" "usage: mkt-gate doctor"
expect_rc 2 "$MKT_GATE" doctor --bogus
expect_rc 2 "$MKT_GATE" doctor extra
(cd "$T" && expect_rc 0 "$MKT_GATE" doctor)
pass "exit 2 on config and usage errors; works outside a repository"
