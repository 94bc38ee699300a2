#!/bin/bash
# t516-ci-image.sh: `mkt-gate image build --ci`, offline, makes an image that runs a whole CI
# job: every packaged analyzer and this mkt-gate in it; `podman run IMAGE mkt-gate range`
# on a checkout of another user gates it, as root and as that user, without network.
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/podman.sh"

# A sanitized mkt-gate needs the sanitizers' run-time, which the image lacks.
if grep -qs "MKT_GATE_SANITIZE:BOOL=ON" "${MKT_GATE_BUILD:-/nonexistent}/CMakeCache.txt"; then
	echo "SKIP: a sanitized build cannot run in the CI image"
	exit 0
fi
podman_setup || exit 0
. "$(dirname "$0")/lib/ci-image.sh"
IMG=mkt-gate-t516-$$:latest
trap 'podman rmi -f "$IMG" >/dev/null 2>&1; rm -rf "$T"' EXIT

ci_image_keep
expect_rc 0 "$MKT_GATE" image build --ci --base "$CI_IMAGE_KEEP" --name "$IMG"
expect_in "$OUT" "built image '$IMG': run a job with 'podman run"
pass "image build --ci: the packages offline, then this mkt-gate on top (--base)"

out=$(podman run --rm --network=none "$IMG" sh -c \
	'mkt-gate --version; ls /usr/local/libexec/mkt-gate; mkt-gate doctor' 2>&1) ||
	fail "mkt-gate in the image: $out"
expect_in "$out" "^$("$MKT_GATE" --version)\$"
expect_in "$out" "^mkt-gate-full\$"
for a in gcc clang sparse cppcheck clang-tidy commit-msg; do
	expect_in "$out" "^[ *] $a +ok "
done
pass "the image runs this mkt-gate, and doctor finds gcc, clang, sparse, cppcheck, clang-tidy"

# A small project as a CI job checks it out: owned by the job's user.
. "$(dirname "$0")/lib/container-project.sh"
container_project "$T/proj" /src
chown -R 4321:4321 "$T/proj"

job() {
	podman run --rm --network=none -v "$T/proj:/src" -w /src "$@" "$IMG" \
		mkt-gate range HEAD~1..HEAD --analyzers gcc,clang,sparse,cppcheck,clang-tidy \
		--junit /src/junit.xml
}
expect_rc 1 job
expect_in "$OUT" "main.c:3:[0-9]+: warning: unused variable 'unused' \[-Wunused-variable\] \(gcc\)"
expect_in "$OUT" "main.c:4:[0-9]+: warning: Using plain integer as NULL pointer"
expect_in "$OUT" "main.c:6:[0-9]+: error: Null pointer dereference: p \[nullPointer\]"
expect_in "$OUT" "gcc +1 +0"
expect_in "$OUT" "clang +1 +0"
expect_in "$OUT" "clang-tidy +0 +0 +0 +0"
xmllint --noout "$T/proj/junit.xml" || fail "no JUnit from the job"
pass "as root: the job gates the checkout of another user at /src, no network"

rm "$T/proj/junit.xml"
expect_rc 1 job --user 4321:4321 -e HOME=/tmp
expect_in "$OUT" "main.c:3:[0-9]+: warning: unused variable 'unused'"
[ "$(stat -c %u "$T/proj/junit.xml")" = 4321 ] || fail "the JUnit file is not the job user's"
pass "as the checkout's user (--user): the same verdict, its report files are the user's"

expect_rc 2 "$MKT_GATE" image build --ci --recipe "$T/x.recipe"
expect_in "$OUT" "--ci builds an image of its own"
expect_rc 2 "$MKT_GATE" image list --ci
expect_rc 2 "$MKT_GATE" image build --deb "$T/x.deb"
expect_in "$OUT" "--deb is for the CI image: give --ci too"
pass "--ci with --recipe or list, --deb without --ci: usage errors"
