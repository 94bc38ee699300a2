#!/bin/bash
# t517-ci-image-steps.sh: what `image build --ci` asks of the engine, seen by a stand-in
# podman: the Containerfile gets the support and the CI package lists as one, then a recipe
# adds this mkt-gate (both binaries, the configs) or the --deb; no registry needed.
. "$(dirname "$0")/lib/common.sh"

mkdir -p "$T/bin" "$T/seen"
cat >"$T/bin/podman" <<'X'
#!/bin/bash
# A stand-in podman: every image exists; build and run keep what they were given.
echo "$*" >>"$SEEN/log"
case $1 in
build)
	cp Containerfile packages.txt "$SEEN/" ;;
run)
	for a; do
		case $a in */build.sh) cp "$a" "$SEEN/recipe.sh"; cp -r "${a%/build.sh}/files" "$SEEN/" ;; esac
	done ;;
esac
exit 0
X
chmod +x "$T/bin/podman"
export PATH="$T/bin:$PATH" SEEN="$T/seen"

expect_rc 0 "$MKT_GATE" image build --ci --engine podman
expect_in "$OUT" "built image 'mkt-gate-ci:latest'"
grep -q "^build -t mkt-gate-ci:latest -f Containerfile \.$" "$T/seen/log" || fail "build: $(cat "$T/seen/log")"
grep -q "^run --name mkt-gate-recipe-mkt-gate-[0-9]* --pull=never --network=none .* mkt-gate-ci:latest sh -e " \
	"$T/seen/log" || fail "run: $(cat "$T/seen/log")"
grep -q "^commit mkt-gate-recipe-mkt-gate-[0-9]* mkt-gate-ci:latest$" "$T/seen/log" || fail "commit: $(cat "$T/seen/log")"
want=$(sed 's/#.*//' "$MKT_GATE_SRC/containers/image/packages.txt" \
	"$MKT_GATE_SRC/containers/image/ci-packages.txt" | tr -s ' \n' '\n' | grep . | sort -u)
[ "$want" = "$(sort -u "$T/seen/packages.txt")" ] ||
	fail "the Containerfile's packages: $(diff <(echo "$want") <(sort -u "$T/seen/packages.txt"))"
pass "Containerfile build with packages.txt and ci-packages.txt as one list, then a recipe, committed"

cmp "$MKT_GATE" "$T/seen/files/mkt-gate" || fail "the image gets another mkt-gate"
cmp "$(dirname "$MKT_GATE")/mkt-gate-full" "$T/seen/files/mkt-gate-full" || fail "the image gets another mkt-gate-full"
configs=$(tar -tf "$T/seen/files/configs.tar")
expect_in "$configs" "^\./example-cmake\.conf$"
expect_in "$configs" "^\./kernel/qemu-boot\.config$"
expect_not_in "$configs" "\.cmake$"
expect_in "$(cat "$T/seen/recipe.sh")" "/usr/local/libexec/mkt-gate/mkt-gate-full"
expect_in "$(cat "$T/seen/recipe.sh")" "^mkt-gate help >/dev/null$"
pass "the recipe gets both binaries and the configs, and runs mkt-gate in the image"

rm -rf "$T/seen"/*
echo "not really a package" >"$T/mkt-gate_1_amd64.deb"
expect_rc 0 "$MKT_GATE" image build --ci --engine podman --base my-image:1 --deb "$T/mkt-gate_1_amd64.deb" \
	--name my-ci:1
! grep -q "^build" "$T/seen/log" || fail "--base built an image: $(cat "$T/seen/log")"
grep -q "^run .* my-image:1 sh -e " "$T/seen/log" || fail "run: $(cat "$T/seen/log")"
grep -q "^commit mkt-gate-recipe-mkt-gate-[0-9]* my-ci:1$" "$T/seen/log" || fail "commit: $(cat "$T/seen/log")"
[ "$(ls "$T/seen/files")" = mkt-gate.deb ] || fail "files for --deb: $(ls "$T/seen/files")"
expect_in "$(cat "$T/seen/recipe.sh")" '^dpkg -i "\$MKT_RECIPE_FILES/mkt-gate.deb"$'
pass "--base and --deb: only the recipe, on that image, with the package"
