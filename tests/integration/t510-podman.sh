#!/bin/bash
# t510-podman.sh: the podman engine runs real compile jobs in the test image
# that `mkt-gate image build --offline` made; a missing image says what to do.
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/podman.sh"

RUN=${MKT_GATE_BUILD:?MKT_GATE_BUILD is not set}/tests/test_ctr_run
[ -x "$RUN" ] || fail "$RUN is not built"
podman_setup || exit 0
grep -h "built in" "$PODMAN_BUILD_LOG" 2>/dev/null || true

expect_rc 0 env CTR_RUN_ENGINES=podman CTR_RUN_IMAGE="$PODMAN_TEST_IMAGE" "$RUN"
expect_in "$OUT" "PASSED.*4 test"
pass "podman: compile, only the build dir writable, no network, owner, shared ccache"

expect_rc 0 "$MKT_GATE" image list
expect_in "$OUT" "mkt-gate-test +latest"
pass "image list shows the test image"

# A missing image fails the probe with the way out.
if OUT=$(env CTR_RUN_ENGINES=podman CTR_RUN_IMAGE=mkt-gate-nosuch:1 "$RUN" 2>&1); then
	fail "the podman engine probed fine without its image"
fi
expect_in "$OUT" "image 'mkt-gate-nosuch:1' not found by podman"
expect_in "$OUT" "mkt-gate image build"
pass "a missing image names 'mkt-gate image build'"

expect_rc 2 "$MKT_GATE" image build --engine lxc
expect_in "$OUT" "image engine 'lxc' is neither podman nor docker"
expect_rc 2 "$MKT_GATE" image build --recipe "$T/none.recipe" --base "$PODMAN_TEST_IMAGE"
expect_in "$OUT" "cannot read the recipe"
pass "image build: usage and input errors"
