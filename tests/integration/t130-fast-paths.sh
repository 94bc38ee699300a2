#!/usr/bin/env bash
# t130-fast-paths.sh: --version, the post-commit hook and a pre-push with nothing new run
# without loading libgit2, libcurl, libxml2 or pcre2 (seen by the dynamic loader), the
# other commands still have them, and a `mkt-gate` without its mkt-gate-full says so.
set -euo pipefail
. "$MKT_GATE_SRC/tests/data/hooks/lib.sh"

HEAVY='file=lib(git2|curl|xml2|pcre2-8)\.so'

# loaded NAME CMD...: runs CMD with the loader's trace of every process in
# $T/ld/NAME.<pid>, its output dropped; prints the libraries mkt-gate asked for.
loaded() {
	local name=$1
	shift
	mkdir -p "$T/ld"
	LD_DEBUG=files LD_DEBUG_OUTPUT="$T/ld/$name" "$@" >/dev/null
	cat "$T/ld/$name".* | grep -E "needed by [^ ]*/mkt-gate \\[0\\]" | sed 's/^ *[0-9]*:\t*//' || true
}

libs=$(loaded version "$MKT_GATE" --version)
expect_in "$libs" "libjansson"
expect_not_in "$libs" "$HEAVY"
libs=$(loaded help "$MKT_GATE" help)
expect_in "$libs" "file=libgit2\.so"
expect_in "$libs" "file=libcurl\.so"
pass "--version loads no heavy library; 'help' (mkt-gate-full) has them all"

new_repo "$T/repo"
cd "$T/repo"
use_fake_gate "$T/gate.log"
export MKT_GATE_HOOK_DEBOUNCE_MS=0
"$MKT_GATE" install >/dev/null
echo 'int a(void) { return 0; }' >a.c
git add a.c
libs=$(loaded commit git commit -qm "add a")
wait_for "finished: $(git rev-parse --short=12 HEAD)" "$MKT_GATE" status
[ "$(wc -l <"$T/gate.log")" = 1 ] || fail "the background check did not run: $(cat "$T/gate.log")"
# The background run's own trace is complete once it has finished.
libs+=$'\n'$(cat "$T/ld/commit".* | grep -E "needed by [^ ]*/mkt-gate \\[0\\]" || true)
expect_in "$libs" "libjansson"
expect_not_in "$libs" "$HEAVY"
pass "the post-commit hook and its background runner load no heavy library"

: >"$T/gate.log"
libs=$(loaded push git push -q origin master 2>"$T/err") || fail "push: $(cat "$T/err")"
[ ! -s "$T/gate.log" ] || fail "pre-push gated a commit with a stored result"
expect_in "$libs" "libjansson"
expect_not_in "$libs" "$HEAVY"
git checkout -q -b topic
libs=$(loaded push-new git push -q origin topic 2>"$T/err") || fail "push: $(cat "$T/err")"
expect_in "$libs" "libjansson"
expect_not_in "$libs" "$HEAVY"
pass "a pre-push with nothing new to gate loads no heavy library"

# The hooks record `mkt-gate`, never the full binary it execs.
"$MKT_GATE" install --force >/dev/null
grep -qF "MKT_GATE_BIN='$MKT_GATE'" .git/hooks/post-commit || fail "hook records: $(grep BIN= .git/hooks/post-commit)"
pass "installed hooks run mkt-gate itself"

mkdir -p "$T/alone"
cp "$MKT_GATE" "$T/alone/mkt-gate"
expect_rc 0 "$T/alone/mkt-gate" --version
prefix=$(sed -n 's/^CMAKE_INSTALL_PREFIX:PATH=//p' "${MKT_GATE_BUILD:-.}/CMakeCache.txt" 2>/dev/null)
if [ -x "${prefix:-/usr/local}/libexec/mkt-gate/mkt-gate-full" ]; then
	pass "(an installed mkt-gate-full: a copy of mkt-gate alone runs it; not checked)"
	exit 0
fi
expect_rc 3 "$T/alone/mkt-gate" doctor
expect_in "$OUT" "fatal: cannot find mkt-gate-full next to '$T/alone/mkt-gate', in ../libexec/mkt-gate or in '/"
pass "mkt-gate without mkt-gate-full answers --version and says what is missing"
