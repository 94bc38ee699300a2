/* patch_msg.c: the commit-msg analyzer, built in: Signed-off-by, Fixes: tags,
 * the subject line, Change-Id and the body. Reads objects only; never prints. */
#include "patch.h"
#include "error.h"
#include "repo.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Kernel rules: a subject of at most 75 columns, a body past 10 changed lines. */
#define SUBJECT_MAX 75
#define BODY_AFTER_LINES 10
#define FIXES_MIN_HEX 12

struct msg_check {
	struct finding_list *out;
	git_repository *git;
	const git_signature *author;
	const struct config *cfg;
	bool has_body;
	bool signed_off;
};

static int add(struct msg_check *m, const char *rule, enum finding_severity sev,
	       const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int add(struct msg_check *m, const char *rule, enum finding_severity sev,
	       const char *fmt, ...)
{
	struct finding f = { 0 };
	struct strbuf msg = STRBUF_INIT;
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = strbuf_vaddf(&msg, fmt, ap);
	va_end(ap);
	f.analyzer = strdup("commit-msg");
	f.severity = sev;
	f.message = strbuf_detach(&msg, NULL);
	if (asprintf(&f.rule, "commit-msg:%s", rule) < 0)
		f.rule = NULL;
	if (ret || !f.analyzer || !f.rule || !f.message ||
	    finding_fingerprint(&f, NULL) || finding_list_take(m->out, &f)) {
		finding_dispose(&f);
		return gate_error("out of memory");
	}
	return 0;
}

/* "subsystem: summary", where the prefix has no spaces ("net: ipv4: x" too). */
static bool has_prefix(const char *subject)
{
	const char *colon = strstr(subject, ": ");

	if (!strncmp(subject, "Revert \"", 8))
		return true;
	if (!colon || colon == subject || !colon[2])
		return false;
	for (const char *p = subject; p < colon; p++)
		if (isspace((unsigned char)*p))
			return false;
	return true;
}

static int check_subject(struct msg_check *m, const char *subject)
{
	size_t len = strlen(subject);
	bool want_prefix = false;

	if (!len)
		return add(m, "subject", FINDING_ERROR, "the subject line is empty");
	if (len > SUBJECT_MAX &&
	    add(m, "subject", FINDING_WARNING,
		"the subject line is %zu characters long, more than %d", len, SUBJECT_MAX))
		return -1;
	if (subject[len - 1] == '.' &&
	    add(m, "subject", FINDING_WARNING, "the subject line ends with a full stop"))
		return -1;
	if (config_get_bool(m->cfg, "analyzer.commit-msg", "subject_prefix", &want_prefix) < 0)
		return -1;
	if (want_prefix && !has_prefix(subject))
		return add(m, "subject", FINDING_WARNING,
			   "the subject line has no 'subsystem: ' prefix");
	return 0;
}

/* The text after "Tag:" when line starts with it, case-insensitively. */
static const char *tag_value(const char *line, const char *tag)
{
	size_t n = strlen(tag);

	if (strncasecmp(line, tag, n))
		return NULL;
	line += n;
	while (*line == ' ' || *line == '\t')
		line++;
	return line;
}

/* "Name <email>" from the author, compared as the kernel's tools do. */
static bool is_author(const git_signature *a, const char *value)
{
	const char *lt = strchr(value, '<'), *gt = lt ? strchr(lt, '>') : NULL;
	const char *name_end = lt;
	size_t email_len = gt ? (size_t)(gt - lt - 1) : 0;

	if (!gt)
		return false;
	while (name_end > value && isspace((unsigned char)name_end[-1]))
		name_end--;
	return strlen(a->name) == (size_t)(name_end - value) &&
	       !strncmp(a->name, value, (size_t)(name_end - value)) &&
	       strlen(a->email) == email_len && !strncasecmp(a->email, lt + 1, email_len);
}

static int fixes_commit(struct msg_check *m, git_commit **out, const char *hex,
			size_t n)
{
	git_oid oid;
	int err;

	if (git_oid_fromstrn(&oid, hex, n))
		return GIT_ENOTFOUND;
	err = git_commit_lookup_prefix(out, m->git, &oid, n);
	return err == GIT_EAMBIGUOUS ? err : err ? GIT_ENOTFOUND : 0;
}

/* Fixes: <at least 12 hex digits> ("<the subject of that commit>") */
static int check_fixes(struct msg_check *m, const char *line, const char *v)
{
	size_t n = strspn(v, "0123456789abcdefABCDEF"), qlen;
	const char *quoted = v + n;
	git_commit *c = NULL;
	int ret, err;

	while (*quoted == ' ')
		quoted++;
	qlen = strlen(quoted);
	if (!n || n > GIT_OID_HEXSZ || quoted == v + n || qlen < 4 ||
	    strncmp(quoted, "(\"", 2) || strcmp(quoted + qlen - 2, "\")"))
		return add(m, "fixes", FINDING_ERROR,
			   "'%s' is not of the form Fixes: <sha> (\"<subject>\")", line);
	if (n < FIXES_MIN_HEX)
		return add(m, "fixes", FINDING_ERROR,
			   "'%s' needs at least %d hex digits of the commit id", line,
			   FIXES_MIN_HEX);
	err = fixes_commit(m, &c, v, n);
	if (err == GIT_EAMBIGUOUS)
		return add(m, "fixes", FINDING_ERROR, "'%s' names an ambiguous commit id", line);
	if (err)
		return add(m, "fixes", FINDING_ERROR, "'%s' names an unknown commit %.*s",
			   line, (int)n, v);
	if (strlen(git_commit_summary(c)) == qlen - 4 &&
	    !strncmp(git_commit_summary(c), quoted + 2, qlen - 4))
		ret = 0;
	else
		ret = add(m, "fixes", FINDING_ERROR,
			  "'%s' has the wrong subject: the commit's is \"%s\"", line,
			  git_commit_summary(c));
	git_commit_free(c);
	return ret;
}

/* A "Tag: value" trailer line rather than prose. */
static bool is_trailer(const char *line)
{
	size_t n = strspn(line, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-");

	return n && line[n] == ':' && (!line[n + 1] || isspace((unsigned char)line[n + 1]));
}

static int check_line(struct msg_check *m, const char *line)
{
	const char *v;
	bool forbid = false;

	if (!*line)
		return 0;
	if (!is_trailer(line))
		m->has_body = true;
	v = tag_value(line, "Signed-off-by:");
	if (v && is_author(m->author, v))
		m->signed_off = true;
	v = tag_value(line, "Fixes:");
	if (v)
		return check_fixes(m, line, v);
	if (!tag_value(line, "Change-Id:"))
		return 0;
	if (config_get_bool(m->cfg, "analyzer.commit-msg", "forbid_change_id", &forbid) < 0)
		return -1;
	return forbid ? add(m, "change-id", FINDING_ERROR,
			    "remove the Gerrit Change-Id: trailer '%s'", line) : 0;
}

/* The lines after the subject's paragraph: the body and the trailers. */
static int check_body(struct msg_check *m, const char *msg)
{
	struct strbuf line = STRBUF_INIT;
	const char *p = strstr(msg, "\n\n");
	int ret = 0;

	while (p && *p && !ret) {
		size_t n = strcspn(p, "\n");

		strbuf_reset(&line);
		ret = strbuf_add(&line, p, n);
		strbuf_trim_trailing(&line);
		if (!ret)
			ret = check_line(m, line.buf);
		p += n;
		if (*p)
			p++;
	}
	strbuf_dispose(&line);
	return ret;
}

static size_t lines_changed(const struct gate_diff *diff)
{
	size_t n = 0;

	for (size_t i = 0; diff && i < diff->nr; i++)
		for (size_t k = 0; k < diff->v[i].nr_hunks; k++)
			n += diff->v[i].hunks[k].old_lines + diff->v[i].hunks[k].new_lines;
	return n;
}

static int check_commit(struct msg_check *m, git_commit *c,
			const struct gate_diff *diff)
{
	const char *msg = git_commit_message(c);
	size_t changed = lines_changed(diff);

	if (check_subject(m, git_commit_summary(c) ? git_commit_summary(c) : "") ||
	    check_body(m, msg ? msg : ""))
		return -1;
	if (!m->signed_off &&
	    add(m, "signoff", FINDING_ERROR, "no Signed-off-by: from the author '%s <%s>'",
		m->author->name, m->author->email))
		return -1;
	if (changed > BODY_AFTER_LINES && !m->has_body)
		return add(m, "no-body", FINDING_WARNING,
			   "the commit changes %zu lines but its message has no body explaining why",
			   changed);
	return 0;
}

int patch_commit_msg(struct finding_list *out, git_repository *git,
		     const git_oid *commit, const struct gate_diff *diff,
		     const struct config *cfg)
{
	struct msg_check m = { out, git, NULL, cfg, false, false };
	git_commit *c = NULL;
	int ret;

	if (git_commit_lookup(&c, git, commit))
		return gate_git_error("cannot read the commit");
	m.author = git_commit_author(c);
	ret = check_commit(&m, c, diff);
	git_commit_free(c);
	return ret;
}
