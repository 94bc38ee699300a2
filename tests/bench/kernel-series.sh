#!/bin/bash
# kernel-series.sh [MKT_GATE]: the benchmark (not a test). On the real Linux
# 6.1 tree and the series of t310, times mkt-gate against the naive way
# (git rebase -x 'make W=1 C=1') and NIPA's way (build before and after each
# commit), all from the same warm baseline build, and prints the ratios.
# Also: mkt-gate with a warm ccache, warm (result cache), and -j1 against
# -j$(nproc). Takes a while; BENCH_SKIP_NAIVE=1 times mkt-gate alone.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
export MKT_GATE=${1:-$here/../../build/mkt-gate}
MKT_GATE=$(realpath "$MKT_GATE")
. "$here/../integration/lib/common.sh"
. "$here/../integration/lib/kernel.sh"
. "$here/../integration/lib/kernel-series.sh"
JOBS=$(nproc)

kseries_repo
kseries_standard bench
unset GIT_INDEX_FILE	# kseries_start's; the worktree below has its own index
N=$(git -C "$KREPO" rev-list --count base..bench)

secs() { local t0=$1; echo "scale=1; ($(date +%s%N) - $t0) / 1000000000" | bc; }
gate() { kseries_gate --analyzers=gcc,sparse "$@" base..bench -q >/dev/null || [ $? = 1 ]; }
# ccache DIR: every engine's compiles go through the ccache in DIR.
BASECONF=$KCONF
ccache_in() {
	KCONF=$T/bench-$(basename "$1").conf
	{ cat "$BASECONF"; for e in host bwrap podman docker; do
		printf '[engine.%s]\nccache_dir = %s\n' "$e" "$1"; done; } > "$KCONF"
}

echo "== mkt-gate: warming the baseline (not timed)"
ccache_in "$T/ccache-warmup"
gate -j"$JOBS"
ccache_in "$T/ccache-cold"
t=$(date +%s%N); gate -j"$JOBS" --no-cache; T_GATE=$(secs "$t")
t=$(date +%s%N); gate -j"$JOBS" --no-cache; T_CCACHE=$(secs "$t")
t=$(date +%s%N); gate -j"$JOBS"; T_WARM=$(secs "$t")
ccache_in "$T/ccache-cold-j1"
t=$(date +%s%N); gate -j1 --no-cache; T_J1=$(secs "$t")
KCONF=$BASECONF

gate_figures() {
	cat <<X

series: $N commits on Linux 6.1 (tinyconfig + gate-test.config, x86_64), $JOBS CPUs
mkt-gate (gcc W=1 + sparse, cold results, empty ccache, -j$JOBS)   ${T_GATE} s
mkt-gate (cold results, warm ccache, -j$JOBS)                      ${T_CCACHE} s
mkt-gate (same range again: result cache)                   ${T_WARM} s
mkt-gate (cold results, empty ccache, -j1)                  ${T_J1} s
X
}
if [ -n "${BENCH_SKIP_NAIVE:-}" ]; then
	gate_figures
	exit 0
fi

echo "== the naive way: a worktree and its own warm build (not timed)"
W=$MKT_GATE_FIXTURES/bench-worktree
NB=$MKT_GATE_FIXTURES/bench-build
[ -d "$W" ] || git -C "$KREPO" worktree add -q --detach "$W" base
git -C "$W" checkout -q --detach base
mkdir -p "$NB"
MAKE=(make -C "$W" O="$NB" ARCH=x86_64 -j"$JOBS")
if [ ! -f "$NB/.config" ]; then
	"${MAKE[@]}" tinyconfig >/dev/null
	"$W/scripts/kconfig/merge_config.sh" -m -O "$NB" "$NB/.config" \
		"$MKT_GATE_SRC/tests/data/kernel/gate-test.config" >/dev/null
	"${MAKE[@]}" olddefconfig >/dev/null
fi
# Warm with the flags the timed builds use: kbuild rebuilds every object
# whose command line changed, and W=1 changes them all.
"${MAKE[@]}" W=1 C=1 >/dev/null 2>&1

git -C "$W" checkout -q -B bench-naive bench
t=$(date +%s%N)
git -C "$W" -c core.hooksPath=/dev/null rebase -q --force-rebase \
	-x "${MAKE[*]} W=1 C=1 >/dev/null 2>&1 || true" base >/dev/null 2>&1
T_NAIVE=$(secs "$t")

git -C "$W" checkout -q --detach base
"${MAKE[@]}" W=1 C=1 >/dev/null 2>&1
t=$(date +%s%N)
for c in $(git -C "$KREPO" rev-list --reverse base..bench); do
	git -C "$W" checkout -q --detach "$c^"
	"${MAKE[@]}" W=1 C=1 >/dev/null 2>&1 || true
	git -C "$W" checkout -q --detach "$c"
	"${MAKE[@]}" W=1 C=1 >/dev/null 2>&1 || true
done
T_NIPA=$(secs "$t")
git -C "$W" checkout -q --detach base

ratio() { echo "scale=1; $1 / $2" | bc; }
gate_figures
cat <<X
git rebase -x 'make W=1 C=1'                    ${T_NAIVE} s   ($(ratio "$T_NAIVE" "$T_GATE")x mkt-gate)
NIPA (make before and after each commit)        ${T_NIPA} s   ($(ratio "$T_NIPA" "$T_GATE")x mkt-gate)
X
