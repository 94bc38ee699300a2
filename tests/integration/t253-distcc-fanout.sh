#!/bin/bash
# t253-distcc-fanout.sh: [defaults] distcc_hosts sends a header change fanned
# out over a CMake project's units to two real distccd daemons: their logs
# show every compile, and the findings are those of a local run.
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/remote.sh"

command -v distcc >/dev/null || fail "distcc is not installed (tests/setup.sh)"
start_distccd one && P1=$DISTCCD_PORT
start_distccd two && P2=$DISTCCD_PORT
fanout_project "$T/origin"
printf '[defaults]\ndistcc_hosts = 127.0.0.1:%s/2 127.0.0.1:%s/2\n' "$P1" "$P2" > "$T/distcc.conf"

# gate NAME [ARGS]: a clone and a cache of its own, gated with ARGS.
gate()
{
	local name=$1
	shift
	git clone -q "$T/origin" "$T/$name"
	cd "$T/$name"
	XDG_CACHE_HOME=$T/$name-cache expect_rc 1 "$MKT_GATE" range base..master \
		--json "$T/$name.json" "$@"
	schema_check "$T/$name.json"
	findings "$T/$name.json" > "$T/$name.findings"
}

gate local
gate dist --config "$T/distcc.conf"
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
