#!/bin/bash
# hook-overhead.sh [MKT_GATE]: the benchmark (not a test) of the fast paths. Times
# `mkt-gate --version` against `git --version`, and `git commit` and `git push` with
# mkt-gate's hooks against the same command without them (core.hooksPath=/dev/null,
# --no-verify), and prints the medians and what the hook adds. The push has nothing
# new to gate: its commit already has a stored result, as after a post-commit check.
# Uses hyperfine when installed (BENCH_LOOP=1: not), else a loop; BENCH_RUNS sets the
# number of runs of each command.
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

# times CMD: "<median> <best> <cpu>" ms of RUNS runs of CMD, a command line
# (run without a shell) or, with SH=1, a shell command; cpu is the mean
# user + system time, which a loaded machine changes less than the wall
# time ("-" without hyperfine).
times() {
	if [ -z "${BENCH_LOOP:-}" ] && command -v hyperfine >/dev/null; then
		local shell=-N
		[ -z "${SH:-}" ] || shell="-S sh"
		# shellcheck disable=SC2086
		hyperfine $shell --style none -w 3 -r "$RUNS" \
			--export-json "$T/h.json" "$1" >/dev/null 2>"$T/h.err" ||
			{ cat "$T/h.err" >&2; exit 1; }
		python3 -c 'import json,sys; r = json.load(open(sys.argv[1]))["results"][0]; print("%.1f %.1f %.1f" % (r["median"] * 1000, r["min"] * 1000, (r["user"] + r["system"]) * 1000))' "$T/h.json"
		return
	fi
	local i t0
	for i in $(seq 1 "$RUNS"); do
		t0=$(date +%s%N)
		sh -c "$1" >/dev/null 2>&1
		echo $(( $(date +%s%N) - t0 ))
	done | sort -n | awk '{ v[NR] = $1 } END { printf "%.1f %.1f -\n", v[int((NR + 1) / 2)] / 1e6, v[1] / 1e6 }'
}

diff_ms() {
	[ "$1" = - ] && echo - || printf '%+.1f' "$(echo "$1 - $2" | bc)"
}

# row TITLE WITH WITHOUT: one line of the table.
row() {
	local wm wb wc om ob oc
	read -r wm wb wc < <(times "$2")
	read -r om ob oc < <(times "$3")
	printf '%-40s %8s %8s | %7s %7s %7s\n' "$1" "$wm" "$om" "$(diff_ms "$wm" "$om")" \
		"$(diff_ms "$wb" "$ob")" "$(diff_ms "$wc" "$oc")"
}

echo "$RUNS runs each, in ms; load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-40s %8s %8s | %-23s\n' "" "median" "median" "mkt-gate adds"
printf '%-40s %8s %8s | %7s %7s %7s\n' "command" "with" "without" "median" "best" "CPU"
row "mkt-gate --version / git --version" "$MKT_GATE --version" "git --version"
row "git commit (post-commit hook)" \
	"git commit -q --allow-empty -m bench" \
	"git -c core.hooksPath=/dev/null commit -q --allow-empty -m bench"

# git push: a commit with a stored pass result, pushed to a new branch deleted between
# runs (without the hook, so deleting costs nothing to the timed command).
git commit -q --allow-empty -m "push bench"
wait_for "finished: $(git rev-parse --short=12 HEAD)" "$MKT_GATE" status
del="git push -q --no-verify origin :refs/heads/bench 2>/dev/null;"
SH=1 row "git push, nothing new (pre-push hook)" \
	"$del git push -q origin HEAD:refs/heads/bench" \
	"$del git push -q --no-verify origin HEAD:refs/heads/bench"
echo "(the push rows include deleting the branch between runs, the same in both columns)"
if [ -z "${BENCH_LOOP:-}" ] && command -v hyperfine >/dev/null; then
	echo "timed by $(hyperfine --version)"
else
	echo "timed by a shell loop (sh -c and date: about 1 ms more per run than hyperfine)"
fi
echo "libraries mkt-gate loads: $(ldd "$MKT_GATE" | wc -l)"
