#!/bin/bash
# t905-boot-config.sh: `mkt-gate boot` reads the config layers as every other
# command does: the repository top's .mkt-gate.conf, also from a subdirectory;
# outside a repository the working directory's. No kernel is booted.
. "$(dirname "$0")/lib/common.sh"

# A target known only to the top's config: found, so boot goes on to the kernel.
P=$T/repo
mkdir -p "$P/sub/dir" && cd "$P" && git init -q
printf '[board]\naccel = tcg\n' > .mkt-gate.conf
cd sub/dir
expect_rc 126 "$MKT_GATE" boot --target board --kernel "$T/no-such-bzImage" -- true
expect_not_in "$OUT" "no boot target 'board'"
expect_in "$OUT" "cannot read the kernel image '$T/no-such-bzImage'"
printf '[board]\nbogus = 1\n' > "$P/.mkt-gate.conf"
expect_rc 2 "$MKT_GATE" boot --target board --kernel "$T/no-such-bzImage" -- true
expect_in "$OUT" "$P/.mkt-gate.conf:2: unknown key 'bogus' in \[board\]"
pass "boot in a subdirectory reads the repository top's .mkt-gate.conf"

# Outside a repository (beside a build tree) the working directory's config counts.
mkdir -p "$T/plain" && cd "$T/plain"
printf '[board]\naccel = tcg\n' > .mkt-gate.conf
expect_rc 126 "$MKT_GATE" boot --target board --kernel "$T/no-such-bzImage" -- true
expect_in "$OUT" "cannot read the kernel image"
rm .mkt-gate.conf
expect_rc 2 "$MKT_GATE" boot --target board --kernel "$T/no-such-bzImage" -- true
expect_in "$OUT" "no boot target 'board' in the configuration"
pass "boot outside a repository reads the working directory's .mkt-gate.conf"
