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

# start_distccd NAME: a private distccd on a free port logging to $T/NAME.log;
# sets DISTCCD_PORT.
start_distccd()
{
	command -v distccd >/dev/null || fail "distccd is not installed (tests/setup.sh)"
	DISTCCD_PORT=$(free_port)
	distccd --no-detach --daemon --listen 127.0.0.1 --port "$DISTCCD_PORT" \
		--allow 127.0.0.1 --log-stderr --log-level info --jobs 2 \
		2>"$T/$1.log" &
	SERVER_PIDS+=($!)
	wait_port "$DISTCCD_PORT"
}

# fanout_project DIR: a CMake project of four units that include one header,
# with three commits on top of the tag base: a warning in the header (all four
# units), a warning in one unit, and its fix.
fanout_project()
{
	mkdir -p "$1/src" && cd "$1" && git init -q
	cat > CMakeLists.txt <<'X'
cmake_minimum_required(VERSION 3.13)
project(fan C)
add_library(fan STATIC src/a.c src/b.c src/c.c src/d.c)
X
	printf '#ifndef COMMON_H\n#define COMMON_H\nstatic inline int twice(int x)\n{\n\treturn 2 * x;\n}\n#endif\n' > src/common.h
	for u in a b c d; do
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
