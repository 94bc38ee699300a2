#!/usr/bin/env bash
# t730-hook-real.sh: the hooks with the real `mkt-gate range` on a small CMake project in a path
# with spaces: a clean push passes, a new -Wunused-variable is refused, status shows it.
set -euo pipefail
. "$MKT_GATE_SRC/tests/data/hooks/lib.sh"
command -v cmake >/dev/null || { echo "skip: cmake not installed"; exit 0; }

git init -q --bare "$T/remote.git"
git clone -q "$T/remote.git" "$T/a project" 2>/dev/null
cd "$T/a project"
cat >CMakeLists.txt <<'CMAKE'
cmake_minimum_required(VERSION 3.18)
project(tiny C)
set(CMAKE_EXPORT_COMPILE_COMMANDS ON)
add_executable(tiny main.c util.c)
CMAKE
printf 'int util(int x);\n\nint main(void)\n{\n\treturn util(0);\n}\n' >main.c
printf 'int util(int x)\n{\n\treturn x + 1;\n}\n' >util.c
cat >.mkt-gate.conf <<'CONF'
[defaults]
analyzers = gcc
engine = host
fail_on = warning
build_dir = build
compile_commands = build/compile_commands.json

[analyzer.gcc]
enabled = true
command = gcc
extra_flags = -Wall
fail_on = warning
CONF
echo build/ >.gitignore
cmake -S . -B build >/dev/null
[ -s build/compile_commands.json ] || fail "cmake wrote no compile_commands.json"
printf '#!/bin/sh\necho "project hook ran" >&2\n' >.git/hooks/pre-push
chmod +x .git/hooks/pre-push
cp -p .git/hooks/pre-push "$T/orig"
git add -A
git commit -qm "tiny project"
git push -q origin master 2>/dev/null
"$MKT_GATE" install >/dev/null

printf 'int util(int x)\n{\n\treturn x + 2;\n}\n' >util.c
git commit -qam "util: add two"
git push origin master 2>"$T/err" || fail "clean push refused: $(cat "$T/err")"
grep -q "project hook ran" "$T/err" || fail "project hook did not run"
pass "a clean change is pushed"

printf 'int util(int x)\n{\n\tint unused;\n\n\treturn x + 2;\n}\n' >util.c
git commit -qam "util: add a variable"
bad=$(git rev-parse HEAD)
wait_for "finished: ${bad:0:12}" "$MKT_GATE" status
"$MKT_GATE" status >"$T/status"
grep -q "util.c:3:[0-9]*: warning: unused variable 'unused' \[-Wunused-variable\]" "$T/status" || fail "status: $(cat "$T/status")"
schema_check ".git/mkt-gate/results/$bad.json"
pass "post-commit checked the commit in the background; status shows the finding"

if git push origin master 2>"$T/err"; then fail "push with a new warning went through"; fi
grep -q "util.c:3:[0-9]*: warning: unused variable 'unused'" "$T/err" || fail "push: $(cat "$T/err")"
grep -q "refused the push" "$T/err" || fail "no refusal summary"
[ "$(git rev-parse origin/master)" != "$bad" ] || fail "remote updated"
pass "a push with a new -Wunused-variable is refused"

# Without the stored result, pre-push runs the real gate itself.
rm -rf .git/mkt-gate/results
if git push origin master 2>"$T/err"; then fail "push without stored result went through"; fi
grep -q "util.c:3:[0-9]*: warning: unused variable 'unused'" "$T/err" || fail "fresh push: $(cat "$T/err")"
pass "pre-push runs the real gate when nothing is stored"

MKT_GATE_SKIP=1 git push -q origin master 2>/dev/null || fail "MKT_GATE_SKIP=1"
[ -z "$(git status --porcelain)" ] || fail "working tree changed"
"$MKT_GATE" uninstall >/dev/null
cmp .git/hooks/pre-push "$T/orig" || fail "project hook not restored"
pass "bypass, untouched worktree, project hook restored"
