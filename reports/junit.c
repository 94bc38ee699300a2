/* junit.c: the JUnit XML output that Jenkins reads (junit-10.xsd). A testsuite
 * per commit, a testcase per analyzer check (class: the analyzer); never prints. */
#include "report.h"
#include "model.h"
#include "text.h"
#include "error.h"
#include "strbuf.h"

#include <libxml/xmlwriter.h>
#include <string.h>

#define OUTPUT_MAX (64 * 1024)	/* of a tool's output kept in system-out */
#define ROOT_PROBES 200		/* files tried when looking for the scratch root */

struct junit {
	xmlTextWriterPtr w;
	struct strbuf text;	/* scratch: cleaned text */
};

#define PATH_STOPS " \t\n'\"`(:="	/* what ends a path in tool output */

/* Whether s, just after ".../slot-N", goes on with `dir` as a whole name. */
static size_t slot_dir(const char *s, const char *dir)
{
	size_t n = strlen(dir);

	if (s[0] != '/' || strncmp(s + 1, dir, n))
		return 0;
	return !s[n + 1] || s[n + 1] == '/' || strchr(PATH_STOPS, s[n + 1]) ? n + 1 : 0;
}

/* Appends what stands for the scratch path that goes on with s; *used: of s. */
static int add_slot_rest(struct strbuf *out, const char *s, size_t *used)
{
	size_t n = slot_dir(s, "src");

	if (n) {
		*used = n + (s[n] == '/');
		return strbuf_addstr(out, s[n] == '/' ? "" : ".");
	}
	*used = slot_dir(s, "build");
	return strbuf_addstr(out, *used ? "<build>" : "<scratch>");
}

/*
 * The scratch tree's own paths (<base>/slot-N/src and /build, scratch.h)
 * wherever no file of the commit showed the root, as in a configure step
 * or a reason: ".../slot-0/src/a.c" is "a.c", ".../slot-0/build" is
 * "<build>", the slot itself "<scratch>". A JUnit file is read on other
 * machines, where these paths mean nothing.
 */
static int add_unscratched(struct strbuf *out, const char *s)
{
	const char *p = s, *hit, *from, *past;
	size_t used;

	while ((hit = strstr(p, "/slot-"))) {
		for (past = hit + 6; *past >= '0' && *past <= '9'; past++)
			;
		for (from = hit; from > p && !strchr(PATH_STOPS, from[-1]); from--)
			;
		if (past == hit + 6 || *from != '/') {
			if (strbuf_add(out, p, (size_t)(past - p)))
				return -1;
			p = past;
			continue;
		}
		if (strbuf_add(out, p, (size_t)(from - p)) || add_slot_rest(out, past, &used))
			return -1;
		p = past + used;
	}
	return strbuf_addstr(out, p);
}

/*
 * Every string that reaches the writer passes here: libxml2 escapes
 * markup but copies control characters and bad UTF-8 as they are, which
 * would make the file unreadable; and no scratch path is left in it.
 */
static int clean(struct junit *j, const char *s, unsigned flags)
{
	struct strbuf rel = STRBUF_INIT;
	int ret;

	strbuf_reset(&j->text);
	ret = add_unscratched(&rel, s ? s : "") ||
	      rep_text_clean(&j->text, rel.buf, rel.len, flags) ? -1 : 0;
	strbuf_dispose(&rel);
	return ret;
}

static int attr(struct junit *j, const char *name, const char *value)
{
	if (clean(j, value, REP_TEXT_ONELINE))
		return -1;
	return xmlTextWriterWriteAttribute(j->w, BAD_CAST name,
					   BAD_CAST j->text.buf) < 0 ? -1 : 0;
}

static int attrf(struct junit *j, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int attrf(struct junit *j, const char *name, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = xmlTextWriterWriteVFormatAttribute(j->w, BAD_CAST name, fmt, ap);
	va_end(ap);
	return ret < 0 ? -1 : 0;
}

/* <name>text</name>, text already clean in j->text. */
static int element(struct junit *j, const char *name)
{
	return xmlTextWriterWriteElement(j->w, BAD_CAST name,
					 BAD_CAST j->text.buf) < 0 ? -1 : 0;
}

static int start(struct junit *j, const char *name)
{
	return xmlTextWriterStartElement(j->w, BAD_CAST name) < 0 ? -1 : 0;
}

static int end(struct junit *j)
{
	return xmlTextWriterEndElement(j->w) < 0 ? -1 : 0;
}

/* Appends each finding of list on a line of its own, prefixed. */
static int list_findings(struct strbuf *out, const json_t *list,
			 const char *prefix)
{
	struct strbuf line = STRBUF_INIT;
	const json_t *f;
	size_t i;
	int ret = 0;

	json_array_foreach(list, i, f) {
		strbuf_reset(&line);
		ret = strbuf_addstr(&line, prefix) || rep_finding_format(&line, f, 0) ||
		      strbuf_addch(&line, '\n') || add_unscratched(out, line.buf) ? -1 : 0;
		if (ret)
			break;
	}
	strbuf_dispose(&line);
	return ret;
}

static int write_failure(struct junit *j, const json_t *check)
{
	const json_t *new = rep_arr(check, "new");
	size_t n = json_array_size(new);

	if (start(j, "failure") || attr(j, "type", "mkt-gate.new-findings") ||
	    attrf(j, "message", "%zu new finding%s", n, n == 1 ? "" : "s"))
		return -1;
	strbuf_reset(&j->text);
	if (list_findings(&j->text, new, ""))
		return -1;
	if (!n && clean(j, rep_str_or(check, "reason", "failed"), 0))
		return -1;
	if (xmlTextWriterWriteString(j->w, BAD_CAST j->text.buf) < 0)
		return -1;
	return end(j);
}

/* The skipped, error or failure child that says why a check did not pass. */
static int write_outcome(struct junit *j, const json_t *check)
{
	const char *status = rep_str_or(check, "status", "error");
	const char *reason = rep_str_or(check, "reason", "no reason given");

	if (!strcmp(status, "fail"))
		return write_failure(j, check);
	if (!strcmp(status, "skipped") || !strcmp(status, "error")) {
		if (start(j, !strcmp(status, "skipped") ? "skipped" : "error") ||
		    attr(j, "message", reason) || end(j))
			return -1;
	}
	return 0;
}

/*
 * Where file in an absolute path of output begins: the directory the tool
 * ran in, "/.../slot-0/src/" for "/.../slot-0/src/net/core/dev.c". Appends
 * it to root, or nothing when file appears in no absolute path.
 */
static int root_before(struct strbuf *root, const char *output, const char *file)
{
	size_t n = strlen(file);
	const char *p, *from;

	for (p = output; n && (p = strstr(p, file)); p += n) {
		if (p == output || p[-1] != '/')
			continue;
		for (from = p; from > output && !strchr(PATH_STOPS, from[-1]); from--)
			;
		if (*from == '/' && from < p - 1)
			return strbuf_add(root, from, (size_t)(p - from));
	}
	return 0;
}

static int root_from(struct strbuf *root, const char *output, const json_t *list,
		     const char *key, size_t *probes)
{
	const json_t *v;
	size_t i;

	json_array_foreach(list, i, v) {
		const char *file = key ? rep_str(v, key) : json_string_value(v);

		if (root->len || ++*probes > ROOT_PROBES)
			break;
		if (file && *file != '/' && root_before(root, output, file))
			return -1;
	}
	return 0;
}

/*
 * Tools print the absolute paths of the scratch tree mkt-gate built in,
 * which mean nothing to a reader and differ between machines: the root is
 * found from the files the commit touched or the findings name, and cut.
 */
static int add_relative(struct strbuf *out, const char *output,
			const json_t *commit, const json_t *check)
{
	struct strbuf root = STRBUF_INIT, rel = STRBUF_INIT;
	size_t probes = 0;
	const char *p = output, *hit;
	int ret = -1;

	if (root_from(&root, output, rep_arr(check, "new"), "file", &probes) ||
	    root_from(&root, output, rep_arr(check, "fixed"), "file", &probes) ||
	    root_from(&root, output, rep_arr(commit, "touched_files"), NULL, &probes))
		goto out;
	while (root.len && (hit = strstr(p, root.buf))) {
		if (strbuf_add(&rel, p, (size_t)(hit - p)))
			goto out;
		p = hit + root.len;
	}
	ret = strbuf_addstr(&rel, p) || add_unscratched(out, rel.buf) ? -1 : 0;
out:
	strbuf_dispose(&root);
	strbuf_dispose(&rel);
	return ret;
}

/* The check's note, fixed findings and the tool's output, trimmed, for whoever digs in. */
static int write_system_out(struct junit *j, const json_t *commit, const json_t *check)
{
	struct strbuf tail = STRBUF_INIT;
	const char *output = rep_str(check, "output");
	int ret = -1;

	strbuf_reset(&j->text);
	if (rep_str(check, "note") && (rep_text_cleanstr(&j->text, rep_str(check, "note"), 0) ||
				       strbuf_addch(&j->text, '\n')))
		goto out;
	if (list_findings(&j->text, rep_arr(check, "fixed"), "fixed: "))
		goto out;
	if (output && j->text.len && strbuf_addch(&j->text, '\n'))
		goto out;
	if (output && (rep_text_tail(&tail, output, OUTPUT_MAX, 0) ||
		       add_relative(&j->text, tail.buf, commit, check)))
		goto out;
	ret = j->text.len ? element(j, "system-out") : 0;
out:
	strbuf_dispose(&tail);
	return ret;
}

/*
 * Jenkins reads classname as package.Class and shows package, class and
 * test: the class is the analyzer, and the test names the analyzer and the
 * commit, so that each row is unique and says what it is in any viewer.
 */
static int write_testcase(struct junit *j, const json_t *commit, const json_t *check)
{
	struct strbuf name = STRBUF_INIT;
	const char *analyzer = rep_str_or(check, "analyzer", "commit");
	char sha[REP_SHORT_SHA];
	int ret = -1;

	rep_short_sha(sha, rep_str(commit, "sha"));
	if (strbuf_addf(&name, "%s on %s %s", analyzer, sha, rep_str_or(commit, "subject", "")))
		goto out;
	if (start(j, "testcase") || attr(j, "name", name.buf) ||
	    attr(j, "classname", analyzer) ||
	    attrf(j, "time", "%.3f", rep_num(check, "duration_s")) ||
	    write_outcome(j, check) || write_system_out(j, commit, check) || end(j))
		goto out;
	ret = 0;
out:
	strbuf_dispose(&name);
	return ret;
}

static int count_status(const json_t *checks, const char *status)
{
	const json_t *c;
	size_t i;
	int n = 0;

	json_array_foreach(checks, i, c)
		n += !strcmp(rep_str_or(c, "status", ""), status);
	return n;
}

static int write_property(struct junit *j, const char *name,
			  const char *value)
{
	if (!value)
		return 0;
	return start(j, "property") || attr(j, "name", name) ||
	       attr(j, "value", value) || end(j) ? -1 : 0;
}

/*
 * A commit that was not checked at all (a merge, another shard, an
 * infrastructure error) still gets one testcase, so that Jenkins shows
 * it with its reason instead of an empty suite.
 */
static int write_unchecked(struct junit *j, const json_t *commit)
{
	json_t *pseudo = json_pack("{s:s, s:s, s:s, s:[], s:[]}",
				   "analyzer", "commit",
				   "status", rep_str_or(commit, "verdict", "error"),
				   "reason", rep_str_or(commit, "reason", "not checked"),
				   "new", "fixed");
	int ret;

	if (!pseudo)
		return gate_error("out of memory");
	ret = write_testcase(j, commit, pseudo);
	json_decref(pseudo);
	return ret;
}

static int write_suite(struct junit *j, const json_t *report,
		       const json_t *commit)
{
	const json_t *checks = rep_arr(commit, "checks");
	char sha[REP_SHORT_SHA];
	struct strbuf name = STRBUF_INIT;
	size_t n = json_array_size(checks), i;
	const json_t *c;
	int ret = -1;

	rep_short_sha(sha, rep_str(commit, "sha"));
	if (strbuf_addf(&name, "%s ", sha) ||
	    strbuf_addstr(&name, rep_str_or(commit, "subject", "")))
		goto out;
	if (start(j, "testsuite") || attr(j, "name", name.buf) ||
	    attrf(j, "tests", "%zu", n ? n : 1) ||
	    attrf(j, "failures", "%d", count_status(checks, "fail")) ||
	    attrf(j, "errors", "%d", n ? count_status(checks, "error") :
			     !strcmp(rep_str_or(commit, "verdict", ""), "error")) ||
	    attrf(j, "skipped", "%d", count_status(checks, "skipped")) ||
	    attrf(j, "time", "%.3f", rep_num(commit, "duration_s")) ||
	    (rep_str(report, "started_at") &&
	     attr(j, "timestamp", rep_str(report, "started_at"))))
		goto out;
	if (start(j, "properties") ||
	    write_property(j, "commit", rep_str(commit, "sha")) ||
	    write_property(j, "author", rep_str(commit, "author")) ||
	    write_property(j, "verdict", rep_str(commit, "verdict")) ||
	    end(j))
		goto out;
	if (!n && write_unchecked(j, commit))
		goto out;
	json_array_foreach(checks, i, c)
		if (write_testcase(j, commit, c))
			goto out;
	ret = end(j);
out:
	strbuf_dispose(&name);
	return ret;
}

/* Totals over all commits for the <testsuites> element. */
static int write_totals(struct junit *j, const json_t *report)
{
	const json_t *commit;
	size_t i, tests = 0;
	int failures = 0, errors = 0;

	json_array_foreach(rep_arr(report, "commits"), i, commit) {
		const json_t *checks = rep_arr(commit, "checks");

		tests += json_array_size(checks) ? json_array_size(checks) : 1;
		failures += count_status(checks, "fail");
		errors += count_status(checks, "error");
	}
	return attrf(j, "tests", "%zu", tests) ||
	       attrf(j, "failures", "%d", failures) ||
	       attrf(j, "errors", "%d", errors) ||
	       attrf(j, "time", "%.3f", rep_num(report, "duration_s")) ? -1 : 0;
}

static int write_document(struct junit *j, const json_t *report)
{
	struct strbuf name = STRBUF_INIT;
	const json_t *commit;
	size_t i;
	int ret = -1;

	if (strbuf_addf(&name, "mkt-gate %s", rep_str_or(report, "range", "")))
		goto out;
	if (xmlTextWriterStartDocument(j->w, NULL, "UTF-8", NULL) < 0 ||
	    start(j, "testsuites") || attr(j, "name", name.buf) ||
	    write_totals(j, report))
		goto out;
	json_array_foreach(rep_arr(report, "commits"), i, commit)
		if (write_suite(j, report, commit))
			goto out;
	if (xmlTextWriterEndDocument(j->w) < 0)
		goto out;
	ret = 0;
out:
	strbuf_dispose(&name);
	return ret;
}

int rep_junit_write(const json_t *report, const char *path)
{
	struct junit j = { .text = STRBUF_INIT };
	struct strbuf out = STRBUF_INIT;
	xmlBufferPtr buf = xmlBufferCreate();
	int ret = -1;

	if (!buf)
		return gate_error("out of memory");
	j.w = xmlNewTextWriterMemory(buf, 0);
	if (!j.w) {
		gate_error("cannot create an XML writer");
		goto out_buf;
	}
	xmlTextWriterSetIndent(j.w, 1);
	xmlTextWriterSetIndentString(j.w, BAD_CAST "  ");
	if (write_document(&j, report)) {
		if (!*gate_error_last())
			gate_error("cannot write the JUnit report '%s'", path);
		goto out_writer;
	}
	xmlFreeTextWriter(j.w);
	j.w = NULL;
	if (strbuf_add(&out, xmlBufferContent(buf), (size_t)xmlBufferLength(buf)))
		goto out_writer;
	ret = strbuf_write_file(&out, path);
out_writer:
	if (j.w)
		xmlFreeTextWriter(j.w);
	strbuf_dispose(&out);
	strbuf_dispose(&j.text);
out_buf:
	xmlBufferFree(buf);
	return ret;
}
