#!/bin/bash
# t612-ci-files.sh: the shipped examples/ci/Jenkinsfile and .gitlab-ci.yml run
# as written: their shell steps, with the variables Jenkins and GitLab would
# set, each shard in its own clone and cache ("its own agent"), the merge
# where the stashes or artifacts land. The merged report must be the one
# unsharded run's, its JUnit valid, its HTML written.
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/series-repo.sh"

CI=$MKT_GATE_SRC/examples/ci
# What the agents run is called mkt-gate and found on PATH.
mkdir -p "$T/bin" && ln -s "$MKT_GATE" "$T/bin/mkt-gate"
export PATH=$T/bin:$PATH
mkdir -p "$XDG_CONFIG_HOME/mkt-gate"
printf '[defaults]\nanalyzers = gcc\n' > "$XDG_CONFIG_HOME/mkt-gate/config"
unset CI_NODE_INDEX CI_NODE_TOTAL MKT_GATE_SHARD_INDEX MKT_GATE_SHARD_TOTAL

# The "server": master at base, the branch under test (topic) on top.
series_repo "$T/up"
git -C "$T/up" branch -q topic && git -C "$T/up" reset -q --hard base

# agent NAME: a fresh checkout of topic with its own cache, as an executor has.
agent()
{
	git clone -q -b topic "$T/up" "$T/$1"
	mkdir -p "$T/$1.cache"
}
# run_steps DIR CACHE FILE [VAR=VALUE...]: each line of FILE as one sh step.
run_steps()
{
	local dir=$1 cache=$2 file=$3 line rc
	shift 3
	while IFS= read -r line; do
		rc=0
		(cd "$dir" && env XDG_CACHE_HOME="$cache" "$@" sh -ec "$line") >>"$T/steps.log" 2>&1 ||
			rc=$?
		echo "$rc $line" >> "$T/steps.rc"
		[ "$rc" = 0 ] || return "$rc"
	done < "$file"
}

# The reference: one unsharded run, on its own agent.
agent one
rc=0; (cd "$T/one" && XDG_CACHE_HOME=$T/one.cache mkt-gate -q range origin/master..HEAD --json "$T/one.json") || rc=$?
[ "$rc" = 1 ] || fail "the unsharded run exited $rc"

# same_as_one MERGED: the one run's report but for where, how and how long it ran.
same_as_one()
{
	/usr/bin/python3 - "$T/one.json" "$1" <<'X' || fail "$1 is not the unsharded run's report"
import json, sys
def strip(r):
    r = json.loads(json.dumps(r))
    for k in ("started_at", "duration_s", "repository", "ccache"):
        r.pop(k, None)
    for c in r["commits"]:
        c.pop("duration_s", None)
        c.pop("build", None)          # replay, make or cached: how, not what
        for k in c.get("checks", []):
            k.pop("duration_s", None)
            k.pop("cached", None)     # a unit seen earlier in the same run
            k.pop("output", None)     # holds the agent's own scratch paths
    return r
one, merged = (strip(json.load(open(f))) for f in sys.argv[1:])
import difflib; assert one == merged, "\n".join(difflib.unified_diff(json.dumps(one, indent=1).splitlines(), json.dumps(merged, indent=1).splitlines(), lineterm=""))
X
}

# --- Jenkins: environment, matrix axis and sh steps of the Jenkinsfile
/usr/bin/python3 - "$CI/Jenkinsfile" "$T/jk" <<'X'
import re, sys
text = open(sys.argv[1]).read()
out = sys.argv[2]
env = dict(re.findall(r"^\s*(\w+) = '([^']*)'\s*$", text, re.M))
values = re.findall(r"'(\d+)'", re.search(r"^\s*values (.*)$", text, re.M).group(1))
assert re.search(r"name 'MKT_GATE_SHARD_INDEX'", text)
assert int(env["MKT_GATE_SHARD_TOTAL"]) == len(values), (env, values)
head, merge = text.split("stage('merge')", 1)
steps = lambda part: re.findall(r"^\s*sh '([^']*)'\s*$", part, re.M)
assert steps(head) and steps(merge)
assert re.search(r"^\s*junit 'gate.xml'", merge, re.M)
assert re.search(r"archiveArtifacts artifacts: 'gate.html, gate.json'", merge)
open(out + ".env", "w").write("GATE_RANGE=%s\nMKT_GATE_SHARD_TOTAL=%s\n"
                              % (env["GATE_RANGE"], env["MKT_GATE_SHARD_TOTAL"]))
open(out + ".values", "w").write("\n".join(values) + "\n")
open(out + ".shard", "w").write("\n".join(steps(head)) + "\n")
open(out + ".merge", "w").write("\n".join(steps(merge)) + "\n")
X
mapfile -t JENV < "$T/jk.env"
agent jk-merge
for k in $(cat "$T/jk.values"); do
	agent "jk-$k"
	run_steps "$T/jk-$k" "$T/jk-$k.cache" "$T/jk.shard" "${JENV[@]}" MKT_GATE_SHARD_INDEX="$k" ||
		fail "Jenkins shard $k: $(tail -n 5 "$T/steps.log")"
	cp "$T/jk-$k/gate-$k.json" "$T/jk-merge/"	# stash, unstash
done
run_steps "$T/jk-merge" "$T/jk-merge.cache" "$T/jk.merge" "${JENV[@]}" ||
	fail "Jenkins merge: $(tail -n 5 "$T/steps.log")"
same_as_one "$T/jk-merge/gate.json"
xmllint --noout --schema "$JUNIT_XSD" "$T/jk-merge/gate.xml" 2>/dev/null || fail "Jenkins: gate.xml is not valid JUnit"
grep -q "b: add z" "$T/jk-merge/gate.html" || fail "Jenkins: gate.html lacks a commit"
[ "$(jget "r['shard']" "$T/jk-merge/gate-2.json")" = "2/$(sed -n 's/^MKT_GATE_SHARD_TOTAL=//p' "$T/jk.env")" ] ||
	fail "Jenkins shard 2 did not gate as 2/N"
pass "the Jenkinsfile's steps, shard by shard and merged: the one run's report"

# --- GitLab: variables, parallel and script lines of .gitlab-ci.yml
/usr/bin/python3 - "$CI/.gitlab-ci.yml" "$T/gl" <<'X'
import sys, yaml
ci = yaml.safe_load(open(sys.argv[1]))
out = sys.argv[2]
gate, merge = ci["gate"], ci["merge"]
assert ci["stages"] == ["gate", "merge"] and merge["needs"] == ["gate"]
assert merge["artifacts"]["reports"]["junit"] == "gate.xml"
assert "gate.html" in merge["artifacts"]["paths"] and gate["artifacts"]["paths"] == ["gate-*.json"]
open(out + ".env", "w").write("".join("%s=%s\n" % kv for kv in ci["variables"].items()))
open(out + ".total", "w").write("%d\n" % gate["parallel"])
open(out + ".shard", "w").write("\n".join(gate["script"]) + "\n")
open(out + ".merge", "w").write("\n".join(merge["script"]) + "\n")
X
# GitLab expands its variables with its own predefined ones.
CI_DEFAULT_BRANCH=master
mapfile -t GENV < <(while IFS= read -r kv; do eval "echo \"$kv\""; done < "$T/gl.env")
[ "${GENV[0]}" = "GATE_RANGE=origin/master..HEAD" ] || fail "GATE_RANGE expands to ${GENV[0]}"
N=$(cat "$T/gl.total")
agent gl-merge
for k in $(seq 1 "$N"); do
	agent "gl-$k"
	run_steps "$T/gl-$k" "$T/gl-$k.cache" "$T/gl.shard" "${GENV[@]}" \
		CI_DEFAULT_BRANCH=master CI_NODE_INDEX="$k" CI_NODE_TOTAL="$N" ||
		fail "GitLab job gate $k/$N: $(tail -n 5 "$T/steps.log")"
	cp "$T/gl-$k"/gate-*.json "$T/gl-merge/"	# artifacts of the needed jobs
done
rc=0; run_steps "$T/gl-merge" "$T/gl-merge.cache" "$T/gl.merge" "${GENV[@]}" CI_DEFAULT_BRANCH=master || rc=$?
[ "$rc" = 1 ] || fail "GitLab merge exited $rc, want 1 (the series brings new findings): $(tail -n 5 "$T/steps.log")"
grep -q '^1 case ' "$T/steps.rc" || fail "GitLab merge failed before its verdict step: $(tail -n 3 "$T/steps.rc")"
same_as_one "$T/gl-merge/gate.json"
xmllint --noout --schema "$JUNIT_XSD" "$T/gl-merge/gate.xml" 2>/dev/null || fail "GitLab: gate.xml is not valid JUnit"
grep -q "b: add z" "$T/gl-merge/gate.html" || fail "GitLab: gate.html lacks a commit"
pass "the .gitlab-ci.yml's script lines, parallel and merged: the one run's report, the job fails on it"

# Installed with the docs, where a user looks for them.
if [ -n "${MKT_GATE_BUILD:-}" ]; then
	cmake --install "$MKT_GATE_BUILD" --prefix "$T/inst" >/dev/null
	for f in Jenkinsfile .gitlab-ci.yml README.md; do
		cmp "$CI/$f" "$T/inst/share/doc/mkt-gate/examples/ci/$f" || fail "$f is not installed"
	done
	cmp "$MKT_GATE_SRC/docs/scale.md" "$T/inst/share/doc/mkt-gate/scale.md" || fail "docs/scale.md is not installed"
	pass "the CI files and docs/scale.md are installed under share/doc/mkt-gate"
fi
