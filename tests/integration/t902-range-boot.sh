#!/bin/bash
# t902-range-boot.sh: range --boot on the real Linux 6.1 tree. The base is
# booted once under TCG on the host's root over 9p, a Documentation-only
# commit is not booted again (same image), and a commit whose initcall
# warns at boot fails the gate with the WARNING as a new `boot` finding.
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/kernel.sh"
. "$(dirname "$0")/lib/kernel-series.sh"
. "$(dirname "$0")/lib/kernel-qemu.sh"

kernel_qemu_tools || fail "cannot install QEMU"
kseries_repo
export TMPDIR=$T	# the kept boot directories go with the scratch dir
cat >>"$KCONF" <<'CONF'

[qemu]
accel = tcg
memory = 256M
cpus = 1
timeout = 240
CONF

kseries_start t902
f=$T/file
kseries_get Documentation/process/howto.rst > "$f"
echo "Booting changes nothing here." >> "$f"
kseries_put Documentation/process/howto.rst "$f"
kseries_commit "Documentation: a change the kernel image does not see"

kseries_get lib/kstrtox.c > "$f"
cat >> "$f" <<'C'

static int __init gate_boot_warn(void)
{
	WARN(1, "mkt-gate test: warning at boot\n");
	return 0;
}
late_initcall(gate_boot_warn);
C
kseries_put lib/kstrtox.c "$f"
kseries_commit "lib/kstrtox: warn at boot"

R=$T/boot.json
rc=0
kseries_gate --analyzers=gcc --boot qemu base..t902 --json "$R" -v > "$T/out" 2>&1 || rc=$?
cat "$T/out"
[ "$rc" = 1 ] || fail "a commit that warns at boot fails the gate: want exit 1, got $rc"
schema_check "$R"

check() { jget "[c for c in r['commits'][$1]['checks'] if c['analyzer'] == 'boot'][0]$2" "$R"; }
[ "$(check 0 "['status']")" = pass ] || fail "the Documentation commit's boot: $(check 0 '')"
expect_in "$(check 0 "['reason']")" "did not change: not booted again"
pass "a commit the kernel image does not see is not booted again"

[ "$(check 1 "['status']")" = fail ] || fail "the warning commit's boot: $(check 1 '')"
[ "$(check 1 "['new'][0]['rule']")" = warning ] || fail "no WARNING finding: $(check 1 '')"
expect_in "$(check 1 "['new'][0]['message']")" "lib/kstrtox.c"
[ "$(jget "r['commits'][1]['verdict']" "$R")" = fail ] || fail "the commit's verdict"
expect_in "$(cat "$T/out")" "WARNING"
pass "a WARNING at boot is a new finding of the commit that brings it"

[ "$(jget "len(r['boot'])" "$R")" = 3 ] || fail "base, commit 1 (same image), commit 2: $(jget "r['boot']" "$R")"
[ "$(jget "r['boot'][0]['status']" "$R")" = pass ] || fail "the base boots cleanly"
[ "$(jget "r['boot'][2]['status']" "$R")" = fail ] || fail "the boot of commit 2"
[ "$(jget "r['boot'][2]['accel']" "$R")" = tcg ] || fail "accel"
log=$(jget "r['boot'][2]['log']" "$R")
grep -q 'mkt-gate test: warning at boot' "$log" || fail "the console log $log is not kept"
pass "every boot is in the report with its console log"

expect_rc 2 kseries_gate --analyzers=gcc --boot no-such-target base..t902
expect_in "$OUT" "no boot target 'no-such-target'"
pass "a missing boot target is a usage error before anything is built"
