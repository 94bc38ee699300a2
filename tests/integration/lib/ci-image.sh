# ci-image.sh: the packages layer of the CI image for the tests (sourced after podman.sh):
# `mkt-gate image build --ci` of the test packages, kept between runs by a tag that
# names the package lists; tests add the mkt-gate under test on top with --base.

# shellcheck disable=SC2086
CI_IMAGE_KEEP=mkt-gate-ci-test:$(cat "$PODMAN_TEST_PACKAGES" \
	"$MKT_GATE_SRC/containers/image/ci-packages.txt" | md5sum | cut -c1-12)

# Builds $CI_IMAGE_KEEP unless it is there (one builder at a time).
ci_image_keep()
{
	(
		flock 9
		podman image exists "$CI_IMAGE_KEEP" && exit 0
		t0=$(date +%s)
		"$MKT_GATE" image build --ci --offline --packages-file "$PODMAN_TEST_PACKAGES" \
			--name "$CI_IMAGE_KEEP" >"$T/ci-keep.log" 2>&1 || { cat "$T/ci-keep.log"; exit 1; }
		grep -q "image: adding this mkt-gate to the image" "$T/ci-keep.log" || exit 1
		echo "CI image with its packages built in $(( $(date +%s) - t0 )) s"
	) 9>"$PODMAN_LOCK" || fail "image build --ci could not make $CI_IMAGE_KEEP"
}
