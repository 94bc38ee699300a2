#!/bin/bash
# t210-cache-interrupt.sh: the result cache (a second run runs nothing, an
# amended last commit re-runs only itself, --no-cache, damaged entries) and
# a run killed midway, which must leave the repository as it was.
. "$(dirname "$0")/lib/common.sh"

P=$T/proj
mkdir -p "$P" && cd "$P" && git init -q
printf 'cmake_minimum_required(VERSION 3.10)\nproject(demo C)\nadd_executable(demo a.c b.c)\n' > CMakeLists.txt
printf 'int a(void)\n{\n\treturn 1;\n}\n' > a.c
printf 'int main(void)\n{\n\treturn 0;\n}\n' > b.c
git add -A && git commit -qm base && git tag base
for i in 1 2 3; do
	printf 'int f%d(void);\nint f%d(void)\n{\n\tint unused%d;\n\treturn %d;\n}\n' $i $i $i $i >> a.c
	git commit -qam "a: function $i"
done

cached() { jget "[c.get('cached') for cm in r['commits'] for c in cm['checks']]" "$1"; }
findings() { jget "[(c['analyzer'], len(c['new']), len(c['fixed'])) for cm in r['commits'] for c in cm['checks']]" "$1"; }

expect_rc 1 "$MKT_GATE" range base..HEAD --json "$T/1.json"
[ "$(cached "$T/1.json")" = "[False, False, False]" ] || fail "first run: nothing cached"
start=$(date +%s%N)
expect_rc 1 "$MKT_GATE" range base..HEAD --json "$T/2.json"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$(cached "$T/2.json")" = "[True, True, True]" ] || fail "second run: all cached"
[ "$(findings "$T/1.json")" = "$(findings "$T/2.json")" ] || fail "cached results differ"
echo "second run: ${ms} ms for 3 commits"
pass "a second run of the same range runs no analyzer"

sed -i "s/return 3;/return 33;/" a.c
git commit -q --amend -am "a: function 3, amended"
expect_rc 1 "$MKT_GATE" range base..HEAD --json "$T/3.json"
[ "$(cached "$T/3.json")" = "[True, True, False]" ] || fail "amend: only the last commit runs: $(cached "$T/3.json")"
pass "amending the last commit re-runs only that commit"

expect_rc 1 "$MKT_GATE" range base..HEAD --no-cache --json "$T/4.json"
[ "$(cached "$T/4.json")" = "[False, False, False]" ] || fail "--no-cache runs everything"
pass "--no-cache"

find "$XDG_CACHE_HOME/mkt-gate/results" -type f | while read -r f; do echo '{"key": "x", "trunc' > "$f"; done
expect_rc 1 "$MKT_GATE" range base..HEAD --json "$T/5.json"
[ "$(findings "$T/1.json")" = "$(findings "$T/5.json")" ] || fail "damaged entries change results"
pass "damaged cache entries are ignored"

# Killed midway: a slow compiler makes sure the run is in the middle of a job.
mkdir -p "$T/bin"
printf '#!/bin/sh\nsleep 30\nexec gcc "$@"\n' > "$T/bin/slowcc" && chmod +x "$T/bin/slowcc"
printf '[analyzer.gcc]\ncommand = %s\n' "$T/bin/slowcc" > "$T/slow.conf"
echo "/* dirty */" >> b.c
before=$(repo_fingerprint "$P")
"$MKT_GATE" range base..HEAD --no-cache --config "$T/slow.conf" > "$T/killed.out" 2>&1 &
pid=$!
for _ in $(seq 100); do pgrep -f "slowcc" >/dev/null && break; sleep 0.1; done
pgrep -f slowcc >/dev/null || fail "the slow compiler never started"
kill -INT "$pid"
rc=0; wait "$pid" || rc=$?
[ "$rc" -ge 128 ] || fail "an interrupted run exits 128+signal, got $rc"
# Under bwrap the jobs live in a PID namespace of their own, which the
# kernel tears down as bwrap dies: give it a moment on a loaded machine.
for _ in $(seq 50); do pgrep -fx "sleep 30" >/dev/null || break; sleep 0.1; done
! pgrep -fx "sleep 30" >/dev/null || fail "a child outlived the interrupted run by 5 s"
[ "$before" = "$(repo_fingerprint "$P")" ] || fail "the interrupted run changed the repository"
expect_rc 1 "$MKT_GATE" range base..HEAD --json "$T/6.json"
[ "$(findings "$T/1.json")" = "$(findings "$T/6.json")" ] || fail "the next run after an interrupt differs"
pass "Ctrl-C stops every child, leaves the repository as it was, and the next run works"

# Interrupted at many moments (configuring, in the middle of jobs, between
# commits), each time with an empty cache: the next normal run must give
# the verdicts of a --no-cache run, so nothing half done was stored.
git checkout -q b.c
printf '#!/bin/sh\nsleep 0.3\nexec gcc "$@"\n' > "$T/bin/pausecc"
chmod +x "$T/bin/pausecc"
# Waits until the k-th compiler call has started (jobs run sandboxed, with
# a /tmp of their own: they are counted from outside).
wait_calls()
{
	local seen=" " p
	for _ in $(seq 400); do
		for p in $(pgrep -f "$T/bin/pausecc" || true); do
			[[ $seen == *" $p "* ]] || seen="$seen$p "
		done
		[ "$(wc -w <<<"$seen")" -ge "$1" ] && return 0
		sleep 0.02
	done
	return 1
}
printf '[analyzer.gcc]\ncommand = %s\n' "$T/bin/pausecc" > "$T/pause.conf"
# ccache would answer repeated compiles without calling the compiler.
export CCACHE_DISABLE=1
verdicts() { jget "[(c['analyzer'], c['status'], len(c['new']), len(c['fixed'])) for cm in r['commits'] for c in cm['checks']]" "$1"; }
expect_rc 1 "$MKT_GATE" range base..HEAD --no-cache --config "$T/pause.conf" --json "$T/ref.json"
ref=$(verdicts "$T/ref.json")
n=0
for moment in calls:1 calls:2 calls:4 calls:7 time:0.2 time:0.6 time:1.0; do
	n=$((n + 1))
	sig=$([ $((n % 2)) = 0 ] && echo INT || echo TERM)
	rm -rf "$XDG_CACHE_HOME/mkt-gate/results"
	"$MKT_GATE" range base..HEAD --config "$T/pause.conf" > "$T/int.out" 2>&1 &
	pid=$!
	case $moment in
	calls:*) wait_calls "${moment#calls:}" || fail "compiler call ${moment#calls:} never came" ;;
	time:*) sleep "${moment#time:}" ;;
	esac
	kill -"$sig" "$pid" 2>/dev/null || true
	for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	kill -0 "$pid" 2>/dev/null && { kill -9 "$pid"; fail "SIG$sig at $moment: still running 10 s later"; }
	rc=0; wait "$pid" || rc=$?
	# A run that ended before the signal may pass or fail; one that saw it exits 128+signal.
	case $rc in 0|1|130|143) ;; *) cat "$T/int.out" >&2; fail "SIG$sig at $moment: exit $rc" ;; esac
	expect_rc 1 "$MKT_GATE" range base..HEAD --config "$T/pause.conf" --json "$T/after.json"
	[ "$(verdicts "$T/after.json")" = "$ref" ] ||
		fail "SIG$sig at $moment (exit $rc) poisoned the cache: $(verdicts "$T/after.json"), want $ref"
done
pass "an interrupt at any of $n moments leaves a cache that gives the --no-cache verdicts"
