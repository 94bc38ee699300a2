#!/bin/bash
# t600-report-terminal.sh: `mkt-gate report --from` prints the terminal summary,
# keeps the finding line contract, honours colour modes and rejects bad files.
set -euo pipefail

. "$(dirname "$0")/lib/common.sh"
sample="$MKT_GATE_SRC/tests/data/reports/sample.json"

"$MKT_GATE" report --from "$sample" >"$T/out" 2>"$T/err" ||
	fail "report --from exited $?"
[ ! -s "$T/err" ] || fail "unexpected stderr: $(cat "$T/err")"
grep -q $'\033' "$T/out" && fail "colour written to a file in auto mode"

# The finding line is a contract: file:line:col: severity: message [rule]
# (analyzer), as gcc prints it plus who said it; without a column file:line:
grep -qx "net/core/dev.c:1042:13: warning: unused variable 'ret'.* \[-Wunused-variable\] (gcc)" \
	"$T/out" || fail "finding line contract broken: $(grep -m1 'dev.c:1042' "$T/out")"
grep -qx "net/core/dev.c:1040: error: space required before the open parenthesis '(' \[SPACING\] (checkpatch)" \
	"$T/out" || fail "finding line without a column broken"
grep -qx "warning: Possible unwrapped commit description (prefer a maximum 75 chars per line) \[COMMIT_LOG_LONG_LINE\] (checkpatch)" \
	"$T/out" || fail "file-less finding not printed"
grep -q "^a1b2c3d4e5f6 FAIL .*<script>alert(1)</script>" "$T/out" ||
	fail "commit line missing"
grep -q "^    fixed: net/core/dev.c:877: warning: context imbalance .* (sparse)$" "$T/out" ||
	fail "fixed finding not marked"
grep -q "^    skipped: smatch: smatch is not installed" "$T/out" ||
	fail "skipped check without reason"
grep -q "^series: 5 new, 1 fixed, 1 transient$" "$T/out" || fail "series line"
grep -q "^mkt-gate: FAIL .*origin/master..HEAD (3 commits" "$T/out" ||
	fail "verdict line"
# ANSI escapes and control bytes from the tools never reach the terminal
LC_ALL=C grep -q $'[\001\007]' "$T/out" && fail "control byte passed through"
grep -q "unused variable 'ret'" "$T/out" || fail "ANSI escape not stripped"

"$MKT_GATE" report --from "$sample" --color=always >"$T/color"
grep -q $'\033\\[1;31mFAIL' "$T/color" || fail "--color=always has no colour"
NO_COLOR=1 "$MKT_GATE" report --from "$sample" --color=auto >"$T/nc"
cmp -s "$T/out" "$T/nc" || fail "NO_COLOR output differs from plain"

# Bad input: a clear error naming what is wrong, exit 2
echo '{"schema": "mkt-gate/report/v1", "tool": {}}' >"$T/bad.json"
rc=0
"$MKT_GATE" report --from "$T/bad.json" 2>"$T/err" || rc=$?
[ "$rc" = 2 ] || fail "bad report: exit $rc, expected 2"
grep -q "^error: .*bad.json.*'range' is missing" "$T/err" ||
	fail "bad report message: $(cat "$T/err")"
echo 'not json' >"$T/bad.json"
rc=0
"$MKT_GATE" report --from "$T/bad.json" 2>"$T/err" || rc=$?
[ "$rc" = 2 ] && grep -q "is not valid JSON" "$T/err" || fail "non-JSON accepted"
python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
del r["commits"][1]["checks"][0]["analyzer"]
json.dump(r, open(sys.argv[2], "w"))' "$sample" "$T/bad.json"
rc=0
"$MKT_GATE" report --from "$T/bad.json" 2>"$T/err" || rc=$?
[ "$rc" = 2 ] && grep -q "commits\[1\].checks\[0\]: 'analyzer' is missing" "$T/err" ||
	fail "missing analyzer not named: $(cat "$T/err")"
rc=0
"$MKT_GATE" report --from "$sample" --color=sometimes >/dev/null 2>&1 || rc=$?
[ "$rc" = 2 ] || fail "bad --color accepted"
rc=0
"$MKT_GATE" report --frm x 2>/dev/null || rc=$?
[ "$rc" = 2 ] || fail "unknown option: exit $rc"

"$MKT_GATE" report -h | grep -q -- "--junit" || fail "report -h"
"$MKT_GATE" report merge -h | grep -q -- "--output" || fail "report merge -h"

# --json re-renders the same model, valid against the schema
"$MKT_GATE" report --from "$sample" --json "$T/r.json"
python3 - "$SCHEMA" "$T/r.json" <<'PY'
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
schema.pop("$id", None)   # a relative $id breaks local $ref resolution
jsonschema.Draft202012Validator(schema).validate(json.load(open(sys.argv[2])))
PY
cmp -s <(python3 -m json.tool "$sample") <(python3 -m json.tool "$T/r.json") ||
	fail "--json changed the model"
pass "terminal summary"
