# common.sh: what every integration test shares: a private HOME and git
# config, a scratch directory removed at exit, and small assertions.
# Source it first; it needs MKT_GATE (the binary under test).

set -euo pipefail

: "${MKT_GATE:?MKT_GATE must name the mkt-gate binary under test}"
MKT_GATE_SRC=${MKT_GATE_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)}
# The report schema ships in the repository (and is installed); the JUnit
# schema is the one the Jenkins xunit plugin uses, kept as test data.
SCHEMA=$MKT_GATE_SRC/reports/report-v1.schema.json
JUNIT_XSD=$MKT_GATE_SRC/tests/data/schemas/junit-10.xsd

T=$(mktemp -d "${TMPDIR:-/tmp}/mkt-gate-test.XXXXXX")
trap 'rm -rf "$T"' EXIT
export HOME=$T/home XDG_CACHE_HOME=$T/cache XDG_CONFIG_HOME=$T/config
export GIT_CONFIG_NOSYSTEM=1 LC_ALL=C NO_COLOR=1
mkdir -p "$HOME"
git config --global user.name "Test Author"
git config --global user.email "test@example.org"
git config --global init.defaultBranch master
git config --global advice.detachedHead false

fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { echo "ok: $*"; }

# expect_rc WANT CMD...: runs CMD, its output in $OUT, and checks its exit code.
expect_rc()
{
	local want=$1 rc=0
	shift
	OUT=$("$@" 2>&1) || rc=$?
	[ "$rc" = "$want" ] || { printf '%s\n' "$OUT" >&2; fail "'$*' exited $rc, want $want"; }
}

# expect_in TEXT PATTERN: PATTERN (grep -E) must occur in TEXT.
expect_in()
{
	grep -qE -- "$2" <<<"$1" || { printf '%s\n' "$1" >&2; fail "no '$2' in the output"; }
}

expect_not_in()
{
	! grep -qE -- "$2" <<<"$1" || { printf '%s\n' "$1" >&2; fail "unexpected '$2' in the output"; }
}

# jq-like queries without jq: py EXPR FILE evaluates EXPR with r = the JSON.
jget()
{
	/usr/bin/python3 -c "import json,sys; r=json.load(open(sys.argv[2])); print($1)" "$1" "$2"
}

schema_check()
{
	/usr/bin/python3 "$MKT_GATE_SRC/tests/integration/lib/schema-check.py" "$SCHEMA" "$@" >/dev/null ||
		fail "$* does not validate against the report schema"
}

# The state of a repository a run must never change: worktree, index, refs, stash.
repo_fingerprint()
{
	(cd "$1" && {
		git status --porcelain=v2 --untracked-files=all
		git ls-files -s
		git for-each-ref
		git stash list
		git diff | sha1sum
		git diff --cached | sha1sum
		find . -path ./.git -prune -o -type f -print0 | sort -z | xargs -0 sha1sum
	})
}
