#!/bin/bash
# t515-recipe.sh: a recipe derives an image from the test image: clones a git
# repository the test makes, copies other_files, builds and installs a tool.
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/podman.sh"

podman_setup || exit 0
IMG=mkt-gate-t515-$$:latest
trap 'podman rmi -f "$IMG" >/dev/null 2>&1; rm -rf "$T"' EXIT

# A tiny C tool in its own repository; the recipe builds the first commit.
R=$T/tool
mkdir -p "$R" && cd "$R" && git init -q
printf '#include <stdio.h>\n#include "greeting.h"\nint main(void)\n{\n\tputs(GREETING);\n\treturn 0;\n}\n' > greet.c
printf 'greet: greet.c\n\t$(CC) -O2 -o $@ greet.c\n' > Makefile
git add -A && git commit -qm tool
commit=$(git rev-parse HEAD)
echo 'broken' > greet.c && git commit -qam "a later commit the recipe must not see"

mkdir -p "$T/recipes/files"
printf '#define GREETING "hello from a recipe"\n' > "$T/recipes/files/greeting.h"
cat > "$T/recipes/greet.recipe" <<X
# A tool the support image lacks.
git_url: file://$R
git_commit: $commit
other_files: files/greeting.h

cp "\$MKT_RECIPE_FILES/greeting.h" .
make greet
install -m 755 greet /usr/local/bin/greet
X

t0=$(date +%s)
expect_rc 0 "$MKT_GATE" image build --base "$PODMAN_TEST_IMAGE" --name "$IMG" \
	--recipe "$T/recipes/greet.recipe"
echo "recipe image built in $(( $(date +%s) - t0 )) s"
expect_in "$OUT" "built '$IMG' from recipe 'greet'"
out=$(podman run --rm --network=none "$IMG" greet)
[ "$out" = "hello from a recipe" ] || fail "the derived image runs greet: got '$out'"
pass "recipe: cloned at git_commit, other_files copied, tool installed in the derived image"

expect_rc 0 "$MKT_GATE" image list
expect_in "$OUT" "mkt-gate-t515-$$"
# (this recipe's containers only: other tests build recipes at the same time)
[ -z "$(podman ps -a --filter name=mkt-gate-recipe-greet- -q)" ] ||
	fail "a recipe container was left behind"
pass "image list shows it; no container left behind"

# A failing script: exit 3, the script's last line, nothing committed.
printf 'git_url: file://%s\ngit_commit: %s\n\necho about to fail\nfalse\n' "$R" "$commit" \
	> "$T/recipes/bad.recipe"
expect_rc 3 "$MKT_GATE" image build --base "$PODMAN_TEST_IMAGE" --name mkt-gate-t515-bad:1 \
	--recipe "$T/recipes/bad.recipe"
expect_in "$OUT" "about to fail"
! podman image exists mkt-gate-t515-bad:1 || fail "a failed recipe committed an image"
expect_rc 2 "$MKT_GATE" image build --base "$PODMAN_TEST_IMAGE" --recipe "$T/recipes/nosuch.recipe"
printf 'git_url: x\n\nmake\n' > "$T/recipes/nocommit.recipe"
expect_rc 2 "$MKT_GATE" image build --base "$PODMAN_TEST_IMAGE" --recipe "$T/recipes/nocommit.recipe"
expect_in "$OUT" "nocommit.recipe: 'git_url' needs a 'git_commit'"
pass "recipe errors: failing script, missing file, bad header"
