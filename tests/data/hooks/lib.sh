# lib.sh: shared setup of the t7xx hook integration tests (sourced, not run).
# On top of tests/integration/lib/common.sh: a bare "remote" and a clone, the stand-in gate, timing.

. "$MKT_GATE_SRC/tests/integration/lib/common.sh"
FAKE_GATE="$MKT_GATE_SRC/tests/data/hooks/fake-gate.sh"
export GIT_TERMINAL_PROMPT=0
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE MKT_GATE_SKIP MKT_GATE_HOOK_GATE_CMD

# Background runs may still be writing: let them finish before the clean-up.
trap 'find "$T" -path "*/mkt-gate/lock" -exec flock -w 20 {} true \; 2>/dev/null; rm -rf "$T"' EXIT

# CPU bound (ms) for a hook's start-up: sanitizers make every start slow.
CPU_BOUND=150
if grep -qs "MKT_GATE_SANITIZE:BOOL=ON" "${MKT_GATE_BUILD:-/nonexistent}/CMakeCache.txt"; then
	CPU_BOUND=2000
fi

# new_repo DIR: a bare remote DIR.git and a clone DIR with one pushed commit.
new_repo() {
	git init -q --bare "$1.git"
	git clone -q "$1.git" "$1" 2>/dev/null
	(cd "$1" && echo 'int main(void) { return 0; }' >main.c &&
		git add main.c && git commit -qm "initial" && git push -q origin master)
}

# use_fake_gate LOG: hooks run the stand-in gate and log each range to LOG.
use_fake_gate() {
	export MKT_GATE_HOOK_GATE_CMD="$FAKE_GATE" FAKE_GATE_LOG="$1"
	: >"$1"
}

# commit_file FILE TEXT SUBJECT: appends a line and commits it.
commit_file() {
	echo "$2" >>"$1"
	git add "$1"
	git commit -qm "$3"
}

# ms CMD...: runs CMD (its stdin kept, output dropped) and prints to fd 3
# "<wall ms> <cpu ms>": the machine may be loaded, so CPU time is shown too.
ms() {
	local TIMEFORMAT='%3R %3U %3S' t
	t=$( { time "$@" >/dev/null 2>&1; } 2>&1)
	awk '{ printf "%d %d\n", $1 * 1000, ($2 + $3) * 1000 }' <<<"$t" >&3
}

# best N CMD...: the lowest wall and CPU times of N runs of CMD, "wall cpu".
best() {
	local n=$1 i w c bw=999999 bc=999999
	shift
	for i in $(seq 1 "$n"); do
		read -r w c < <( { ms "$@"; } 3>&1)
		[ "$w" -lt "$bw" ] && bw=$w
		[ "$c" -lt "$bc" ] && bc=$c
	done
	echo "$bw $bc"
}

# wait_for TEXT CMD...: retries CMD for up to 30 s until its output has TEXT.
wait_for() {
	local text=$1 i
	shift
	for i in $(seq 1 150); do
		if "$@" 2>&1 | grep -qF -- "$text"; then
			return 0
		fi
		sleep 0.2
	done
	"$@" >&2 || true
	fail "no '$text' in the output of: $*"
}
