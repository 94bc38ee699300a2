#!/usr/bin/env bash
# t740-hook-shallow.sh: the pre-push hook with the real `mkt-gate range` in a
# shallow clone (file:// clone --depth 1): a commit with a new warning is
# refused, a clean one goes through, and a push that would need history the
# clone lacks is refused with the hint to fetch it, never passed unchecked.
set -euo pipefail
. "$MKT_GATE_SRC/tests/data/hooks/lib.sh"

U=$T/upstream
mkdir -p "$U" && cd "$U" && git init -q
printf 'cmake_minimum_required(VERSION 3.10)\nproject(demo C)\nadd_executable(demo a.c)\n' > CMakeLists.txt
printf 'int main(void)\n{\n\treturn 0;\n}\n' > a.c
git add -A && git commit -qm base
printf 'int f(void);\nint f(void)\n{\n\treturn 1;\n}\n' >> a.c
git commit -qam "a: f"
git clone -q --bare "$U" "$T/remote.git"
git clone -q --depth 1 "file://$T/remote.git" "$T/shallow"
cd "$T/shallow"
[ -f .git/shallow ] || fail "the clone is not shallow"
"$MKT_GATE" install --hooks=pre-push >/dev/null

printf 'int g(void);\nint g(void)\n{\n\tint unused;\n\treturn 0;\n}\n' >> a.c
git commit -qam "a: g with a warning"
bad=$(git rev-parse HEAD)
if git push origin HEAD:master 2>"$T/err"; then fail "a new warning was pushed from a shallow clone"; fi
grep -q "warning: unused variable 'unused'" "$T/err" || fail "finding not shown: $(cat "$T/err")"
[ "$(git --git-dir="$T/remote.git" rev-parse master)" != "$bad" ] || fail "remote updated"
pass "shallow clone: a push with a new warning is refused with the finding"

git reset -q --hard HEAD~1
printf 'int h(void);\nint h(void)\n{\n\treturn 2;\n}\n' >> a.c
git commit -qam "a: clean h"
git push -q origin HEAD:master 2>"$T/err" || fail "clean push refused: $(cat "$T/err")"
pass "shallow clone: a clean commit is pushed"

# Nothing the remote has is known here: the plan reaches the boundary commit.
git update-ref -d refs/remotes/origin/master
git commit -q --allow-empty -m "empty"
if git push origin HEAD:refs/heads/topic 2>"$T/err"; then
	fail "a push reaching the shallow boundary went through: $(cat "$T/err")"
fi
grep -q "its parent is not in this shallow clone" "$T/err" || fail "no reason: $(cat "$T/err")"
grep -q "git fetch --deepen" "$T/err" || fail "no hint: $(cat "$T/err")"
pass "a push that needs history the clone lacks is refused with the hint"
