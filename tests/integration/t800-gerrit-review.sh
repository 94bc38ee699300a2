#!/bin/bash
# t800-gerrit-review.sh: `mkt-gate gerrit review` against a fake Gerrit: exact
# review bodies, basic auth, comment placement, votes, every error path, retries.
. "$(dirname "$0")/lib/common.sh"

FAKE=$MKT_GATE_SRC/tests/integration/lib/fake-gerrit.py
DATA=$MKT_GATE_SRC/tests/data
SAMPLE=$DATA/reports/sample.json
SECRET='Zq8-s3cr3t-HTTP-pw'
G=$T/gerrit W=$T/work
mkdir -p "$G" "$W"
A=a1b2c3d4e5f60718293a4b5c6d7e8f9012345678
B=b2c3d4e5f60718293a4b5c6d7e8f901234567890

# Changes: 101 holds sample commit A, 102 commit B, 103 is merged, 104 holds
# A but only net/core/dev.c (Gerrit answers 400 to a comment elsewhere).
change() # number sha status files...
{
	local n=$1 sha=$2 status=$3
	shift 3
	printf '{"id": "kernel%%2Flinux~master~I%040d", "project": "kernel/linux", "branch": "master", "change_id": "I%040d", "_number": %d, "status": "%s", "current_revision": "%s", "revisions": {"%s": {"_number": 1, "ref": "refs/changes/%02d/%d/1", "files": %s}}}' \
		"$n" "$n" "$n" "$status" "$sha" "$sha" $((n % 100)) "$n" \
		"$(/usr/bin/python3 -c 'import json,sys; print(json.dumps(sys.argv[1:]))' "$@")"
}
{
	echo "["
	change 101 $A NEW net/core/dev.c include/linux/netdevice.h; echo ","
	change 102 $B NEW include/linux/netdevice.h; echo ","
	change 103 $A MERGED net/core/dev.c include/linux/netdevice.h; echo ","
	change 104 $A NEW net/core/dev.c; echo ","
	change 105 c3d4e5f60718293a4b5c6d7e8f9012345678901a NEW x.c
	echo "]"
} > "$G/changes.json"

read -r PORT GPID < <(/usr/bin/python3 "$FAKE" start --dir "$G" --user gate \
	--password "$SECRET" --lifetime 300)
trap 'kill "$GPID" 2>/dev/null; rm -rf "$T"' EXIT
control() { /usr/bin/python3 "$FAKE" control --dir "$G" "$1" >/dev/null; }

cd "$W"
printf '%s\n' "$SECRET" > pw && chmod 600 pw
cat > gerrit.conf <<X
[gerrit]
url = http://127.0.0.1:$PORT/
user = gate
password_file = pw
notify = OWNER
retries = 2
timeout = 20
X
ALL=""	# every output, checked for the secret at the end
run() { expect_rc "$@"; ALL+=$OUT$'\n'; }
gr() { "$MKT_GATE" gerrit "$@"; }
nreq() { wc -l < "$G/requests.jsonl"; }
last() { tail -n 1 "$G/requests.jsonl" > "$T/last.req"; jget "$1" "$T/last.req"; }

# Fail: -1 with inline comments, the body exactly as expected.
run 0 gr review --config gerrit.conf --from "$SAMPLE" 101 a1b2c3d4e5f6
expect_in "$OUT" "posted Verified-1 on change '101' revision a1b2c3d4e5f6 \(fail\)"
[ "$(last "r['method'] + ' ' + r['path'] + ' ' + str(r['status'])")" = "POST /a/changes/101/revisions/$A/review 200" ] ||
	fail "review posted to the wrong endpoint: $(last "r['path']")"
[ "$(last "r['body'] == json.load(open('$DATA/gerrit/review-sample-0.json'))")" = True ] ||
	fail "the body differs from review-sample-0.json: $(last "r['body']")"
want="Basic $(printf 'gate:%s' "$SECRET" | base64 -w0)"
[ "$(last "r['headers']['Authorization']")" = "$want" ] || fail "wrong Authorization header"
[ "$(last "r['headers']['Content-Type']")" = "application/json; charset=UTF-8" ] ||
	fail "wrong Content-Type"
pass "fail: Verified -1, the exact body, basic auth"

# Pass: +1 and no comments.
run 0 gr review --config gerrit.conf --from "$SAMPLE" 102 "$B"
[ "$(last "r['body'] == json.load(open('$DATA/gerrit/review-sample-1.json'))")" = True ] ||
	fail "the body differs from review-sample-1.json: $(last "r['body']")"
pass "pass: Verified +1"

# Error: a message, no vote.
/usr/bin/python3 - "$SAMPLE" "$T/error.json" <<'X'
import json, sys
r = json.load(open(sys.argv[1]))
c = r["commits"][1]
c["verdict"] = "error"; c["reason"] = "the build of net/core/dev.o could not run"
c["checks"][0]["status"] = "error"
r["verdict"] = "error"
json.dump(r, open(sys.argv[2], "w"))
X
run 0 gr review --config gerrit.conf --from "$T/error.json" 102 "$B"
expect_in "$OUT" "posted a message without a vote"
[ "$(last "'labels' in r['body']")" = False ] || fail "an error verdict must not vote"
expect_in "$(last "r['body']['message']")" "could not decide"
pass "error: no vote"

# Placement: in change 104 only net/core/dev.c is in the patch set.
/usr/bin/python3 - "$SAMPLE" "$T/placed.json" <<'X'
import json, sys
r = json.load(open(sys.argv[1]))
r["commits"][0]["touched_files"] = ["net/core/dev.c"]
json.dump(r, open(sys.argv[2], "w"))
X
run 0 gr review --config gerrit.conf --from "$T/placed.json" 104 "$A"
[ "$(last "list(r['body']['comments'])")" = "['net/core/dev.c']" ] ||
	fail "comments outside the patch set: $(last "list(r['body']['comments'])")"
expect_in "$(last "r['body']['message']")" "include/linux/netdevice.h:4120: error: implicit declaration"
pass "a finding outside the patch set goes to the message"

# Error paths: each a clear message and exit 3.
run 3 gr review --config gerrit.conf --from "$SAMPLE" 999 "$A"
expect_in "$OUT" "Gerrit answered 404 Not Found to POST /a/changes/999/revisions/$A/review: Not found: 999"
expect_in "$OUT" "hint: check the change and revision"
run 3 gr review --config gerrit.conf --from "$SAMPLE" 103 "$A"
expect_in "$OUT" "409 Conflict .*change is closed"
expect_in "$OUT" "hint: the change is closed"
control '{"restrict_label": "Verified"}'
run 3 gr review --config gerrit.conf --from "$SAMPLE" 101 "$A"
expect_in "$OUT" "403 Forbidden .*Applying label \"Verified\": -1 is restricted"
control '{"reset": true}'
printf 'wrong\n' > pw
run 3 gr review --config gerrit.conf --from "$SAMPLE" 101 "$A"
expect_in "$OUT" "401 Unauthorized"
expect_in "$OUT" "hint: check \[gerrit\] user and the HTTP password"
printf '%s\n' "$SECRET" > pw
pass "401, 403, 404 and 409 exit 3 with a clear message"

# 5xx: retried (retries = 2), then given up.
n0=$(nreq)
control '{"fail_next": 2, "fail_status": 503}'
run 0 gr review --config gerrit.conf --from "$SAMPLE" 102 "$B"
[ $(($(nreq) - n0)) = 3 ] || fail "want 2 failed tries and 1 good one, got $(($(nreq) - n0)) requests"
control '{"fail_next": 3, "fail_status": 503}'
run 3 gr review --config gerrit.conf --from "$SAMPLE" 102 "$B"
expect_in "$OUT" "503 server error .*after every retry"
control '{"reset": true}'
pass "503 retried, then exit 3"

# The password file must be private.
chmod 644 pw
n0=$(nreq)
run 2 gr review --config gerrit.conf --from "$SAMPLE" 101 "$A"
expect_in "$OUT" "password file '.*/pw' is readable or writable by group or others \(mode 0644\)"
expect_in "$OUT" "hint: make it private with 'chmod 600 .*/pw'"
[ "$(nreq)" = "$n0" ] || fail "a request was sent with a public password file"
chmod 600 pw
pass "a password file readable by others is refused"

# ~/.netrc instead of a password file.
printf 'machine 127.0.0.1 login gate password %s\n' "$SECRET" > "$HOME/.netrc"
chmod 600 "$HOME/.netrc"
sed '/password_file/d' gerrit.conf > netrc.conf
run 0 gr review --config netrc.conf --from "$SAMPLE" 102 "$B"
[ "$(last "r['headers']['Authorization']")" = "$want" ] || fail "~/.netrc was not used"
pass "~/.netrc"

# Without a change: the change of each commit's Change-Id trailer.
R=$T/repo
git init -q "$R"
(cd "$R" && echo x > x.c && git add x.c &&
	git commit -qm "x: add" -m "Change-Id: I$(printf '%040d' 105)")
sha=$(git -C "$R" rev-parse HEAD)
/usr/bin/python3 - "$SAMPLE" "$T/cid.json" "$R" "$sha" <<'X'
import json, sys
r = json.load(open(sys.argv[1]))
c = r["commits"][1]
c["sha"] = sys.argv[4]
r["commits"] = [c]
r["repository"] = sys.argv[3]
json.dump(r, open(sys.argv[2], "w"))
X
sed -i "s/c3d4e5f60718293a4b5c6d7e8f9012345678901a/$sha/g" "$G/changes.json"
printf 'project = kernel/linux\nbranch = master\n' >> gerrit.conf
run 0 gr review --config gerrit.conf --from "$T/cid.json"
[ "$(last "r['path']")" = "/a/changes/kernel%2Flinux~master~I$(printf '%040d' 105)/revisions/$sha/review" ] ||
	fail "Change-Id lookup posted to $(last "r['path']")"
expect_in "$OUT" "posted Verified\+1 on change 'kernel/linux~master~I0+105'"
pass "the change is found from the Change-Id trailer"

# -v traces headers (also as mkt-gate -v), -q leaves only what failed, and
# no secret appears anywhere.
run 0 gr review -v --config gerrit.conf --from "$SAMPLE" 102 "$B"
expect_in "$OUT" "trace: > Authorization: <redacted>"
run 0 "$MKT_GATE" -v gerrit review --config gerrit.conf --from "$SAMPLE" 102 "$B"
expect_in "$OUT" "trace: > Authorization: <redacted>"
n=$(nreq)
run 0 "$MKT_GATE" -q gerrit review --config gerrit.conf --from "$SAMPLE" 102 "$B"
[ -z "$OUT" ] && [ "$(nreq)" -gt "$n" ] || fail "-q review: '$OUT', $n -> $(nreq) requests"
run 0 gr review -q --config gerrit.conf --from "$SAMPLE" 102 "$B"
[ -z "$OUT" ] || fail "review -q said '$OUT'"
b64=$(printf 'gate:%s' "$SECRET" | base64 -w0)
for s in "$SECRET" "$b64"; do
	! grep -qF -- "$s" <<<"$ALL" || fail "the secret appears in the output"
	! grep -rqF -- "$s" "$T"/*.json || fail "the secret appears in a report"
done
pass "the secret never appears in output or reports"

# Usage.
run 2 gr review 101
expect_in "$OUT" "needs '--from"
run 2 gr frob
run 0 gr -h
expect_in "$OUT" "mkt-gate gerrit watch"
pass "usage"
