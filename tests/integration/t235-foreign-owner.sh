#!/bin/bash
# t235-foreign-owner.sh: a repository that belongs to another user is refused
# as git refuses it, and the message says so, not "not inside a repository".
. "$(dirname "$0")/lib/common.sh"
[ "$(id -u)" = 0 ] || { echo "skip: needs root to give a repository away"; exit 0; }

P=$T/proj
mkdir -p "$P" && cd "$P" && git init -q && git commit -q --allow-empty -m base
chown -R nobody "$P"
expect_rc 2 "$MKT_GATE" range HEAD
expect_in "$OUT" "belongs to another user"
expect_in "$OUT" "safe.directory"
pass "a repository of another user: exit 2, and why"
cd "$T" && expect_rc 2 "$MKT_GATE" range HEAD
expect_in "$OUT" "not inside a git repository"
pass "outside any repository: the old message"
