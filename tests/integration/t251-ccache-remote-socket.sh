#!/bin/bash
# t251-ccache-remote-socket.sh: a redis reached through its unix socket
# (ccache_remote = redis+unix:SOCKET) serves the second machine under bwrap,
# whose jobs then keep the network off: only the socket is bound.
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/remote.sh"

command -v bwrap >/dev/null || fail "bwrap is not installed (tests/setup.sh)"
sock=$T/redis/redis.sock
mkdir -p "$T/redis"
redis-server --port 0 --unixsocket "$sock" --unixsocketperm 700 --save '' \
	--appendonly no --dir "$T/redis" >"$T/redis.log" 2>&1 &
SERVER_PIDS+=($!)
for _ in $(seq 100); do [ -S "$sock" ] && break; sleep 0.1; done
[ -S "$sock" ] || fail "redis did not make its socket: $(cat "$T/redis.log")"
fanout_project "$T/origin"
printf '[defaults]\nengine = bwrap\nccache_remote = redis+unix:%s\n' "$sock" > "$T/socket.conf"

for m in one two; do
	git clone -q "$T/origin" "$T/$m"
	cd "$T/$m"
	XDG_CACHE_HOME=$T/$m-cache expect_rc 1 "$MKT_GATE" range base..master \
		--config "$T/socket.conf" --json "$T/$m.json"
	findings "$T/$m.json" > "$T/$m.findings"
done
diff "$T/one.findings" "$T/two.findings" || fail "the machines' findings differ"
misses=$(jget 'r["ccache"]["misses"]' "$T/one.json")
[ "$(jget 'r["ccache"]["remote_hits"]' "$T/two.json")" = "$misses" ] &&
	[ "$(jget 'r["ccache"]["misses"]' "$T/two.json")" = 0 ] ||
	fail "the second machine's compiles were not remote hits: $(jget 'r["ccache"]' "$T/two.json")"
[ "$(jget 'r["ccache"]["remote"]' "$T/two.json")" = "redis+unix:$sock" ] || fail "remote not reported"
pass "through the socket alone, the second machine's $misses compiles are remote hits"
