#!/bin/bash
# t606-report-from.sh: `report --from r.json --html` shows the same code
# snippets as the run that saved r.json, read from the repository; the
# report file may be given bare; a reader that goes away (| head -1) ends
# report and range quietly, as git does, not with "cannot write".
. "$(dirname "$0")/lib/common.sh"

cd "$T" && git init -q p && cd p
printf 'cmake_minimum_required(VERSION 3.10)\nproject(p C)\nadd_executable(p main.c)\n' >CMakeLists.txt
printf 'int main(void)\n{\n\treturn 0;\n}\n' >main.c
git add -A && git commit -q -m "p: start"
printf 'static int twice(int x)\n{\n\treturn 2 * x;\n}\n\nint main(void)\n{\n\tint unused;\n\n\treturn 0;\n}\n' >main.c
git commit -q -am "p: an unused variable and function"

expect_rc 1 "$MKT_GATE" range -q HEAD~1..HEAD --analyzers gcc --json "$T/r.json" --html "$T/run.html"
snippets() { grep -o '<pre class="code">' "$1" | wc -l; }
want=$(snippets "$T/run.html")
[ "$want" -ge 2 ] || fail "the run's HTML has $want snippets"

expect_rc 0 "$MKT_GATE" report --from "$T/r.json" --html "$T/here.html"
[ "$(snippets "$T/here.html")" = "$want" ] || fail "report --from in the repository: $(snippets "$T/here.html") snippets, want $want"
grep -q '<span class="hit"><i>8</i>	int unused;</span>' "$T/here.html" ||
	fail "the snippet does not mark the finding's line"
(cd "$T" && expect_rc 0 "$MKT_GATE" report "$T/r.json" --html "$T/there.html")
[ "$(snippets "$T/there.html")" = "$want" ] ||
	fail "report outside, from the repository the report names: $(snippets "$T/there.html")"
mv "$T/p" "$T/gone"
(cd "$T" && expect_rc 0 "$MKT_GATE" report "$T/r.json" --html "$T/none.html")
[ "$(snippets "$T/none.html")" = 0 ] || fail "snippets from nowhere"
mv "$T/gone" "$T/p"
pass "report --html keeps the $want code snippets of the run, in the repository or from its path"

# to_gone CMD...: runs CMD with stdout a pipe nobody reads any more.
to_gone()
{
	python3 - "$@" <<'PY'
import os, subprocess, sys
r, w = os.pipe()
os.close(r)
p = subprocess.run(sys.argv[1:], stdout=w, stderr=subprocess.PIPE)
sys.stderr.buffer.write(p.stderr)
sys.exit(p.returncode)
PY
}
expect_rc 141 to_gone "$MKT_GATE" report -v "$T/r.json"
[ -z "$OUT" ] || fail "report into a closed pipe said: $OUT"
expect_rc 141 to_gone "$MKT_GATE" range HEAD~1..HEAD --analyzers gcc
expect_not_in "$OUT" "cannot write|^error|^fatal"
out=$("$MKT_GATE" report -v "$T/r.json" 2>"$T/err" | head -1) || true
[ -n "$out" ] && [ ! -s "$T/err" ] || fail "report | head -1: '$out', stderr: $(cat "$T/err")"
pass "a reader that goes away: a quiet exit 141, as SIGPIPE gives"
