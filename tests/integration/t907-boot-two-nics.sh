#!/bin/bash
# t907-boot-two-nics.sh: one TCG boot of the test kernel with two NICs
# (nics = 2, their model from a [device.NAME] section of the config) on one
# virtual segment, addresses from the config, booted by the target's own
# qemu = PATH. In the guest: both NICs show in lspci and ip link with
# mkt-gate's MACs and addresses; a ping from one NIC's address to the
# other's is answered locally over lo (the NICs' counters do not move);
# after configs/boot/two-nic-routing.sh the same ping crosses the segment
# (TX and RX move on both NICs, lo stays still). The test runs as the
# target's boot_script from the scratch dir, which the guest's /tmp hides.
. "$(dirname "$0")/lib/common.sh"
. "$MKT_GATE_SRC/tests/integration/lib/kernel-qemu.sh"

kernel_qemu_ready || fail "cannot install QEMU or build its kernel"
command -v ping >/dev/null && command -v lspci >/dev/null ||
	fail "no ping or lspci: tests/setup.sh installs iputils-ping and pciutils"
cd "$T" || exit 1
export TMPDIR=$T	# the kept boot directories go with the scratch dir
# The target's own QEMU (qemu = PATH): the stock one, noting how it was run.
printf '#!/bin/sh\necho "$*" >>"%s/qemu.args"\nexec qemu-system-x86_64 "$@"\n' "$T" \
	>"$T/lab-qemu"
chmod +x "$T/lab-qemu"
cat >"$T/boot.conf" <<'EOF'
# A NIC model of the lab's own: stock e1000e on the target's segment.
[device.lab-nic]
device = e1000e
netdev = segment

[twonic]
accel = tcg
memory = 256M
cpus = 1
timeout = 240
nics = 2
nic_device = lab-nic
addresses = 10.11.0.1/24 10.11.0.2/24
EOF

# The guest's test is the target's boot_script, kept in the scratch dir under
# /tmp, where the guest has a tmpfs of its own: mkt-gate hands its text over.
# The routing script goes in as a here-document, to run it from the guest's /tmp.
routing=$(cat "$MKT_GATE_SRC/configs/boot/two-nic-routing.sh")
printf 'boot_script = %s/guest.sh\nqemu = %s/lab-qemu\n' "$T" "$T" >>"$T/boot.conf"
cat >"$T/guest.sh" <<EOF
set -- \$MKT_GATE_NICS
i1=\$1 i2=\$2
echo "nics: \$MKT_GATE_NICS = \$MKT_GATE_NIC_ADDRESSES"
lspci -nn | grep -i ethernet
ip -o link show
ip -o -4 addr show
for _ in \$(seq 100); do
	[ "\$(cat /sys/class/net/\$i1/operstate)\$(cat /sys/class/net/\$i2/operstate)" = upup ] && break
	sleep 0.2
done
# IPv6 autoconfiguration sends on its own: quiet, so that only the ping counts.
echo 1 >/proc/sys/net/ipv6/conf/all/disable_ipv6 2>/dev/null
sleep 1
c() { cat /sys/class/net/\$1/statistics/\$2; }
snap() { echo \$(c \$i1 tx_packets) \$(c \$i1 rx_packets) \$(c \$i2 tx_packets) \$(c \$i2 rx_packets) \$(c lo tx_packets); }
ping1() { ping -c 3 -i 0.2 -W 3 -I 10.11.0.1 10.11.0.2 >/dev/null 2>&1; echo \$?; }
b=\$(snap); r=\$(ping1); echo "without: \$r \$b \$(snap)"
cat >/tmp/two-nic-routing.sh <<'ROUTING'
$routing
ROUTING
sh /tmp/two-nic-routing.sh || exit 9
b=\$(snap); r=\$(ping1); echo "with: \$r \$b \$(snap)"
ip rule show
EOF

expect_rc 0 "$MKT_GATE" boot --config "$T/boot.conf" --target twonic \
	--kernel "$KERNEL_QEMU_BUILD" --timeout 300
printf '%s\n' "$OUT"
expect_in "$OUT" '^nics: eth0 eth1 = 10.11.0.1/24 10.11.0.2/24'
[ "$(grep -c '82574L' <<<"$OUT")" = 2 ] || fail "lspci does not show two e1000e (82574L)"
expect_in "$OUT" 'eth0: .* link/ether 52:54:00:6b:67:01'
expect_in "$OUT" 'eth1: .* link/ether 52:54:00:6b:67:02'
expect_in "$OUT" 'eth0 +inet 10.11.0.1/24'
expect_in "$OUT" 'eth1 +inet 10.11.0.2/24'
expect_not_in "$OUT" '^boot: (error|warning):'
args=$(grep -- '-kernel' "$T/qemu.args") || fail "the target's qemu did not boot the guest"
expect_in "$args" '-netdev hubport,id=mkt-net0,hubid=0 -device e1000e,netdev=mkt-net0,mac=52:54:00:6b:67:01,addr=0x10'
expect_in "$args" '-netdev hubport,id=mkt-net1,hubid=0 -device e1000e,netdev=mkt-net1,mac=52:54:00:6b:67:02,addr=0x11'
pass "two NICs of a [device.NAME] model on one hub, booted by the target's own QEMU"

# "RC TX1 RX1 TX2 RX2 LO" before, then after the ping: the counters' deltas.
deltas()
{
	local line
	line=$(sed -n "s/^$1: //p" <<<"$OUT" | tr -d '\r')
	[ -n "$line" ] || fail "no '$1:' counters from the guest"
	# shellcheck disable=SC2086 # the numbers, as words
	set -- $line
	echo "$1 $(($7 - $2)) $(($8 - $3)) $(($9 - $4)) $((${10} - $5)) $((${11} - $6))"
}
read -r rc tx1 rx1 tx2 rx2 lo <<<"$(deltas without)"
[ "$rc" = 0 ] || fail "without the routing script the ping fails: $rc"
[ "$tx1$rx1$tx2$rx2" = 0000 ] || fail "without the script the ping touched the NICs: $tx1 $rx1 $tx2 $rx2"
[ "$lo" -ge 6 ] || fail "without the script the ping does not go over lo: $lo"
pass "without the script: the kernel answers locally over lo, the NICs' counters stay"

expect_in "$OUT" 'two-nic-routing.sh: eth0 \(10.11.0.1\) and eth1 \(10.11.0.2\) now reach each other'
expect_in "$OUT" '^100:.*iif eth0 lookup local'
expect_in "$OUT" '^200:.*from 10.11.0.1 lookup 100'
expect_in "$OUT" '^1000:.*lookup local'
read -r rc tx1 rx1 tx2 rx2 lo <<<"$(deltas with)"
[ "$rc" = 0 ] || fail "with the routing script the ping fails: $rc"
[ "$tx1" -ge 3 ] && [ "$rx2" -ge 3 ] || fail "requests did not cross eth0 -> eth1: tx1 $tx1 rx2 $rx2"
[ "$tx2" -ge 3 ] && [ "$rx1" -ge 3 ] || fail "replies did not cross eth1 -> eth0: tx2 $tx2 rx1 $rx1"
[ "$lo" = 0 ] || fail "with the script the ping still went over lo: $lo"
pass "with two-nic-routing.sh: the ping crosses the segment, TX and RX move on both NICs"
