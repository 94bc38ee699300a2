#!/bin/bash
# self-gate.sh MKT_GATE: we eat our own cooking: gate this repository's latest
# commits with the analyzers we hold our code to; a new finding fails CI.
set -euo pipefail
cd "$(dirname "$0")/.."
MKT_GATE=${1:-build/mkt-gate}
N=${SELF_GATE_COMMITS:-5}

count=$(git rev-list --count HEAD)
[ "$count" -gt 1 ] || { echo "self-gate: only one commit, nothing to compare"; exit 0; }
[ "$count" -gt "$N" ] || N=$((count - 1))
"$MKT_GATE" range --config configs/self-gate.conf "HEAD~$N..HEAD" \
	--json build/self-gate.json
