#!/bin/bash
# t900-boot-status.sh: boots a tinyconfig kernel under TCG on the host's root
# over 9p; the guest command's exit status comes back (0 and 7), the smoke
# test passes, the boot time is reported and --json validates.
. "$(dirname "$0")/lib/common.sh"
. "$MKT_GATE_SRC/tests/integration/lib/kernel-qemu.sh"

kernel_qemu_ready || fail "cannot install QEMU or build its kernel"
cd "$T" || exit 1
export TMPDIR=$T	# the kept boot directories go with the scratch dir
printf '[qemu]\naccel = tcg\nmemory = 256M\ncpus = 1\n' >"$T/boot.conf"
boot=("$MKT_GATE" boot --config "$T/boot.conf" --kernel "$KERNEL_QEMU_BUILD" --timeout 240)

expect_rc 7 "${boot[@]}" -- sh -c 'echo guest-says-hi; exit 7'
expect_in "$OUT" 'guest-says-hi'
expect_in "$OUT" 'boot: command exited 7'
expect_in "$OUT" 'boot: console log: /'
pass "the guest's exit status 7 comes back"

expect_rc 0 "${boot[@]}" --json "$T/boot.json" -- true
expect_in "$OUT" 'boot: kernel to init in [0-9.]+ s \(tcg\)'
expect_not_in "$OUT" '^boot: (error|warning):'
schema_check "$T/boot.json"
[ "$(jget "r['boot'][0]['exit_code']" "$T/boot.json")" = 0 ] || fail "exit_code in the JSON"
[ "$(jget "r['boot'][0]['status']" "$T/boot.json")" = pass ] || fail "status in the JSON"
[ "$(jget "r['boot'][0]['accel']" "$T/boot.json")" = tcg ] || fail "accel in the JSON"
log=$(jget "r['boot'][0]['log']" "$T/boot.json")
grep -q 'Linux version' "$log" || fail "the console log $log is not kept"
pass "a passing boot: exit 0, boot time, valid JSON, log kept"

expect_rc 0 "$MKT_GATE" boot --config "$T/boot.conf" --kernel \
	"$KERNEL_QEMU_IMAGE" --timeout 240
expect_in "$OUT" 'mkt-gate: smoke test passed'
expect_in "$OUT" 'root=root rootfstype=9p'
pass "the default smoke test passes"

# --shell: the console is ours. Type into the guest's shell once init runs;
# its exit status is the command's.
feed_shell()
{
	for _ in $(seq 600); do
		grep -qs '^# ' "$T"/shell/mkt-gate-boot.*/console.log && break
		sleep 0.2
	done
	printf 'echo shell-says-$((6*7))\n'
	sleep 2
	printf 'exit 4\n'
	sleep 10
}
rc=0
mkdir -p "$T/shell"
feed_shell | TMPDIR=$T/shell timeout 300 "${boot[@]}" --shell > "$T/shell.out" 2>&1 || rc=$?
[ "$rc" = 4 ] || { cat "$T/shell.out"; fail "--shell: want the shell's exit 4, got $rc"; }
expect_in "$(cat "$T/shell.out")" '^shell-says-42'
pass "--shell: an interactive console, and the shell's exit status comes back"
