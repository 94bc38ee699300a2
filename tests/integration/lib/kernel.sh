# kernel.sh: the shared Linux 6.1 tree and its baseline build for integration tests.
# Source it; it writes only under $MKT_GATE_FIXTURES and never into the tree under test.
#
#   kernel_tree                 unpack Debian's linux-source-6.1 once, as a git
#                               repository whose one commit is tagged 'base';
#                               sets KERNEL_SRC
#   kernel_baseline [BUILD]     tinyconfig + tests/data/kernel/gate-test.config,
#                               olddefconfig and a full build of 'base' in BUILD
#                               (default: $MKT_GATE_FIXTURES/build-gate-test);
#                               sets KERNEL_BUILD
#   kernel_worktree DIR [REV]   a detached worktree of the shared tree, where a
#                               test may commit a series without disturbing others
#
# The first two are cached and idempotent, and safe to call from tests running
# at the same time: each holds a flock while it works. The tree's working copy
# must stay at 'base': tests commit in a worktree of their own.
# shellcheck shell=bash

MKT_GATE_FIXTURES=${MKT_GATE_FIXTURES:-/var/tmp/mkt-gate-fixtures}
KERNEL_SRC=$MKT_GATE_FIXTURES/linux-6.1
KERNEL_TARBALL=${KERNEL_TARBALL:-/usr/src/linux-source-6.1.tar.xz}
KERNEL_ARCH=${KERNEL_ARCH:-x86_64}
KERNEL_JOBS=${KERNEL_JOBS:-2}
KERNEL_PACKAGES="linux-source-6.1 bc flex bison libelf-dev libssl-dev"

kernel__repo_top()
{
	local here
	here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd) || return 1
	echo "${MKT_GATE_SRC:-$here/../../..}"
}

# Installs only what is missing, so a warm machine never calls apt.
kernel__packages()
{
	local p missing=()

	for p in $KERNEL_PACKAGES; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
			grep -q '^install ok installed$' || missing+=("$p")
	done
	[ ${#missing[@]} = 0 ] && return 0
	echo "kernel.sh: installing ${missing[*]}" >&2
	if [ "$(id -u)" != 0 ]; then
		echo "kernel.sh: need root to install ${missing[*]}" >&2
		return 1
	fi
	apt-get update -q >/dev/null &&
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null
}

# Drops Debian's trailing '/*' + '!/debian/' block, which ignores everything.
kernel__fix_gitignore()
{
	local f=$1/.gitignore

	[ -f "$f" ] || return 0
	awk '
		$0 == "/*" { held = $0; next }
		held != "" && $0 == "!/debian/" { held = ""; next }
		held != "" { print held; held = "" }
		{ print }
		END { if (held != "") print held }
	' "$f" >"$f.new" && mv "$f.new" "$f"
}

kernel__unpack()
{
	local tmp=$KERNEL_SRC.tmp.$$ t0=$SECONDS

	# an interrupted unpack leaves its directory behind; we hold the lock
	rm -rf "$KERNEL_SRC".tmp.* && mkdir -p "$tmp" || return 1
	tar -xJf "$KERNEL_TARBALL" -C "$tmp" --strip-components=1 || return 1
	echo "kernel.sh: unpacked in $((SECONDS - t0)) s" >&2
	kernel__fix_gitignore "$tmp" || return 1
	t0=$SECONDS
	(
		cd "$tmp" &&
		git init -q &&
		git config gc.auto 0 &&
		git config user.name 'mkt-gate tests' &&
		git config user.email 'tests@mkt-gate.invalid' &&
		git add -A &&
		GIT_AUTHOR_DATE='2023-01-01T00:00:00Z' \
		GIT_COMMITTER_DATE='2023-01-01T00:00:00Z' \
			git commit -q -m 'Linux 6.1 (Debian linux-source-6.1)' &&
		git tag base
	) || return 1
	echo "kernel.sh: committed in $((SECONDS - t0)) s" >&2
	mv "$tmp" "$KERNEL_SRC"
}

kernel_tree()
{
	mkdir -p "$MKT_GATE_FIXTURES" || return 1
	[ -d "$KERNEL_SRC/.git" ] && return 0
	kernel__packages || return 1
	(
		flock 9 || exit 1
		[ -d "$KERNEL_SRC/.git" ] && exit 0
		kernel__unpack
	) 9>"$MKT_GATE_FIXTURES/linux-6.1.lock"
}

# The stamp records what the build was made from: a changed fragment
# or arch rebuilds it.
kernel__stamp()
{
	local frag=$1

	{
		echo "arch=$KERNEL_ARCH"
		git -C "$KERNEL_SRC" rev-parse base
		cat "$frag"
	} | sha1sum | cut -d' ' -f1
}

kernel__build()
{
	local build=$1 frag=$2 t0=$SECONDS
	local make="make -C $KERNEL_SRC O=$build ARCH=$KERNEL_ARCH"

	{
		$make -s tinyconfig &&
		"$KERNEL_SRC/scripts/kconfig/merge_config.sh" -m -O "$build" \
			"$build/.config" "$frag" &&
		$make -s olddefconfig
	} >"$build/config.log" 2>&1 || {
		tail -20 "$build/config.log" >&2
		return 1
	}
	sed -n 's/^\(CONFIG_[A-Za-z0-9_]*\)=[ym]$/\1/p' "$frag" | while read -r sym; do
		grep -q "^$sym=[ym]$" "$build/.config" ||
			echo "kernel.sh: warning: $sym did not stick" >&2
	done
	$make -s -j"$KERNEL_JOBS" >"$build/baseline.log" 2>&1 || {
		tail -20 "$build/baseline.log" >&2
		return 1
	}
	echo "kernel.sh: baseline built in $((SECONDS - t0)) s" >&2
}

kernel_baseline()
{
	local build=${1:-$MKT_GATE_FIXTURES/build-gate-test}
	local frag stamp

	frag=$(kernel__repo_top)/tests/data/kernel/gate-test.config
	kernel_tree || return 1
	stamp=$(kernel__stamp "$frag") || return 1
	mkdir -p "$build" || return 1
	(
		flock 9 || exit 1
		[ "$(cat "$build/.mkt-gate-baseline" 2>/dev/null)" = "$stamp" ] &&
			exit 0
		rm -f "$build/.mkt-gate-baseline"
		kernel__build "$build" "$frag" || exit 1
		echo "$stamp" >"$build/.mkt-gate-baseline"
	) 9>"$build.lock" || return 1
	# shellcheck disable=SC2034 # for the sourcing test
	KERNEL_BUILD=$(cd "$build" && pwd)
}

kernel_worktree()
{
	local dir=$1 rev=${2:-base}

	kernel_tree || return 1
	(
		flock 9 || exit 1
		git -C "$KERNEL_SRC" worktree prune &&
		git -C "$KERNEL_SRC" worktree add -q --detach "$dir" "$rev"
	) 9>"$MKT_GATE_FIXTURES/linux-6.1.lock"
}
