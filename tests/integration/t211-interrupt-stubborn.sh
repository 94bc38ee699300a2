#!/bin/bash
# t211-interrupt-stubborn.sh: children that ignore SIGTERM and hold the job's
# pipe open (in its process group, or in a session of their own) cannot keep
# an interrupted run alive: it exits 128+signal within seconds, nothing it
# started survives, and its scratch slot is free for the next run.
. "$(dirname "$0")/lib/common.sh"

trap 'kill -9 $(cat "$T/pids" 2>/dev/null) 2>/dev/null; rm -rf "$T"' EXIT
export CCACHE_DISABLE=1

P=$T/proj
mkdir -p "$P" "$T/bin" && cd "$P" && git init -q
printf 'cmake_minimum_required(VERSION 3.10)\nproject(demo C)\nadd_executable(demo a.c)\n' > CMakeLists.txt
printf 'int main(void)\n{\n\treturn 0;\n}\n' > a.c
git add -A && git commit -qm base && git tag base
printf 'int f(void);\nint f(void)\n{\n\tint unused;\n\treturn 1;\n}\n' >> a.c
git commit -qam "a: add f"

# A compiler that shrugs off SIGTERM and leaves two holders of its output.
cat > "$T/bin/stubborncc" <<EOS
#!/bin/bash
trap '' TERM
sleep 300 &
echo \$! >> "$T/pids"
setsid sleep 300 &
echo \$! >> "$T/pids"
wait
exec gcc "\$@"
EOS
chmod +x "$T/bin/stubborncc"
printf '[defaults]\nengine = host\n[analyzer.gcc]\ncommand = %s\n' "$T/bin/stubborncc" > "$T/stubborn.conf"

alive() { [ -e "/proc/$1" ] && ! grep -qE '^[0-9]+ \(.*\) Z' "/proc/$1/stat" 2>/dev/null; }

# interrupt SIGNALS... : signals the run once the stubborn children are up
# (0.3 s between signals); the exit code and milliseconds in $rc and $ms.
interrupt()
{
	local pid t0
	: > "$T/pids"
	"$MKT_GATE" range base..HEAD --no-cache --config "$T/stubborn.conf" > "$T/out" 2>&1 &
	pid=$!
	for _ in $(seq 300); do [ "$(wc -l < "$T/pids")" -ge 2 ] && break; sleep 0.05; done
	[ "$(wc -l < "$T/pids")" -ge 2 ] || fail "the stubborn compiler never started"
	t0=$(date +%s%N)
	for sig in "$@"; do kill -"$sig" "$pid"; sleep 0.3; done
	for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	if kill -0 "$pid" 2>/dev/null; then
		kill -9 "$pid"
		fail "interrupted by $*: still running 10 s later"
	fi
	rc=0; wait "$pid" || rc=$?
	ms=$(( ($(date +%s%N) - t0) / 1000000 ))
	for p in $(cat "$T/pids"); do
		alive "$p" && fail "interrupted by $*: pid $p ($(cat /proc/"$p"/cmdline | tr '\0' ' ')) survived"
	done
	flock -n "$(echo "$XDG_CACHE_HOME"/mkt-gate/proj-*/slot-0/lock)" true ||
		fail "interrupted by $*: the scratch slot is still locked"
	echo "interrupted by $*: exit $rc after $ms ms"
}

interrupt INT
[ "$rc" = 130 ] || { cat "$T/out" >&2; fail "SIGINT: exit $rc, want 130"; }
[ "$ms" -lt 6000 ] || fail "SIGINT: $ms ms to exit"
pass "SIGINT: children that ignore SIGTERM are killed after the grace period"

interrupt TERM
[ "$rc" = 143 ] || { cat "$T/out" >&2; fail "SIGTERM: exit $rc, want 143"; }
pass "SIGTERM: the same, exit 143"

interrupt INT INT
[ "$rc" = 130 ] || fail "Ctrl-C twice: exit $rc, want 130"
[ "$ms" -lt 2000 ] || fail "Ctrl-C twice: $ms ms to exit, want no grace period"
pass "a second Ctrl-C kills at once"

expect_rc 1 "$MKT_GATE" range base..HEAD
pass "the next run gets the scratch slot and gates"
