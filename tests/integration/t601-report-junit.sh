#!/bin/bash
# t601-report-junit.sh: the JUnit output validates against junit-10.xsd and
# is read by real consumers (junitparser, xunit-viewer) with the counts of
# the sample and of a real run; a suite per commit named by its short sha
# and subject, each testcase's class is its analyzer, each (class, name) is
# unique, as Jenkins wants, and no absolute scratch path is left anywhere.
set -euo pipefail

. "$(dirname "$0")/lib/npm-tools.sh"
. "$(dirname "$0")/lib/common.sh"
sample="$MKT_GATE_SRC/tests/data/reports/sample.json"

"$MKT_GATE" report --from "$sample" --junit "$T/r.xml"
xmllint --noout --schema "$JUNIT_XSD" "$T/r.xml"
grep -q '<testcase name="gcc on a1b2c3d4e5f6 net: fix refcount leak in &lt;script&gt;.*" classname="gcc"' \
	"$T/r.xml" || fail "classname and name: $(grep -m1 '<testcase' "$T/r.xml")"
python3 - "$T/r.xml" <<'PY' || fail "testcases Jenkins cannot tell apart"
import sys, xml.etree.ElementTree as ET
cases = [(c.get("classname"), c.get("name")) for c in ET.parse(sys.argv[1]).iter("testcase")]
assert len(cases) == len(set(cases)), cases
assert all("." not in k for k, _ in cases), cases
PY
grep -q '<skipped message="smatch is not installed' "$T/r.xml" || fail skipped
grep -q 'message="2 new findings"' "$T/r.xml" || fail "failure message"
grep -q '&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quoted&quot;' "$T/r.xml" ||
	fail "subject not escaped"
LC_ALL=C grep -q $'[\001\007\033]' "$T/r.xml" && fail "control byte in XML"

# Absolute paths of the scratch tree become relative to the repository.
python3 - "$sample" "$T/abs.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
c = r["commits"][0]["checks"][0]
c["output"] = c["output"].replace("net/core/dev.c", "/home/ci/.cache/mkt-gate/linux-0a1b/slot-0/src/net/core/dev.c")
json.dump(r, open(sys.argv[2], "w"))
PY
"$MKT_GATE" report --from "$T/abs.json" --junit "$T/abs.xml"
grep -q "^net/core/dev.c:1042:13: .*warning: .*unused variable 'ret'" "$T/abs.xml" ||
	fail "system-out lost the relative path: $(grep -A3 '<system-out' "$T/abs.xml" | head -5)"
grep -q "slot-0" "$T/abs.xml" && fail "an absolute scratch path is left: $(grep slot-0 "$T/abs.xml")"
pass "scratch paths made relative in system-out"

# A real run: what a Jenkins job publishes, read by a JUnit library.
P=$T/proj
mkdir -p "$P" && cd "$P" && git init -q
printf 'cmake_minimum_required(VERSION 3.10)\nproject(j C)\nadd_executable(j a.c)\n' >CMakeLists.txt
printf 'int main(void)\n{\n\treturn 0;\n}\n' >a.c
git add -A && git commit -qm base && git tag base
sed -i 's/\treturn 0;/\tint unused;\n\treturn 0;/' a.c
git commit -qam "a: add an unused variable"
echo docs >README && git add README && git commit -qm "README: say hello"
# A reason that names the scratch tree, as a failed configure step does
rc=0
"$MKT_GATE" range base..HEAD --analyzers gcc --junit "$T/run.xml" --json "$T/run.json" \
	>/dev/null 2>&1 || rc=$?
[ "$rc" = 1 ] || fail "real run exited $rc"
xmllint --noout --schema "$JUNIT_XSD" "$T/run.xml"
python3 - "$T/run.json" "$T/run-err.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
c = r["commits"][0]["checks"][0]
scratch = c["output"].split("a.c: In function")[0].split("\n")[-1]
assert "/slot-" in scratch, c["output"]
c["status"] = "error"
c["reason"] = "configure failed in " + scratch.replace("/src/", "/build") + ": see " + scratch + "CMakeLists.txt"
json.dump(r, open(sys.argv[2], "w"))
PY
"$MKT_GATE" report --from "$T/run-err.json" --junit "$T/run-err.xml"
for f in run run-err; do
	grep -nE "/slot-[0-9]|$T|$HOME|\.cache/mkt-gate" "$T/$f.xml" &&
		fail "$f.xml holds an absolute scratch path"
done
grep -q 'message="configure failed in &lt;build&gt;: see CMakeLists.txt"' "$T/run-err.xml" ||
	fail "scratch paths in a reason: $(grep -m1 '<error' "$T/run-err.xml")"
# Debian's python3-junitparser is for Debian's python, whatever python3 PATH has
if /usr/bin/python3 -c 'import junitparser' 2>/dev/null; then
	/usr/bin/python3 - "$T/run.xml" "$(git rev-parse --short=12 HEAD~1)" "$(git rev-parse --short=12 HEAD)" <<'PY' ||
import sys
from junitparser import JUnitXml, Failure
xml = JUnitXml.fromfile(sys.argv[1])
suites = {s.name: s for s in xml}
warn, readme = sys.argv[2] + " a: add an unused variable", sys.argv[3] + " README: say hello"
assert sorted(suites) == sorted([warn, readme]), list(suites)
cases = list(suites[warn])
assert [c.classname for c in cases] == ["gcc"], [c.classname for c in cases]
failures = [r for r in cases[0].result if isinstance(r, Failure)]
assert failures and failures[0].message == "1 new finding", cases[0].result
text = failures[0].text
assert text.strip() == "a.c:3:13: warning: unused variable 'unused' [-Wunused-variable] (gcc)", text
out = cases[0].system_out
assert out and "a.c:3:13: warning: unused variable" in out and "/" not in out.split("a.c")[0], out
assert xml.tests == 2 and xml.failures == 1, (xml.tests, xml.failures)
PY
		fail "junitparser reads the real run otherwise"
	pass "junitparser reads suites by commit, cases by analyzer"
else
	echo "SKIP: python3-junitparser is not installed (tests/setup.sh installs it)"
fi
cd "$T"

# Hostile text: every control byte and quote in every field
python3 - "$sample" "$T/hostile.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
nasty = "".join(chr(c) for c in range(1, 32)) + "\x7f\x85\ufffe]]><!-- & \"'"
c = r["commits"][0]
c["subject"] += nasty
c["checks"][0]["output"] += nasty * 3
c["checks"][0]["analyzer"] += nasty
c["checks"][0]["new"][0]["message"] += nasty
c["checks"][3]["reason"] += nasty
json.dump(r, open(sys.argv[2], "w"))
PY
"$MKT_GATE" report --from "$T/hostile.json" --junit "$T/h.xml"
xmllint --noout --schema "$JUNIT_XSD" "$T/h.xml"

npm_tools_ensure || exit 0
(cd "$T" && npm_tool xunit-viewer --results="$T/r.xml" \
	--output="$T/xv.html" --console) >"$T/xv.out" 2>&1 ||
	fail "xunit-viewer: $(cat "$T/xv.out")"
grep -q "4 failure, 3 skipped" "$T/xv.out" && grep -q "5 passed" "$T/xv.out" ||
	fail "xunit-viewer counts: $(tail -3 "$T/xv.out")"
grep -q "net/core/dev.c:1040: error: space required before the open parenthesis" \
	"$T/xv.out" || fail "xunit-viewer does not show the finding"
grep -q "✗ gcc on a1b2c3d4e5f6 net: fix refcount leak" "$T/xv.out" ||
	fail "xunit-viewer does not name the analyzer and commit: $(grep -m3 '✗' "$T/xv.out")"
(cd "$T" && npm_tool xunit-viewer --results="$T/h.xml" \
	--output="$T/xvh.html" --console) >"$T/xvh.out" 2>&1 ||
	fail "xunit-viewer on hostile input: $(tail -5 "$T/xvh.out")"
grep -q "4 failure" "$T/xvh.out" || fail "hostile counts: $(tail -3 "$T/xvh.out")"
# junit-report-merger reads it too (Jenkins pipelines merge shard results)
(cd "$T" && npm_tool jrm "$T/merged.xml" "$T/r.xml" "$T/h.xml") >/dev/null
xmllint --noout "$T/merged.xml"
pass "junit"
