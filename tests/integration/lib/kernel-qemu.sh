# kernel-qemu.sh: a small x86_64 kernel that boots under QEMU on a 9p root,
# built once from the shared Linux 6.1 tree. Sources kernel.sh.
#
#   kernel_qemu_ready           both below, or fails
#   kernel_qemu_build [BUILD]   tinyconfig + configs/kernel/qemu-boot.config,
#                               olddefconfig and a bzImage build of 'base' in
#                               BUILD (default: $MKT_GATE_FIXTURES/build-qemu-
#                               STAMP, one directory per fragment, so trees
#                               with different fragments do not rebuild each
#                               other's kernel);
#                               sets KERNEL_QEMU_BUILD and KERNEL_QEMU_IMAGE
#   kernel_qemu_tools           installs qemu-system-x86 only when missing
#
# Cached and idempotent like kernel_baseline: a flock guards the build, a
# stamp of arch, base commit and fragment decides whether to rebuild.
# shellcheck shell=bash

# shellcheck source=kernel.sh
. "$(dirname "${BASH_SOURCE[0]}")/kernel.sh"

kernel_qemu_build()
{
	local build=${1:-} frag stamp

	frag=$(kernel__repo_top)/configs/kernel/qemu-boot.config
	kernel_tree || return 1
	stamp=$(kernel__stamp "$frag") || return 1
	[ -n "$build" ] || build=$MKT_GATE_FIXTURES/build-qemu-${stamp:0:12}
	mkdir -p "$build" || return 1
	(
		flock 9 || exit 1
		[ "$(cat "$build/.mkt-gate-qemu" 2>/dev/null)" = "$stamp" ] &&
			[ -f "$build/arch/x86/boot/bzImage" ] && exit 0
		rm -f "$build/.mkt-gate-qemu"
		kernel__build "$build" "$frag" || exit 1
		echo "$stamp" >"$build/.mkt-gate-qemu"
	) 9>"$build.lock" || return 1
	KERNEL_QEMU_BUILD=$(cd "$build" && pwd)
	# shellcheck disable=SC2034 # for the sourcing test
	KERNEL_QEMU_IMAGE=$KERNEL_QEMU_BUILD/arch/x86/boot/bzImage
}

kernel_qemu_tools()
{
	command -v qemu-system-x86_64 >/dev/null && return 0
	if [ "$(id -u)" != 0 ]; then
		echo "kernel-qemu.sh: need root to install qemu-system-x86" >&2
		return 1
	fi
	echo "kernel-qemu.sh: installing qemu-system-x86" >&2
	apt-get update -q >/dev/null &&
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
			--no-install-recommends qemu-system-x86 >/dev/null
}

kernel_qemu_ready()
{
	kernel_qemu_tools || return 1
	kernel_qemu_build
}
