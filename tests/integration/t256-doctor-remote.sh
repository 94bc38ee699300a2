#!/bin/bash
# t256-doctor-remote.sh: mkt-gate doctor lists distcc, says which distcc hosts
# and which ccache remote storage answer, and exits 3 when one the config
# names does not; and whether sandboxed jobs then get a network.
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/remote.sh"

start_redis
start_distccd daemon
dead=$(free_port)
mkdir -p "$T/proj" && cd "$T/proj" && git init -q

expect_rc 0 "$MKT_GATE" doctor
expect_in "$OUT" '^  distcc +ok +[0-9.]+ +/'
expect_in "$OUT" '^  ccache-remote \(not set'
pass "distcc is listed, not asked for, when the config names no hosts"

printf '[defaults]\ndistcc_hosts = 127.0.0.1:%s/3 localhost/2\nccache_remote = redis://pw@127.0.0.1:%s\n' \
	"$DISTCCD_PORT" "$REDIS_PORT" > "$T/up.conf"
expect_rc 0 "$MKT_GATE" doctor --config "$T/up.conf"
expect_in "$OUT" '^\* distcc +ok '
expect_in "$OUT" "^    host 127.0.0.1:$DISTCCD_PORT/3: reachable, 3 slots\$"
expect_in "$OUT" '^    host localhost/2: compiles here, 2 slots$'
expect_in "$OUT" "^\\* ccache-remote redis://127.0.0.1:$REDIS_PORT: reachable, answers \\+PONG\$"
expect_not_in "$OUT" 'pw@'
pass "the reachable distcc host and redis are reported so, without the password"
expect_in "$OUT" "^  job network: off; bwrap and podman jobs reach TCP hosts through mkt-gate's relay\$"
pass "distcc over TCP and redis keep the jobs' network off"

printf '[defaults]\ndistcc_hosts = 127.0.0.1:%s 127.0.0.1:%s\nccache_remote = http://127.0.0.1:%s/c\n' \
	"$DISTCCD_PORT" "$dead" "$dead" > "$T/down.conf"
expect_rc 3 "$MKT_GATE" doctor --config "$T/down.conf"
expect_in "$OUT" "^    host 127.0.0.1:$DISTCCD_PORT: reachable, 4 slots\$"
expect_in "$OUT" "^    host 127.0.0.1:$dead: unreachable: Connection refused\$"
expect_in "$OUT" "^\\* ccache-remote http://127.0.0.1:$dead/c: unreachable: Connection refused\$"
expect_in "$OUT" 'error: 2 of the tools the config asks for cannot be used here'
expect_in "$OUT" "^  job network: the host's, for a ccache_remote over http:// \\(ccache has no http over a unix socket\\)\$"
pass "a distcc host or remote storage that does not answer makes doctor exit 3"

printf '[defaults]\ndistcc_hosts = 127.0.0.1:port\n' > "$T/bad.conf"
expect_rc 3 "$MKT_GATE" doctor --config "$T/bad.conf"
expect_in "$OUT" "bad distcc host '127.0.0.1:port'"
pass "a malformed host is named"
