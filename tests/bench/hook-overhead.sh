#!/bin/bash
# hook-overhead.sh [MKT_GATE]: the benchmark (not a test) of the fast paths. Times
# `mkt-gate --version` against `git --version`, and `git commit` and `git push` with
# mkt-gate's hooks against the same command without them (core.hooksPath=/dev/null,
# --no-verify), and prints the medians and what the hook adds. The push has nothing
# new to gate: its commit already has a stored result, as after a post-commit check.
# Uses hyperfine when installed, else a loop; BENCH_RUNS sets the number of runs.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
export MKT_GATE=${1:-$here/../../build/mkt-gate}
export MKT_GATE_SRC=$(cd "$here/../.." && pwd)
MKT_GATE=$(realpath "$MKT_GATE")
. "$here/../data/hooks/lib.sh"
RUNS=${BENCH_RUNS:-40}

# The background check a commit queues runs the tests' stand-in gate, so
# that what is timed is the hook and not a compiler on the other CPU.
use_fake_gate "$T/gate.log"
new_repo "$T/repo"
cd "$T/repo"
"$MKT_GATE" install >/dev/null

# median_ms CMD: the median wall time of RUNS runs of CMD, a command line
# (run without a shell) or, with SH=1, a shell command.
median_ms() {
	if command -v hyperfine >/dev/null; then
		local shell=-N
		[ -z "${SH:-}" ] || shell="-S sh"
		# shellcheck disable=SC2086
		hyperfine $shell --style none -w 3 -r "$RUNS" \
			--export-json "$T/h.json" "$1" >/dev/null 2>"$T/h.err" ||
			{ cat "$T/h.err" >&2; exit 1; }
		python3 -c 'import json,sys; print("%.1f" % (json.load(open(sys.argv[1]))["results"][0]["median"] * 1000))' "$T/h.json"
		return
	fi
	local i t0
	for i in $(seq 1 "$RUNS"); do
		t0=$(date +%s%N)
		sh -c "$1" >/dev/null 2>&1
		echo $(( $(date +%s%N) - t0 ))
	done | sort -n | awk '{ v[NR] = $1 } END { printf "%.1f\n", v[int((NR + 1) / 2)] / 1e6 }'
}

# row TITLE WITH WITHOUT: one line of the table.
row() {
	local with without
	with=$(median_ms "$2")
	without=$(median_ms "$3")
	printf '%-44s %9s ms %9s ms %+8.1f ms\n' "$1" "$with" "$without" \
		"$(echo "$with - $without" | bc)"
}

printf '%-44s %12s %12s %11s\n' "command (median of $RUNS)" "mkt-gate" "without" "added"
row "mkt-gate --version / git --version" "$MKT_GATE --version" "git --version"
row "git commit: post-commit hook / none" \
	"git commit -q --allow-empty -m bench" \
	"git -c core.hooksPath=/dev/null commit -q --allow-empty -m bench"

# A commit with a stored pass result, pushed to a new branch deleted between
# runs (without the hook, so deleting costs nothing to the timed command).
git commit -q --allow-empty -m "push bench"
wait_for "finished: $(git rev-parse --short=12 HEAD)" "$MKT_GATE" status
del="git push -q --no-verify origin :refs/heads/bench 2>/dev/null;"
SH=1 row "git push, nothing new: pre-push hook / none" \
	"$del git push -q origin HEAD:refs/heads/bench" \
	"$del git push -q --no-verify origin HEAD:refs/heads/bench"
echo "(the push rows include deleting the branch between runs, the same in both columns)"
echo "hyperfine: $(command -v hyperfine >/dev/null && hyperfine --version || echo 'not installed: a loop')"
echo "libraries mkt-gate loads: $(ldd "$MKT_GATE" | wc -l)"
