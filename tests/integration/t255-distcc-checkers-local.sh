#!/bin/bash
# t255-distcc-checkers-local.sh: with distcc_hosts set, on the host engine and
# in bwrap jobs without a network, only compiles go to the daemon: sparse, which
# needs the preprocessed tree, runs here, and gcc's and sparse's findings are
# those of a local run.
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/remote.sh"

command -v distcc >/dev/null || fail "distcc is not installed (tests/setup.sh)"
command -v sparse >/dev/null || fail "sparse is not installed (tests/setup.sh)"
command -v bwrap >/dev/null || fail "bwrap is not installed (tests/setup.sh)"
start_distccd daemon
fanout_project "$T/origin"
# A sparse finding of its own in the header change: a plain integer as NULL.
sed -i 's/\tint unused;/\tint unused;\n\tint *p = 0;\n\t(void)p;/' src/common.h
git commit -qam "common.h: a plain integer as NULL pointer, for sparse"
printf '[defaults]\nanalyzers = gcc sparse\ndistcc_hosts = 127.0.0.1:%s/4\n' "$DISTCCD_PORT" \
	> "$T/distcc.conf"
printf '[defaults]\nanalyzers = gcc sparse\n' > "$T/local.conf"

# gate NAME CONF [ENGINE]: a clone and a cache of its own, gated on ENGINE (host).
gate()
{
	git clone -q "$T/origin" "$T/$1"
	cd "$T/$1"
	XDG_CACHE_HOME=$T/$1-cache expect_rc 1 "$MKT_GATE" range base..master \
		--engine "${3:-host}" --config "$T/$2.conf" --json "$T/$1.json"
	findings "$T/$1.json" > "$T/$1.findings"
}

gate local local
gate distcc distcc
diff "$T/local.findings" "$T/distcc.findings" || fail "distcc changed the findings"
grep -q '^  sparse new .*common.h' "$T/distcc.findings" || fail "no sparse finding: $(cat "$T/distcc.findings")"
pass "gcc's and sparse's findings through distcc are those of a local run"

compiles=$(jget 'r["ccache"]["misses"]' "$T/distcc.json")
[ "$(grep -c COMPILE_OK "$T/daemon.log")" = "$compiles" ] ||
	fail "the daemon did not get exactly the $compiles compiles: $(cat "$T/daemon.log")"
! grep -q 'sparse' "$T/daemon.log" || fail "sparse went to the daemon"
pass "the daemon got the $compiles compiles and nothing else"

# The same in bwrap, where the daemon is reached through the relay.
before=$(grep -c COMPILE_OK "$T/daemon.log")
gate sandboxed distcc bwrap
diff "$T/local.findings" "$T/sandboxed.findings" || fail "distcc from bwrap changed the findings"
compiles=$(jget 'r["ccache"]["misses"]' "$T/sandboxed.json")
[ $(($(grep -c COMPILE_OK "$T/daemon.log") - before)) = "$compiles" ] ||
	fail "the daemon did not get the $compiles compiles of the bwrap run: $(cat "$T/daemon.log")"
! grep -q 'sparse' "$T/daemon.log" || fail "sparse went to the daemon"
pass "from bwrap too: the daemon got the $compiles compiles, findings are a local run's"
