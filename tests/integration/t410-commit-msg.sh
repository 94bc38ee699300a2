#!/bin/bash
# t410-commit-msg.sh: the built-in commit message checks through the CLI: a commit
# without a Signed-off-by from its author, a Fixes: tag with the wrong subject and
# one with too short an id fail; a proper Fixes: tag passes.
. "$(dirname "$0")/lib/common.sh"

P=$T/proj
mkdir -p "$P" && cd "$P" && git init -q
cat > CMakeLists.txt <<'X'
cmake_minimum_required(VERSION 3.10)
project(msg C)
add_library(msg STATIC a.c)
X
echo 'int msg_answer(void) { return 42; }' > a.c
git add -A && git commit -qs -m "demo: start" -m "The start." && git tag base
sha=$(git rev-parse HEAD)

echo '/* one */' >> a.c
git commit -q -am "demo: no sign-off" -m "Forgot -s."
echo '/* two */' >> a.c
git commit -qs -am "demo: fix the start" -m "Better." -m "Fixes: ${sha:0:12} (\"demo: begin\")"
echo '/* three */' >> a.c
git commit -qs -am "demo: fix it again" -m "Better." -m "Fixes: ${sha:0:7} (\"demo: start\")"
echo '/* four */' >> a.c
git commit -qs -am "demo: a proper fix" -m "Good." -m "Fixes: ${sha:0:12} (\"demo: start\")"

expect_rc 1 "$MKT_GATE" range base..HEAD --analyzers=gcc,commit-msg --json "$T/r.json"
schema_check "$T/r.json"
msg() { jget "[f['$2'] for k in r['commits'][$1]['checks'] if k['analyzer'] == 'commit-msg' for f in k['new']]" "$T/r.json"; }
[ "$(msg 0 rule)" = "['commit-msg:signoff']" ] || fail "commit 1: a missing Signed-off-by"
expect_in "$(msg 0 message)" "Test Author <test@example.org>"
[ "$(msg 1 rule)" = "['commit-msg:fixes']" ] || fail "commit 2: a Fixes: tag with the wrong subject"
expect_in "$(msg 1 message)" 'wrong subject.*"demo: start'
[ "$(msg 2 rule)" = "['commit-msg:fixes']" ] || fail "commit 3: a Fixes: tag with 7 digits"
expect_in "$(msg 2 message)" "at least 12 hex digits"
[ "$(msg 3 rule)" = "[]" ] || fail "commit 4: a proper Fixes: tag"
[ "$(jget "[c['verdict'] for c in r['commits']]" "$T/r.json")" = "['fail', 'fail', 'fail', 'pass']" ] ||
	fail "per-commit verdicts"
[ "$(jget "[f['file'] if 'file' in f else None for k in r['commits'][0]['checks'] for f in k['new']]" "$T/r.json")" = "[None]" ] ||
	fail "commit-msg findings have no file"
expect_in "$OUT" "Signed-off-by"
pass "Signed-off-by and Fixes: tags"
