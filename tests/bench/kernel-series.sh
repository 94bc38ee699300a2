#!/bin/bash
# kernel-series.sh [MKT_GATE]: the benchmark (not a test). On the real Linux
# 6.1 tree and the series of t310, times mkt-gate against the naive way
# (git rebase -x 'make W=1 C=1') and NIPA's way (build before and after each
# commit), all from the same warm baseline build, and prints the ratios.
# Also: mkt-gate with a warm ccache, warm (result cache), -j1 against
# -j$(nproc), the series rebased onto a new base that changes files none of
# its objects read (and that range again), and the limit: every compile and
# sparse run a differential gate cannot avoid (each touched object at its
# commit and at the parent, a state counted once however often it recurs),
# each run alone with its recorded command and timed, summed and divided by
# the job count.
#
# BENCH_PATCHES=DIR (or an mbox file) gates a series of your own instead:
# git format-patch output that applies to the fixture's Linux 6.1 'base'.
# The rebased copy then changes a .c file the series does not touch.
# Every run also gates the series once more with make for every object
# (kbuild_replay = false, not timed) and says whether the findings are the
# same on every commit; BENCH_SKIP_CHECK=1 leaves that out.
#
# BENCH_KCONFIG=defconfig runs it on x86_64_defconfig (about 2,700 objects)
# instead of tinyconfig + gate-test.config (about 900); its builds live in
# their own fixture directories, so the tests' fixtures are not touched.
# The first defconfig run builds two kernels untimed (about 25 min each on
# 2 CPUs). BENCH_WARM_ONLY=1 stops after those untimed builds;
# BENCH_SKIP_NAIVE=1 times mkt-gate alone (and the rebase), without the limit.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
export MKT_GATE=${1:-$here/../../build/mkt-gate}
MKT_GATE=$(realpath "$MKT_GATE")
. "$here/../integration/lib/common.sh"
. "$here/../integration/lib/kernel.sh"
. "$here/../integration/lib/kernel-series.sh"
JOBS=$(nproc)

kseries_repo
KCONFIG=${BENCH_KCONFIG:-tinyconfig}
case $KCONFIG in
tinyconfig) SUFFIX= ;;
defconfig) SUFFIX=-defconfig
	KGATE_CACHE=$MKT_GATE_FIXTURES/bench-defconfig-cache
	sed -i "s/^kconfig = tinyconfig/kconfig = defconfig/" "$KCONF" ;;
*) echo "BENCH_KCONFIG: tinyconfig or defconfig, not '$KCONFIG'" >&2; exit 2 ;;
esac
W=$MKT_GATE_FIXTURES/bench-worktree
worktree_at() {	# worktree_at REV: the naive way's worktree, detached at REV
	[ -d "$W" ] || git -C "$KREPO" worktree add -q --detach "$W" base
	git -C "$W" checkout -q --detach "$1"
}
# series_from PATCHES: 'bench' = the patches applied to base with git am
series_from() {
	local touched f
	worktree_at base
	if [ -d "$1" ]; then set -- "$1"/*.patch; fi
	git -C "$W" -c user.name=bench -c user.email=bench@bench.invalid am -q "$@" || {
		git -C "$W" am --abort
		echo "BENCH_PATCHES: the patches do not apply to base (Linux 6.1)" >&2
		exit 2
	}
	git -C "$KREPO" update-ref refs/heads/bench "$(git -C "$W" rev-parse HEAD)"
	git -C "$W" checkout -q --detach base
	touched=$(git -C "$KREPO" diff --name-only base bench)
	export KSERIES_UNRELATED=README
	for f in kernel/fork.c kernel/exit.c mm/mmap.c lib/sort.c; do
		grep -qx "$f" <<<"$touched" || { KSERIES_UNRELATED="$f README"; break; }
	done
}
if [ -n "${BENCH_PATCHES:-}" ]; then
	series_from "$(realpath "$BENCH_PATCHES")"
else
	kseries_standard bench
	unset GIT_INDEX_FILE	# kseries_start's; the worktree has its own index
fi
N=$(git -C "$KREPO" rev-list --count base..bench)
SERIES=${BENCH_PATCHES:-t310}

secs() { local t0=$1; echo "scale=2; ($(date +%s%N) - $t0) / 1000000000" | bc; }
RANGE=base..bench
gate() { kseries_gate --analyzers=gcc,sparse "$@" "$RANGE" -q >/dev/null || [ $? = 1 ]; }

# ccache DIR: every engine's compiles go through the ccache in DIR.
BASECONF=$KCONF
ccache_in() {
	KCONF=$T/bench-$(basename "$1").conf
	{ cat "$BASECONF"; for e in host bwrap podman docker; do
		printf '[engine.%s]\nccache_dir = %s\n' "$e" "$1"; done; } > "$KCONF"
}

echo "== mkt-gate: warming the baseline (not timed)"
ccache_in "$T/ccache-warmup"
# --no-cache: it compiles the series, so the page cache holds what the
# timed runs read, as the naive way's warm build leaves it for make
gate -j"$JOBS" --no-cache
KB=$(ls -d "$KGATE_CACHE"/*/slot-*/kbuild | head -1)
objects() { find "$KB" -name '.*.o.cmd' | wc -l; }

NB=$MKT_GATE_FIXTURES/bench-build$SUFFIX
MAKE=(make -C "$W" O="$NB" ARCH=x86_64 -j"$JOBS")
# x86_64_defconfig sets CONFIG_WERROR, which turns W=1's warnings into
# errors: the naive way would stop at the first. mkt-gate keeps them
# warnings with -Wno-error; so does the naive way here.
[ "$KCONFIG" = tinyconfig ] || MAKE+=(KCFLAGS=-Wno-error)
if [ -z "${BENCH_SKIP_NAIVE:-}" ]; then
	echo "== the naive way: a worktree and its own warm build (not timed)"
	worktree_at base
	mkdir -p "$NB"
	if [ ! -f "$NB/.config" ]; then
		"${MAKE[@]}" "$KCONFIG" >/dev/null
		"$W/scripts/kconfig/merge_config.sh" -m -O "$NB" "$NB/.config" \
			"$MKT_GATE_SRC/tests/data/kernel/gate-test.config" >/dev/null
		"${MAKE[@]}" olddefconfig >/dev/null
	fi
	# Warm with the flags the timed builds use: kbuild rebuilds every
	# object whose command line changed, and W=1 changes them all. (C=1
	# checks only what is rebuilt: a cold tree is built without it first.)
	"${MAKE[@]}" W=1 >/dev/null 2>&1
	"${MAKE[@]}" W=1 C=1 >/dev/null 2>&1
fi
[ -n "${BENCH_WARM_ONLY:-}" ] && exit 0

ccache_in "$T/ccache-cold"
t=$(date +%s%N); gate -j"$JOBS" --no-cache --json "$T/cold.json"; T_GATE=$(secs "$t")
t=$(date +%s%N); gate -j"$JOBS" --no-cache; T_CCACHE=$(secs "$t")
t=$(date +%s%N); gate -j"$JOBS"; T_WARM=$(secs "$t")
ccache_in "$T/ccache-cold-j1"
t=$(date +%s%N); gate -j1 --no-cache; T_J1=$(secs "$t")
KCONF=$BASECONF
# Every result is in the cache now: the rebased series, then that range again.
kseries_rebase bench
RANGE=bench-newbase..bench-rebased
t=$(date +%s%N); gate -j"$JOBS" --json "$T/rebased.json"; T_REBASED=$(secs "$t")
t=$(date +%s%N); gate -j"$JOBS" --json "$T/again.json"; T_AGAIN=$(secs "$t")
RANGE=base..bench
# The findings of the cold run (replayed commands) against make for every
# object, before and after each commit: the same on every commit.
SAME="not checked (BENCH_SKIP_CHECK)"
if [ -z "${BENCH_SKIP_CHECK:-}" ]; then
	echo "== the same series with make for every object (not timed)"
	{ cat "$BASECONF"; echo "kbuild_replay = false"; } > "$T/make.conf"
	KCONF=$T/make.conf gate -j"$JOBS" --no-cache --json "$T/make.json"
	SAME=$(python3 - "$T/cold.json" "$T/make.json" <<'X'
import json, sys
def findings(path):
    return [[(k['analyzer'], k['status'], k['preexisting'],
              sorted((f['file'], f.get('line'), f['rule'], f['message']) for f in k['new']),
              sorted((f['file'], f['rule']) for f in k['fixed'])) for k in c['checks']]
            for c in json.load(open(path))['commits']]
a, b = findings(sys.argv[1]), findings(sys.argv[2])
bad = [i + 1 for i in range(max(len(a), len(b))) if i >= len(a) or i >= len(b) or a[i] != b[i]]
print('yes, on every commit' if not bad else 'NO, on commits %s' % bad)
X
)
fi
per() { echo "scale=3; $1 / $N" | bc; }
reused=$(jget "sum(k.get('cached', False) for c in r['commits'] for k in c['checks'])" "$T/rebased.json")
checks=$(jget "len([k for c in r['commits'] for k in c['checks']])" "$T/rebased.json")
paths=$(jget "' '.join(c.get('build', {}).get('path', '-') for c in r['commits'])" "$T/cold.json")

gate_figures() {
	cat <<X

series: $N commits ($SERIES) on Linux 6.1 ($KCONFIG + gate-test.config, x86_64, $(objects) objects), $JOBS CPUs
mkt-gate (gcc W=1 + sparse, cold results, empty ccache, -j$JOBS)   ${T_GATE} s
mkt-gate (cold results, warm ccache, -j$JOBS)                      ${T_CCACHE} s
mkt-gate (same range again: result cache)                   ${T_WARM} s   ($(per "$T_WARM") s/commit)
mkt-gate (cold results, empty ccache, -j1)                  ${T_J1} s
mkt-gate (series rebased onto an unrelated change)          ${T_REBASED} s   ($(per "$T_REBASED") s/commit, $reused of $checks checks reused)
mkt-gate (the rebased range again)                          ${T_AGAIN} s   ($(per "$T_AGAIN") s/commit)
build path per commit (cold run): $paths
findings the same as with make for every object: $SAME
X
}
if [ -n "${BENCH_SKIP_NAIVE:-}" ]; then
	gate_figures
	exit 0
fi

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

# The limit: every compile and sparse run a differential gate cannot avoid.
# Each object a commit touches, at the commit and at its parent (what was
# there before decides what is new); a state whose command and preprocessed
# input were counted already is not counted again (a result cache keyed by
# content serves it: the parent of commit N is commit N-1). Each is run
# alone with kbuild's recorded command (W=1, plain gcc) in the naive build
# directory, its sparse with the flags kbuild gives sparse, and timed.
echo "== the limit: the touched objects' own commands, each alone"
CHECKFLAGS=$(tail -n +2 "$KB/.mkt-gate-checkflags")
ns_of() {	# ns_of DIR CMD: runs CMD in DIR, prints its wall time in ns
	local t0; t0=$(date +%s%N)
	(cd "$1" && sh -c "$2") >/dev/null 2>&1 || true
	echo $(( $(date +%s%N) - t0 ))
}
obj_cmd() {	# obj_cmd OBJ: sets cmd, flags and src from its recorded command
	local o=$1 f
	f=$NB/$(dirname "$o")/.$(basename "$o").cmd
	cmd=$(sed -n "s|^cmd_$o := ||p" "$f" 2>/dev/null | sed 's/\$(pound)/#/g; s/\$\$/$/g')
	flags=${cmd#* -Wp,-MMD,}; flags="-Wp,-MMD,${flags%% -c -o $o *}"
	src=${cmd##* -c -o $o }; src=${src%% *}
}
declare -A SEEN
time_obj() {	# time_obj OBJ: NS = its compile + sparse at the worktree's tree, 0 if seen
	local o=$1 key
	NS=0
	obj_cmd "$o"
	[ -n "$cmd" ] && [ -f "$src" ] || return 0
	key=$(cd "$NB" && sh -c "gcc $flags -E -o - $src" 2>/dev/null | { echo "$cmd"; cat; } | sha1sum)
	[ -z "${SEEN[$o $key]:-}" ] || return 0
	SEEN[$o $key]=1
	NS=$(( $(ns_of "$NB" "$cmd") + $(ns_of "$NB" "sparse $CHECKFLAGS $flags $src") ))
}
LIMIT_NS=0 STATES=0
i=0
for c in $(git -C "$KREPO" rev-list --reverse base..bench); do
	objs=$(jget "'\n'.join(r['commits'][$i]['objects'])" "$T/cold.json")
	for at in "$c^" "$c"; do
		git -C "$W" checkout -q --detach "$at"
		for o in $objs; do
			time_obj "$o"
			[ "$NS" = 0 ] || STATES=$((STATES + 1))
			LIMIT_NS=$((LIMIT_NS + NS))
		done
	done
	i=$((i + 1))
done
git -C "$W" checkout -q --detach base
T_LIMIT=$(echo "scale=2; $LIMIT_NS / 1000000000 / $JOBS" | bc)

ratio() { echo "scale=2; $1 / $2" | bc; }
gate_figures
cat <<X
git rebase -x 'make W=1 C=1'                    ${T_NAIVE} s   ($(ratio "$T_NAIVE" "$T_GATE")x mkt-gate cold, $(ratio "$T_NAIVE" "$T_LIMIT")x the limit)
NIPA (make before and after each commit)        ${T_NIPA} s   ($(ratio "$T_NIPA" "$T_GATE")x mkt-gate cold, $(ratio "$T_NIPA" "$T_LIMIT")x the limit)
the limit ($STATES object states' compile + sparse, each alone, / $JOBS jobs)   ${T_LIMIT} s
mkt-gate cold / the limit                       $(ratio "$T_GATE" "$T_LIMIT")x
mkt-gate warm ccache / the limit                $(ratio "$T_CCACHE" "$T_LIMIT")x
X
