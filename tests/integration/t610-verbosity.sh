#!/bin/bash
# t610-verbosity.sh: -q says less and -v says more, the same whether given
# before the command (mkt-gate -q range) or after it (range -q): range, commit,
# report, install, uninstall, the hooks, image build; both at once is refused.
. "$MKT_GATE_SRC/tests/data/hooks/lib.sh"
command -v cmake >/dev/null || { echo "skip: cmake not installed"; exit 0; }

new_repo "$T/p"
cd "$T/p"
printf 'cmake_minimum_required(VERSION 3.10)\nproject(demo C)\nadd_executable(demo a.c)\n' > CMakeLists.txt
printf 'int main(void)\n{\n\treturn 0;\n}\n' > a.c
git add -A && git commit -qm base && git tag base
printf 'int main(void)\n{\n\tint unused_x;\n\treturn 0;\n}\n' > a.c
git commit -qam "a: an unused variable"
printf '/* c */\nint main(void)\n{\n\tint unused_x;\n\treturn 0;\n}\n' > a.c
git commit -qam "a: a comment"

# run CMD...: its stdout in $SO, its stderr in $SE, its exit code in $RC.
run()
{
	RC=0
	"$@" >"$T/so" 2>"$T/se" || RC=$?
	SO=$(cat "$T/so") SE=$(cat "$T/se")
}
gate() { run "$MKT_GATE" "$@" base..HEAD --analyzers gcc --json "$T/r.json"; }

gate range
[ "$RC" = 1 ] || fail "range exited $RC: $SE"
expect_in "$SE" '^\[1/2\] [0-9a-f]{12} a: an unused variable$'
expect_in "$SO" '^mkt-gate: FAIL +base\.\.HEAD'
expect_not_in "$SO" 'preexisting|cached'
pass "range: progress on stderr, the summary on stdout"

for q in "-q range" "--quiet range" "range -q" "range --quiet"; do
	# shellcheck disable=SC2086
	gate $q
	[ "$RC" = 1 ] || fail "$q exited $RC: $SE"
	[ "$SO" = fail ] || fail "$q printed more than the verdict: $SO"
	[ -z "$SE" ] || fail "$q printed progress: $SE"
done
run "$MKT_GATE" -q commit HEAD~1 --analyzers gcc
[ "$RC.$SO.$SE" = "1.fail." ] || fail "-q commit: $RC '$SO' '$SE'"
pass "-q before or after range and commit: only the verdict, no progress"

for v in "-v range" "range -v"; do
	# shellcheck disable=SC2086
	gate $v
	[ "$RC" = 1 ] || fail "$v exited $RC: $SE"
	expect_in "$SO" 'a: a comment  \[gcc ok \(cached\) \(1 preexisting\)\]'
done
pass "-v before or after range: cached checks and preexisting counts"

for both in "-q -v range" "-q range -v" "range -v -q"; do
	# shellcheck disable=SC2086
	run "$MKT_GATE" $both base..HEAD
	[ "$RC" = 2 ] || fail "$both exited $RC"
	expect_in "$SE" "^error: '-q' and '-v' ask for less and more at once"
done
pass "-q with -v is a usage error"

gate range
run "$MKT_GATE" report --from "$T/r.json"
expect_in "$SO" '^mkt-gate: FAIL'
expect_not_in "$SO" 'preexisting'
run "$MKT_GATE" -v report --from "$T/r.json"
expect_in "$SO" '\(1 preexisting\)'
run "$MKT_GATE" report -q --from "$T/r.json"
[ "$RC.$SO" = "0.fail" ] || fail "report -q: $RC '$SO'"
pass "report: -q only the verdict, -v the preexisting counts"

# install and uninstall: one line a hook, none with -q; the hooks still change.
run "$MKT_GATE" install
expect_in "$SO" '^pre-push: installed'
run "$MKT_GATE" uninstall -q
[ "$RC.$SO.$SE" = "0.." ] || fail "uninstall -q said: '$SO' '$SE'"
[ ! -e .git/hooks/pre-push ] || fail "uninstall -q left the hook"
run "$MKT_GATE" -q install
[ "$RC.$SO.$SE" = "0.." ] || fail "-q install said: '$SO' '$SE'"
[ -x .git/hooks/pre-push ] || fail "-q install installed nothing"
"$MKT_GATE" uninstall >/dev/null
pass "install and uninstall: -q says nothing, does the same"

# The hooks, run as their scripts run them (not installed: git commit must
# not start a check), with the stand-in gate.
use_fake_gate "$T/gate.log"
export MKT_GATE_HOOK_DEBOUNCE_MS=0
push="refs/heads/master $(git rev-parse HEAD) refs/heads/master $(git rev-parse origin/master)"
run "$MKT_GATE" hook pre-push -- origin "$T/p.git" <<<"$push"
expect_in "$SE" '^mkt-gate: pass \(3 commits checked, 0 results reused\)'
git commit -q --allow-empty -m "empty"
push="refs/heads/master $(git rev-parse HEAD) refs/heads/master $(git rev-parse origin/master)"
run "$MKT_GATE" -q hook pre-push -- origin "$T/p.git" <<<"$push"
[ "$RC.$SE" = "0." ] || fail "-q hook pre-push: $RC '$SE'"
[ "$(wc -l < "$T/gate.log")" = 2 ] || fail "-q hook pre-push did not gate: $(cat "$T/gate.log")"
run "$MKT_GATE" hook pre-push -q -- origin "$T/p.git" <<<"$push"
[ "$RC.$SE" = "0." ] || fail "hook pre-push -q: $RC '$SE'"
pass "pre-push: the pass line, none with -q"

run "$MKT_GATE" hook post-commit
[ "$RC.$SE" = "0." ] || fail "post-commit without -v: $RC '$SE'"
wait_for "finished: $(git rev-parse --short=12 HEAD)" "$MKT_GATE" status
git commit -q --allow-empty -m "empty 2"
run "$MKT_GATE" -v hook post-commit
expect_in "$SE" '^mkt-gate: HEAD queued for a check in the background'
wait_for "finished: $(git rev-parse --short=12 HEAD)" "$MKT_GATE" status
pass "post-commit: silent, -v says HEAD was queued"

# image build: progress lines, none with -q (mmdebstrap fails at once here).
mkdir -p "$T/bin"
printf '#!/bin/sh\necho "no mirror here" >&2\nexit 1\n' > "$T/bin/mmdebstrap"
chmod +x "$T/bin/mmdebstrap"
run env PATH="$T/bin:$PATH" "$MKT_GATE" image build --offline --name t610:x
[ "$RC" = 3 ] || fail "image build exited $RC: $SE"
expect_in "$SE" '^image: running mmdebstrap'
run env PATH="$T/bin:$PATH" "$MKT_GATE" -q image build --offline --name t610:x
[ "$RC" = 3 ] || fail "-q image build exited $RC: $SE"
expect_not_in "$SE" '^image:'
expect_in "$SE" "^error: 'mmdebstrap --variant=apt' failed"
pass "image build: progress lines, none with -q; errors still"
