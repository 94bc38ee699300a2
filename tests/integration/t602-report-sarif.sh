#!/bin/bash
# t602-report-sarif.sh: the SARIF output passes `sarif-multitool validate`
# with no error, and carries the fields code-scanning services need.
set -euo pipefail

. "$(dirname "$0")/lib/npm-tools.sh"
. "$(dirname "$0")/lib/common.sh"
sample="$MKT_GATE_SRC/tests/data/reports/sample.json"

"$MKT_GATE" report --from "$sample" --sarif "$T/r.sarif"
python3 - "$T/r.sarif" <<'PY'
import json, sys
log = json.load(open(sys.argv[1]))
assert log["version"] == "2.1.0"
run, = log["runs"]
drv = run["tool"]["driver"]
assert drv["name"] == "mkt-gate" and drv["version"]
ids = [r["id"] for r in drv["rules"]]
res = run["results"]
assert len(res) == 5, len(res)
for r in res:
    assert r["ruleId"] in ids and ids[r["ruleIndex"]] == r["ruleId"]
    assert r["level"] in ("error", "warning", "note")
    assert r["message"]["text"] and "\x1b" not in r["message"]["text"]
    assert r["partialFingerprints"]["mktGate/v1"]
first = res[0]["locations"][0]["physicalLocation"]
assert first["artifactLocation"] == {"uri": "net/core/dev.c", "uriBaseId": "SRCROOT"}
assert first["region"] == {"startLine": 1042, "startColumn": 13}
assert "locations" not in res[1]          # a commit-level finding
assert res[4]["level"] == "note"
assert run["originalUriBaseIds"]["SRCROOT"]["uri"] == "file:///home/dev/linux/"
PY

npm_tools_ensure || exit 0
(cd "$T" && npm_tool sarif-multitool validate "$T/r.sarif") >"$T/v.out" 2>&1 ||
	fail "sarif-multitool: $(cat "$T/v.out")"
grep -q "Analysis completed successfully" "$T/v.out" || fail "$(cat "$T/v.out")"
if grep -Eqi "error|SARIF[0-9]+" "$T/v.out"; then
	fail "sarif-multitool reports problems: $(cat "$T/v.out")"
fi
# The validator must really validate: a broken copy has to be flagged.
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
d["runs"][0]["results"][0]["message"] = {}
json.dump(d, open(sys.argv[2], "w"))' "$T/r.sarif" "$T/broken.sarif"
(cd "$T" && npm_tool sarif-multitool validate "$T/broken.sarif") >"$T/b.out" 2>&1 || true
grep -q "error JSON" "$T/b.out" || fail "sarif-multitool did not flag a broken log"
pass "sarif"
