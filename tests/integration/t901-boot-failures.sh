#!/bin/bash
# t901-boot-failures.sh: a guest that hangs exits 124 and is reported as a
# hang, never a pass; a kernel that panics (init forced to a missing file
# from the command line) exits 125 with the panic as a finding.
. "$(dirname "$0")/lib/common.sh"
. "$MKT_GATE_SRC/tests/integration/lib/kernel-qemu.sh"

kernel_qemu_ready || fail "cannot install QEMU or build its kernel"
cd "$T" || exit 1
export TMPDIR=$T	# the kept boot directories go with the scratch dir
cat >"$T/boot.conf" <<'CONF'
[qemu]
accel = tcg
memory = 256M
cpus = 1

[panics]
accel = tcg
memory = 256M
kernel_args = init=/mkt-gate-no-such-init
CONF

expect_rc 124 "$MKT_GATE" boot --config "$T/boot.conf" --kernel "$KERNEL_QEMU_BUILD" \
	--timeout 20 --json "$T/hang.json" -- sleep 1000
expect_in "$OUT" 'error: the guest hung: no end within 20 s'
schema_check "$T/hang.json"
[ "$(jget "r['boot'][0]['status']" "$T/hang.json")" = fail ] || fail "a hang is not a fail"
[ "$(jget "r['boot'][0]['exit_code']" "$T/hang.json")" = None ] || fail "a hang has an exit code"
[ "$(jget "r['boot'][0]['events'][-1]['kind']" "$T/hang.json")" = hang ] || fail "no hang event"
pass "a hanging guest exits 124 and is reported as a hang"

expect_rc 125 "$MKT_GATE" boot --config "$T/boot.conf" --target panics \
	--kernel "$KERNEL_QEMU_BUILD" --timeout 240 --json "$T/panic.json" -- true
expect_in "$OUT" 'boot: error: Kernel panic - not syncing: .*init.* \[panic\]'
expect_in "$OUT" 'error: boot failure'
schema_check "$T/panic.json"
[ "$(jget "r['series']['new'][0]['rule']" "$T/panic.json")" = panic ] || fail "no panic finding"
pass "a kernel panic exits 125 with the panic as a finding"

expect_rc 126 "$MKT_GATE" boot --config "$T/boot.conf" --kernel "$T/no-such-bzImage" -- true
expect_in "$OUT" "error: cannot read the kernel image"
expect_rc 2 "$MKT_GATE" boot --timeout -3 -- true
pass "a missing kernel exits 126, a bad option 2"
