# kernel-series.sh: a bare, shared clone of the fixture kernel tree in which
# tests write commit series with git plumbing (no 78,000-file checkout), and
# the mkt-gate config that gates it. Source after lib/common.sh and lib/kernel.sh.

# kseries_repo: sets KREPO, a bare clone of $KERNEL_SRC shared by the kernel tests
# (its scratch tree and builds live under $KGATE_CACHE, so they are built once).
kseries_repo()
{
	kernel_tree
	KREPO=$MKT_GATE_FIXTURES/linux-gate.git
	KGATE_CACHE=$MKT_GATE_FIXTURES/gate-cache
	(
		flock 9
		[ -d "$KREPO" ] || git clone -q --bare --shared "$KERNEL_SRC" "$KREPO"
	) 9>"$MKT_GATE_FIXTURES/linux-gate.lock"
	KCONF=$T/kernel-gate.conf
	cat > "$KCONF" <<X
[defaults]
kconfig = tinyconfig
kconfig_fragments = $MKT_GATE_SRC/tests/data/kernel/gate-test.config
arch = x86_64
X
}

# kseries_start BRANCH: the series starts at 'base'; commits go to BRANCH.
kseries_start()
{
	KBRANCH=$1
	KTIP=$(git -C "$KREPO" rev-parse base^{commit})
	export GIT_INDEX_FILE=$T/kseries.index
	git -C "$KREPO" read-tree "$KTIP"
}

# kseries_get PATH: the file as the series has it now, on stdout.
kseries_get()
{
	git -C "$KREPO" cat-file blob "$(git -C "$KREPO" ls-files -s -- "$1" | awk '{print $2}')"
}

# kseries_put PATH FILE: stage FILE's content as PATH.
kseries_put()
{
	local blob
	blob=$(git -C "$KREPO" hash-object -w "$2")
	git -C "$KREPO" update-index --add --cacheinfo "100644,$blob,$1"
}

# kseries_commit SUBJECT: commit what was staged on top of the series.
kseries_commit()
{
	local tree
	tree=$(git -C "$KREPO" write-tree)
	KTIP=$(git -C "$KREPO" commit-tree "$tree" -p "$KTIP" -m "$1" \
		-m "Signed-off-by: Test Author <test@example.org>")
	git -C "$KREPO" update-ref "refs/heads/$KBRANCH" "$KTIP"
}

# kseries_gate ARGS...: mkt-gate range in the kernel repository, as the tests
# run it. One at a time, so that every test gets the scratch slot (and so the
# baseline and boot builds) the others built, instead of a fresh slot.
kseries_gate()
{
	(cd "$KREPO" && flock "$KGATE_CACHE.lock" \
		"$MKT_GATE" range --config "$KCONF" --build-dir "$KGATE_CACHE" "$@")
}

# kseries_standard BRANCH: the series t310 asserts on and the benchmark times:
# a W=1 warning in a .c, a header warning seen through objects whose .c did
# not change, a sparse __user dereference, a Documentation-only commit, a new
# .c wired into a Makefile, and a commit that only moves warnings.
kseries_standard()
{
	local f=$T/file

	kseries_start "$1"
	f=$T/file
	kseries_get lib/kstrtox.c > "$f"
	printf '\nint gate_test_noproto(int x)\n{\n\treturn x + 1;\n}\n' >> "$f"
	kseries_put lib/kstrtox.c "$f"
	kseries_commit "lib/kstrtox: add a helper without a prototype"

	kseries_get lib/kstrtox.h > "$f"
	sed -i 's|^#endif|static inline int gate_test_inline(void)\n{\n\tint unused_in_header;\n\treturn 0;\n}\n#endif|' "$f"
	kseries_put lib/kstrtox.h "$f"
	kseries_commit "lib/kstrtox.h: a warning seen through every object that includes it"

	kseries_get lib/kstrtox.c > "$f"
	printf '\nint gate_test_peek(int __user *p);\nint gate_test_peek(int __user *p)\n{\n\treturn *p;\n}\n' >> "$f"
	kseries_put lib/kstrtox.c "$f"
	kseries_commit "lib/kstrtox: dereference a user pointer"

	kseries_get Documentation/process/howto.rst > "$f"
	echo "A line that builds nothing." >> "$f"
	kseries_put Documentation/process/howto.rst "$f"
	kseries_commit "Documentation: a change that builds nothing"

	printf '// SPDX-License-Identifier: GPL-2.0\nint gate_new_fn(void);\nint gate_new_fn(void)\n{\n\tint unused_new;\n\treturn 0;\n}\n' > "$f"
	kseries_put lib/gate_new.c "$f"
	kseries_get lib/Makefile > "$f"
	printf 'obj-y += gate_new.o\n' >> "$f"
	kseries_put lib/Makefile "$f"
	kseries_commit "lib: a new file wired into the Makefile"

	kseries_get lib/kstrtox.c > "$f"
	sed -i '0,/^#include/s//\/* one *\/\n\/* two *\/\n\/* three *\/\n#include/' "$f"
	kseries_put lib/kstrtox.c "$f"
	kseries_commit "lib/kstrtox: move the old warnings down"
}

# kseries_rebase BRANCH: BRANCH-newbase, 'base' with an unrelated change
# (kernel/fork.c, which the series' objects do not read, and README; new
# content every call; KSERIES_UNRELATED names other files), and
# BRANCH-rebased, the series base..BRANCH replayed on it with git plumbing,
# as `git rebase` would make it.
kseries_rebase()
{
	local newbase tip f c stamp
	local G=(git -C "$KREPO")

	stamp=$(date +%s%N)
	export GIT_INDEX_FILE=$T/kseries-rebase.index
	"${G[@]}" read-tree base
	for f in ${KSERIES_UNRELATED:-kernel/fork.c README}; do
		{ "${G[@]}" cat-file blob "base:$f"; printf '\n/* upstream moved on: %s */\n' "$stamp"; } > "$T/kseries-f"
		"${G[@]}" update-index --cacheinfo "100644,$("${G[@]}" hash-object -w "$T/kseries-f"),$f"
	done
	newbase=$("${G[@]}" commit-tree "$("${G[@]}" write-tree)" -p base -m "upstream: unrelated changes")
	tip=$newbase
	for c in $("${G[@]}" rev-list --reverse "base..$1"); do
		"${G[@]}" read-tree "$c"
		for f in ${KSERIES_UNRELATED:-kernel/fork.c README}; do
			"${G[@]}" update-index --cacheinfo "100644,$("${G[@]}" rev-parse "$newbase:$f"),$f"
		done
		tip=$("${G[@]}" commit-tree "$("${G[@]}" write-tree)" -p "$tip" -m "$("${G[@]}" log -1 --format=%B "$c")")
	done
	unset GIT_INDEX_FILE
	"${G[@]}" update-ref "refs/heads/$1-newbase" "$newbase"
	"${G[@]}" update-ref "refs/heads/$1-rebased" "$tip"
}
