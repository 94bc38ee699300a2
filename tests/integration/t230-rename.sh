#!/bin/bash
# t230-rename.sh: a finding keeps its identity through renames (issue 19,
# item 3): renaming a function, moving it to another file or renaming a
# static variable a warning names is neither new nor fixed, while a new
# warning added in the same commit as a rename is still exactly one new.
. "$(dirname "$0")/lib/common.sh"

P=$T/proj
mkdir -p "$P" && cd "$P" && git init -q
cat > CMakeLists.txt <<'X'
cmake_minimum_required(VERSION 3.10)
project(ren C)
add_executable(ren main.c a.c b.c)
X
printf 'int classify(int v);\nint other(void);\n' > a.h
printf '#include "a.h"\n\nint main(void)\n{\n\treturn classify(other());\n}\n' > main.c
printf '#include "a.h"\n\nint other(void)\n{\n\treturn 2;\n}\n' > b.c
printf '#include "a.h"\n' > a.c
git add -A && git commit -qm base && git tag base

# 1: two fall-throughs in classify() and an unused static in a.c.
cat >> a.c <<'X'

static int counter;

int classify(int v)
{
	int r = 0;

	switch (v) {
	case 0:
		r += 1;
	case 1:
		r += 2;
	case 2:
		r += 3;
		break;
	default:
		break;
	}
	return r;
}
X
git add -A && git commit -qm "a: classify values"
body=$(sed -n '/^int classify/,/^}/p' a.c)

# 2: a pure rename of the function, with its callers.
sed -i 's/\bclassify\b/classify_value/' a.h main.c a.c
git commit -qam "a: rename classify to classify_value"

# 3: the function moves to b.c, unchanged.
sed -i '/^int classify_value/,/^}/d' a.c
sed -i '$d' a.c
printf '\n%s\n' "${body//classify/classify_value}" >> b.c
git commit -qam "move classify_value to b.c"

# 4: the unused static variable the warning names is renamed.
sed -i 's/^static int counter;/static int hits;/' a.c
git commit -qam "a: rename counter to hits"

# 5: a rename that also adds a third fall-through of the same kind.
sed -i 's/\bclassify_value\b/classify_input/' a.h main.c b.c
sed -i 's/^\t\tr += 3;/\t\tr += 3;\n\tcase 3:\n\t\tr += 4;/' b.c
git commit -qam "b: rename classify_value to classify_input, add case 3"

expect_rc 1 "$MKT_GATE" range base..HEAD --engine host --analyzers=gcc --json "$T/r.json"
schema_check "$T/r.json"

# new, fixed and preexisting of commit $1's gcc check, as "N/N/N".
counts()
{
	jget "'%d/%d/%d' % (len(r['commits'][$1]['checks'][0]['new']), len(r['commits'][$1]['checks'][0]['fixed']), r['commits'][$1]['checks'][0]['preexisting'])" "$T/r.json"
}
rules()
{
	jget "sorted(f['rule'] for f in r['commits'][$1]['checks'][0]['new'])" "$T/r.json"
}

[ "$(counts 0)" = 3/0/0 ] || fail "commit 1: want 3 new, got $(counts 0)"
[ "$(rules 0)" = "['-Wimplicit-fallthrough', '-Wimplicit-fallthrough', '-Wunused-variable']" ] ||
	fail "commit 1: the findings are $(rules 0)"
pass "the findings of the first commit"

[ "$(counts 1)" = 0/0/3 ] || fail "commit 2 (function renamed): want 0/0/3, got $(counts 1)"
pass "a renamed function keeps its findings"

[ "$(counts 2)" = 0/0/3 ] || fail "commit 3 (function moved to b.c): want 0/0/3, got $(counts 2)"
pass "a function moved to another file keeps its findings"

[ "$(counts 3)" = 0/0/1 ] || fail "commit 4 (static renamed): want 0/0/1, got $(counts 3)"
pass "a renamed static variable keeps its finding"

[ "$(counts 4)" = 1/0/3 ] || fail "commit 5 (rename + new warning): want 1/0/3, got $(counts 4)"
[ "$(jget "r['commits'][4]['checks'][0]['new'][0]['function']" "$T/r.json")" = classify_input ] ||
	fail "commit 5: the new finding is in classify_input"
[ "$(jget "r['commits'][4]['checks'][0]['new'][0]['line']" "$T/r.json")" = \
	"$(grep -n 'r += 3;' b.c | cut -d: -f1)" ] || fail "commit 5: the new finding is the fall-through into case 3"
pass "a rename does not hide a new warning added with it"

[ "$(jget "[c['verdict'] for c in r['commits']]" "$T/r.json")" = \
	"['fail', 'pass', 'pass', 'pass', 'fail']" ] || fail "verdicts: $(jget "[c['verdict'] for c in r['commits']]" "$T/r.json")"
[ "$(jget "(len(r['series']['new']), len(r['series']['fixed']))" "$T/r.json")" = "(4, 0)" ] ||
	fail "series: want 4 new, 0 fixed"
pass "verdicts and series"
