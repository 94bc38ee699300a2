/* finding.c: findings, their lists and their identity (the fingerprint).
 * The fingerprint is what the delta counts; it never includes a line number. */
#include "finding.h"
#include "alloc.h"
#include "strbuf.h"
#include "error.h"
#include "hash.h"

#include <ctype.h>
#include <jansson.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *dup_or_null(const char *s, int *err)
{
	char *d;

	if (!s)
		return NULL;
	d = strdup(s);
	if (!d)
		*err = -1;
	return d;
}

void finding_dispose(struct finding *f)
{
	free(f->analyzer);
	free(f->file);
	free(f->function);
	free(f->rule);
	free(f->message);
	free(f->detail);
	memset(f, 0, sizeof(*f));
}

int finding_copy(struct finding *dst, const struct finding *src)
{
	int err = 0;

	*dst = *src;
	dst->analyzer = dup_or_null(src->analyzer, &err);
	dst->file = dup_or_null(src->file, &err);
	dst->function = dup_or_null(src->function, &err);
	dst->rule = dup_or_null(src->rule, &err);
	dst->message = dup_or_null(src->message, &err);
	dst->detail = dup_or_null(src->detail, &err);
	if (err) {
		finding_dispose(dst);
		return gate_error("out of memory");
	}
	return 0;
}

void finding_list_init(struct finding_list *l)
{
	memset(l, 0, sizeof(*l));
}

void finding_list_dispose(struct finding_list *l)
{
	for (size_t i = 0; i < l->nr; i++)
		finding_dispose(&l->v[i]);
	free(l->v);
	finding_list_init(l);
}

int finding_list_take(struct finding_list *l, struct finding *f)
{
	if (ALLOC_GROW(l->v, l->nr + 1, l->alloc))
		return -1;
	l->v[l->nr++] = *f;
	memset(f, 0, sizeof(*f));
	return 0;
}

int finding_list_append_copy(struct finding_list *l, const struct finding *f)
{
	struct finding c;

	if (finding_copy(&c, f))
		return -1;
	if (finding_list_take(l, &c)) {
		finding_dispose(&c);
		return -1;
	}
	return 0;
}

const char *finding_severity_name(enum finding_severity s)
{
	switch (s) {
	case FINDING_ERROR:
		return "error";
	case FINDING_WARNING:
		return "warning";
	default:
		return "info";
	}
}

int finding_severity_parse(const char *s, enum finding_severity *out)
{
	if (!strcmp(s, "error"))
		*out = FINDING_ERROR;
	else if (!strcmp(s, "warning"))
		*out = FINDING_WARNING;
	else if (!strcmp(s, "info"))
		*out = FINDING_INFO;
	else
		return gate_error("'%s' is not a severity (error, warning or info)", s);
	return 0;
}

static void set_str(json_t *o, const char *key, const char *v, bool keep_empty)
{
	if (v && (*v || keep_empty))
		json_object_set_new(o, key, json_string(v));
}

json_t *finding_to_json(const struct finding *f, unsigned int flags)
{
	bool exact = flags & FINDING_JSON_EXACT;
	json_t *o = json_object();

	if (!o)
		return NULL;
	set_str(o, "analyzer", f->analyzer, true);
	set_str(o, "file", f->file, true);
	if (f->line)
		json_object_set_new(o, "line", json_integer(f->line));
	if (f->column)
		json_object_set_new(o, "column", json_integer(f->column));
	set_str(o, "function", f->function, exact);
	set_str(o, "severity", finding_severity_name(f->severity), true);
	set_str(o, "rule", f->rule, true);
	set_str(o, "message", f->message ? f->message : "", true);
	set_str(o, "fingerprint", f->fingerprint, true);
	set_str(o, "detail", f->detail, exact);
	return o;
}

/* Copies the string at key, if there is one; -1 when it is not a string. */
static int get_str(char **out, const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);

	if (!v)
		return 0;
	if (!json_is_string(v))
		return gate_error("finding: '%s' is not a string", key);
	*out = strdup(json_string_value(v));
	return *out ? 0 : gate_error("out of memory");
}

/* 0 when key is absent; -1 unless it is a number a finding can hold. */
static int get_uint(unsigned int *out, const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);
	json_int_t n = json_integer_value(v);

	if (!v)
		return 0;
	if (!json_is_integer(v) || n < 0 || (uintmax_t)n > UINT_MAX)
		return gate_error("finding: '%s' is not a line or column", key);
	*out = (unsigned int)n;
	return 0;
}

static int get_fingerprint(struct finding *f, const json_t *o)
{
	const char *fp = json_string_value(json_object_get(o, "fingerprint"));

	if (!fp)
		return 0;
	if (strlen(fp) >= sizeof(f->fingerprint))
		return gate_error("finding: '%s' is not a fingerprint", fp);
	strcpy(f->fingerprint, fp);
	return 0;
}

int finding_from_json(struct finding *f, const struct json_t *o)
{
	const char *sev = json_string_value(json_object_get(o, "severity"));

	memset(f, 0, sizeof(*f));
	if (!json_is_object(o))
		return gate_error("finding: not an object");
	if (!sev)
		return gate_error("finding: 'severity' is missing");
	if (finding_severity_parse(sev, &f->severity) ||
	    get_str(&f->analyzer, o, "analyzer") || get_str(&f->file, o, "file") ||
	    get_uint(&f->line, o, "line") || get_uint(&f->column, o, "column") ||
	    get_str(&f->function, o, "function") || get_str(&f->rule, o, "rule") ||
	    get_str(&f->message, o, "message") || get_fingerprint(f, o) ||
	    get_str(&f->detail, o, "detail"))
		goto fail;
	if (f->analyzer && f->message)
		return 0;
	gate_error("finding: 'analyzer' or 'message' is missing");
fail:
	finding_dispose(f);
	return -1;
}

static bool is_ident(int c)
{
	return isalnum(c) || c == '_';
}

int finding_normalize_message(struct strbuf *out, const char *msg)
{
	const char *p = msg;

	while (*p) {
		bool starts_number = isdigit((unsigned char)*p) &&
			(p == msg || !is_ident((unsigned char)p[-1]));

		if (!starts_number) {
			if (strbuf_addch(out, *p++))
				return -1;
			continue;
		}
		if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
			p += 2;
		while (isxdigit((unsigned char)*p) || *p == '.')
			p++;
		if (strbuf_addch(out, '#'))
			return -1;
	}
	return 0;
}

int finding_fingerprint(struct finding *f, const char *as_file)
{
	struct strbuf norm = STRBUF_INIT;
	uint64_t h = GATE_FNV1A_INIT;

	if (finding_normalize_message(&norm, f->message ? f->message : ""))
		return -1;
	h = gate_fnv1a_field(h, f->analyzer);
	h = gate_fnv1a_field(h, f->rule);
	h = gate_fnv1a_field(h, as_file ? as_file : f->file);
	h = gate_fnv1a_field(h, f->function);
	h = gate_fnv1a_field(h, norm.buf);
	snprintf(f->fingerprint, sizeof(f->fingerprint), "%016llx",
		 (unsigned long long)h);
	strbuf_dispose(&norm);
	return 0;
}
