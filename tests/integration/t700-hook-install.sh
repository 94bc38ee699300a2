#!/usr/bin/env bash
# t700-hook-install.sh: install and uninstall: chaining, idempotence, byte-exact restore,
# core.hooksPath, linked worktrees, and a binary that moved away.
set -euo pipefail
. "$MKT_GATE_SRC/tests/data/hooks/lib.sh"

new_repo "$T/repo"
cd "$T/repo"
hooks=.git/hooks
printf '#!/bin/sh\n# the project'"'"'s own hook\nexit 0\n' >$hooks/pre-push
chmod 0750 $hooks/pre-push
cp -p $hooks/pre-push "$T/orig-pre-push"

"$MKT_GATE" install >"$T/out"
grep -q "pre-push: installed; the hook that was there runs first" "$T/out" || fail "install output: $(cat "$T/out")"
grep -q "^# mkt-gate-hook: v1$" $hooks/pre-push || fail "no marker"
grep -qF "MKT_GATE_BIN='$MKT_GATE'" $hooks/pre-push || fail "binary not recorded"
cmp $hooks/pre-push.mkt-gate-chained "$T/orig-pre-push" || fail "chained hook changed"
[ -x $hooks/post-commit ] || fail "no post-commit"
pass "install chains the existing hook"

sum=$(cat $hooks/* | md5sum)
"$MKT_GATE" install >"$T/out"
grep -q "pre-push: already as it should be" "$T/out" || fail "second install: $(cat "$T/out")"
[ "$sum" = "$(cat $hooks/* | md5sum)" ] || fail "second install changed the hooks"
pass "installing twice changes nothing"

"$MKT_GATE" uninstall >"$T/out"
cmp $hooks/pre-push "$T/orig-pre-push" || fail "pre-push not restored"
[ "$(stat -c %a $hooks/pre-push)" = 750 ] || fail "mode not restored"
[ ! -e $hooks/pre-push.mkt-gate-chained ] || fail "chained hook left behind"
[ ! -e $hooks/post-commit ] || fail "post-commit left behind"
pass "uninstall restores the hook byte for byte and mode"

"$MKT_GATE" install --hooks=pre-push >/dev/null
[ ! -e $hooks/post-commit ] || fail "--hooks=pre-push installed post-commit"
"$MKT_GATE" uninstall >/dev/null
if "$MKT_GATE" install --hooks=pre-commit 2>"$T/err"; then fail "unknown hook accepted"; fi
grep -q "unknown hook 'pre-commit'" "$T/err" || fail "unknown hook message"
for c in install uninstall hook status; do
	"$MKT_GATE" $c -h | grep -q "^usage: mkt-gate $c" || fail "$c -h"
done
pass "--hooks, unknown hooks and -h"

# core.hooksPath, relative to the worktree top as git reads it.
git config core.hooksPath my-hooks
"$MKT_GATE" install >/dev/null
[ -x my-hooks/pre-push ] && [ -x my-hooks/post-commit ] || fail "core.hooksPath ignored"
[ ! -e $hooks/post-commit ] || fail "wrote into .git/hooks despite core.hooksPath"
"$MKT_GATE" uninstall >/dev/null
[ -z "$(ls my-hooks)" ] || fail "core.hooksPath not cleaned"
git config --unset core.hooksPath
pass "core.hooksPath"

# A linked worktree shares the hooks of the common git dir.
git worktree add -q "$T/linked tree" -b side
(cd "$T/linked tree" && "$MKT_GATE" install >/dev/null)
[ -x $hooks/post-commit ] || fail "install from a linked worktree missed the common dir"
cmp $hooks/pre-push.mkt-gate-chained "$T/orig-pre-push" || fail "linked: chained hook"
"$MKT_GATE" uninstall >/dev/null
cmp $hooks/pre-push "$T/orig-pre-push" || fail "linked: restore"
pass "linked worktree"

# The recorded binary moves away: the push says what to do; MKT_GATE_SKIP still works.
mkdir -p "$T/bin dir"
cp "$MKT_GATE" "$(dirname "$MKT_GATE")/mkt-gate-full" "$T/bin dir/"
"$T/bin dir/mkt-gate" install >/dev/null
rm "$T/bin dir/mkt-gate"
commit_file main.c '/* moved */' "after the move"
if git push -q origin master 2>"$T/err"; then fail "push went through without its binary"; fi
grep -q "cannot find mkt-gate at '$T/bin dir/mkt-gate'" "$T/err" || fail "moved: $(cat "$T/err")"
grep -q "mkt-gate install --force" "$T/err" || fail "moved: no --force hint"
grep -q "MKT_GATE_SKIP=1" "$T/err" || fail "moved: no skip hint"
MKT_GATE_SKIP=1 git push -q origin master 2>/dev/null || fail "MKT_GATE_SKIP=1 did not push"
"$MKT_GATE" install --force >"$T/out"
grep -q "pre-push: updated to run this mkt-gate" "$T/out" || fail "--force: $(cat "$T/out")"
"$MKT_GATE" uninstall >/dev/null
cmp $hooks/pre-push "$T/orig-pre-push" || fail "moved: restore"
pass "a moved binary is explained, and reinstall fixes it"
