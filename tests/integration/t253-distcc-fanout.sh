#!/bin/bash
# t253-distcc-fanout.sh: [defaults] distcc_hosts sends a header change fanned
# out over a CMake project's units to two real distccd daemons from bwrap jobs
# without a network (through the relay): their logs show every compile, the
# findings are those of a local run, a job cannot reach another TCP port, and
# the relay leaves no socket behind, on exit or on Ctrl-C; a 2 MB object comes
# back whole.
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/remote.sh"

command -v distcc >/dev/null || fail "distcc is not installed (tests/setup.sh)"
command -v bwrap >/dev/null || fail "bwrap is not installed (tests/setup.sh)"
start_distccd one && P1=$DISTCCD_PORT
start_distccd two && P2=$DISTCCD_PORT
# The project's configure step (a job) tries a TCP port the gate never names.
start_listener
FANOUT_CMAKE="execute_process(COMMAND bash -c \"exec 3<>/dev/tcp/127.0.0.1/$LISTENER_PORT\")" \
	fanout_project "$T/origin"
mkdir "$T/tmp"
printf '[defaults]\ndistcc_hosts = 127.0.0.1:%s/2 127.0.0.1:%s/2\n' "$P1" "$P2" > "$T/distcc.conf"

# gate NAME [ARGS]: a clone and a cache of its own, gated with ARGS.
gate()
{
	local name=$1
	shift
	git clone -q "$T/origin" "$T/$name"
	cd "$T/$name"
	TMPDIR=$T/tmp XDG_CACHE_HOME=$T/$name-cache expect_rc 1 "$MKT_GATE" range \
		base..master --json "$T/$name.json" "$@"
	schema_check "$T/$name.json"
	findings "$T/$name.json" > "$T/$name.findings"
}

gate local --engine host
[ -s "$T/listener.log" ] || fail "the probe of the configure job never ran"
: > "$T/listener.log"
gate dist --config "$T/distcc.conf" --engine bwrap
diff "$T/local.findings" "$T/dist.findings" || fail "distcc changed the findings"
grep -q "common.h.*unused variable 'unused'" "$T/dist.findings" ||
	fail "the header's warning is missing"
grep -q "b.c.*unused variable 'spare'" "$T/dist.findings" || fail "b.c's warning is missing"
pass "findings through distcc are those of a local run"

compiles=$(jget 'r["ccache"]["misses"]' "$T/dist.json")
n1=$(grep -c 'COMPILE_OK' "$T/one.log" || true)
n2=$(grep -c 'COMPILE_OK' "$T/two.log" || true)
[ $((n1 + n2)) = "$compiles" ] ||
	fail "the daemons compiled $n1 + $n2 units, the gate $compiles: $(cat "$T/one.log" "$T/two.log")"
[ "$n1" -gt 0 ] && [ "$n2" -gt 0 ] ||
	fail "one daemon got all the compiles ($n1, $n2): -j was not raised to the 4 slots"
for u in a b c d; do
	grep -q "COMPILE_OK .*/src/src/$u\.c\$" "$T/one.log" "$T/two.log" ||
		fail "no compile of src/$u.c in the daemons' logs"
done
pass "both daemons' logs show the compiles ($n1 + $n2 = $compiles)"

[ ! -s "$T/listener.log" ] ||
	fail "a job reached a local TCP port through distcc's network: $(cat "$T/listener.log")"
pass "the jobs had no network: the probe that reached port $LISTENER_PORT on the host engine did not under bwrap"
[ -z "$(ls -A "$T/tmp")" ] || fail "the relay left behind: $(ls -AR "$T/tmp")"
pass "the relay removed its sockets at exit"

# Ctrl-C while the relay runs: its directory goes with the run.
git clone -q "$T/origin" "$T/int"
cd "$T/int"
TMPDIR=$T/tmp XDG_CACHE_HOME=$T/int-cache "$MKT_GATE" range base..master \
	--config "$T/distcc.conf" --engine bwrap >"$T/int.out" 2>&1 &
pid=$!
for _ in $(seq 100); do [ -n "$(ls -A "$T/tmp")" ] && break; sleep 0.05; done
[ -n "$(ls -A "$T/tmp")" ] || fail "the relay's directory never appeared"
kill -INT "$pid"
rc=0; wait "$pid" || rc=$?
[ "$rc" -ge 128 ] || [ "$rc" -le 1 ] || fail "the interrupted run exited $rc: $(cat "$T/int.out")"
[ -z "$(ls -A "$T/tmp")" ] || fail "Ctrl-C left the relay behind: $(ls -AR "$T/tmp")"
pass "Ctrl-C (exit $rc) removed the relay's sockets too"

# A unit whose object (2 MB) fills distcc's pipes many times over: with
# fallback off, a relay that lost a byte would fail the compile.
mkdir -p "$T/big/src" && cd "$T/big" && git init -q
printf 'cmake_minimum_required(VERSION 3.13)\nproject(big C)\nadd_library(big STATIC src/big.c)\n' \
	> CMakeLists.txt
printf 'int zero(void);\nint zero(void)\n{\n\treturn 0;\n}\n' > src/big.c
printf '[defaults]\nanalyzers = gcc\n' > .mkt-gate.conf
git add -A && git commit -qm base && git tag base
python3 -c 'print("".join("int g%d(int x);\nint g%d(int x)\n{\n\treturn x * %d;\n}\n" % (i, i, i) for i in range(20000)))' >> src/big.c
git commit -qam "big: 20000 functions"
before=$(cat "$T/one.log" "$T/two.log" | grep -c 'COMPILE_OK .*big\.c$' || true)
DISTCC_FALLBACK=0 TMPDIR=$T/tmp XDG_CACHE_HOME=$T/big-cache expect_rc 0 "$MKT_GATE" range \
	base..master --config "$T/distcc.conf" --engine bwrap --json "$T/big.json"
after=$(cat "$T/one.log" "$T/two.log" | grep -c 'COMPILE_OK .*big\.c$' || true)
[ "$after" -gt "$before" ] || fail "big.c was not compiled by a daemon"
[ "$(jget 'r["commits"][0]["verdict"]' "$T/big.json")" = pass ] ||
	fail "the big unit did not pass: $(jget 'r["commits"][0]' "$T/big.json")"
pass "a 2 MB object comes back whole through the relay ($((after - before)) remote compiles)"
