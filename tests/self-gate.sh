#!/bin/bash
# self-gate.sh MKT_GATE: we eat our own cooking: gate this repository's latest
# commits with gcc, clang, cppcheck and checkpatch --no-tree (errors only);
# a new finding fails CI.
set -euo pipefail
cd "$(dirname "$0")/.."
MKT_GATE=$(realpath "${1:-build/mkt-gate}")
N=${SELF_GATE_COMMITS:-5}

count=$(git rev-list --count HEAD)
[ "$count" -gt 1 ] || { echo "self-gate: only one commit, nothing to compare"; exit 0; }
[ "$count" -gt "$N" ] || N=$((count - 1))

conf=$(mktemp)
trap 'rm -f "$conf"' EXIT
cat tests/self-gate.conf > "$conf"
# checkpatch.pl comes with the kernel source package; the tests extract it.
if T=$(mktemp -d) && . tests/integration/lib/checkpatch.sh && checkpatch_fixture; then
	sed -i 's/^analyzers = .*/& checkpatch/' "$conf"
	printf '\n[analyzer.checkpatch]\npath = %s\n' "$CHECKPATCH_PL" >> "$conf"
else
	echo "self-gate: checkpatch.pl not available, gating without it"
fi
"$MKT_GATE" range --config "$conf" "HEAD~$N..HEAD" --json build/self-gate.json
