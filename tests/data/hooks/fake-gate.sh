#!/usr/bin/env bash
# fake-gate.sh: a stand-in for `mkt-gate range` in the hook tests (via MKT_GATE_HOOK_GATE_CMD).
# A commit fails when it adds a line containing "int unused;"; writes a report-v1 JSON like the engine.
set -euo pipefail

[ "${1:-}" = range ] || { echo "error: fake gate knows only 'range'" >&2; exit 2; }
shift
json= revs=
while [ $# -gt 0 ]; do
	case $1 in
	--json) json=$2; shift 2 ;;
	-q) shift ;;
	*) revs=$1; shift ;;
	esac
done
[ -n "$revs" ] || { echo "error: no range" >&2; exit 2; }
[ -z "${FAKE_GATE_LOG:-}" ] || echo "range $revs" >>"$FAKE_GATE_LOG"
[ -z "${FAKE_GATE_SLEEP:-}" ] || sleep "$FAKE_GATE_SLEEP"
[ -z "${FAKE_GATE_EXIT:-}" ] || exit "$FAKE_GATE_EXIT"

case $revs in
*..*) commits=$(git rev-list --reverse "$revs") ;;
*) commits=$(git rev-parse --verify "$revs^{commit}") ;;
esac

esc() { sed -e 's/\\/\\\\/g' -e 's/"/\\"/g'; }

# Prints "file:line" for each added line with the pattern.
findings() {
	git show --format= -U0 "$1" | awk '
		/^\+\+\+ b\// { file = substr($0, 7); next }
		/^@@/ { split($3, a, ","); line = substr(a[1], 2) + 0; next }
		/^\+/ { if (index($0, "int unused;")) print file ":" line; line++ }'
}

overall=pass
out="{\"schema\":\"mkt-gate/report/v1\",\"tool\":{\"name\":\"mkt-gate\",\"version\":\"fake\"},"
out+="\"range\":\"$revs\",\"commits\":["
sep= all_new=
for c in $commits; do
	subject=$(git log -1 --format=%s "$c" | esc)
	new= nsep= verdict=pass
	for fl in $(findings "$c"); do
		f=${fl%:*} l=${fl##*:}
		echo "$f:$l: warning: unused variable 'unused' [-Wunused-variable]" >&2
		new+="$nsep{\"analyzer\":\"gcc\",\"file\":\"$f\",\"line\":$l,\"severity\":\"warning\","
		new+="\"rule\":\"-Wunused-variable\",\"message\":\"unused variable 'unused'\",\"fingerprint\":\"fp$l\"}"
		nsep=,
		verdict=fail overall=fail
	done
	[ -z "$new" ] || all_new+="${all_new:+,}$new"
	out+="$sep{\"sha\":\"$c\",\"subject\":\"$subject\",\"verdict\":\"$verdict\","
	out+="\"checks\":[{\"analyzer\":\"gcc\",\"status\":\"$verdict\",\"new\":[$new],\"fixed\":[]}]}"
	sep=,
done
out+="],\"verdict\":\"$overall\",\"series\":{\"new\":[$all_new],\"fixed\":[]}}"
[ -z "$json" ] || printf '%s\n' "$out" >"$json"
[ $overall = pass ]
