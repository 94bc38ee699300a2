#!/bin/bash
# t252-ccache-remote-down.sh: a remote storage that does not answer costs the
# gate nothing but its hits: ccache compiles locally, the findings are those
# of a run without one, and the report counts the failed remote calls. A
# malformed value, or either key with ccache = no, exits 2.
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/remote.sh"

fanout_project "$T/origin"
printf '[defaults]\nccache_remote = redis://127.0.0.1:%s\n' "$(free_port)" > "$T/down.conf"
: > "$T/none.conf"

for m in none down; do
	git clone -q "$T/origin" "$T/$m"
	cd "$T/$m"
	XDG_CACHE_HOME=$T/$m-cache expect_rc 1 "$MKT_GATE" range base..master \
		--config "$T/$m.conf" --json "$T/$m.json"
	schema_check "$T/$m.json"
	findings "$T/$m.json" > "$T/$m.findings"
done
diff "$T/none.findings" "$T/down.findings" || fail "a remote that is down changed the findings"
[ "$(jget '"remote_hits" in r["ccache"]' "$T/none.json")" = False ] ||
	fail "a run without ccache_remote reports remote fields"
errors=$(jget 'r["ccache"]["remote_errors"]' "$T/down.json")
[ "$errors" -gt 0 ] && [ "$(jget 'r["ccache"]["remote_hits"]' "$T/down.json")" = 0 ] ||
	fail "no remote errors counted: $(jget 'r["ccache"]' "$T/down.json")"
pass "redis down: same findings, $errors remote errors counted, no remote fields without one"

cd "$T/down"
printf '[defaults]\nccache_remote = ftp://127.0.0.1/c\n' > "$T/bad.conf"
expect_rc 2 "$MKT_GATE" range base..master --config "$T/bad.conf"
expect_in "$OUT" "bad \\[defaults\\] ccache_remote 'ftp://127.0.0.1/c'"
printf '[defaults]\nccache = no\ndistcc_hosts = 127.0.0.1:1\n' > "$T/bad.conf"
expect_rc 2 "$MKT_GATE" range base..master --config "$T/bad.conf"
expect_in "$OUT" 'distcc_hosts needs ccache, which is off here'
pass "a malformed ccache_remote, or distcc without ccache, is a configuration error (exit 2)"
