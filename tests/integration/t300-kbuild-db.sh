#!/bin/bash
# t300-kbuild-db.sh: the kbuild object db on the real Linux 6.1 baseline build.
# Runs the cmocka program test_kbuild_real against the shared tree of lib/kernel.sh.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/kernel.sh"

prog=${MKT_GATE_BUILD:?run through ctest}/tests/test_kbuild_real
[ -x "$prog" ] || { echo "t300: $prog not built" >&2; exit 1; }

# shellcheck disable=SC2119 # the default build directory
kernel_baseline
export MKT_GATE_KERNEL_SRC=$KERNEL_SRC
export MKT_GATE_KERNEL_BUILD=$KERNEL_BUILD
"$prog"
