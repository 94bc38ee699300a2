#!/bin/bash
# t231-hostile-tree.sh: gated trees are untrusted. Trees git fsck rejects but a
# fetch takes (built here with git plumbing) must not make the scratch-tree
# writer write outside the scratch tree: a symlink 'evil -> /outside' next to
# a folder 'evil/', and a path of '..' folders climbing to /outside.
. "$(dirname "$0")/lib/common.sh"

O=$T/outside
mkdir -p "$O" && echo original > "$O/secret.h"
outside() { (cd "$O" && find . -printf '%p %y %s\n' | sort && cat secret.h); }
before=$(outside)

P=$T/proj
mkdir -p "$P" && cd "$P" && git init -q
printf 'cmake_minimum_required(VERSION 3.10)\nproject(demo C)\nadd_executable(demo a.c)\n' > CMakeLists.txt
printf 'int main(void)\n{\n\treturn 0;\n}\n' > a.c
git add -A && git commit -qm base && git tag base

# mktree NAME=MODE:SHA...: a raw tree object, duplicates and '..' kept.
mktree()
{
	python3 - "$@" <<'PY'
import subprocess, sys
ents = [(a.split('=', 1)[0],) + tuple(a.split('=', 1)[1].split(':')) for a in sys.argv[1:]]
ents.sort(key=lambda e: e[0] + ('/' if e[1] == '40000' else ''))
raw = b''.join(m.encode() + b' ' + n.encode() + b'\0' + bytes.fromhex(s) for n, m, s in ents)
print(subprocess.run(['git', 'hash-object', '-t', 'tree', '-w', '--literally', '--stdin'],
		     input=raw, capture_output=True, check=True).stdout.decode().strip())
PY
}
blob() { printf '%s' "$1" | git hash-object -w --stdin; }
cm=$(git rev-parse base:CMakeLists.txt)
a0=$(git rev-parse base:a.c)
a1=$(blob "$(printf 'int main(void)\n{\n\treturn 1;\n}\n')")

# base -> evil (symlink and folder of the same name) -> child (a.c changes).
pwned=$(mktree secret.h=100644:"$(blob pwned)")
link=$(blob "$O")
evil=$(git commit-tree -p base -m evil "$(mktree CMakeLists.txt=100644:"$cm" a.c=100644:"$a0" \
	evil=120000:"$link" evil=40000:"$pwned")")
child=$(git commit-tree -p "$evil" -m child "$(mktree CMakeLists.txt=100644:"$cm" a.c=100644:"$a1" \
	evil=120000:"$link" evil=40000:"$pwned")")
! git fsck >/dev/null 2>&1 || fail "git fsck takes the hostile tree"

check_outside()
{
	[ "$(outside)" = "$before" ] || fail "$1 wrote outside the scratch tree: $(outside)"
}

for revs in "$evil..$child" "base..$child"; do
	rm -rf "$XDG_CACHE_HOME"
	rc=0; "$MKT_GATE" range "$revs" > "$T/out" 2>&1 || rc=$?
	[ "$rc" -lt 4 ] || { cat "$T/out" >&2; fail "range $revs: exit $rc"; }
	check_outside "range $revs"
done
pass "a symlink next to a folder of the same name: nothing written through it"

# A path of '..' folders that climbs from the scratch tree to $O.
t=$(mktree secret.h=100644:"$(blob pwned)")
IFS=/ read -ra parts <<<"${O#/}"
for ((i = ${#parts[@]} - 1; i >= 0; i--)); do t=$(mktree "${parts[i]}"=40000:"$t"); done
for _ in $(seq 40); do t=$(mktree ..=40000:"$t"); done
climb=$(git commit-tree -p base -m climb "$(mktree CMakeLists.txt=100644:"$cm" a.c=100644:"$a0" ..=40000:"$t")")
child=$(git commit-tree -p "$climb" -m child "$(mktree CMakeLists.txt=100644:"$cm" a.c=100644:"$a1" ..=40000:"$t")")
rm -rf "$XDG_CACHE_HOME"
expect_rc 3 "$MKT_GATE" range "$climb..$child"
expect_in "$OUT" "in the scratch tree: not a safe path"
check_outside "a '..' path"
[ -z "$(find "$XDG_CACHE_HOME" -name secret.h)" ] || fail "a '..' path wrote in the cache: $(find "$XDG_CACHE_HOME" -name secret.h)"
pass "a path of '..' folders is refused (exit 3), nothing written"

# The repository itself is fine afterwards: a normal commit gates as ever.
printf 'int main(void)\n{\n\tint unused;\n\treturn 0;\n}\n' > a.c
git commit -qam "a: unused"
expect_rc 1 "$MKT_GATE" range base..HEAD
pass "a normal commit still gates"
