/* html.c: the HTML report, one self-contained page (inline CSS, a little JS).
 * Every string from the model is escaped here; never prints or exits. */
#include "report.h"
#include "alloc.h"
#include "model.h"
#include "text.h"
#include "error.h"
#include "strbuf.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define SNIPPET_CONTEXT 3	/* lines shown above and below a finding */

/*
 * Appends are sticky: the first failure (the buffer cap, memory) sets
 * `failed` and later appends do nothing, so the page is written in
 * straight-line code and checked once at the end.
 */
struct html {
	struct strbuf out;
	const struct rep_source *src;
	const char **analyzers;	/* borrowed from the report, first seen order */
	size_t nr_analyzers, alloc_analyzers;
	int failed;
	/*
	 * The file of the last snippet and where its lines start: findings
	 * come in runs on one file, and reading the blob and counting lines
	 * anew for each one made 20,000 findings take a minute.
	 */
	char *snip_key;		/* "sha:path", NULL when none read yet */
	int snip_ok;		/* the file could be read */
	struct strbuf snip;
	size_t *starts;		/* offset of each line in snip */
	size_t nr_starts, alloc_starts;
};

static const char css[] =
	"body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1d232a;background:#f6f7f9}"
	"main{max-width:1200px;margin:0 auto;padding:0 20px 40px}"
	"header{padding:18px 20px;color:#fff}"
	"header h1{margin:0;font-size:26px}header p{margin:4px 0 0;opacity:.9}"
	".v-pass{background:#1a7f37}.v-fail{background:#cf222e}"
	".v-error{background:#8250df}.v-skipped{background:#9a6700}"
	"h2{margin:28px 0 10px;font-size:18px}"
	"table{border-collapse:collapse;width:100%;background:#fff}"
	"th,td{border:1px solid #d0d7de;padding:5px 8px;text-align:left;vertical-align:top}"
	"th{background:#eaeef2}td.n{text-align:right;white-space:nowrap}"
	"code,pre,.sha{font-family:ui-monospace,monospace;font-size:12.5px}"
	".badge{display:inline-block;padding:1px 7px;border-radius:10px;color:#fff;"
	"font-size:12px;font-weight:600}"
	".new{color:#cf222e;font-weight:600}.fixed{color:#1a7f37}.muted{color:#6e7781}"
	".commit{background:#fff;border:1px solid #d0d7de;border-radius:6px;"
	"margin:14px 0;padding:10px 14px}"
	".commit h3{margin:0 0 8px;font-size:15px}"
	".finding{border-left:4px solid #bf8700;margin:8px 0;padding:4px 10px;background:#fbfbfc}"
	".finding.s-error{border-color:#cf222e}.finding.s-info{border-color:#0969da}"
	".finding.is-fixed{border-color:#1a7f37;opacity:.85}"
	".sev{font-weight:600}.s-error .sev{color:#cf222e}.s-warning .sev{color:#9a6700}"
	".s-info .sev{color:#0969da}.rule,.analyzer{color:#6e7781}"
	"pre.code{margin:6px 0;background:#f6f8fa;border:1px solid #d0d7de;"
	"padding:4px 0;overflow-x:auto;tab-size:8}"
	"pre.code span{display:block;padding:0 8px}pre.code .hit{background:#ffebe9}"
	"pre.code i{display:inline-block;width:5em;color:#6e7781;font-style:normal;"
	"user-select:none}"
	"#filters{background:#fff;border:1px solid #d0d7de;border-radius:6px;"
	"padding:8px 14px;margin-top:16px}#filters label{margin-right:12px}"
	".hidden{display:none}";

/* Hides the findings whose analyzer or severity is unticked. */
static const char js[] =
	"(function(){var f=document.getElementById('filters');"
	"function on(k){var s={};f.querySelectorAll('input[data-'+k+']')"
	".forEach(function(i){if(i.checked)s[i.getAttribute('data-'+k)]=1});return s}"
	"function apply(){var a=on('analyzer'),s=on('severity');"
	"document.querySelectorAll('.finding').forEach(function(e){"
	"var show=a[e.getAttribute('data-analyzer')]&&s[e.getAttribute('data-severity')];"
	"e.classList.toggle('hidden',!show)})}"
	"f.addEventListener('change',apply);apply()})();";

static void put(struct html *h, const char *s)
{
	if (!h->failed && strbuf_addstr(&h->out, s))
		h->failed = 1;
}

static void putf(struct html *h, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void putf(struct html *h, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (!h->failed && strbuf_vaddf(&h->out, fmt, ap))
		h->failed = 1;
	va_end(ap);
}

/* Text from the model: cleaned, on one line, escaped for text and attributes. */
static void esc(struct html *h, const char *s)
{
	if (!h->failed &&
	    rep_text_cleanstr(&h->out, s ? s : "", REP_TEXT_HTML | REP_TEXT_ONELINE))
		h->failed = 1;
}

static void esc_n(struct html *h, const char *s, size_t len)
{
	if (!h->failed && rep_text_clean(&h->out, s, len, REP_TEXT_HTML))
		h->failed = 1;
}

/* open, then s escaped, then close: the shape of most of the page. */
static void wrap(struct html *h, const char *open, const char *s,
		 const char *close)
{
	put(h, open);
	esc(h, s);
	put(h, close);
}

static void badge(struct html *h, const char *verdict)
{
	wrap(h, "<span class=\"badge v-", verdict, "\">");
	esc(h, verdict);
	put(h, "</span>");
}

static int collect_analyzers(struct html *h, const json_t *report)
{
	const json_t *commit, *check;
	size_t i, k, a;

	json_array_foreach(rep_arr(report, "commits"), i, commit) {
		json_array_foreach(rep_arr(commit, "checks"), k, check) {
			const char *name = rep_str_or(check, "analyzer", "?");

			for (a = 0; a < h->nr_analyzers; a++)
				if (!strcmp(h->analyzers[a], name))
					break;
			if (a < h->nr_analyzers)
				continue;
			if (ALLOC_GROW(h->analyzers, a + 1, h->alloc_analyzers))
				return -1;
			h->analyzers[h->nr_analyzers++] = name;
		}
	}
	return 0;
}

static void put_header(struct html *h, const json_t *report)
{
	const char *verdict = rep_str_or(report, "verdict", "error");
	const json_t *series = json_object_get(report, "series");

	put(h, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	    "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
	    "<title>mkt-gate: ");
	esc(h, verdict);
	put(h, " ");
	esc(h, rep_str(report, "range"));
	putf(h, "</title><style>%s</style></head><body>\n", css);
	wrap(h, "<header class=\"v-", verdict, "\"><h1>mkt-gate: ");
	esc(h, verdict);
	put(h, "</h1><p><code>");
	esc(h, rep_str(report, "range"));
	putf(h, "</code> &middot; %zu commits &middot; %zu new, %zu fixed, "
	     "%zu transient &middot; %.1f s",
	     json_array_size(rep_arr(report, "commits")),
	     json_array_size(rep_arr(series, "new")),
	     json_array_size(rep_arr(series, "fixed")),
	     json_array_size(rep_arr(series, "transient")),
	     rep_num(report, "duration_s"));
	if (rep_str(report, "engine")) {
		put(h, " &middot; engine ");
		esc(h, rep_str(report, "engine"));
	}
	if (rep_str(report, "started_at")) {
		put(h, " &middot; ");
		esc(h, rep_str(report, "started_at"));
	}
	put(h, "</p></header>\n<main>\n");
}

static void put_filters(struct html *h)
{
	static const char *const sevs[] = { "error", "warning", "info" };

	put(h, "<form id=\"filters\"><b>Analyzer:</b> ");
	for (size_t i = 0; i < h->nr_analyzers; i++) {
		wrap(h, "<label><input type=\"checkbox\" checked data-analyzer=\"",
		     h->analyzers[i], "\"> ");
		esc(h, h->analyzers[i]);
		put(h, "</label>");
	}
	put(h, " <b>Severity:</b> ");
	for (size_t i = 0; i < sizeof(sevs) / sizeof(*sevs); i++)
		putf(h, "<label><input type=\"checkbox\" checked "
		     "data-severity=\"%s\"> %s</label>", sevs[i], sevs[i]);
	put(h, "</form>\n");
}

static const json_t *find_check(const json_t *commit, const char *analyzer)
{
	const json_t *c;
	size_t i;

	json_array_foreach(rep_arr(commit, "checks"), i, c)
		if (!strcmp(rep_str_or(c, "analyzer", "?"), analyzer))
			return c;
	return NULL;
}

static void put_count_cell(struct html *h, const json_t *check)
{
	const char *status = rep_str_or(check, "status", "");
	size_t nnew = json_array_size(rep_arr(check, "new"));
	size_t nfixed = json_array_size(rep_arr(check, "fixed"));

	if (!check) {
		put(h, "<td class=\"n muted\">&ndash;</td>");
		return;
	}
	if (!strcmp(status, "skipped") || !strcmp(status, "error")) {
		wrap(h, "<td class=\"n muted\" title=\"", rep_str(check, "reason"), "\">");
		esc(h, status);
		put(h, "</td>");
		return;
	}
	putf(h, "<td class=\"n\"><span class=\"%s\">+%zu</span> / "
	     "<span class=\"%s\">&minus;%zu</span></td>",
	     nnew ? "new" : "muted", nnew, nfixed ? "fixed" : "muted", nfixed);
}

static void put_commit_table(struct html *h, const json_t *report)
{
	const json_t *commit;
	char sha[REP_SHORT_SHA];
	size_t i, a;

	put(h, "<h2>Commits</h2>\n<table class=\"commits\"><thead><tr><th>commit</th>"
	    "<th>subject</th><th>verdict</th>");
	for (a = 0; a < h->nr_analyzers; a++) {
		wrap(h, "<th>", h->analyzers[a],
		     "<br><small class=\"muted\">new / fixed</small></th>");
	}
	put(h, "<th>time</th></tr></thead><tbody>\n");
	json_array_foreach(rep_arr(report, "commits"), i, commit) {
		rep_short_sha(sha, rep_str(commit, "sha"));
		wrap(h, "<tr><td class=\"sha\"><a href=\"#c-", sha, "\">");
		esc(h, sha);
		wrap(h, "</a></td><td>", rep_str(commit, "subject"), "</td><td>");
		badge(h, rep_str_or(commit, "verdict", "error"));
		put(h, "</td>");
		for (a = 0; a < h->nr_analyzers; a++)
			put_count_cell(h, find_check(commit, h->analyzers[a]));
		putf(h, "<td class=\"n\">%.1f s</td></tr>\n",
		     rep_num(commit, "duration_s"));
	}
	put(h, "</tbody></table>\n");
}

/* The lines around `line` of the snippet's file, the line itself marked. */
static void put_snippet_lines(struct html *h, long long line)
{
	const char *text = h->snip.buf;
	size_t n = line > SNIPPET_CONTEXT ? (size_t)(line - SNIPPET_CONTEXT) : 1;

	put(h, "<pre class=\"code\">");
	for (; n <= h->nr_starts && (long long)n <= line + SNIPPET_CONTEXT; n++) {
		const char *p = text + h->starts[n - 1];
		const char *nl = memchr(p, '\n', h->snip.len - h->starts[n - 1]);

		putf(h, "<span%s><i>%zu</i>", (long long)n == line ? " class=\"hit\"" : "", n);
		esc_n(h, p, (size_t)((nl ? nl : text + h->snip.len) - p));
		put(h, "</span>");
	}
	put(h, "</pre>");
}

/* Reads the file of sha at path into h->snip, unless it is there already. */
static int load_snippet_file(struct html *h, const char *sha, const char *path)
{
	char *key;

	if (asprintf(&key, "%s:%s", sha, path) < 0)
		return -1;
	if (h->snip_key && !strcmp(h->snip_key, key)) {
		free(key);
		return h->snip_ok ? 0 : -1;
	}
	free(h->snip_key);
	h->snip_key = key;
	strbuf_reset(&h->snip);
	h->snip.cap = 64 << 20;
	h->nr_starts = 0;
	h->snip_ok = !h->src->read(h->src->data, sha, path, &h->snip);
	for (size_t at = 0; h->snip_ok && at < h->snip.len; ) {
		const char *nl = memchr(h->snip.buf + at, '\n', h->snip.len - at);

		if (ALLOC_GROW(h->starts, h->nr_starts + 1, h->alloc_starts)) {
			h->snip_ok = 0;
			break;
		}
		h->starts[h->nr_starts++] = at;
		at = nl ? (size_t)(nl - h->snip.buf) + 1 : h->snip.len;
	}
	return h->snip_ok ? 0 : -1;
}

static void put_snippet(struct html *h, const char *sha, const json_t *f)
{
	long long line = rep_int(f, "line");

	if (!h->src || !h->src->read || !sha || !rep_str(f, "file") || line < 1)
		return;
	if (!load_snippet_file(h, sha, rep_str(f, "file")))
		put_snippet_lines(h, line);
}

/* A finding; `sha` is the commit whose file content shows it, or NULL. */
static void put_finding(struct html *h, const json_t *f, const char *sha,
			int fixed)
{
	const char *sev = rep_str_or(f, "severity", "warning");

	put(h, "<div class=\"finding s-");
	esc(h, sev);
	put(h, fixed ? " is-fixed" : "");
	wrap(h, "\" data-analyzer=\"", rep_str(f, "analyzer"), "\" data-severity=\"");
	esc(h, sev);
	put(h, "\">");
	if (fixed)
		put(h, "<span class=\"fixed\">fixed</span> ");
	put(h, "<code>");
	if (!h->failed && rep_finding_location(&h->out, f, REP_TEXT_HTML))
		h->failed = 1;
	wrap(h, "</code><span class=\"sev\">", sev, "</span>: ");
	esc(h, rep_str(f, "message"));
	if (rep_str(f, "rule"))
		wrap(h, " <span class=\"rule\">[", rep_str(f, "rule"), "]</span>");
	/* Who said it: gcc's and clang's same warning must not look alike. */
	if (rep_str(f, "analyzer"))
		wrap(h, " <span class=\"analyzer\">(", rep_str(f, "analyzer"), ")</span>");
	put_snippet(h, sha, f);
	put(h, "</div>\n");
}

static void put_check(struct html *h, const json_t *commit, const json_t *check)
{
	const char *status = rep_str_or(check, "status", "");
	const json_t *f;
	size_t i;

	json_array_foreach(rep_arr(check, "new"), i, f)
		put_finding(h, f, rep_str(commit, "sha"), 0);
	json_array_foreach(rep_arr(check, "fixed"), i, f)
		put_finding(h, f, rep_str(commit, "parent"), 1);
	if (rep_str(check, "note")) {
		wrap(h, "<p class=\"muted\">", rep_str(check, "analyzer"), ": ");
		wrap(h, "", rep_str(check, "note"), "</p>\n");
	}
	if (strcmp(status, "skipped") && strcmp(status, "error"))
		return;
	wrap(h, "<p class=\"muted\">", rep_str(check, "analyzer"), " ");
	esc(h, status);
	wrap(h, ": ", rep_str_or(check, "reason", "no reason given"), "</p>\n");
}

static void put_commit(struct html *h, const json_t *commit)
{
	char sha[REP_SHORT_SHA];
	const json_t *check;
	size_t i;

	rep_short_sha(sha, rep_str(commit, "sha"));
	wrap(h, "<section class=\"commit\" id=\"c-", sha, "\"><h3><span class=\"sha\">");
	esc(h, sha);
	put(h, "</span> ");
	badge(h, rep_str_or(commit, "verdict", "error"));
	wrap(h, " ", rep_str(commit, "subject"), "</h3>");
	if (rep_str(commit, "author"))
		wrap(h, "<div class=\"muted\">", rep_str(commit, "author"), "</div>");
	if (rep_str(commit, "reason"))
		wrap(h, "<p>", rep_str(commit, "reason"), "</p>");
	json_array_foreach(rep_arr(commit, "checks"), i, check)
		put_check(h, commit, check);
	put(h, "</section>\n");
}

static void put_series_list(struct html *h, const json_t *series,
			    const char *key, const char *title)
{
	const json_t *f;
	size_t i;

	putf(h, "<h3>%s (%zu)</h3>\n", title,
	     json_array_size(rep_arr(series, key)));
	json_array_foreach(rep_arr(series, key), i, f)
		put_finding(h, f, NULL, !strcmp(key, "fixed"));
}

static void put_body(struct html *h, const json_t *report)
{
	const json_t *series = json_object_get(report, "series");
	const json_t *commit;
	size_t i;

	put_filters(h);
	put_commit_table(h, report);
	put(h, "<h2>Series</h2>\n");
	put_series_list(h, series, "new", "New, still present after the last commit");
	put_series_list(h, series, "fixed", "Fixed");
	put_series_list(h, series, "transient",
			"Transient: introduced, then removed by a later commit");
	put(h, "<h2>Findings per commit</h2>\n");
	json_array_foreach(rep_arr(report, "commits"), i, commit)
		put_commit(h, commit);
	putf(h, "</main><script>%s</script></body></html>\n", js);
}

int rep_html_write(const json_t *report, const char *path,
		   const struct rep_source *src)
{
	struct html h = { .out = STRBUF_INIT, .src = src, .snip = STRBUF_INIT };
	int ret = -1;

	if (collect_analyzers(&h, report))
		goto out;
	put_header(&h, report);
	put_body(&h, report);
	if (h.failed) {
		gate_error("cannot build the HTML report: it is too large");
		goto out;
	}
	ret = strbuf_write_file(&h.out, path);
out:
	free(h.analyzers);
	free(h.snip_key);
	free(h.starts);
	strbuf_dispose(&h.snip);
	strbuf_dispose(&h.out);
	return ret;
}
