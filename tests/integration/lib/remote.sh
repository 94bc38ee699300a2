# remote.sh: what the ccache-remote and distcc tests share: a free TCP port,
# servers they start and stop themselves, and a CMake project whose header
# change fans out over several units. Source it after common.sh.

SERVER_PIDS=()
trap 'for p in "${SERVER_PIDS[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$T"' EXIT

# free_port: prints a TCP port of 127.0.0.1 that nothing listens on now.
free_port()
{
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# wait_port PORT: waits up to 10 s for something to listen on PORT.
wait_port()
{
	for _ in $(seq 100); do
		(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
		sleep 0.1
	done
	fail "nothing listens on port $1"
}

# start_redis: a private redis-server on a free port; sets REDIS_PORT.
start_redis()
{
	command -v redis-server >/dev/null || fail "redis-server is not installed (tests/setup.sh)"
	REDIS_PORT=$(free_port)
	redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no \
		--dir "$T" >"$T/redis.log" 2>&1 &
	SERVER_PIDS+=($!)
	wait_port "$REDIS_PORT"
}

# stamp: each line of stdin after the time it was read (seconds, microseconds).
stamp()
{
	local line
	while IFS= read -r line; do
		printf '%s %s\n' "$EPOCHREALTIME" "$line"
	done
}

# start_distccd NAME [JOBS]: a private distccd on a free port taking JOBS (2)
# compiles at once, its log lines stamped in $T/NAME.log; sets DISTCCD_PORT.
start_distccd()
{
	command -v distccd >/dev/null || fail "distccd is not installed (tests/setup.sh)"
	DISTCCD_PORT=$(free_port)
	distccd --no-detach --daemon --listen 127.0.0.1 --port "$DISTCCD_PORT" \
		--allow 127.0.0.1 --log-stderr --log-level info --jobs "${2:-2}" \
		2> >(stamp > "$T/$1.log") &
	SERVER_PIDS+=($!)
	wait_port "$DISTCCD_PORT"
}

# start_listener: a TCP listener on a free port that logs each connection it
# accepts to $T/listener.log; sets LISTENER_PORT. What a job must not reach.
start_listener()
{
	LISTENER_PORT=$(free_port)
	python3 - "$LISTENER_PORT" "$T/listener.log" <<'X' &
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen(16)
while True:
    c, peer = s.accept()
    with open(sys.argv[2], "a") as log:
        log.write("connection from %s:%d\n" % peer)
    c.close()
X
	SERVER_PIDS+=($!)
	: > "$T/listener.log"
	wait_port "$LISTENER_PORT"
	# wait_port's own connection is logged a moment later: wait, then forget it
	for _ in $(seq 100); do [ -s "$T/listener.log" ] && break; sleep 0.05; done
	[ -s "$T/listener.log" ] || fail "the listener does not log its connections"
	: > "$T/listener.log"
}

# max_overlap LOG...: the most compiles the daemons ran at the same time.
max_overlap()
{
	python3 - "$@" <<'X'
import re, sys
events = []
for log in sys.argv[1:]:
    start = {}
    for line in open(log):
        m = re.match(r"(\S+) distccd\[(\d+)\] (.*)", line)
        if not m:
            continue
        t, pid, what = float(m.group(1)), (log, m.group(2)), m.group(3)
        if what.startswith("compile from "):
            start[pid] = t
        elif "(dcc_job_summary)" in what and pid in start:
            events += [(start.pop(pid), 1), (t, -1)]
now = best = 0
for _, d in sorted(events, key=lambda e: (e[0], e[1])):
    now += d
    best = max(best, now)
print(best)
X
}

# fanout_project DIR: a CMake project of the units $FANOUT_UNITS (a b c d),
# which all include one header, with three commits on top of the tag base: a
# warning in the header (every unit), a warning in unit b, and its fix.
# $FANOUT_CMAKE, when set, is one more line of its CMakeLists.txt.
fanout_project()
{
	mkdir -p "$1/src" && cd "$1" && git init -q
	cat > CMakeLists.txt <<'X'
cmake_minimum_required(VERSION 3.13)
project(fan C)
X
	local units=${FANOUT_UNITS:-a b c d}
	echo "add_library(fan STATIC $(printf 'src/%s.c ' $units))" >> CMakeLists.txt
	[ -z "${FANOUT_CMAKE:-}" ] || echo "$FANOUT_CMAKE" >> CMakeLists.txt
	printf '#ifndef COMMON_H\n#define COMMON_H\nstatic inline int twice(int x)\n{\n\treturn 2 * x;\n}\n#endif\n' > src/common.h
	for u in $units; do
		printf '#include "common.h"\nint %s_fn(int v)\n{\n\treturn twice(v) + %d;\n}\n' \
			"$u" "$(printf %d "'$u")" > "src/$u.c"
	done
	printf '[defaults]\nanalyzers = gcc\n[analyzer.gcc]\nextra_flags = -Wall -Wextra\n' > .mkt-gate.conf
	git add -A && git commit -qm base && git tag base
	sed -i 's/\treturn 2 \* x;/\tint unused;\n\treturn 2 * x;/' src/common.h
	git commit -qam "common.h: a warning every unit sees"
	sed -i 's/\treturn twice(v)/\tint spare;\n\treturn twice(v)/' src/b.c
	git commit -qam "b: a warning of its own"
	sed -i '/int spare;/d' src/b.c
	git commit -qam "b: fix it"
}

# findings FILE: each commit's verdict and its new and fixed findings, one per
# line, without run-specific data (timings, cache flags).
findings()
{
	python3 - "$1" <<'X'
import json, sys
r = json.load(open(sys.argv[1]))
for c in r["commits"]:
    print(c["subject"], c["verdict"])
    for ch in c["checks"]:
        for kind in ("new", "fixed"):
            for f in ch[kind]:
                print(" ", ch["analyzer"], kind, f.get("file"), f.get("line"),
                      f.get("function"), f.get("rule"), f["message"], f["fingerprint"])
X
}
