#!/bin/bash
# t020-install.sh: `cmake --install` ships what a user runs and reads (the
# binary, a man page per command that says what its -h says, bash and zsh
# completion from the same tables, the example configs, boot fragment, image
# recipes, report schema and the gerrit watch unit) and nothing test-only.
. "$(dirname "$0")/lib/common.sh"
: "${MKT_GATE_BUILD:?MKT_GATE_BUILD must name the build directory}"

inst=$T/inst
cmake --install "$MKT_GATE_BUILD" --prefix "$inst" >/dev/null
cmds=$("$MKT_GATE" help --words | sed -n 's/^:commands //p')
[ "$(wc -w <<<"$cmds")" -ge 12 ] || fail "help --words lists only: $cmds"

want="bin/mkt-gate share/man/man1/mkt-gate.1
share/bash-completion/completions/mkt-gate share/zsh/site-functions/_mkt-gate
share/mkt-gate/report-v1.schema.json share/mkt-gate/configs/example-kernel.conf
share/mkt-gate/configs/example-cmake.conf share/mkt-gate/configs/kernel/qemu-boot.config
share/mkt-gate/containers/image/Containerfile share/mkt-gate/containers/image/packages.txt
share/mkt-gate/containers/recipes/sparse.recipe lib/systemd/user/mkt-gate-gerrit-watch@.service"
for c in $cmds; do
	want+=" share/man/man1/mkt-gate-$c.1"
done
for f in $want; do
	[ -f "$inst/$f" ] || fail "not installed: $f"
done
# Test-only files stay in tests/; no source, header or build file ships.
junk=$(cd "$inst" && find . -type f \( -name 'self-gate*' -o -name 'gate-test*' \
	-o -name '*.[ch]' -o -name '*.cmake' -o -name '*.in' -o -path '*/tests/*' \))
[ -z "$junk" ] || fail "test-only or source files installed: $junk"
pass "installed: $(wc -w <<<"$want") files, nothing test-only"

# Every page renders without a groff warning, and names each long option
# its command's -h lists (one source: help and man cannot drift).
export MANWIDTH=200
for c in "" $cmds; do
	page=$inst/share/man/man1/mkt-gate${c:+-$c}.1
	warn=$(groff -man -ww -z "$page" 2>&1) || fail "groff failed on $page"
	[ -z "$warn" ] || fail "groff warns on $page: $warn"
	text=$(man -l "$page" 2>&1 | col -b) || fail "man -l $page failed"
	grep -q "^NAME" <<<"$text" && grep -q "mkt-gate${c:+-$c} - " <<<"$text" ||
		fail "man -l $page has no NAME line: $(head -5 <<<"$text")"
	[ -z "$c" ] && continue
	for o in $("$MKT_GATE" "$c" -h | grep -oE -- '--[a-z][a-z-]*' | sort -u); do
		grep -qF -- "$o" <<<"$text" || fail "man mkt-gate-$c lacks $o, which -h lists"
	done
done
# (grep on a variable: grep -q in a pipe can end man early, and pipefail sees that)
main_page=$(man -l "$inst/share/man/man1/mkt-gate.1" | col -b)
grep -q "EXIT STATUS" <<<"$main_page" || fail "mkt-gate(1) has no EXIT STATUS"
pass "man -l: mkt-gate and its $(wc -w <<<"$cmds") commands, each with every option of its -h"

# bash: the installed script registers itself and completes from the tables.
complete_bash()
{
	bash -c '
		source "$1"; shift
		complete -p mkt-gate | grep -q -- "-F _mkt_gate mkt-gate" || exit 9
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMPREPLY=()
		_mkt_gate
		printf "%s\n" "${COMPREPLY[@]}"' bash \
		"$inst/share/bash-completion/completions/mkt-gate" "$@"
}
expect_complete()
{
	local want=$1 got
	shift
	got=$(complete_bash "$@" | tr '\n' ' ') || fail "bash completion of '$*' failed"
	[ "$got" = "$want " ] || fail "'$*<TAB>' offers '$got', want '$want'"
}
expect_complete "range" mkt-gate ra
expect_complete "--analyzers=" mkt-gate range --an
expect_complete "gcc,sparse" mkt-gate range --analyzers = gcc,sp
expect_complete "error warning info" mkt-gate commit --fail-on ""
expect_complete "first-parent" mkt-gate range --merges f
expect_complete "review watch" mkt-gate gerrit ""
expect_complete "--once" mkt-gate gerrit watch --on
expect_complete "merge" mkt-gate report m
expect_complete "--output= --help" mkt-gate report merge --
expect_complete "pre-push post-commit" mkt-gate hook p
expect_complete "init install" mkt-gate help in
for c in $cmds; do
	offered=$(complete_bash mkt-gate "$c" --)
	for o in $("$MKT_GATE" "$c" -h | sed -n 's/^ *\(-., \)\?\(--[a-z-]*\).*/\2/p'); do
		grep -qE -- "^$o=?\$" <<<"$offered" || fail "'mkt-gate $c --<TAB>' lacks $o"
	done
done
pass "bash completion: commands, subcommands, options of every command, analyzers"

# zsh, where installed: the function completes from the same table.
if command -v zsh >/dev/null; then
	got=$(zsh -f -c '
		compadd() { while (( $# )); do case $1 in --) shift; break;;
			-S|-P|-J|-X) shift 2;; -*) shift;; *) break;; esac; done; print -r -- "$@"; }
		compset() { return 0 }
		words=(mkt-gate gerrit ""); CURRENT=3; source "$1"' zsh \
		"$inst/share/zsh/site-functions/_mkt-gate") || fail "zsh completion failed"
	[ "$got" = "review watch" ] || fail "zsh offers '$got' after 'mkt-gate gerrit'"
	pass "zsh completion"
fi

# The unit is valid for systemd (with the staged binary and man pages).
if command -v systemd-analyze >/dev/null; then
	mkdir "$T/units"
	sed "s|^ExecStart=mkt-gate|ExecStart=$inst/bin/mkt-gate|" \
		"$inst/lib/systemd/user/mkt-gate-gerrit-watch@.service" \
		>"$T/units/mkt-gate-gerrit-watch@.service"
	ln -s "mkt-gate-gerrit-watch@.service" "$T/units/mkt-gate-gerrit-watch@srv-linux.service"
	out=$(MANPATH=$inst/share/man systemd-analyze verify \
		"$T/units/mkt-gate-gerrit-watch@srv-linux.service" 2>&1) ||
		fail "systemd-analyze verify: $out"
	[ -z "$out" ] || fail "systemd-analyze verify warns: $out"
	pass "the gerrit watch unit verifies"
fi
