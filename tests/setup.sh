#!/bin/bash
# setup.sh: installs what mkt-gate needs to build and what its tests drive
# (Debian 12 / Ubuntu), once. Safe to run again: apt skips what is there.
set -euo pipefail

PACKAGES=(
	# build
	build-essential cmake pkg-config git
	libgit2-dev libpcre2-dev libcurl4-openssl-dev libjansson-dev libxml2-dev
	# tests
	libcmocka-dev libxml2-utils python3 python3-jsonschema
	# the shipped .gitlab-ci.yml is read as GitLab reads it
	python3-yaml
	# a JUnit reader, as CI tools read our JUnit (t601)
	python3-junitparser
	# analyzers and engines the tests run for real
	gcc clang lld llvm sparse cppcheck clang-tidy ccache bubblewrap
	# a shared remote ccache and distributed compiles, run for real by t250-t256
	redis-server distcc
	# the generic projects the tests build: CMake (above), Meson, make
	# through bear, autotools
	ninja-build meson bear autoconf automake
	# container engines and the offline support image
	podman runc mmdebstrap
	# booting the built kernel; the guest's sshd and ip come from this root
	qemu-system-x86 openssh-server openssh-client iproute2
	# the two-NIC guest test pings across its segment and lists its devices
	iputils-ping pciutils
	# the real kernel tree of the kernel tests, and what building it needs
	linux-source-6.1 bc flex bison libelf-dev libssl-dev
	# the HTML report is rendered in a real browser
	chromium
	# the installed man pages and completions are read as users read them,
	# and the .deb is inspected
	man-db groff-base zsh
)

if [ "$(id -u)" != 0 ]; then
	SUDO=sudo
else
	SUDO=
fi

missing=()
for p in "${PACKAGES[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "setup: installing ${missing[*]}"
	$SUDO apt-get update -q
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		--no-install-recommends "${missing[@]}"
fi
if ! command -v npm >/dev/null 2>&1; then
	echo "setup: npm not found; installing Debian's nodejs and npm"
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q npm
fi
echo "setup: all dependencies present"
