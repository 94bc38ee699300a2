#!/bin/bash
# t611-shard-auto-merge.sh: `range --shard auto` takes its share from the CI's
# parallel variables (GitLab's 1-based CI_NODE_INDEX/CI_NODE_TOTAL, or
# MKT_GATE_SHARD_INDEX/TOTAL for Jenkins), and `report merge` of the shards
# gives byte for byte the JSON, JUnit and HTML of one unsharded run, timings
# and cache counters masked.
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/series-repo.sh"

series_repo "$T/p" && cd "$T/p"
printf '[defaults]\nanalyzers = gcc\n' > "$T/gate.conf"
unset CI_NODE_INDEX CI_NODE_TOTAL MKT_GATE_SHARD_INDEX MKT_GATE_SHARD_TOTAL
gate() { "$MKT_GATE" -q range base..HEAD --config "$T/gate.conf" --no-cache "$@"; }

# Timings, start time and ccache counters differ from run to run; nothing else may.
mask_json() # in out
{
	sed -E -e 's/"duration_s": [0-9.eE+-]+/"duration_s": 0.0/' \
		-e 's/"started_at": "[^"]*"/"started_at": "T"/' \
		-e 's/"(hits|misses|hit_rate)": [0-9.eE+-]+/"\1": 0/' "$1" > "$2"
}
mask_junit() { sed -E 's/ (time|timestamp)="[^"]*"//g' "$1"; }

rc=0; gate --json "$T/one.json" --junit "$T/one.xml" --html "$T/one.html" >/dev/null || rc=$?
[ "$rc" = 1 ] || fail "the unsharded run exited $rc"
[ "$(jget "len(r['series']['transient'])" "$T/one.json")" = 1 ] || fail "the fixture lost its transient finding"

# compare NAME SHARD-REPORTS...: merge them and compare with the one run.
compare()
{
	local name=$1 d=$T/$1
	shift
	mkdir -p "$d"
	expect_rc 0 "$MKT_GATE" report merge "$@" -o "$d/merged.json"
	schema_check "$d/merged.json"
	mask_json "$T/one.json" "$d/one.json"
	mask_json "$d/merged.json" "$d/merged.masked.json"
	cmp "$d/one.json" "$d/merged.masked.json" ||
		{ diff "$d/one.json" "$d/merged.masked.json" >&2; fail "$name: merged JSON differs"; }
	# JUnit as the gate wrote it, and as report renders the merged report
	"$MKT_GATE" report --from "$d/merged.json" --junit "$d/merged.xml"
	cmp <(mask_junit "$T/one.xml") <(mask_junit "$d/merged.xml") ||
		{ diff <(mask_junit "$T/one.xml") <(mask_junit "$d/merged.xml") >&2
		  fail "$name: merged JUnit differs"; }
	# HTML and JUnit rendered from the masked reports: every byte
	for r in one merged.masked; do
		"$MKT_GATE" report --from "$d/$r.json" --junit "$d/$r.r.xml" --html "$d/$r.r.html"
	done
	cmp "$d/one.r.xml" "$d/merged.masked.r.xml" || fail "$name: JUnit differs"
	cmp "$d/one.r.html" "$d/merged.masked.r.html" ||
		{ diff "$d/one.r.html" "$d/merged.masked.r.html" >&2; fail "$name: HTML differs"; }
}

# GitLab `parallel: 3`: CI_NODE_INDEX is 1-based.
for k in 1 2 3; do
	rc=0; CI_NODE_INDEX=$k CI_NODE_TOTAL=3 gate --shard auto --json "$T/gl-$k.json" >/dev/null || rc=$?
	[ "$rc" -le 1 ] || fail "GitLab shard $k exited $rc"
	[ "$(jget "r['shard']" "$T/gl-$k.json")" = "$k/3" ] || fail "GitLab shard $k is $(jget "r['shard']" "$T/gl-$k.json")"
done
[ "$(jget "[c['verdict'] for c in r['commits']].count('skipped')" "$T/gl-1.json")" = 4 ] ||
	fail "shard 1/3 of 6 commits must skip 4"
compare gitlab "$T/gl-3.json" "$T/gl-1.json" "$T/gl-2.json"
pass "GitLab CI_NODE_INDEX/CI_NODE_TOTAL shards merge into the one run's JSON, JUnit and HTML"

# Jenkins: the explicit pair, here with more shards than commits.
for k in 1 2 3 4 5 6 7 8; do
	rc=0; MKT_GATE_SHARD_INDEX=$k MKT_GATE_SHARD_TOTAL=8 CI_NODE_INDEX=1 CI_NODE_TOTAL=2 \
		gate --shard auto --json "$T/j-$k.json" >/dev/null || rc=$?
	[ "$rc" -le 1 ] || fail "Jenkins shard $k exited $rc"
done
[ "$(jget "r['shard']" "$T/j-8.json")" = 8/8 ] || fail "the explicit pair must win over CI_NODE_*"
compare jenkins "$T"/j-*.json
pass "MKT_GATE_SHARD_INDEX/TOTAL shards (8 for 6 commits) merge into the one run"

# No variable, half a pair, a bad number: usage errors before anything runs.
rm -rf "$XDG_CACHE_HOME/mkt-gate"
expect_rc 2 "$MKT_GATE" range base..HEAD --shard auto
expect_in "$OUT" "no shard in the environment"
expect_in "$OUT" "hint: .*MKT_GATE_SHARD_INDEX and MKT_GATE_SHARD_TOTAL"
CI_NODE_TOTAL=4 expect_rc 2 "$MKT_GATE" range base..HEAD --shard auto
expect_in "$OUT" "CI_NODE_TOTAL is set but CI_NODE_INDEX is not"
MKT_GATE_SHARD_INDEX=3 MKT_GATE_SHARD_TOTAL=2 expect_rc 2 "$MKT_GATE" range base..HEAD --shard auto
expect_in "$OUT" "want 1 <= K <= N, not 3/2"
[ ! -e "$XDG_CACHE_HOME/mkt-gate" ] || fail "the gate ran with a bad --shard auto"
# GitLab without `parallel:` sets CI_NODE_TOTAL=1 alone: the whole range.
CI_NODE_TOTAL=1 gate --shard auto --json "$T/whole.json" >/dev/null || true
[ "$(jget "r['shard']" "$T/whole.json")" = 1/1 ] || fail "CI_NODE_TOTAL=1 is not 1/1"
pass "--shard auto without its variables is a usage error naming them"
