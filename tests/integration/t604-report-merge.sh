#!/bin/bash
# t604-report-merge.sh: `mkt-gate report merge` combines the reports of the
# shards of one range: range order, one entry per sha, verdict recomputed.
set -euo pipefail

. "$(dirname "$0")/lib/common.sh"
sample="$MKT_GATE_SRC/tests/data/reports/sample.json"

# Shard 1/2 checked commits 2 and 3 (listing 1 as skipped), shard 2/2 commit 1.
python3 - "$sample" "$T" <<'PY'
import copy, json, sys
r = json.load(open(sys.argv[1]))
c1, c2, c3 = r["commits"]
s1 = copy.deepcopy(r)
skipped = dict(c1, verdict="skipped", reason="other shard", checks=[])
s1.update(shard="1/2", verdict="fail", commits=[c3, skipped, c2],
          series={"new": r["series"]["new"][3:], "fixed": []})
s2 = copy.deepcopy(r)
s2.update(shard="2/2", verdict="fail", commits=[c1],
          series={"new": r["series"]["new"][:3], "fixed": r["series"]["fixed"],
                  "transient": r["series"]["transient"]})
json.dump(s1, open(sys.argv[2] + "/a.json", "w"))
json.dump(s2, open(sys.argv[2] + "/b.json", "w"))
PY
"$MKT_GATE" report merge "$T/a.json" "$T/b.json" -o "$T/all.json"
python3 - "$SCHEMA" "$T/all.json" "$sample" <<'PY'
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
schema.pop("$id", None)
m = json.load(open(sys.argv[2]))
jsonschema.Draft202012Validator(schema).validate(m)
want = json.load(open(sys.argv[3]))
assert [c["sha"] for c in m["commits"]] == [c["sha"] for c in want["commits"]], \
    [c["sha"][:7] for c in m["commits"]]
assert m["commits"][0]["verdict"] == "fail", "skipped entry won over the checked one"
assert m["verdict"] == "fail" and "shard" not in m
assert len(m["series"]["new"]) == 5 and len(m["series"]["fixed"]) == 1
assert len(m["series"]["transient"]) == 1
PY

# The merged report renders like any other
"$MKT_GATE" report --from "$T/all.json" >"$T/out"
grep -q "^series: 5 new, 1 fixed, 1 transient" "$T/out" || fail "merged summary"

# A commit that could not be checked makes the merged verdict error where
# nothing failed; a certain failure in another shard outranks it.
python3 - "$T" <<'PY'
import json, sys
t = sys.argv[1]
a, b = (json.load(open(t + n)) for n in ("/a.json", "/b.json"))
b["commits"][0]["verdict"] = "error"
json.dump(b, open(t + "/berr.json", "w"))
for c in a["commits"]:
    if c["verdict"] == "fail":
        c["verdict"] = "pass"
json.dump(a, open(t + "/apass.json", "w"))
PY
"$MKT_GATE" report merge "$T/a.json" "$T/berr.json" -o "$T/err.json"
[ "$(jget "r['verdict']" "$T/err.json")" = fail ] || fail "an error outranked a failure"
"$MKT_GATE" report merge "$T/apass.json" "$T/berr.json" -o "$T/err.json"
[ "$(jget "r['verdict']" "$T/err.json")" = error ] || fail "an error with no failure is not error"

# Reports of different ranges do not merge
python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
r["range"] = "v6.1..v6.2"
json.dump(r, open(sys.argv[2], "w"))' "$T/b.json" "$T/other.json"
rc=0
"$MKT_GATE" report merge "$T/a.json" "$T/other.json" -o "$T/x.json" 2>"$T/err" || rc=$?
[ "$rc" = 2 ] && grep -q "range 'v6.1..v6.2'" "$T/err" || fail "ranges mixed: $(cat "$T/err")"
rc=0
"$MKT_GATE" report merge "$T/a.json" 2>/dev/null || rc=$?
[ "$rc" = 2 ] || fail "merge without -o accepted"
pass "merge"
