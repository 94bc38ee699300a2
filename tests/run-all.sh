#!/bin/bash
# run-all.sh: the whole test suite, as CI runs it: dependencies, a -Werror
# build with ctest (unit and integration tests, including the real kernel
# tree), the same again under ASan+UBSan, and mkt-gate gating its own commits.
set -euo pipefail
cd "$(dirname "$0")/.."
SRC=$PWD
JOBS=$(nproc)

bash tests/setup.sh

echo "== build (gcc, -Werror)"
cmake -S . -B build -DMKT_GATE_WERROR=ON >/dev/null
make -C build -j"$JOBS" --no-print-directory
echo "== tests"
(cd build && ctest --output-on-failure -j"$JOBS" --timeout 2400)

echo "== build and unit tests under ASan+UBSan"
cmake -S . -B build-asan -DMKT_GATE_SANITIZE=ON >/dev/null
make -C build-asan -j"$JOBS" --no-print-directory
(cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1 \
	ctest --output-on-failure -j"$JOBS" --timeout 2400 -E 'integration\.t[359]')

echo "== clang build (-Werror)"
CC=clang cmake -S . -B build-clang -DMKT_GATE_WERROR=ON -DMKT_GATE_TESTS=OFF >/dev/null
make -C build-clang -j"$JOBS" --no-print-directory

echo "== mkt-gate gates its own latest commits"
bash tests/self-gate.sh "$SRC/build/mkt-gate"
