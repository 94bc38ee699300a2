#!/bin/bash
# t254-distcc-jobs.sh: -j rises to the slots of [defaults] distcc_hosts, so a
# fan-out keeps more compiles in flight than the machine has CPUs, through the
# relay of bwrap jobs without a network; an explicit -j still wins.
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/remote.sh"

command -v distcc >/dev/null || fail "distcc is not installed (tests/setup.sh)"
command -v bwrap >/dev/null || fail "bwrap is not installed (tests/setup.sh)"
cpus=$(nproc)
slots=$((cpus + 4))
FANOUT_UNITS="a b c d e f g h i j k l" fanout_project "$T/origin"

# gate NAME [ARGS]: a fresh daemon of $slots jobs, a clone and a cache of its own.
gate()
{
	local name=$1
	shift
	start_distccd "$name" "$slots"
	printf '[defaults]\ndistcc_hosts = 127.0.0.1:%s/%s\n' "$DISTCCD_PORT" "$slots" \
		> "$T/$name.conf"
	git clone -q "$T/origin" "$T/$name"
	cd "$T/$name"
	XDG_CACHE_HOME=$T/$name-cache expect_rc 1 "$MKT_GATE" range base..master \
		--engine bwrap --config "$T/$name.conf" --json "$T/$name.json" "$@"
	[ "$(grep -c COMPILE_OK "$T/$name.log")" = "$(jget 'r["ccache"]["misses"]' "$T/$name.json")" ] ||
		fail "not every compile went to the daemon"
}

gate raised
most=$(max_overlap "$T/raised.log")
[ "$most" -gt "$cpus" ] ||
	fail "at most $most compiles at once on $slots slots with $cpus CPUs: -j was not raised"
pass "-j follows the $slots distcc slots: $most compiles at once with $cpus CPUs"

gate pinned -j 2
most=$(max_overlap "$T/pinned.log")
[ "$most" -le 2 ] || fail "$most compiles at once with -j 2"
pass "-j 2 on the command line still wins ($most at once)"
