#!/bin/bash
# t605-terminal-escapes.sh: a commit subject holding terminal escapes (clear
# screen, set the window title, BEL) reaches a terminal only as harmless
# text, through the progress line and the summary, on a pseudo-terminal.
. "$(dirname "$0")/lib/common.sh"
command -v script >/dev/null || { echo "skip: script (util-linux) not installed"; exit 0; }

P=$T/proj
mkdir -p "$P" && cd "$P" && git init -q
printf 'cmake_minimum_required(VERSION 3.10)\nproject(demo C)\nadd_executable(demo a.c)\n' > CMakeLists.txt
printf 'int main(void)\n{\n\treturn 0;\n}\n' > a.c
git add -A && git commit -qm base && git tag base
printf 'int f(void);\nint f(void)\n{\n\tint unused;\n\treturn 1;\n}\n' >> a.c
git commit -qam "$(printf 'a: f \033[2J\033]0;owned\007 and a bell\007')"

# raw FILE: the bytes a terminal would get, as escapes python can grep.
hostile() { python3 -c "import sys; d=open(sys.argv[1],'rb').read(); print(d.count(b'\x1b[2J'), d.count(b'\x1b]0;'), d.count(b'\x07'))" "$1"; }
for mode in "" "-v"; do
	rc=0
	TERM=xterm script -qec "$MKT_GATE range $mode base..HEAD" "$T/tty.log" >/dev/null 2>&1 || rc=$?
	[ "$rc" = 1 ] || { cat "$T/tty.log" >&2; fail "range $mode on a terminal: exit $rc, want 1"; }
	grep -q "unused variable 'unused'" "$T/tty.log" || fail "range $mode: no finding shown"
	grep -q "a: f " "$T/tty.log" || fail "range $mode: the subject is not shown at all"
	[ "$(hostile "$T/tty.log")" = "0 0 0" ] ||
		fail "range $mode: raw escapes of the subject reached the terminal (clear, title, BEL: $(hostile "$T/tty.log"))"
done
pass "escapes in a commit subject never reach the terminal raw"

# Not a terminal (CI logs): the same.
rc=0; "$MKT_GATE" range -v base..HEAD > "$T/log" 2>&1 || rc=$?
[ "$rc" = 1 ] || fail "range -v: exit $rc"
[ "$(hostile "$T/log")" = "0 0 0" ] || fail "raw escapes in a CI log: $(hostile "$T/log")"
pass "nor a CI log"

# The hooks print subjects too: the pre-push refusal and 'mkt-gate status'.
git init -q --bare "$T/remote.git"
git remote add origin "$T/remote.git"
git push -q origin base:refs/heads/master
"$MKT_GATE" install >/dev/null
rc=0; TERM=xterm script -qec "git push origin HEAD:refs/heads/master" "$T/push.log" >/dev/null 2>&1 ||
	rc=$?
grep -q "refused the push" "$T/push.log" || { cat "$T/push.log" >&2; fail "the push was not refused"; }
[ "$(hostile "$T/push.log")" = "0 0 0" ] || fail "raw escapes in the pre-push refusal: $(hostile "$T/push.log")"
TERM=xterm script -qec "$MKT_GATE status HEAD" "$T/status.log" >/dev/null 2>&1 || true
grep -q "a: f " "$T/status.log" || { cat "$T/status.log" >&2; fail "status does not show the commit"; }
[ "$(hostile "$T/status.log")" = "0 0 0" ] || fail "raw escapes in 'mkt-gate status': $(hostile "$T/status.log")"
pass "nor the pre-push refusal and 'mkt-gate status'"
