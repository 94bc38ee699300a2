#!/bin/bash
# t603-report-html.sh: the HTML report renders in headless Chromium, shows
# the findings, and no script smuggled in through the report runs.
set -euo pipefail

. "$(dirname "$0")/lib/common.sh"
sample="$MKT_GATE_SRC/tests/data/reports/sample.json"

# Hostile report: markup and script in every string a commit brings in
python3 - "$sample" "$T/hostile.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
evil = ("<script>document.title='PWNED'</script>"
        "<img src=x onerror=\"document.body.setAttribute('data-pwned','1')\">")
c = r["commits"][2]
c["subject"] += evil
c["author"] = evil
c["checks"][1]["new"][0]["message"] += evil
c["checks"][1]["new"][0]["file"] += "\"><b id=pwned>x</b>"
c["checks"][1]["analyzer"] += "\" onmouseover=\"alert(1)"
r["range"] += evil
json.dump(r, open(sys.argv[2], "w"))
PY
"$MKT_GATE" report --from "$sample" --html "$T/r.html"
"$MKT_GATE" report --from "$T/hostile.json" --html "$T/h.html"
xmllint --html --noout "$T/r.html" 2>"$T/lint" || true
grep -E -q "http|src=|href=\"[a-z]+:" "$T/r.html" && fail "external asset referenced"
grep -q "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quoted&quot;" "$T/r.html" ||
	fail "subject not escaped"
# A finding reads as the terminal's line: file:line:col: ... [rule] (analyzer)
python3 - "$T/r.html" <<'PY' || fail "a finding lacks its column or analyzer"
import html, re, sys
text = html.unescape(re.sub(r"<[^>]+>", "", open(sys.argv[1]).read()))
for want in (r"net/core/dev\.c:1042:13: warning: unused variable 'ret'.* \[-Wunused-variable\] \(gcc\)",
             r"net/core/dev\.c:1040: error: space required .*\[SPACING\] \(checkpatch\)",
             r"fixed net/core/dev\.c:877: warning: context imbalance .* \(sparse\)"):
    assert re.search(want, text), want
PY

if ! command -v chromium >/dev/null 2>&1; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		apt-get install -y chromium >"$T/apt.log" 2>&1 || true
	fi
fi
if ! command -v chromium >/dev/null 2>&1; then
	echo "SKIP: chromium is not installed and cannot be installed here"
	exit 0
fi

browse() {
	timeout 120 chromium --headless --no-sandbox --disable-gpu --no-first-run \
		--disable-background-networking --disable-component-update \
		--disable-sync --user-data-dir="$(mktemp -d "$T/profile.XXXXXX")" \
		"$@" 2>>"$T/chromium.log"
}

browse --dump-dom "file://$T/r.html" >"$T/r.dom"
for text in "mkt-gate: fail" \
	"space required before the open parenthesis" \
	"context imbalance in 'netif_rx_internal'" \
	"smatch is not installed" \
	"Transient: introduced, then removed by a later commit (1)" \
	"&lt;script&gt;alert(1)&lt;/script&gt;"; do
	grep -qF "$text" "$T/r.dom" || fail "rendered page lacks '$text'"
done
# The filter script ran and hid nothing while every box is ticked
grep -q 'class="finding[^"]*hidden' "$T/r.dom" && fail "findings hidden by default"

browse --dump-dom "file://$T/h.html" >"$T/h.dom"
grep -q "PWNED</title>" "$T/h.dom" && fail "injected script ran (title)"
grep -q '<body[^>]*data-pwned' "$T/h.dom" && fail "injected onerror handler ran"
grep -q '<b id="pwned"' "$T/h.dom" && fail "markup injected through a file name"
grep -q '&lt;script&gt;document.title' "$T/h.dom" || fail "hostile subject not shown as text"

browse --screenshot="$T/r.png" --window-size=1280,1600 "file://$T/r.html" \
	>/dev/null
[ -s "$T/r.png" ] || fail "no screenshot"
if [ -n "${MKT_GATE_KEEP_SCREENSHOT:-}" ]; then
	cp "$T/r.png" "$MKT_GATE_KEEP_SCREENSHOT"
fi
pass "html"
