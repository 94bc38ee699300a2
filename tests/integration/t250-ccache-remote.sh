#!/bin/bash
# t250-ccache-remote.sh: [defaults] ccache_remote shares compiles between two
# machines (separate clones, scratch trees and local ccaches) through a real
# redis-server: the second machine's compiles are remote hits, its findings
# the same, and the report tells local from remote hits. The jobs run in bwrap
# without a network and reach redis through the relay's unix socket.
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/remote.sh"

command -v ccache >/dev/null || fail "ccache is not installed (tests/setup.sh)"
command -v bwrap >/dev/null || fail "bwrap is not installed (tests/setup.sh)"
start_redis
# The project's configure step (a job) tries a TCP port the gate never names.
start_listener
FANOUT_CMAKE="execute_process(COMMAND bash -c \"exec 3<>/dev/tcp/127.0.0.1/$LISTENER_PORT\")" \
	fanout_project "$T/origin"
printf '[defaults]\nccache_remote = redis://127.0.0.1:%s\n' "$REDIS_PORT" > "$T/remote.conf"

# machine NAME: a clone and a cache root of its own, gated against the one redis.
machine()
{
	git clone -q "$T/origin" "$T/$1"
	cd "$T/$1"
	XDG_CACHE_HOME=$T/$1-cache expect_rc 1 "$MKT_GATE" range base..master \
		--engine bwrap --config "$T/remote.conf" --json "$T/$1.json"
	schema_check "$T/$1.json"
	findings "$T/$1.json" > "$T/$1.findings"
}

machine one
expect_in "$(jget 'r["ccache"]["remote"]' "$T/one.json")" "^redis://127.0.0.1:$REDIS_PORT\$"
[ "$(jget 'r["ccache"]["remote_hits"]' "$T/one.json")" = 0 ] ||
	fail "the first machine found remote hits in an empty redis"
misses=$(jget 'r["ccache"]["misses"]' "$T/one.json")
[ "$misses" -ge 4 ] || fail "the first machine compiled only $misses units"
pass "the first machine compiles ($misses misses) and fills the remote storage"

machine two
diff "$T/one.findings" "$T/two.findings" || fail "the machines' findings differ"
grep -q "unused variable 'unused'" "$T/two.findings" || fail "the header's warning is missing"
remote=$(jget 'r["ccache"]["remote_hits"]' "$T/two.json")
[ "$(jget 'r["ccache"]["misses"]' "$T/two.json")" = 0 ] ||
	fail "the second machine compiled again: $(jget 'r["ccache"]' "$T/two.json")"
hits=$(jget 'r["ccache"]["hits"]' "$T/two.json")
[ "$remote" = "$misses" ] || fail "$remote remote hits for $misses compiles of the first machine"
[ "$(jget 'r["ccache"]["local_hits"]' "$T/two.json")" = $((hits - remote)) ] ||
	fail "local and remote hits do not add up: $(jget 'r["ccache"]' "$T/two.json")"
expect_in "$OUT" "^ccache: $hits hits \\($remote remote\\), 0 misses"
pass "the second machine gets every compile ($remote) from redis, with the same findings"
[ ! -s "$T/listener.log" ] || fail "a job reached a local TCP port: $(cat "$T/listener.log")"
pass "through the relay: the jobs reached redis but no other TCP port"
