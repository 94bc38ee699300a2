/* terminal.c: the end-of-run summary people read in a terminal or a CI log.
 * Writes only to the FILE it is given; never exits. */
#include "report.h"
#include "alloc.h"
#include "model.h"
#include "text.h"
#include "error.h"
#include "strbuf.h"
#include "verdict.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define RESET "\033[0m"
#define BOLD "\033[1m"
#define DIM "\033[2m"

struct term {
	FILE *f;
	int color;
	int verbose;
	struct strbuf line;	/* scratch for one cleaned line */
	size_t skipped_merges;	/* said once at the end, not per merge */
	bool merges_gated;	/* first-parent: a skipped merge is so for another reason */
};

/* Totals of one analyzer over the series, for the closing table. */
struct tally {
	const char *analyzer;
	size_t nnew, nfixed, nskipped, nerror;
	double seconds;
};

struct tallies {
	struct tally *v;
	size_t nr, alloc;
};

static const char *paint(const struct term *t, const char *code)
{
	return t->color ? code : "";
}

static const char *verdict_code(const char *verdict)
{
	switch (gate_verdict_parse(verdict)) {
	case GATE_VERDICT_SKIPPED:
		return "\033[33m";
	case GATE_VERDICT_PASS:
		return "\033[1;32m";
	case GATE_VERDICT_FAIL:
		return "\033[1;31m";
	default:
		return "\033[1;35m";
	}
}

static const char *severity_code(const char *severity)
{
	if (severity && !strcmp(severity, "error"))
		return "\033[1;31m";
	if (severity && !strcmp(severity, "info"))
		return "\033[36m";
	return "\033[1;35m";
}

/* A verdict in upper case, padded to 7 columns, coloured. */
static void put_verdict(struct term *t, const char *verdict)
{
	char up[8] = "";
	size_t i;

	for (i = 0; verdict && verdict[i] && i < sizeof(up) - 1; i++)
		up[i] = (char)(verdict[i] >= 'a' && verdict[i] <= 'z' ?
			       verdict[i] - 'a' + 'A' : verdict[i]);
	up[i] = '\0';
	fprintf(t->f, "%s%-7s%s", paint(t, verdict_code(verdict)), up,
		paint(t, RESET));
}

/* Prints s cleaned onto one line. */
static int put_clean(struct term *t, const char *s)
{
	strbuf_reset(&t->line);
	if (rep_text_cleanstr(&t->line, s, REP_TEXT_ONELINE))
		return -1;
	fputs(t->line.buf, t->f);
	return 0;
}

/*
 * A finding in the contract form; in colour the severity word is painted,
 * which leaves the text unchanged once the escapes are stripped.
 */
static int put_finding(struct term *t, const json_t *f)
{
	const char *sev = rep_str_or(f, "severity", "warning");
	size_t at;

	strbuf_reset(&t->line);
	if (rep_finding_location(&t->line, f, 0))
		return -1;
	at = t->line.len;
	strbuf_reset(&t->line);
	if (rep_finding_format(&t->line, f, 0))
		return -1;
	if (!t->color || strncmp(t->line.buf + at, sev, strlen(sev))) {
		fprintf(t->f, "%s\n", t->line.buf);
		return 0;
	}
	fprintf(t->f, "%.*s%s%s%s%s\n", (int)at, t->line.buf,
		severity_code(sev), sev, RESET, t->line.buf + at + strlen(sev));
	return 0;
}

static struct tally *tally_get(struct tallies *ts, const char *analyzer)
{
	for (size_t i = 0; i < ts->nr; i++)
		if (!strcmp(ts->v[i].analyzer, analyzer))
			return &ts->v[i];
	if (ALLOC_GROW(ts->v, ts->nr + 1, ts->alloc))
		return NULL;
	memset(&ts->v[ts->nr], 0, sizeof(ts->v[0]));
	ts->v[ts->nr].analyzer = analyzer;
	return &ts->v[ts->nr++];
}

/* Whether checks a and b say the same note: they share it on the line. */
static bool same_note(const json_t *a, const json_t *b)
{
	const char *na = rep_str(a, "note"), *nb = rep_str(b, "note");

	return na && nb && !strcmp(na, nb);
}

/*
 * Adds a check to the tallies and prints its part of the commit line;
 * checks in a row with the same note share it: "[gcc, clang: no unit ...]".
 */
static int count_check(struct term *t, struct tallies *ts, const json_t *checks,
		       size_t i)
{
	const json_t *c = json_array_get(checks, i);
	const char *name = rep_str_or(c, "analyzer", "?");
	const char *status = rep_str_or(c, "status", "error");
	size_t nnew = json_array_size(rep_arr(c, "new"));
	size_t nfixed = json_array_size(rep_arr(c, "fixed"));
	struct tally *ta = tally_get(ts, name);

	if (!ta)
		return -1;
	ta->nnew += nnew;
	ta->nfixed += nfixed;
	ta->seconds += rep_num(c, "duration_s");
	ta->nskipped += !strcmp(status, "skipped");
	ta->nerror += !strcmp(status, "error");
	fputs(!i ? "  [" : same_note(json_array_get(checks, i - 1), c) ? ", " : "; ", t->f);
	put_clean(t, name);
	if (!strcmp(status, "skipped") || !strcmp(status, "error")) {
		fprintf(t->f, " %s", status);
	} else if (rep_str(c, "note")) {
		if (!same_note(c, json_array_get(checks, i + 1))) {
			fputs(": ", t->f);
			put_clean(t, rep_str(c, "note"));
		}
	} else if (!nnew && !nfixed) {
		fprintf(t->f, " ok");
	}
	if (nnew)
		fprintf(t->f, " %zu new", nnew);
	if (nfixed)
		fprintf(t->f, "%s %zu fixed", nnew ? "," : "", nfixed);
	if (rep_str(c, "note"))
		return 0;	/* nothing ran: nothing cached or preexisting to tell */
	if (t->verbose && json_is_true(json_object_get(c, "cached")))
		fprintf(t->f, " (cached)");
	if (t->verbose && rep_int(c, "preexisting"))
		fprintf(t->f, " (%lld preexisting)", rep_int(c, "preexisting"));
	return 0;
}

static int put_check_details(struct term *t, const json_t *c)
{
	const char *status = rep_str_or(c, "status", "error");
	const json_t *f;
	size_t i;

	json_array_foreach(rep_arr(c, "new"), i, f)
		if (put_finding(t, f))
			return -1;
	json_array_foreach(rep_arr(c, "fixed"), i, f) {
		fprintf(t->f, "    %sfixed:%s ", paint(t, "\033[32m"),
			paint(t, RESET));
		if (put_finding(t, f))
			return -1;
	}
	if (strcmp(status, "skipped") && strcmp(status, "error"))
		return 0;
	fprintf(t->f, "    %s%s:%s ", paint(t, verdict_code(status)), status,
		paint(t, RESET));
	put_clean(t, rep_str_or(c, "analyzer", "?"));
	fputs(": ", t->f);
	put_clean(t, rep_str_or(c, "reason", "no reason given"));
	fputc('\n', t->f);
	return 0;
}

/* Files a compiler reads: a change to one that nothing builds is news. */
static bool is_code(const char *path, size_t len)
{
	static const char *const ext[] = { ".c", ".S", ".s", ".cc", ".cpp", ".cxx", ".C",
					   ".h", ".hh", ".hpp", ".hxx", NULL };

	for (const char *const *e = ext; *e; e++) {
		size_t n = strlen(*e);

		if (len > n && !strncmp(path + len - n, *e, n))
			return true;
	}
	return false;
}

/* Whether obj, a unit ("a.c", "a.c#2") or a kbuild object ("a.o"), is path's. */
static bool built_from(const char *obj, const char *path, size_t len)
{
	const char *dot = memrchr(path, '.', len);

	if (!strncmp(obj, path, len) && (!obj[len] || obj[len] == '#'))
		return true;
	return dot && !strncmp(obj, path, (size_t)(dot - path)) &&
	       !strcmp(obj + (dot - path), ".o");
}

static bool has_object(const json_t *commit, const char *path, size_t len)
{
	static const char *const lists[] = { "objects", "objects_left_out" };
	const json_t *o;
	size_t i;

	for (size_t l = 0; l < 2; l++)
		json_array_foreach(rep_arr(commit, lists[l]), i, o)
			if (json_is_string(o) && built_from(json_string_value(o), path, len))
				return true;
	return false;
}

/*
 * The commit's code files that no object builds, with the backend's
 * reason ("path: why"); a count of objects is no such reason.
 */
static void put_unbuilt(struct term *t, const json_t *commit)
{
	const json_t *r;
	size_t i;

	json_array_foreach(rep_arr(commit, "object_reasons"), i, r) {
		const char *line = json_string_value(r);
		const char *sep = line ? strstr(line, ": ") : NULL;
		size_t len = sep ? (size_t)(sep - line) : 0;

		if (!sep || !is_code(line, len) || isdigit((unsigned char)sep[2]) ||
		    has_object(commit, line, len))
			continue;
		fprintf(t->f, "    %snot built:%s ", paint(t, "\033[33m"), paint(t, RESET));
		put_clean(t, line);
		fputc('\n', t->f);
	}
}

/*
 * A commit skipped on purpose takes one line, its reason on it: a history
 * full of merges reads as a list, and how to gate merges is said once.
 */
static bool put_skipped(struct term *t, const json_t *commit)
{
	if (gate_verdict_parse(rep_str(commit, "verdict")) != GATE_VERDICT_SKIPPED)
		return false;
	fputs("  [", t->f);
	if (json_is_true(json_object_get(commit, "merge")) && !t->merges_gated) {
		fputs("merge", t->f);
		t->skipped_merges++;
	} else {
		put_clean(t, rep_str_or(commit, "reason", "skipped"));
	}
	fputs("]\n", t->f);
	return true;
}

static void put_merges_hint(struct term *t)
{
	if (t->skipped_merges)
		fprintf(t->f, "skipped %zu merge commit%s: --merges=first-parent gates each against its first parent\n",
			t->skipped_merges, t->skipped_merges == 1 ? "" : "s");
}

static int put_commit(struct term *t, struct tallies *ts, const json_t *commit)
{
	const json_t *checks = rep_arr(commit, "checks");
	char sha[REP_SHORT_SHA];
	const json_t *c;
	size_t i;

	rep_short_sha(sha, rep_str(commit, "sha"));
	fprintf(t->f, "%s%s%s ", paint(t, "\033[33m"), sha, paint(t, RESET));
	put_verdict(t, rep_str(commit, "verdict"));
	fputc(' ', t->f);
	put_clean(t, rep_str_or(commit, "subject", ""));
	for (i = 0; i < json_array_size(checks); i++)
		if (count_check(t, ts, checks, i))
			return -1;
	if (!json_array_size(checks) && put_skipped(t, commit))
		return 0;
	fputs(json_array_size(checks) ? "]\n" : "\n", t->f);
	if (rep_str(commit, "reason")) {
		fputs("    ", t->f);
		put_clean(t, rep_str(commit, "reason"));
		fputc('\n', t->f);
	}
	put_unbuilt(t, commit);
	json_array_foreach(checks, i, c)
		if (put_check_details(t, c))
			return -1;
	return 0;
}

static void put_table(struct term *t, const struct tallies *ts)
{
	if (!ts->nr)
		return;
	fprintf(t->f, "\n%s%-14s %6s %6s %8s %6s %9s%s\n", paint(t, BOLD),
		"analyzer", "new", "fixed", "skipped", "error", "time",
		paint(t, RESET));
	for (size_t i = 0; i < ts->nr; i++) {
		const struct tally *ta = &ts->v[i];

		put_clean(t, ta->analyzer);
		fprintf(t->f, "%*s %6zu %6zu %8zu %6zu %8.1fs\n",
			(int)(14 - (t->line.len < 14 ? t->line.len : 14)), "",
			ta->nnew, ta->nfixed, ta->nskipped, ta->nerror,
			ta->seconds);
	}
}

/* One line per boot of range --boot, the console log to read first. */
static void put_boots(struct term *t, const json_t *report)
{
	const json_t *b;
	char sha[REP_SHORT_SHA];
	size_t i;

	json_array_foreach(rep_arr(report, "boot"), i, b) {
		rep_short_sha(sha, rep_str_or(b, "commit", ""));
		fprintf(t->f, "%sboot ", i ? "" : "\n");
		put_clean(t, rep_str_or(b, "target", ""));
		fprintf(t->f, " at %s: ", sha);
		put_verdict(t, rep_str_or(b, "status", "error"));
		fprintf(t->f, " (%s", rep_str_or(b, "accel", "?"));
		if (json_object_get(b, "boot_s"))
			fprintf(t->f, ", kernel to init in %.1fs", rep_num(b, "boot_s"));
		if (json_is_integer(json_object_get(b, "exit_code")))
			fprintf(t->f, ", exit %d",
				(int)json_integer_value(json_object_get(b, "exit_code")));
		fputs(") ", t->f);
		put_clean(t, rep_str_or(b, "log", ""));
		fputc('\n', t->f);
	}
}

static void put_ccache(struct term *t, const json_t *report)
{
	const json_t *c = json_object_get(report, "ccache");
	json_int_t hits = json_integer_value(json_object_get(c, "hits"));
	json_int_t misses = json_integer_value(json_object_get(c, "misses"));

	if (!c || hits + misses == 0)
		return;
	fprintf(t->f, "ccache: %lld hits", (long long)hits);
	if (json_object_get(c, "remote_hits"))	/* ccache_remote set */
		fprintf(t->f, " (%lld remote)",
			(long long)json_integer_value(json_object_get(c, "remote_hits")));
	fprintf(t->f, ", %lld misses (%.0f%% hit rate)\n",
		(long long)misses, 100.0 * (double)hits / (double)(hits + misses));
}

static void put_verdict_line(struct term *t, const json_t *report)
{
	const json_t *series = json_object_get(report, "series");

	fprintf(t->f, "\nseries: %zu new, %zu fixed, %zu transient\n",
		json_array_size(rep_arr(series, "new")),
		json_array_size(rep_arr(series, "fixed")),
		json_array_size(rep_arr(series, "transient")));
	fprintf(t->f, "%smkt-gate:%s ", paint(t, BOLD), paint(t, RESET));
	put_verdict(t, rep_str(report, "verdict"));
	fputs(" ", t->f);
	put_clean(t, rep_str_or(report, "range", ""));
	fprintf(t->f, " (%zu commit%s", json_array_size(rep_arr(report, "commits")),
		json_array_size(rep_arr(report, "commits")) == 1 ? "" : "s");
	if (json_object_get(report, "duration_s"))
		fprintf(t->f, ", %.1fs", rep_num(report, "duration_s"));
	fputs(")\n", t->f);
}

int rep_terminal_summary(FILE *f, const json_t *report,
			 const struct rep_terminal_opts *o)
{
	struct term t = { .f = f, .line = STRBUF_INIT };
	struct tallies ts = { NULL, 0, 0 };
	const json_t *commit;
	size_t i;
	int ret = -1;

	t.color = rep_color_wanted(o ? o->color : REP_COLOR_AUTO, f);
	t.verbose = o ? o->verbose : 0;
	t.merges_gated = !strcmp(rep_str_or(report, "merges", "skip"), "first-parent");
	json_array_foreach(rep_arr(report, "commits"), i, commit)
		if (put_commit(&t, &ts, commit))
			goto out_free;
	put_merges_hint(&t);
	put_table(&t, &ts);
	put_boots(&t, report);
	put_ccache(&t, report);
	put_verdict_line(&t, report);
	if (fflush(f) || ferror(f)) {
		gate_error("cannot write the summary");
		goto out_free;
	}
	ret = 0;
out_free:
	free(ts.v);
	strbuf_dispose(&t.line);
	return ret;
}
