#!/bin/bash
# t904-boot-image-root.sh: the guest boots on a container image's own root
# filesystem (rootfs = a podman container's mount of the test image, which
# mkt-gate image build made offline) instead of the host's; the command runs
# there and its status comes back, with a clean console.
. "$(dirname "$0")/lib/common.sh"
. "$MKT_GATE_SRC/tests/integration/lib/kernel-qemu.sh"
. "$MKT_GATE_SRC/tests/integration/lib/podman.sh"

kernel_qemu_ready || fail "cannot install QEMU or build its kernel"
podman_setup || exit 0
cid=$(podman create "$PODMAN_TEST_IMAGE" true)
trap 'podman umount "$cid" >/dev/null 2>&1; podman rm -f "$cid" >/dev/null 2>&1; rm -rf "$T"' EXIT
root=$(podman mount "$cid")
# Only the image's root has this file, so the guest can tell which root it got.
touch "$root/mkt-gate-image-root"
printf '[image]\naccel = tcg\nmemory = 256M\ncpus = 1\nrootfs = %s\ntimeout = 240\n' \
	"$root" > "$T/boot.conf"

expect_rc 3 "$MKT_GATE" boot --config "$T/boot.conf" --target image \
	--kernel "$KERNEL_QEMU_BUILD" -- \
	sh -c 'test -e /mkt-gate-image-root && command -v sparse && exit 3'
expect_in "$OUT" '/usr/bin/sparse'
expect_in "$OUT" 'boot: command exited 3'
expect_not_in "$OUT" '^boot: (error|warning):'
pass "a kernel boots on the container image's root and the command's status comes back"
