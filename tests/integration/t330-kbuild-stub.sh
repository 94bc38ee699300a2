#!/bin/bash
# t330-kbuild-stub.sh: the kbuild backend against a stub kernel tree whose make
# prints what each commit's lib/a.c asks it to, in seconds: output make does
# not attribute to an object is an error, never a pass, and a fragment named
# from another place with the same contents reuses the baseline build.
. "$(dirname "$0")/lib/common.sh"

P=$T/linux
mkdir -p "$P/scripts/kconfig" "$P/lib" && cd "$P" && git init -q
cat > Makefile <<'X'
VERSION = 6
PATCHLEVEL = 1
# A stub of kbuild: what mkt-gate asks of make, and no more.
.PHONY: all tinyconfig olddefconfig FORCE
all:
	@mkdir -p $(O)/lib
	@printf 'cmd_lib/a.o := gcc -c\n\nsource_lib/a.o := %s/lib/a.c\n\ndeps_lib/a.o := \\\n\n' \
		$(CURDIR) > $(O)/lib/.a.o.cmd
	@touch $(O)/lib/a.o
	@echo built >> $(O)/baseline-builds
tinyconfig:
	@mkdir -p $(O) && echo CONFIG_STUB=y > $(O)/.config
	@touch /tmp/mkt-gate-t330-escaped 2>/dev/null || true
olddefconfig:
	@true
lib/a.o: FORCE
	@sh scripts/cc.sh $(O)
X
# The compiler prints the '//> ' lines of lib/a.c, then makes the object.
cat > scripts/cc.sh <<'X'
sed -n 's|^//> ||p' lib/a.c
grep -q '^//! fail' lib/a.c && { echo 'lib/a.c:1:1: error: it does not compile'; exit 1; }
touch "$1/lib/a.o"
X
cat > scripts/kconfig/merge_config.sh <<'X'
#!/bin/sh
# merge_config.sh -m -O DIR BASE FRAGMENT...
shift 3
base=$1
shift
cat "$@" >> "$base"
X
chmod +x scripts/kconfig/merge_config.sh
echo 'obj-y += lib/' > Kbuild
echo 'obj-y += a.o' > lib/Makefile
printf '//>   CC      lib/a.o\nint a;\n' > lib/a.c
git add -A && git commit -qm base && git tag base

# branch NAME LINE...: a commit on top of base whose make prints LINEs.
branch()
{
	local name=$1 line
	shift
	git checkout -q base
	printf 'int a;\n' > lib/a.c
	for line in "$@"; do
		printf '//> %s\n' "$line" >> lib/a.c
	done
	git commit -qam "lib: $name" && git tag "$name"
}
branch warn '  CC      lib/a.o' 'lib/a.c:2:5: warning: new here [-Wunused]'
branch quiet
branch stray 'lib/a.h:1:1: warning: before any object [-Wunused]' '  CC      lib/a.o'

mkdir -p "$T/one" "$T/two"
echo CONFIG_ONE=y | tee "$T/one/frag.config" > "$T/two/frag.config"
for n in one two; do
	printf '[defaults]\nkconfig = tinyconfig\nkconfig_fragments = %s/frag.config\n' \
		"$T/$n" > "$T/$n.conf"
done
gate() { "$MKT_GATE" range --analyzers=gcc --build-dir "$T/cache" -v "$@"; }

rm -f /tmp/mkt-gate-t330-escaped
expect_rc 1 gate --config "$T/one.conf" warn --json "$T/w.json"
[ "$(jget "[f['rule'] + '@' + f['file'] for f in r['commits'][0]['checks'][0]['new']]" "$T/w.json")" = \
	"['-Wunused@lib/a.c']" ] || fail "the stub's warning is new"
pass "the stub kernel tree gates a commit"
if command -v bwrap >/dev/null; then
	[ ! -e /tmp/mkt-gate-t330-escaped ] ||
		{ rm -f /tmp/mkt-gate-t330-escaped; fail "make tinyconfig of the gated tree wrote on the host"; }
	pass "configuring the gated tree runs in the sandbox"
fi

# error NAME REASON: the commit's gcc check is an error that says why.
error()
{
	expect_rc 3 gate --config "$T/one.conf" "$1" --json "$T/$1.json"
	[ "$(jget "r['commits'][0]['checks'][0]['status']" "$T/$1.json")" = error ] ||
		fail "$1: gcc is an error"
	expect_in "$(jget "r['commits'][0]['checks'][0]['reason']" "$T/$1.json")" "$2"
}
error quiet "make printed no CC line for lib/a.o"
pass "an object make says nothing about is an error"
error stray "did not attribute to any object, such as 'lib/a.h:1:1: warning: before any object"
pass "a diagnostic outside every object is an error"

expect_rc 1 gate --config "$T/two.conf" warn --json "$T/w2.json"
expect_not_in "$OUT" "configuring"
[ "$(cat "$T"/cache/*/slot-0/kbuild/baseline-builds)" = built ] || fail "one baseline build"
pass "the same fragment from another place reuses the build"

# A configure that fails half-way (a fragment that is not there) has already
# rewritten .config: the next run must configure again, not trust the stamp
# of the configure before it.
printf '[defaults]\nkconfig = tinyconfig\nkconfig_fragments = %s/nosuch.config\n' "$T" > "$T/bad.conf"
rc=0; gate --config "$T/bad.conf" warn > /dev/null 2>&1 || rc=$?
[ "$rc" = 3 ] || fail "a missing fragment: exit $rc, want 3"
expect_rc 1 gate --config "$T/one.conf" warn --json "$T/w3.json"
expect_in "$OUT" "configuring"
grep -q CONFIG_ONE=y "$T"/cache/*/slot-0/kbuild/.config || fail "the fragment is back in .config"
pass "a failed configure is redone on the next run"

# A unit that does not compile after the commit: a new error. One that
# compiled neither before nor after: nothing was checked, an error, never ok.
git checkout -q base
printf 'int a;\n//! fail\n//>   CC      lib/a.o\n' > lib/a.c
git commit -qam "lib: break the build" && git tag broken1
printf 'int a, b;\n//! fail\n//>   CC      lib/a.o\n' > lib/a.c
git commit -qam "lib: still broken" && git tag broken2
expect_rc 1 gate --config "$T/one.conf" broken1 --json "$T/b1.json"
expect_in "$(jget "[f['message'] for f in r['commits'][0]['checks'][0]['new']]" "$T/b1.json")" \
	"it does not compile"
pass "a commit that breaks the build fails with the compiler's error"
expect_rc 3 gate --config "$T/one.conf" broken2 --json "$T/b2.json"
expect_in "$(jget "r['commits'][0]['checks'][0]['reason']" "$T/b2.json")" \
	"lib/a.o does not compile before or after the commit"
pass "an object that compiles neither before nor after is an error"
