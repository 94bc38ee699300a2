# checkpatch.sh: checkpatch.pl (with spelling.txt and const_structs.checkpatch) taken
# from Debian's linux-source-6.1 once and cached; for tests of generic projects.
#
#   checkpatch_fixture    extracts the three files under
#                         $MKT_GATE_FIXTURES/checkpatch-6.1/scripts if they are not
#                         there yet; sets CHECKPATCH_PL to the script
#
# Safe to call from tests running at the same time: it holds a flock while it
# works, and the files appear by rename, complete or not at all.
# shellcheck shell=bash

MKT_GATE_FIXTURES=${MKT_GATE_FIXTURES:-/var/tmp/mkt-gate-fixtures}
KERNEL_TARBALL=${KERNEL_TARBALL:-/usr/src/linux-source-6.1.tar.xz}
CHECKPATCH_DIR=$MKT_GATE_FIXTURES/checkpatch-6.1

checkpatch_fixture()
{
	local tmp files=(scripts/checkpatch.pl scripts/spelling.txt scripts/const_structs.checkpatch)

	CHECKPATCH_PL=$CHECKPATCH_DIR/scripts/checkpatch.pl
	[ -f "$CHECKPATCH_PL" ] && return 0
	[ -f "$KERNEL_TARBALL" ] || {
		echo "checkpatch.sh: no $KERNEL_TARBALL; apt-get install linux-source-6.1" >&2
		return 1
	}
	mkdir -p "$MKT_GATE_FIXTURES" || return 1
	(
		flock 9
		[ -f "$CHECKPATCH_PL" ] && exit 0
		tmp=$(mktemp -d "$MKT_GATE_FIXTURES/checkpatch.XXXXXX") && chmod 755 "$tmp" || exit 1
		tar -xJf "$KERNEL_TARBALL" -C "$tmp" --strip-components=1 \
			"${files[@]/#/linux-source-6.1/}" &&
			rm -rf "$CHECKPATCH_DIR" && mv "$tmp" "$CHECKPATCH_DIR" ||
			{ rm -rf "$tmp"; exit 1; }
	) 9>"$MKT_GATE_FIXTURES/.checkpatch.lock"
}
