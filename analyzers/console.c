/* console.c: scans a kernel console log for oopses, panics and warnings.
 * Pure text in, findings out: it never reads files, prints or exits. */
#include "console.h"
#include "strbuf.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define DETAIL_MAX_LINES 120
#define LINE_MAX_BYTES 1024

/* How the trace of a report ends, besides "---[ end ..." and a new report. */
enum trace_end {
	END_TRACE,	/* only "---[ end trace" */
	END_TASK,	/* also "</TASK>", the end of the stack dump */
	END_RULER,	/* also the closing "=====" of KASAN and UBSAN */
};

struct pattern {
	const char *prefix;
	const char *needle;	/* must also occur in the line, or NULL */
	const char *rule;
	enum finding_severity severity;
	enum trace_end end;
};

/* First match wins, so the specific prefixes come before the general ones. */
static const struct pattern patterns[] = {
	{ "Kernel panic - not syncing:", NULL, "panic", FINDING_ERROR, END_TRACE },
	{ "BUG: KASAN:", NULL, "kasan", FINDING_ERROR, END_RULER },
	{ "BUG: KFENCE:", NULL, "kfence", FINDING_ERROR, END_RULER },
	{ "BUG: soft lockup", NULL, "lockup", FINDING_ERROR, END_TASK },
	{ "BUG: workqueue lockup", NULL, "lockup", FINDING_ERROR, END_TASK },
	{ "BUG:", NULL, "bug", FINDING_ERROR, END_TRACE },
	{ "kernel BUG at ", NULL, "bug", FINDING_ERROR, END_TRACE },
	{ "Oops:", NULL, "oops", FINDING_ERROR, END_TRACE },
	{ "general protection fault", NULL, "oops", FINDING_ERROR, END_TRACE },
	{ "UBSAN:", NULL, "ubsan", FINDING_ERROR, END_RULER },
	{ "WARNING: possible circular locking", NULL, "lockdep", FINDING_ERROR, END_TASK },
	{ "WARNING: possible recursive locking", NULL, "lockdep", FINDING_ERROR, END_TASK },
	{ "WARNING: inconsistent lock state", NULL, "lockdep", FINDING_ERROR, END_TASK },
	{ "WARNING: possible irq lock inversion", NULL, "lockdep", FINDING_ERROR, END_TASK },
	{ "WARNING: bad unlock balance", NULL, "lockdep", FINDING_ERROR, END_TASK },
	{ "WARNING: suspicious RCU usage", NULL, "lockdep", FINDING_ERROR, END_TASK },
	{ "WARNING:", NULL, "warning", FINDING_WARNING, END_TRACE },
	{ "INFO: task ", "blocked for more than", "hung-task", FINDING_ERROR, END_TASK },
	{ "INFO: rcu_", "stall", "rcu-stall", FINDING_ERROR, END_TASK },
	{ "rcu: INFO: rcu_", "stall", "rcu-stall", FINDING_ERROR, END_TASK },
};

struct scan {
	struct finding_list *out;
	struct ctr_console *info;
	struct finding cur;	/* the report being collected, when open */
	const struct pattern *pat;
	struct strbuf detail;
	unsigned int lines;
	unsigned int rulers;
};

/* "[   12.345678] " and a caller id "[    T1] " come off; returns the rest. */
static const char *strip_prefix(const char *s, double *stamp)
{
	char *end;
	double t;

	*stamp = -1;
	while (*s == '[') {
		const char *close = strchr(s, ']');

		if (!close || close - s > 24)
			break;
		t = strtod(s + 1, &end);
		if (end == close && strchr(s, '.') && strchr(s, '.') < close)
			*stamp = t;
		s = close + 1;
		while (*s == ' ')
			s++;
	}
	return s;
}

static bool is_hex(int c)
{
	return isxdigit((unsigned char)c);
}

/*
 * Copies a header line without what changes from boot to boot: function
 * offsets ("+0x1c/0x40") go, long hex numbers become "<addr>".
 */
static int normalize_header(struct strbuf *out, const char *s)
{
	const char *start = s;
	size_t n;

	while (*s) {
		if (s[0] == '+' && s[1] == '0' && s[2] == 'x') {
			n = 3;
			while (is_hex(s[n]) || s[n] == '/' || s[n] == 'x')
				n++;
			s += n;
			continue;
		}
		n = 0;
		if (s[0] == '0' && s[1] == 'x')
			n = 2;
		while (is_hex(s[n]))
			n++;
		if (n >= 8 && !isalnum((unsigned char)s[n]) &&
		    (s == start || !isalnum((unsigned char)s[-1]))) {
			if (strbuf_addstr(out, "<addr>"))
				return -1;
			s += n;
			continue;
		}
		if (strbuf_addch(out, *s++))
			return -1;
	}
	strbuf_trim_trailing(out);
	return 0;
}

/* "at kernel/foo.c:12 func+0x1/0x2" or "in lib/x.c:12:5": file, line, function. */
static int parse_location(struct finding *f, const char *msg)
{
	const char *p = strstr(msg, " at ");
	const char *colon, *end;
	char *stop;
	unsigned long line;

	if (!p)
		p = strstr(msg, " in ");
	if (!p)
		return 0;
	p += 4;
	end = p + strcspn(p, " !");
	colon = memchr(p, ':', end - p);
	if (!colon || colon == p || !memchr(p, '.', colon - p))
		return 0;
	line = strtoul(colon + 1, &stop, 10);
	if (stop == colon + 1 || line == 0 || line > 10000000)
		return 0;
	f->file = strndup(p, colon - p);
	f->line = (unsigned int)line;
	if (*stop == ':')
		f->column = (unsigned int)strtoul(stop + 1, NULL, 10);
	if (*end == ' ' && isalpha((unsigned char)end[1])) {
		size_t n = strcspn(end + 1, "+ ");

		f->function = strndup(end + 1, n);
		if (!f->function)
			return -1;
	}
	return f->file ? 0 : -1;
}

/* "BUG: KASAN: use-after-free in foo_bar" (offsets gone): function foo_bar. */
static int parse_function(struct finding *f, const char *msg)
{
	const char *p = strstr(msg, " in ");
	size_t n;

	if (f->file || f->function || !p)
		return 0;
	p += 4;
	for (n = 0; isalnum((unsigned char)p[n]) || p[n] == '_' || p[n] == '.'; n++)
		;
	if (!n || (p[n] && p[n] != ' ') || memchr(p, '.', n))
		return 0;
	f->function = strndup(p, n);
	return f->function ? 0 : -1;
}

static int finish_report(struct scan *sc)
{
	struct finding *f = &sc->cur;
	int ret = -1;

	if (!sc->pat)
		return 0;
	strbuf_trim_trailing(&sc->detail);
	if (sc->detail.len)
		f->detail = strbuf_detach(&sc->detail, NULL);
	if (finding_fingerprint(f, NULL))
		goto out;
	ret = finding_list_take(sc->out, f);
out:
	finding_dispose(f);
	memset(f, 0, sizeof(*f));
	strbuf_reset(&sc->detail);
	sc->pat = NULL;
	return ret;
}

static int start_report(struct scan *sc, const struct pattern *pat,
			const char *line)
{
	struct strbuf msg = STRBUF_INIT;
	struct finding *f = &sc->cur;
	int ret = -1;

	if (finish_report(sc) || normalize_header(&msg, line))
		goto out;
	f->analyzer = strdup("boot");
	f->rule = strdup(pat->rule);
	f->severity = pat->severity;
	f->message = strbuf_detach(&msg, NULL);
	if (!f->analyzer || !f->rule || !f->message)
		goto out;
	if (parse_location(f, f->message) || parse_function(f, f->message))
		goto out;
	sc->pat = pat;
	sc->lines = 0;
	sc->rulers = 0;
	ret = 0;
out:
	strbuf_dispose(&msg);
	if (ret) {
		finding_dispose(f);
		memset(f, 0, sizeof(*f));
	}
	return ret;
}

static const struct pattern *match(const char *line)
{
	for (size_t i = 0; i < sizeof(patterns) / sizeof(*patterns); i++) {
		const struct pattern *p = &patterns[i];

		if (str_starts_with(line, p->prefix) &&
		    (!p->needle || strstr(line, p->needle)))
			return p;
	}
	return NULL;
}

/* An Oops right after "BUG: ..." is the same event told twice. */
static bool same_event(const struct scan *sc, const struct pattern *pat)
{
	return sc->pat && !strcmp(pat->rule, "oops") &&
	       (!strcmp(sc->pat->rule, "bug") ||
		!strcmp(sc->pat->rule, "kasan"));
}

static bool ends_trace(const struct scan *sc, const char *line)
{
	if (str_starts_with(line, "---[ end"))
		return true;
	if (sc->pat->end == END_TASK && !strcmp(line, "</TASK>"))
		return true;
	return sc->pat->end == END_RULER && str_starts_with(line, "=====") &&
	       sc->rulers > 0;
}

static int add_detail(struct scan *sc, const char *line)
{
	if (sc->lines++ >= DETAIL_MAX_LINES)
		return finish_report(sc);
	if (str_starts_with(line, "====="))
		sc->rulers++;
	if (strbuf_addstr(&sc->detail, line) || strbuf_addch(&sc->detail, '\n'))
		return -1;
	return ends_trace(sc, line) ? finish_report(sc) : 0;
}

static void note_times(struct ctr_console *info, const char *line, double t)
{
	if (!info)
		return;
	if (str_starts_with(line, "Linux version ")) {
		info->kernel_seen = true;
		info->start_s = t >= 0 ? t : 0;
	} else if (str_starts_with(line, "Run ") && strstr(line, " as init process") &&
		   t >= 0) {
		info->init_s = t;
	} else if (str_starts_with(line, CTR_CONSOLE_INIT_MARK)) {
		info->init_seen = true;
		if (info->init_s < 0)
			info->init_s = strtod(line + strlen(CTR_CONSOLE_INIT_MARK), NULL);
	}
}

static bool expected_panic(const struct scan *sc, const struct pattern *pat,
			   const char *line)
{
	return sc->info && sc->info->expect_init_exit &&
	       !strcmp(pat->rule, "panic") && strstr(line, "Attempted to kill init!");
}

static int scan_line(struct scan *sc, const char *raw)
{
	const struct pattern *pat;
	const char *line;
	double t;

	line = strip_prefix(raw, &t);
	note_times(sc->info, line, t);
	pat = match(line);
	if (pat && expected_panic(sc, pat, line))
		return finish_report(sc);
	if (pat && !same_event(sc, pat))
		return start_report(sc, pat, line);
	if (sc->pat)
		return add_detail(sc, line);
	return 0;
}

/* One line, control bytes and non-ASCII turned into '?', CR dropped. */
static size_t take_line(struct strbuf *line, const char *text, size_t len)
{
	size_t i;

	strbuf_reset(line);
	for (i = 0; i < len && text[i] != '\n'; i++) {
		unsigned char c = (unsigned char)text[i];

		if (c == '\r' || line->len >= LINE_MAX_BYTES)
			continue;
		strbuf_addch(line, (c >= 0x20 && c < 0x7f) || c == '\t' ? c : '?');
	}
	return i < len ? i + 1 : i;
}

int ctr_console_scan(struct finding_list *out, struct ctr_console *info,
		     const char *text, size_t len)
{
	struct scan sc = { .out = out, .info = info };
	struct strbuf line = STRBUF_INIT;
	size_t pos = 0;
	int ret = -1;

	strbuf_init(&sc.detail, 0);
	if (info) {
		info->kernel_seen = info->init_seen = false;
		info->start_s = info->init_s = -1;
	}
	while (pos < len) {
		pos += take_line(&line, text + pos, len - pos);
		if (scan_line(&sc, line.buf))
			goto out;
	}
	ret = finish_report(&sc);
out:
	finding_dispose(&sc.cur);
	strbuf_dispose(&sc.detail);
	strbuf_dispose(&line);
	return ret;
}

double ctr_console_boot_s(const struct ctr_console *info)
{
	double start;

	if (info->init_s < 0)
		return -1;
	start = info->start_s >= 0 ? info->start_s : 0;
	return info->init_s >= start ? info->init_s - start : -1;
}
