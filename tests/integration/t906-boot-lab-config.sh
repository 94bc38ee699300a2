#!/bin/bash
# t906-boot-lab-config.sh: a board's lab from the config, with no kernel booted:
# a misspelt target (boot --target, range --boot) or device name is a usage
# error with a did-you-mean, before QEMU is even asked its version; a target's
# own QEMU (qemu = PATH) is shown by doctor with its version, and a missing or
# broken one names itself (doctor 3, range --boot 3 before any build, boot
# 126); a model the QEMU lacks stops the boot; boot --list says what each
# target needs and whether it is here.
. "$(dirname "$0")/lib/common.sh"

command -v qemu-system-x86_64 >/dev/null || fail "no qemu-system-x86_64: tests/setup.sh installs it"
cd "$T" || exit 1

# A custom QEMU build: the stock one, plus a simulated model of its own. It
# leaves a mark each time it runs, so a test can tell it was never started.
cat >"$T/custom-qemu" <<EOF
#!/bin/sh
echo "\$*" >>"$T/custom-qemu.ran"
if [ "\$*" = "-device help" ]; then
	qemu-system-x86_64 -device help
	echo 'name "mlx5-sim", bus PCI, desc "a simulated ConnectX (custom build)"'
	exit 0
fi
exec qemu-system-x86_64 "\$@"
EOF
printf '#!/bin/sh\necho "Segmentation fault"\nexit 139\n' >"$T/broken-qemu"
chmod +x "$T/custom-qemu" "$T/broken-qemu"

# A fake sysfs with an IOMMU and one PCI device, for the VFIO board.
mkdir -p "$T/sys/kernel/iommu_groups/7/devices" "$T/sys/bus/pci/devices/0000:05:00.0"

cat >"$T/boot.conf" <<EOF
[device.cx6-eth]
device = mlx5-sim,speed=100000
netdev = segment
num_of_vfs = 8

[lab]
accel = tcg
nics = 2
addresses = 10.11.0.1/24 10.11.0.2/24

[cx6]
qemu = $T/custom-qemu
accel = tcg
pci = cx6-eth cx6-eth
num_of_vfs = 6

[cx5-vfio]
accel = kvm
pci = 0000:05:00.0 0000:06:00.0
sysfs_root = $T/sys

[typo]
qemu = $T/custom-qemu
pci = e100e

[too-many-vfs]
pci = cx6-eth
num_of_vfs = 9

[nic-addresses]
nics = 1
addresses = 10.11.0.1/24 10.11.0.2/24

[old-qemu]
accel = tcg
pci = igb

[no-qemu]
qemu = $T/no-such-qemu

[broken-qemu]
qemu = $T/broken-qemu
EOF
boot=("$MKT_GATE" boot --config "$T/boot.conf" --kernel "$T/no-such-bzImage")

expect_rc 2 "${boot[@]}" --target lba -- true
expect_in "$OUT" "error: no boot target 'lba' in the configuration"
expect_in "$OUT" "hint: did you mean 'lab'\? The targets: qemu, lab, cx6, cx5-vfio, typo"
expect_rc 2 "${boot[@]}" --target nothing-like-it -- true
expect_in "$OUT" "hint: the targets: qemu, lab, cx6, .* \(mkt-gate boot --list\)"
pass "boot --target: a misspelt target is a usage error that lists the known ones"

expect_rc 2 "${boot[@]}" --target typo -- true
expect_in "$OUT" "error: \[typo\] pci: 'e100e' is neither a PCI address nor a known device"
expect_in "$OUT" "hint: did you mean 'e1000e'\? The devices: cx6-eth, e1000e, virtio-net, igb"
[ ! -e "$T/custom-qemu.ran" ] || fail "QEMU ran before the device names were checked"
expect_rc 2 "${boot[@]}" --target too-many-vfs -- true
expect_in "$OUT" "num_of_vfs = 9, but device 'cx6-eth' can make 8 VFs"
expect_rc 2 "${boot[@]}" --target nic-addresses -- true
expect_in "$OUT" "\[nic-addresses\] addresses: 2 addresses for 1 NICs"
pass "an unknown device name, too many VFs or addresses: exit 2 before QEMU runs"

# range --boot checks the same before anything is built.
mkdir -p "$T/repo" && (cd "$T/repo" && git init -q && echo x >f && git add f &&
	git commit -qm init)
(cd "$T/repo" && cp "$T/boot.conf" .mkt-gate.conf)
cd "$T/repo" || exit 1
expect_rc 2 "$MKT_GATE" range --boot cx7 HEAD
expect_in "$OUT" "no boot target 'cx7'"
expect_in "$OUT" "did you mean 'cx6'\?"
expect_rc 2 "$MKT_GATE" range --boot typo HEAD
expect_in "$OUT" "did you mean 'e1000e'\?"
[ ! -e "$T/custom-qemu.ran" ] || fail "QEMU ran before the device names were checked"
pass "range --boot: a misspelt target or device is a usage error, with did-you-mean"

expect_rc 3 "$MKT_GATE" range --boot no-qemu HEAD
expect_in "$OUT" "fatal: QEMU '$T/no-such-qemu' is not installed"
expect_rc 3 "$MKT_GATE" range --boot broken-qemu HEAD
expect_in "$OUT" "fatal: QEMU '$T/broken-qemu' does not run"
# A range that runs makes its cache under $XDG_CACHE_HOME first thing.
[ -z "$(ls "$XDG_CACHE_HOME" 2>/dev/null)" ] ||
	fail "range --boot went on to gate before it found QEMU missing"
cd "$T" || exit 1
pass "range --boot: a missing or broken QEMU exits 3 naming it, before any build"

expect_rc 126 "${boot[@]}" --target no-qemu -- true
expect_in "$OUT" "error: QEMU '$T/no-such-qemu' is not installed"
expect_rc 126 "${boot[@]}" --target broken-qemu -- true
expect_in "$OUT" "error: QEMU '$T/broken-qemu' does not run: --version failed: Segmentation fault"
if ! qemu-system-x86_64 -device help | grep -q 'name "igb"'; then
	touch "$T/bzImage"
	expect_rc 126 "$MKT_GATE" boot --config "$T/boot.conf" --kernel "$T/bzImage" \
		--target old-qemu -- true
	expect_in "$OUT" "error: QEMU 'qemu-system-x86_64' has no device model 'igb' \(for \[device.igb\]\)"
	expect_in "$OUT" "hint: a newer or custom QEMU may have it: set qemu = PATH"
fi
pass "boot: a missing or broken QEMU, or a model it lacks, exits 126 naming it"

expect_rc 3 "$MKT_GATE" doctor --config "$T/boot.conf"
expect_in "$OUT" "^\* cx6 +ok +[0-9]+\.[0-9.]+ +$T/custom-qemu$"
expect_in "$OUT" "^  lab +ok +[0-9]+\.[0-9.]+ +qemu-system-x86_64$"
expect_in "$OUT" "^\* no-qemu +missing +- +QEMU '$T/no-such-qemu' is not installed"
expect_in "$OUT" "^\* broken-qemu +missing +- +QEMU '$T/broken-qemu' does not run"
expect_in "$OUT" "error: 2 of the tools the config asks for cannot be used here"
pass "doctor: each target's QEMU and its version; a custom one missing or broken exits 3"

expect_rc 0 "$MKT_GATE" boot --list --config "$T/boot.conf"
printf '%s\n' "$OUT" > "$T/list.out"
block() { sed -n "/^$1: /,/^[^ ]/p" "$T/list.out"; }
expect_in "$(block lab)" "^lab: ready"
expect_in "$(block lab)" "KVM: not used \(accel = tcg\)"
expect_in "$(block lab)" "NICs: 2 on one segment, 2 with an address"
expect_in "$(block cx6)" "^cx6: ready"
expect_in "$(block cx6)" "custom QEMU: $T/custom-qemu, QEMU emulator version"
expect_in "$(block cx6)" "device cx6-eth: in this QEMU"
expect_in "$(block cx5-vfio)" "^cx5-vfio: not ready"
expect_in "$(block cx5-vfio)" "IOMMU: on"
expect_in "$(block cx5-vfio)" "VFIO 0000:05:00.0: present"
expect_in "$(block cx5-vfio)" "VFIO 0000:06:00.0: missing"
expect_in "$(block cx5-vfio)" "KVM: /dev/kvm (opens|does not open)"
expect_in "$(block typo)" "^typo: not ready"
expect_in "$(block typo)" "config: \[typo\] pci: 'e100e' is neither"
expect_in "$(block no-qemu)" "custom QEMU: $T/no-such-qemu, QEMU '$T/no-such-qemu' is not installed"
pass "boot --list: every target with what it needs and whether this machine has it"
