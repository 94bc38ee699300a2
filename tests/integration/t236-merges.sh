#!/bin/bash
# t236-merges.sh: a range over a history of several merges. By default each
# merge is one SKIPPED line and how to gate merges is said once; with
# --merges=first-parent (or 'merges = first-parent' in the config) the range
# walks first parents as git log --first-parent does, and each merge is gated
# against its first parent. A bad --merges is a usage error before any work.
set -euo pipefail

. "$(dirname "$0")/lib/common.sh"

P=$T/proj
mkdir -p "$P" && cd "$P" && git init -q
printf 'cmake_minimum_required(VERSION 3.10)\nproject(m C)\nadd_executable(m main.c t1.c t2.c t3.c t4.c)\n' >CMakeLists.txt
printf 'int main(void)\n{\n\treturn 0;\n}\n' >main.c
for i in 1 2 3 4; do printf 'int t%s(void)\n{\n\treturn 0;\n}\n' $i >t$i.c; done
git add -A && git commit -qm base && git tag base
# Four topics, two commits each, merged with --no-ff; topic 3 adds a warning,
# and master moves on between the merges.
for i in 1 2 3 4; do
	git checkout -q -b topic$i master
	printf '/* topic %s */\n' $i >>t$i.c && git commit -qam "t$i: a comment"
	if [ $i = 3 ]; then
		sed -i 's/\treturn 0;/\tint unused3;\n\treturn 0;/' t3.c
	else
		printf 'int t%s_more(void)\n{\n\treturn 1;\n}\n' $i >>t$i.c
	fi
	git commit -qam "t$i: more"
	git checkout -q master
	git merge -q --no-ff -m "Merge branch 'topic$i'" topic$i
	[ $i = 2 ] && { printf '/* mainline */\n' >>main.c && git commit -qam "main: a comment"; }
done
merges=$(git rev-list --merges --count base..HEAD)
[ "$merges" = 4 ] || fail "the history has $merges merges"

# Default: every topic commit gated on its own, each merge one line.
rc=0
"$MKT_GATE" range base..HEAD --json "$T/skip.json" >"$T/skip" 2>"$T/err" || rc=$?
[ "$rc" = 1 ] || fail "range exited $rc: $(cat "$T/err")"
[ "$(grep -c ' SKIPPED ' "$T/skip")" = 4 ] || fail "not one line per merge: $(cat "$T/skip")"
for m in $(git rev-list --merges base..HEAD); do
	s=$(git rev-parse --short=12 "$m")
	grep -qx "$s SKIPPED Merge branch 'topic[1-4]'  \[merge\]" "$T/skip" ||
		fail "merge line of $s: $(grep "^$s" "$T/skip")"
	# The line after a merge's is the next commit's (or the hint), never a reason
	after=$(grep -A1 "^$s " "$T/skip" | sed -n 2p)
	expect_in "$after" '^([0-9a-f]{12} (PASS|FAIL) |skipped 4 merge)'
done
[ "$(grep -c 'merge commit:' "$T/skip")" = 0 ] || fail "a reason line per merge: $(cat "$T/skip")"
grep -qx 'skipped 4 merge commits: --merges=first-parent gates each against its first parent' "$T/skip" ||
	fail "no single hint line: $(cat "$T/skip")"
[ "$(jget "len(r['commits'])" "$T/skip.json")" = "$(git rev-list --count base..HEAD)" ] ||
	fail "the default walk lost commits"
[ "$(jget "sorted(set(c['verdict'] for c in r['commits'] if c.get('merge')))" "$T/skip.json")" = "['skipped']" ] ||
	fail "merges not skipped in the JSON"
[ "$(jget "sum(1 for c in r['commits'] if c.get('merge'))" "$T/skip.json")" = 4 ] ||
	fail "merges not marked in the JSON"
expect_in "$(jget "[c['reason'] for c in r['commits'] if c.get('merge')][0]" "$T/skip.json")" \
	"merge commit: skipped \(--merges=first-parent"
grep -q "^$(git rev-parse --short=12 topic3) FAIL " "$T/skip" || fail "topic 3's warning not found"
schema_check "$T/skip.json"
pass "skipped merges: one line each, the hint once"

# --merges=first-parent: the mainline only, each merge gated as one change
rc=0
"$MKT_GATE" range base..HEAD --merges=first-parent --json "$T/fp.json" >"$T/fp" 2>"$T/err" || rc=$?
[ "$rc" = 1 ] || fail "first-parent range exited $rc: $(cat "$T/err")"
want=$(git rev-list --first-parent --reverse base..HEAD | tr '\n' ' ')
[ "$(jget "' '.join(c['sha'] for c in r['commits']) + ' '" "$T/fp.json")" = "$want" ] ||
	fail "not the first-parent walk: $(jget "[c['subject'] for c in r['commits']]" "$T/fp.json")"
grep -q 'SKIPPED\|skipped .* merge' "$T/fp" && fail "first-parent skipped something: $(cat "$T/fp")"
m3=$(git rev-parse --short=12 "$(git log --merges --format=%H --grep="topic3'" -1)")
grep -q "^$m3 FAIL    Merge branch 'topic3'  \[gcc 1 new\]$" "$T/fp" ||
	fail "the merge of topic 3 is not gated against its first parent: $(cat "$T/fp")"
grep -q "^t3.c:[0-9]*:[0-9]*: warning: unused variable 'unused3' .*(gcc)$" "$T/fp" ||
	fail "the merge's finding: $(cat "$T/fp")"
[ "$(jget "[c['verdict'] for c in r['commits'] if c.get('merge')].count('pass')" "$T/fp.json")" = 3 ] ||
	fail "the other merges do not pass"
[ "$(jget "r['merges']" "$T/fp.json")" = first-parent ] || fail "the report does not say how merges were walked"
[ "$(jget "r.get('merges')" "$T/skip.json")" = None ] || fail "a default run's report changed"
schema_check "$T/fp.json"
pass "--merges=first-parent gates the mainline"

# With shards, a merge another shard gates says so, not "merge"
rc=0
"$MKT_GATE" range base..HEAD --merges=first-parent --shard 2/2 --json "$T/sh.json" >"$T/sh" 2>/dev/null || rc=$?
[ "$(grep -c '  \[gated by another shard (2/2)\]$' "$T/sh")" = "$(jget "sum(1 for c in r['commits'] if c['verdict'] == 'skipped')" "$T/sh.json")" ] ||
	fail "shard lines: $(cat "$T/sh")"
grep -q '\[merge\]\|skipped .* merge commit' "$T/sh" && fail "a merge another shard gates called skipped as a merge: $(cat "$T/sh")"
"$MKT_GATE" range base..HEAD --shard 1/2 >"$T/sh1" 2>/dev/null || true
grep -q '  \[gated by another shard (1/2)\]$' "$T/sh1" && grep -q '  \[merge\]$' "$T/sh1" ||
	fail "shard 1/2 without first-parent: $(cat "$T/sh1")"
pass "shards and merges, each skip with its own reason"

# The config key does the same, and the command line wins over it
printf '[defaults]\nmerges = first-parent\n' >.mkt-gate.conf
rc=0
"$MKT_GATE" range base..HEAD --json "$T/cfg.json" >/dev/null 2>&1 || rc=$?
[ "$rc" = 1 ] && [ "$(jget "len(r['commits'])" "$T/cfg.json")" = "$(git rev-list --first-parent --count base..HEAD)" ] ||
	fail "'merges = first-parent' in the config is not used"
rc=0
"$MKT_GATE" range base..HEAD --merges skip --json "$T/cli.json" >/dev/null 2>&1 || rc=$?
[ "$(jget "len(r['commits'])" "$T/cli.json")" = "$(git rev-list --count base..HEAD)" ] ||
	fail "--merges=skip does not override the config"
rm .mkt-gate.conf
pass "the config key and its option"

# A bad value: exit 2 naming the option, before any scratch tree is made
rm -rf "$XDG_CACHE_HOME/mkt-gate"
expect_rc 2 "$MKT_GATE" range base..HEAD --merges=all
expect_in "$OUT" "^error: '--merges' expects skip or first-parent, not 'all'$"
[ ! -e "$XDG_CACHE_HOME/mkt-gate" ] || fail "a bad --merges ran the gate first"
"$MKT_GATE" range -h | grep -q -- "--merges=<how>" || fail "range -h lacks --merges"
"$MKT_GATE" commit -h | grep -q -- "--merges=<how>" || fail "commit -h lacks --merges"
pass "merges"
