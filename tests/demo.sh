#!/bin/bash
# demo.sh: the README's first command. Installs what mkt-gate needs, builds
# it, makes a small CMake project with a four-commit series in a temporary
# directory, and gates the series as a developer would before sending it.
set -euo pipefail
cd "$(dirname "$0")/.."

bash tests/setup.sh
cmake -S . -B build >/dev/null
make -C build -j"$(nproc)" --no-print-directory mkt-gate >/dev/null
GATE=$PWD/build/mkt-gate

D=$(mktemp -d /tmp/mkt-gate-demo.XXXXXX)
cd "$D"
git init -q -b master demo && cd demo
git config user.name "Demo Developer" && git config user.email demo@example.org
cat > CMakeLists.txt <<'X'
cmake_minimum_required(VERSION 3.10)
project(demo C)
add_executable(demo main.c util.c)
X
printf '#include "util.h"\n\nint main(void)\n{\n\treturn twice(0);\n}\n' > main.c
printf 'static inline int helper(int v)\n{\n\treturn v;\n}\nint twice(int v);\n' > util.h
printf '#include "util.h"\n\nint twice(int v)\n{\n\tint unused;\n\treturn 2 * helper(v);\n}\n' > util.c
git add -A && git commit -qm "demo: initial import" && git tag base
sed -i 's/^int twice/\/* Doubles v. *\/\nint twice/' util.c
git commit -qam "util: document twice()"
sed -i 's/\treturn v;/\tint scratch = v;\n\treturn v;/' util.h
git commit -qam "util.h: keep a scratch copy"
sed -i '/int unused;/d' util.c
git commit -qam "util: drop an unused variable"

echo "\$ git log --oneline base..HEAD"
git log --oneline base..HEAD
echo
echo "\$ mkt-gate range base..HEAD --json report.json --html report.html"
rc=0
"$GATE" range base..HEAD --json report.json --html report.html || rc=$?
echo
echo "exit code $rc; reports in $D/demo/report.json and report.html"
