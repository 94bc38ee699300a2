# podman.sh: sets podman up for the container tests, once per machine: the
# packages, /etc/containers/containers.conf (root under test only) and the
# small test image, built offline by `mkt-gate image build`. Source after common.sh.

# The tag names the package list: a new list builds a new image.
PODMAN_TEST_IMAGE=mkt-gate-test:2
PODMAN_TEST_PACKAGES=$MKT_GATE_SRC/tests/data/containers/test-packages.txt
PODMAN_LOCK=/var/tmp/mkt-gate-podman-test.lock
PODMAN_BUILD_LOG=/var/tmp/mkt-gate-test-image.log

# The settings environment.md gives for podman as root; only the test setup
# writes them, never the product. An existing file is kept as .mkt-gate-backup.
podman_write_conf()
{
	local conf=/etc/containers/containers.conf

	if [ -f "$conf" ] && grep -q 'cgroup_manager = "cgroupfs"' "$conf" &&
	   grep -q 'nofile=1024:1024' "$conf"; then
		return 0
	fi
	mkdir -p /etc/containers
	if [ -f "$conf" ] && [ ! -f "$conf.mkt-gate-backup" ]; then
		cp -p "$conf" "$conf.mkt-gate-backup"
	fi
	cat > "$conf" <<'X'
# Written by the mkt-gate test setup (tests/integration/lib/podman.sh).
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
X
}

# Prints "SKIP: reason" and returns 1 when podman cannot be set up here.
podman_setup()
{
	local missing="" t0

	if [ "$(id -u)" != 0 ]; then
		echo "SKIP: the podman tests run as root (rootless podman is not set up here)"
		return 1
	fi
	command -v podman >/dev/null || missing="$missing podman"
	command -v runc >/dev/null || missing="$missing runc"
	command -v mmdebstrap >/dev/null || missing="$missing mmdebstrap"
	if [ -n "$missing" ] &&
	   ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
		$missing >/var/tmp/mkt-gate-podman-apt.log 2>&1; then
		echo "SKIP: cannot install$missing, see /var/tmp/mkt-gate-podman-apt.log"
		return 1
	fi
	podman_write_conf
	(
		# ctest may run several t5 scripts at once: one builds.
		flock 9
		podman image exists "$PODMAN_TEST_IMAGE" && exit 0
		t0=$(date +%s)
		"$MKT_GATE" image build --offline --name "$PODMAN_TEST_IMAGE" \
			--packages-file "$PODMAN_TEST_PACKAGES" >"$PODMAN_BUILD_LOG" 2>&1 || exit 1
		echo "test image built in $(( $(date +%s) - t0 )) s" >>"$PODMAN_BUILD_LOG"
	) 9>"$PODMAN_LOCK"
	if ! podman image exists "$PODMAN_TEST_IMAGE"; then
		cat "$PODMAN_BUILD_LOG" >&2
		fail "mkt-gate image build could not make $PODMAN_TEST_IMAGE"
	fi
	return 0
}
