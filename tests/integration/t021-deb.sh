#!/bin/bash
# t021-deb.sh: cpack makes a .deb of a /usr build whose Depends name the
# Debian package of every library the binary links, with the analyzers and
# bubblewrap recommended, and whose files are the install's, nothing
# test-only; installed with apt in a clean container, its binary finds its
# data, man pages and completion, and gates a small project.
. "$(dirname "$0")/lib/common.sh"
: "${MKT_GATE_BUILD:?MKT_GATE_BUILD must name the build directory}"

# A build of its own for prefix /usr (the binary reads its data from the
# prefix it was built for), kept between runs so that a rerun is quick.
build=$MKT_GATE_BUILD/deb-build
cmake -S "$MKT_GATE_SRC" -B "$build" -DCMAKE_INSTALL_PREFIX=/usr \
	-DMKT_GATE_TESTS=OFF >"$T/cmake.log" 2>&1 || fail "configure: $(tail -5 "$T/cmake.log")"
cmake --build "$build" -j2 >>"$T/cmake.log" 2>&1 || fail "build: $(tail -5 "$T/cmake.log")"
(cd "$build" && cpack -G DEB -B "$T/pkg") >"$T/cpack.log" 2>&1 || fail "cpack: $(cat "$T/cpack.log")"
deb=$(ls "$T"/pkg/mkt-gate_*_*.deb)
[ -f "$deb" ] || fail "no .deb in $T/pkg: $(ls "$T/pkg")"

info=$(dpkg-deb -I "$deb")
field() { sed -n "s/^ $1: //p" <<<"$info" | tr -d ' ' | tr ',' '\n'; }
depends=$(field Depends) recommends=$(field Recommends)
# Each library the binaries need, by the package that holds it here.
for lib in $(objdump -p "$build/mkt-gate" "$build/mkt-gate-full" | awk '/NEEDED/ { print $2 }' | sort -u); do
	path=$(ldconfig -p | awk -v l="$lib" '$1 == l && !p { p = $NF } END { print p }')
	real=$(readlink -f "$path")
	# merged /usr: dpkg knows each file by one of its two names
	pkg=$(for f in "$path" "$real" "${real#/usr}"; do dpkg -S "$f" 2>/dev/null || true; done |
		awk -F: 'NR == 1 { print $1 }')
	[ -n "$pkg" ] || fail "no package holds $lib ($path)"
	grep -qx "$pkg" <<<"$depends" || fail "Depends lacks $pkg (for $lib): $(tr '\n' ' ' <<<"$depends")"
done
for p in libgit2-1.5 libpcre2-8-0 libcurl4 libjansson4 libxml2 git; do
	grep -qx "$p" <<<"$depends" || fail "Depends lacks $p"
done
for p in gcc sparse cppcheck clang-tidy bubblewrap; do
	grep -qx "$p" <<<"$recommends" || fail "Recommends lacks $p"
done
pass "Depends: every linked library's package; Recommends: the analyzers and bubblewrap"

files=$(dpkg-deb -c "$deb" | awk '{ print $NF }')
for f in ./usr/bin/mkt-gate ./usr/libexec/mkt-gate/mkt-gate-full ./usr/share/man/man1/mkt-gate.1 ./usr/share/man/man1/mkt-gate-range.1 \
	./usr/share/man/man1/mkt-gate-init.1 ./usr/share/bash-completion/completions/mkt-gate \
	./usr/share/zsh/vendor-completions/_mkt-gate ./usr/share/mkt-gate/report-v1.schema.json \
	./usr/share/mkt-gate/configs/example-kernel.conf ./usr/share/mkt-gate/configs/kernel/qemu-boot.config \
	./usr/lib/systemd/user/mkt-gate-gerrit-watch@.service; do
	grep -qxF "$f" <<<"$files" || fail "the .deb lacks $f"
done
grep -E 'self-gate|gate-test|/tests/|\.[ch]$|/usr/local' <<<"$files" &&
	fail "the .deb holds test-only or misplaced files"
dpkg-deb -x "$deb" "$T/root"
for b in bin/mkt-gate libexec/mkt-gate/mkt-gate-full; do
	sections=$(readelf -S "$T/root/usr/$b")
	grep -qE '\.(symtab|debug_info)' <<<"$sections" && fail "$b is not stripped"
done
pass "contents: binary, man pages, completions, data under /usr, nothing test-only"

# In a clean container of the test image's Debian: apt resolves the
# dependencies; the binary finds its data, and gates a project.
. "$(dirname "$0")/lib/podman.sh"
podman_setup || exit 0
. "$(dirname "$0")/lib/container-project.sh"
container_project "$T/proj" /proj

# The CI image with mkt-gate from the .deb: on the packages layer, which has
# the .deb's Depends, so dpkg needs no network; it replaces the layer's own.
. "$(dirname "$0")/lib/ci-image.sh"
IMG=mkt-gate-t021-$$:latest
trap 'podman rmi -f "$IMG" >/dev/null 2>&1; rm -rf "$T"' EXIT
ci_image_keep
expect_rc 0 "$MKT_GATE" image build --ci --base "$CI_IMAGE_KEEP" --deb "$deb" --name "$IMG"
expect_in "$OUT" "image: installing the .deb in the image"
out=$(podman run --rm --network=none -v "$T/proj:/proj" -w /proj "$IMG" sh -c \
	'command -v mkt-gate; ls /usr/libexec/mkt-gate; mkt-gate doctor >/dev/null; rc=0
	mkt-gate range HEAD~1..HEAD --analyzers gcc,cppcheck || rc=$?; echo "range exited $rc"' 2>&1) ||
	fail "the CI image from the .deb: $out"
expect_in "$out" "^/usr/bin/mkt-gate$"
expect_in "$out" "^mkt-gate-full$"
expect_in "$out" "main.c:6:[0-9]+: error: Null pointer dereference: p \[nullPointer\]"
expect_in "$out" "^range exited 1$"
pass "image build --ci --deb: the packaged mkt-gate gates the project in the CI image"
cat >"$T/in-container.sh" <<'X'
set -e
apt-get update -q >/tmp/apt.log 2>&1 || { echo "SKIP: no Debian mirror from the container"; exit 0; }
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends /pkg/*.deb >>/tmp/apt.log 2>&1 ||
	{ tail -20 /tmp/apt.log; exit 1; }
git config --global user.email t@example.org && git config --global user.name T
git config --global --add safe.directory /proj
mkt-gate --version
bash -c '. /usr/share/bash-completion/completions/mkt-gate && complete -p mkt-gate'
cd /proj
mkt-gate init
grep -q '^# /usr/share/mkt-gate/configs/example-cmake.conf.$' .mkt-gate.conf
mkt-gate doctor >/tmp/doctor.out || { cat /tmp/doctor.out; exit 1; }
rc=0
mkt-gate range HEAD~1..HEAD --engine host --analyzers gcc || rc=$?
echo "range exited $rc"
X
out=$(timeout 600 podman run --rm --network host -v "$T/pkg:/pkg:ro" -v "$T/proj:/proj" \
	-v "$T/in-container.sh:/t.sh:ro" "$PODMAN_TEST_IMAGE" sh /t.sh 2>&1) ||
	fail "in the container: $out"
if grep -q '^SKIP' <<<"$out"; then
	echo "$out"
	exit 0
fi
expect_in "$out" "^mkt-gate [0-9]"
expect_in "$out" "complete -F _mkt_gate mkt-gate"
expect_in "$out" "^wrote /proj/.mkt-gate.conf for a compile_commands.json project"
expect_in "$out" "main.c:3:[0-9]+: warning: unused variable 'unused'"
expect_in "$out" "^range exited 1$"
pass "apt installs the .deb in a clean container; init, doctor and range work there"
