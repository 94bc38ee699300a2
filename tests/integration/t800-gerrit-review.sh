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
	change 104 $A NEW net/core/dev.c
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
control '{"fail_next": 3, "fail_status": 502, "echo_auth": true}'
run 3 gr review --config gerrit.conf --from "$SAMPLE" 102 "$B"
expect_in "$OUT" "502 server error .*authorization: <redacted>"
control '{"reset": true}'
pass "503 retried, then exit 3; an error body's credentials are not shown"

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
chmod 644 "$HOME/.netrc"
n0=$(nreq)
run 2 gr review --config netrc.conf --from "$SAMPLE" 102 "$B"
expect_in "$OUT" "'.*/\.netrc' is readable or writable by group or others \(mode 0644\)"
[ "$(nreq)" = "$n0" ] || fail "a request was sent with a public ~/.netrc"
chmod 600 "$HOME/.netrc"
pass "~/.netrc, refused when others can read it"

# Without a change: each commit's change is found by "commit:SHA". In the
# repository: x (Change-Id ...105) was pushed to master and to stable, y
# (...107) to master only, z (...108) never, w has no Change-Id.
R=$T/repo
git init -q "$R"
commit() # file Change-Id-number|-
{
	(cd "$R" && echo "$1" > "$1" && git add "$1" &&
		if [ "$2" = - ]; then git commit -qm "$1: add"; else
		git commit -qm "$1: add" -m "Change-Id: I$(printf '%040d' "$2")"; fi &&
		git rev-parse HEAD)
}
X=$(commit x.c 105) Y=$(commit y.c 107) Z=$(commit z.c 108) V=$(commit w.c -)
/usr/bin/python3 - "$G/changes.json" "$X" "$Y" <<'PY'
import json, sys
path, x, y = sys.argv[1:]
changes = json.load(open(path))
for n, sha, branch, cid in ((105, x, "master", 105), (106, x, "stable", 105),
                            (107, y, "master", 107)):
    changes.append({"id": "kernel%%2Flinux~%s~I%040d" % (branch, cid),
                    "project": "kernel/linux", "branch": branch,
                    "change_id": "I%040d" % cid, "_number": n, "status": "NEW",
                    "current_revision": sha,
                    "revisions": {sha: {"_number": 1, "ref": "refs/changes/%02d/%d/1" % (n % 100, n),
                                        "files": ["x.c", "y.c"]}}})
json.dump(changes, open(path, "w"))
PY
report_of() # sha: a report of one passing commit of the repository
{
	/usr/bin/python3 - "$SAMPLE" "$T/$1.json" "$R" "$1" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
c = r["commits"][1]
c["sha"] = sys.argv[4]
r["commits"] = [c]
r["repository"] = sys.argv[3]
json.dump(r, open(sys.argv[2], "w"))
PY
	echo "$T/$1.json"
}
q_of() { /usr/bin/python3 -c 'import sys, urllib.parse as u; print(u.parse_qs(u.urlsplit(sys.argv[1]).query)["q"][0])' "$1"; }
lastget() { grep '"method": "GET"' "$G/requests.jsonl" | tail -n 1 > "$T/get.req"; q_of "$(jget "r['path']" "$T/get.req")"; }

# No [gerrit] project or branch: the one change that holds y gets the vote.
n0=$(nreq)
run 0 gr review --config gerrit.conf --from "$(report_of "$Y")"
[ "$(lastget)" = "commit:$Y" ] || fail "looked up by '$(lastget)'"
[ "$(last "r['path']")" = "/a/changes/kernel%2Flinux~107/revisions/$Y/review" ] ||
	fail "commit lookup posted to $(last "r['path']")"
[ $(($(nreq) - n0)) = 2 ] || fail "want one query and one vote, got $(($(nreq) - n0)) requests"
expect_in "$OUT" "posted Verified\+1 on change 'kernel/linux~107' revision ${Y:0:12}"
pass "without project and branch, the change is found by its commit"

# x is in two changes: an error that names the commit and both changes.
n0=$(nreq)
run 3 gr review --config gerrit.conf --from "$(report_of "$X")"
expect_in "$OUT" "fatal: commit $X is in 2 Gerrit changes \(kernel/linux~105, kernel/linux~106\)"
expect_in "$OUT" "hint: .*\[gerrit\] project and branch"
[ "$(grep -c '"method": "POST"' <(tail -n +$((n0 + 1)) "$G/requests.jsonl"))" = 0 ] ||
	fail "voted although two changes hold the commit"
# z is in none.
run 3 gr review --config gerrit.conf --from "$(report_of "$Z")"
expect_in "$OUT" "fatal: no Gerrit change holds commit $Z \(query 'commit:$Z'\)"
pass "a commit in no change or in two is an error naming it"

# project and branch narrow the query: stable picks change 106.
printf 'project = kernel/linux\nbranch = stable\n' >> gerrit.conf
run 0 gr review --config gerrit.conf --from "$(report_of "$X")"
[ "$(lastget)" = "commit:$X project:kernel/linux branch:stable" ] || fail "looked up by '$(lastget)'"
[ "$(last "r['path']")" = "/a/changes/kernel%2Flinux~106/revisions/$X/review" ] ||
	fail "narrowed lookup posted to $(last "r['path']")"
expect_in "$OUT" "posted Verified\+1 on change 'kernel/linux~106'"
sed -i 's/^branch = stable$/branch = master/' gerrit.conf
run 0 gr review --config gerrit.conf --from "$(report_of "$X")"
[ "$(last "r['path']")" = "/a/changes/kernel%2Flinux~105/revisions/$X/review" ] ||
	fail "narrowed lookup posted to $(last "r['path']")"
pass "[gerrit] project and branch narrow the lookup"

# A commit without a Change-Id trailer never reached Gerrit: no request.
n0=$(nreq)
run 0 gr review --config gerrit.conf --from "$(report_of "$V")"
expect_in "$OUT" "not posted: commit ${V:0:12} has no Change-Id trailer"
[ "$(nreq)" = "$n0" ] || fail "a commit without a Change-Id was looked up"
pass "a commit without a Change-Id is left out"

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
