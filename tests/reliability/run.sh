#!/bin/bash
# run.sh: the reliability suite, for hand runs and nightly jobs (not a timed
# test; ctest runs only its fuzz targets, for a fixed number of rounds).
#
#   tests/reliability/run.sh [--rounds N] [--fuzz-seconds S] [--build DIR]
#                            [--fuzz-build DIR] [PART...]
#
# PART is any of interrupts, hostile, gerrit, fuzz (default: all):
#   interrupts  t210 (a series interrupted at 7 moments, each followed by a
#               normal run that must equal a --no-cache reference) and t211
#               (children that ignore SIGTERM), N rounds each
#   hostile     t231 (trees git fsck rejects), t232 (the tree's own
#               checkpatch/kernel-doc in the sandbox), t234 (a damaged scratch
#               area), t220 and t740 (shallow clones), N rounds each
#   gerrit      t800 and t810 against fake-gerrit.py failing on purpose (5xx,
#               401, 403, 409, echoed credentials), N rounds each
#   fuzz        each tests/reliability/fuzz_* target for S seconds: with
#               libFuzzer when --fuzz-build is a build made with
#               CC=clang -DMKT_GATE_FUZZ=ON (-DMKT_GATE_SANITIZE=ON advised),
#               else with the plain driver of --build
# Prints one line per part: trials, passed, failed. Exits 1 if any failed.
set -uo pipefail

SRC=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=$SRC/build FUZZ_BUILD="" ROUNDS=3 FUZZ_S=60 PARTS=()
while [ $# -gt 0 ]; do
	case $1 in
	--rounds) ROUNDS=$2; shift ;;
	--fuzz-seconds) FUZZ_S=$2; shift ;;
	--build) BUILD=$2; shift ;;
	--fuzz-build) FUZZ_BUILD=$2; shift ;;
	-h|--help) sed -n '2,22p' "$0"; exit 0 ;;
	*) PARTS+=("$1") ;;
	esac
	shift
done
[ ${#PARTS[@]} -gt 0 ] || PARTS=(interrupts hostile gerrit fuzz)
export MKT_GATE=$BUILD/mkt-gate MKT_GATE_SRC=$SRC MKT_GATE_BUILD=$BUILD
[ -x "$MKT_GATE" ] || { echo "run.sh: no $MKT_GATE; build first" >&2; exit 2; }
LOG=$(mktemp -d "${TMPDIR:-/tmp}/mkt-gate-reliability.XXXXXX")
FAILED=0

# scripts NAME...: each integration test ROUNDS times; one summary line.
scripts()
{
	local part=$1 n=0 bad=0 t r
	shift
	for ((r = 1; r <= ROUNDS; r++)); do
		for t in "$@"; do
			n=$((n + 1))
			if ! bash "$SRC/tests/integration/$t.sh" >"$LOG/$t.$r.log" 2>&1; then
				bad=$((bad + 1))
				echo "  $t round $r failed: $LOG/$t.$r.log"
			fi
		done
	done
	echo "$part: $n trials ($* x $ROUNDS), $((n - bad)) passed, $bad failed"
	[ "$bad" = 0 ] || FAILED=1
}

fuzz()
{
	local t dir bin seeds n=0 bad=0
	for t in an config waivers push gerrit; do
		n=$((n + 1))
		seeds=$(sed -n "s/^set(FUZZ_SEEDS_$t \(.*\))$/\1/p" "$SRC/tests/reliability/CMakeLists.txt" |
			sed "s|\${DATA}|$SRC/tests/data|g; s|\${CORPUS}|$SRC/tests/reliability/corpus|g; s|\${CMAKE_SOURCE_DIR}|$SRC|g")
		if [ -n "$FUZZ_BUILD" ]; then
			bin=$FUZZ_BUILD/tests/reliability/fuzz_$t
			dir=$LOG/corpus-$t && mkdir -p "$dir"
			# libFuzzer grows the first folder; the seeds stay untouched.
			"$bin" -max_total_time="$FUZZ_S" -print_final_stats=1 "$dir" $seeds \
				>"$LOG/fuzz_$t.log" 2>&1
		else
			bin=$BUILD/tests/reliability/fuzz_$t
			"$bin" -max_total_time="$FUZZ_S" -seed="$RANDOM" $seeds >"$LOG/fuzz_$t.log" 2>&1
		fi
		if grep -qE "property broken|ERROR: (libFuzzer|AddressSanitizer)|runtime error" "$LOG/fuzz_$t.log"; then
			bad=$((bad + 1))
			echo "  fuzz_$t broke: $LOG/fuzz_$t.log"
		fi
		grep -hE "stat::number_of_executed_units|rounds" "$LOG/fuzz_$t.log" | sed "s/^/  fuzz_$t: /"
	done
	echo "fuzz: $n targets for ${FUZZ_S} s each$([ -n "$FUZZ_BUILD" ] && echo " (libFuzzer)"), $((n - bad)) clean, $bad broke"
	[ "$bad" = 0 ] || FAILED=1
}

for part in "${PARTS[@]}"; do
	case $part in
	interrupts) scripts interrupts t210-cache-interrupt t211-interrupt-stubborn ;;
	hostile) scripts hostile t231-hostile-tree t232-hostile-patch-tools t234-scratch-recovery \
			t220-range-shallow t740-hook-shallow ;;
	gerrit) scripts gerrit t800-gerrit-review t810-gerrit-watch ;;
	fuzz) fuzz ;;
	*) echo "run.sh: unknown part '$part'" >&2; exit 2 ;;
	esac
done
echo "logs: $LOG"
exit $FAILED
