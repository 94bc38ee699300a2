#!/bin/bash
# t500-bwrap.sh: the bwrap engine runs real jobs: a compile and link with only
# the build dir writable, no network, files owned by the invoking user, shared ccache.
. "$(dirname "$0")/lib/common.sh"

RUN=${MKT_GATE_BUILD:?MKT_GATE_BUILD is not set}/tests/test_ctr_run
[ -x "$RUN" ] || fail "$RUN is not built"
if ! command -v bwrap >/dev/null; then
	echo "SKIP: bwrap is not installed (apt-get install bubblewrap)"
	exit 0
fi

# The jobs go through ctr_engine_wrap() in test_ctr_run; these are its cases.
expect_rc 0 env CTR_RUN_ENGINES="host bwrap" "$RUN"
expect_in "$OUT" "PASSED.*4 test"
pass "bwrap: compile, only the build dir writable, no network, shared ccache"

# As an ordinary user the files written must be that user's, not root's.
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	mkdir -m 1777 "$T/nobody"
	expect_rc 0 env TMPDIR="$T/nobody" HOME="$T/nobody" CTR_RUN_ENGINES="host bwrap" \
		setpriv --reuid=65534 --regid=65534 --clear-groups "$RUN"
	expect_in "$OUT" "PASSED.*4 test"
	pass "bwrap as uid 65534: every file written belongs to 65534"
fi

# The shell's own view of the sandbox, with the argv the engine makes.
mkdir -p "$T/ro" "$T/rw"
expect_rc 0 bwrap --ro-bind /usr /usr --symlink usr/lib /lib --symlink usr/lib64 /lib64 \
	--symlink usr/bin /bin --proc /proc --dev /dev --tmpfs /tmp --unshare-all \
	--die-with-parent --ro-bind "$T/ro" "$T/ro" --bind "$T/rw" "$T/rw" -- \
	sh -c "touch $T/rw/ok && ! touch $T/ro/no && ! getent hosts localhost.example"
[ -f "$T/rw/ok" ] && [ ! -e "$T/ro/no" ] || fail "bwrap binds"
pass "bwrap: read-only and writable binds as the engine sets them"
