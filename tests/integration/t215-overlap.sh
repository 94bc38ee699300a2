#!/bin/bash
# t215-overlap.sh: the patch-level analyzers of a commit run while its units
# build, instead of after them. A stand-in checkpatch waits for a compile of
# the commit to start, and that compile waits for checkpatch to have
# started: only a gate that overlaps the two finishes with both marks.
. "$(dirname "$0")/lib/common.sh"

P=$T/proj
mkdir -p "$P" && cd "$P" && git init -q
printf 'cmake_minimum_required(VERSION 3.10)\nproject(o C)\nadd_executable(o a.c)\n' > CMakeLists.txt
printf 'int main(void)\n{\n\treturn 0;\n}\n' > a.c
git add -A && git commit -qm base && git tag base
printf 'int main(void)\n{\n\treturn 1;\n}\n' > a.c
git commit -qs -am "a: exit 1"
before=$(repo_fingerprint "$P")

cat > "$T/checkpatch" <<X
#!/bin/sh
touch "$T/checkpatch-started"
for i in \$(seq 100); do
	[ -e "$T/compile-overlapped" ] && { touch "$T/checkpatch-saw-compile"; exit 0; }
	sleep 0.1
done
exit 0
X
cat > "$T/cc" <<X
#!/bin/sh
# Only the commit's own compile comes after checkpatch started.
for i in \$(seq 50); do
	[ -e "$T/checkpatch-started" ] && { touch "$T/compile-overlapped"; break; }
	sleep 0.1
done
exec gcc "\$@"
X
chmod +x "$T/checkpatch" "$T/cc"
printf '[analyzer.checkpatch]\npath = %s\n[analyzer.gcc]\ncommand = %s\n' \
	"$T/checkpatch" "$T/cc" > "$T/gate.conf"

expect_rc 0 "$MKT_GATE" range base..HEAD --engine host --analyzers=gcc,checkpatch \
	--config "$T/gate.conf" --json "$T/r.json"
schema_check "$T/r.json"
[ -e "$T/checkpatch-saw-compile" ] || fail "checkpatch did not run while the commit built"
[ "$(jget "[c['analyzer'] for c in r['commits'][0]['checks']]" "$T/r.json")" = \
	"['gcc', 'checkpatch']" ] || fail "checks: $(jget "r['commits'][0]['checks']" "$T/r.json")"
pass "checkpatch runs while the commit's units build; unit checks still come first"
[ "$before" = "$(repo_fingerprint "$P")" ] || fail "a run changed the user's repository"
