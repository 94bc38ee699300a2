#!/bin/bash
# t100-help.sh: every command that `mkt-gate --help` lists, and its
# subcommands, answers -h and --help with exit 0 and a usage on stdout,
# whose "or:" lines are usages too; outside any repository, touching nothing.
. "$(dirname "$0")/lib/common.sh"
cd "$T"

# help CMD...: CMD's help must exit 0, start with "usage: mkt-gate WORDS", say nothing on stderr.
help()
{
	local words=$* rc=0

	for h in -h --help; do
		rc=0
		"$MKT_GATE" "$@" "$h" >"$T/so" 2>"$T/se" || rc=$?
		[ "$rc" = 0 ] || fail "'mkt-gate $words $h' exited $rc: $(cat "$T/se")"
		[ ! -s "$T/se" ] || fail "'mkt-gate $words $h' wrote to stderr: $(cat "$T/se")"
		head -n 1 "$T/so" | grep -q "^usage: mkt-gate $words\b" ||
			fail "'mkt-gate $words $h' starts with: $(head -n 1 "$T/so")"
		! grep -v '^   or: mkt-gate ' "$T/so" | grep -q '^   or: ' ||
			fail "'mkt-gate $words $h' has an 'or:' line that is no usage: $(grep '^   or:' "$T/so")"
	done
}

for h in -h --help help; do
	expect_rc 0 "$MKT_GATE" $h
	expect_in "$OUT" '^usage: mkt-gate '
done
cmds=$("$MKT_GATE" --help | sed -n '/^commands:$/,/^$/p' | awk 'NF >= 2 { print $1 }')
[ "$(wc -w <<<"$cmds")" -ge 11 ] || fail "mkt-gate --help lists only: $cmds"
for c in $cmds; do
	help "$c"
done
pass "mkt-gate -h and each of its $(wc -w <<<"$cmds") commands' -h and --help: exit 0, a usage"

help report merge
for sub in "image build" "image list" "gerrit review" "gerrit watch" "hook pre-push" "hook post-commit"; do
	# shellcheck disable=SC2086
	set -- $sub
	rc=0
	"$MKT_GATE" "$@" -h >"$T/so" 2>"$T/se" || rc=$?
	[ "$rc" = 0 ] && [ ! -s "$T/se" ] || fail "'mkt-gate $sub -h' exited $rc: $(cat "$T/se")"
	grep -q "^usage: mkt-gate $1\b" "$T/so" || fail "'mkt-gate $sub -h': $(head -n 1 "$T/so")"
done
pass "subcommands' -h: exit 0, their command's usage"

[ -z "$(ls -A "$T" | grep -v -e '^so$' -e '^se$' -e '^home$')" ] ||
	fail "-h left files behind: $(ls -A "$T")"
pass "-h writes nothing"
