/* recipe.c: parses recipe files (header lines, then a build script).
 * Checks what it can without running anything; never prints or exits. */
#include "recipe.h"
#include "error.h"
#include "strbuf.h"

#include <ctype.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>

#define RECIPE_MAX_SIZE ((size_t)1 << 20)

void ctr_recipe_init(struct ctr_recipe *r)
{
	memset(r, 0, sizeof(*r));
	strvec_init(&r->other_files);
}

void ctr_recipe_dispose(struct ctr_recipe *r)
{
	free(r->name);
	free(r->dir);
	free(r->git_url);
	free(r->git_commit);
	strvec_dispose(&r->other_files);
	free(r->script);
	ctr_recipe_init(r);
}

/* The length of the key of a `key: value` line, or 0 when it is not one. */
static size_t key_len(const char *line, const char *end)
{
	const char *s = line;

	while (s < end && (islower((unsigned char)*s) || *s == '_'))
		s++;
	return s > line && s < end && *s == ':' ? (size_t)(s - line) : 0;
}

static bool bad_other_file(const char *f)
{
	return !f[0] || f[0] == '/' || !strcmp(f, "..") || str_starts_with(f, "../") ||
	       strstr(f, "/../") || str_ends_with(f, "/..");
}

static int unknown_key(const char *key, size_t klen, const char *origin, int lineno)
{
	gate_error("%s:%d: unknown key '%.*s' in the recipe header", origin, lineno,
		   (int)klen, key);
	return gate_error_hint("recipe keys are git_url, git_commit and other_files; a blank line ends the header");
}

/* Stores one header value; fails on an unknown key, a repeat or no value. */
static int set_key(struct ctr_recipe *r, const char *key, size_t klen, const char *value,
		   const char *origin, int lineno)
{
	char **slot = NULL;

	if (klen == 7 && !strncmp(key, "git_url", klen))
		slot = &r->git_url;
	else if (klen == 10 && !strncmp(key, "git_commit", klen))
		slot = &r->git_commit;
	else if (klen != 11 || strncmp(key, "other_files", klen))
		return unknown_key(key, klen, origin, lineno);
	if (!*value)
		return gate_error("%s:%d: no value for '%.*s'", origin, lineno, (int)klen, key);
	if ((slot && *slot) || (!slot && r->other_files.nr))
		return gate_error("%s:%d: '%.*s' given twice", origin, lineno, (int)klen, key);
	if (!slot)
		return strvec_split(&r->other_files, value);
	*slot = strdup(value);
	return *slot ? 0 : gate_error("out of memory");
}

/* Stores the value of the `key: value` line [line, end). */
static int header_line(struct ctr_recipe *r, const char *line, const char *end,
		       size_t klen, const char *origin, int lineno)
{
	struct strbuf value = STRBUF_INIT;
	const char *v = line + klen + 1;
	int ret;

	while (v < end && isspace((unsigned char)*v))
		v++;
	ret = strbuf_add(&value, v, (size_t)(end - v));
	strbuf_trim_trailing(&value);
	if (!ret)
		ret = set_key(r, line, klen, value.buf, origin, lineno);
	strbuf_dispose(&value);
	return ret;
}

/* Reads the header; *script points at the first line of the script. */
static int parse_header(struct ctr_recipe *r, const char *origin, const char *text,
			const char **script)
{
	const char *line = text;
	int lineno = 1;

	for (; *line; lineno++) {
		const char *end = strchrnul(line, '\n');
		const char *next = *end ? end + 1 : end;
		size_t klen = key_len(line, end);

		if (line == end || (end - line == 1 && line[0] == '\r')) {
			line = next;
			break;
		}
		if (line[0] == '#' && line[1] != '!') {
			line = next;
			continue;
		}
		if (!klen)
			break;
		if (header_line(r, line, end, klen, origin, lineno))
			return -1;
		line = next;
	}
	*script = line;
	return 0;
}

static int check(const struct ctr_recipe *r, const char *origin)
{
	if (!r->script[strspn(r->script, " \t\r\n")])
		return gate_error("%s: the recipe has no build script after its header", origin);
	if (r->git_url && !r->git_commit)
		return gate_error("%s: 'git_url' needs a 'git_commit'", origin);
	if (!r->git_url && r->git_commit)
		return gate_error("%s: 'git_commit' without a 'git_url'", origin);
	if (r->git_commit && r->git_commit[0] == '-')
		return gate_error("%s: 'git_commit' '%s' is not a revision", origin, r->git_commit);
	for (size_t i = 0; i < r->other_files.nr; i++) {
		if (bad_other_file(r->other_files.v[i])) {
			gate_error("%s: other file '%s' is outside the recipe's directory",
				   origin, r->other_files.v[i]);
			return gate_error_hint("give other_files relative to the recipe, without '..'");
		}
	}
	return 0;
}

int ctr_recipe_parse(struct ctr_recipe *r, const char *origin, const char *text)
{
	const char *script;

	if (parse_header(r, origin, text, &script))
		return -1;
	r->script = strdup(script);
	if (!r->script)
		return gate_error("out of memory");
	return check(r, origin);
}

/* name: the base name of path without ".recipe"; dir: its directory. */
static int set_names(struct ctr_recipe *r, const char *path)
{
	char *copy = strdup(path), *copy2 = strdup(path);
	int ret = -1;

	if (!copy || !copy2) {
		gate_error("out of memory");
		goto out;
	}
	r->dir = realpath(dirname(copy), NULL);
	r->name = strdup(basename(copy2));
	if (!r->dir || !r->name) {
		gate_error("cannot resolve the directory of '%s'", path);
		goto out;
	}
	if (str_ends_with(r->name, ".recipe") && strlen(r->name) > 7)
		r->name[strlen(r->name) - 7] = '\0';
	ret = 0;
out:
	free(copy);
	free(copy2);
	return ret;
}

int ctr_recipe_load(struct ctr_recipe *r, const char *path)
{
	struct strbuf text = STRBUF_INIT;
	int ret = -1;

	text.cap = RECIPE_MAX_SIZE;
	if (strbuf_read_file(&text, path)) {
		gate_error("cannot read the recipe '%s'", path);
		goto out;
	}
	if (memchr(text.buf, '\0', text.len)) {
		gate_error("%s: the recipe is not a text file", path);
		goto out;
	}
	ret = set_names(r, path) || ctr_recipe_parse(r, path, text.buf) ? -1 : 0;
out:
	strbuf_dispose(&text);
	return ret;
}
