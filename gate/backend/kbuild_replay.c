/* kbuild_replay.c: reads kbuild's recorded commands and builds the commands
 * that replay them. Runs nothing itself; never prints or exits. */
#include "kbuild_replay.h"
#include "error.h"

#include <string.h>

/* make's $$ and $(pound), as the shell gets them. */
static void unescape(const char *s, size_t n, struct strbuf *out)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '$' && i + 1 < n && s[i + 1] == '$') {
			strbuf_addch(out, '$');
			i++;
		} else if (!strncmp(s + i, "$(pound)", 8) && i + 8 <= n) {
			strbuf_addch(out, '#');
			i += 7;
		} else {
			strbuf_addch(out, s[i]);
		}
	}
}

int kbuild_dot_name(struct strbuf *out, const char *obj)
{
	const char *slash = strrchr(obj, '/');

	if (slash)
		return strbuf_addf(out, "%.*s/.%s", (int)(slash - obj), obj, slash + 1);
	return strbuf_addf(out, ".%s", obj);
}

static const char *find_line(const char *text, const char *prefix)
{
	size_t n = strlen(prefix);

	for (const char *p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (!strncmp(p, prefix, n))
			return p + n;
	return NULL;
}

int kbuild_recorded_cmd(const char *build_dir, const char *obj, struct strbuf *raw,
			struct strbuf *cmd)
{
	struct strbuf path = STRBUF_INIT, text = STRBUF_INIT, key = STRBUF_INIT;
	const char *line = NULL;
	int found = 0;

	strbuf_addf(&path, "%s/", build_dir);
	kbuild_dot_name(&path, obj);
	strbuf_addstr(&path, ".cmd");
	if (strbuf_read_file(&text, path.buf)) {
		gate_error_clear();
		goto out;
	}
	strbuf_addf(&key, "cmd_%s := ", obj);
	line = find_line(text.buf, key.buf);
	strbuf_reset(&key);
	strbuf_addf(&key, "savedcmd_%s := ", obj);
	if (!line)
		line = find_line(text.buf, key.buf);
	if (line) {
		size_t n = strcspn(line, "\n");

		strbuf_add(raw, line, n);
		unescape(line, n, cmd);
		found = 1;
	}
out:
	strbuf_dispose(&path);
	strbuf_dispose(&text);
	strbuf_dispose(&key);
	return found;
}

int kbuild_cmd_parts(const char *cmd, const char *obj, struct strbuf *c_flags,
		     struct strbuf *src)
{
	struct strbuf tail = STRBUF_INIT;
	const char *from = strstr(cmd, " -Wp,-MMD,"), *to;
	int ret = -1;

	strbuf_addf(&tail, " -c -o %s ", obj);
	to = from ? strstr(from, tail.buf) : NULL;
	if (to) {
		const char *s = to + tail.len;

		s += strspn(s, " ");
		strbuf_add(c_flags, from + 1, (size_t)(to - from - 1));
		strbuf_add(src, s, strcspn(s, " \t;"));
		ret = src->len ? 0 : -1;
	}
	strbuf_dispose(&tail);
	return ret;
}

/* Appends s in single quotes, as the shell reads it back. */
static void add_quoted(struct strbuf *sb, const char *s)
{
	strbuf_addch(sb, '\'');
	for (; *s; s++) {
		if (*s == '\'')
			strbuf_addstr(sb, "'\\''");
		else
			strbuf_addch(sb, *s);
	}
	strbuf_addch(sb, '\'');
}

void kbuild_replay_compile(const char *obj, const char *raw, const char *cmd,
			   const char *steps, struct strbuf *sh)
{
	struct strbuf dot = STRBUF_INIT;

	kbuild_dot_name(&dot, obj);
	strbuf_addf(sh, "set -e; %s; scripts/basic/fixdep %s.d %s ", cmd, dot.buf, obj);
	add_quoted(sh, raw);
	strbuf_addf(sh, " > %s.cmd.tmp; rm -f %s.d; mv -f %s.cmd.tmp %s.cmd",
		    dot.buf, dot.buf, dot.buf, dot.buf);
	if (steps && *steps)
		strbuf_addf(sh, "; %s", steps);
	strbuf_dispose(&dot);
}

void kbuild_rule_steps(const char *srctree, const char *nm, const char *obj,
		       const char *cmd, const char *src, bool has_local_export,
		       struct strbuf *out)
{
	if (has_local_export)
		strbuf_addf(out, "NM=%s AWK=awk %s/scripts/check-local-export %s",
			    nm, srctree, obj);
	if (strstr(cmd, "-DKBUILD_EXTRA_WARN"))
		strbuf_addf(out, "%s%s/scripts/kernel-doc -none %s", out->len ? "; " : "",
			    srctree, src);
}

int kbuild_checkflags(const char *make_n, const char *check, const char *c_flags,
		      struct strbuf *out)
{
	size_t n = strlen(check);

	for (const char *at = strstr(make_n, c_flags); at; at = strstr(at + 1, c_flags)) {
		const char *p = at;

		/* back to the checker's name on the same line */
		while (p > make_n && p[-1] != '\n' &&
		       !(!strncmp(p, check, n) && (p == make_n || strchr(" \t;", p[-1]))))
			p--;
		if (strncmp(p, check, n) || p + n > at)
			continue;
		p += n;
		p += strspn(p, " ");
		while (at > p && at[-1] == ' ')
			at--;
		strbuf_add(out, p, (size_t)(at - p));
		return 0;
	}
	return -1;
}

static bool ends_with(const char *s, const char *x)
{
	size_t a = strlen(s), b = strlen(x);

	return a >= b && !strcmp(s + a - b, x);
}

/* Text no build reads: documentation and the tree's own notes. */
static bool never_built(const char *path, const char *base)
{
	static const char *const names[] = { "README", "MAINTAINERS", "CREDITS", "COPYING",
		".gitignore", ".mailmap", ".clang-format", ".mkt-gate-waivers",
		".mkt-gate.conf", NULL };

	if (!strncmp(path, "Documentation/", 14) || !strncmp(path, "LICENSES/", 9) ||
	    ends_with(base, ".rst") || ends_with(base, ".txt") || ends_with(base, ".md"))
		return true;
	for (const char *const *n = names; *n; n++)
		if (!strcmp(base, *n))
			return true;
	return false;
}

bool kbuild_replay_allows(const char *path, int status, struct strbuf *why)
{
	const char *base = strrchr(path, '/');
	bool header = ends_with(path, ".h"), source = ends_with(path, ".c");

	base = base ? base + 1 : path;
	if (never_built(path, base))
		return true;
	if (!header && !source)
		strbuf_addf(why, "%s is not a .c or .h file", path);
	else if (!strncmp(path, "scripts/", 8) || !strncmp(path, "tools/", 6))
		strbuf_addf(why, "%s is a build tool's source", path);
	else if (!strncmp(base, "asm-offsets", 11) || !strcmp(base, "bounds.c"))
		strbuf_addf(why, "%s makes a generated header", path);
	else if (source && status != 'M' && status != 'D')
		strbuf_addf(why, "%s was %s", path, status == 'A' ? "added" : "renamed");
	else if (header && status != 'M' && status != 'A')
		strbuf_addf(why, "%s was %s", path, status == 'D' ? "removed" : "renamed");
	else
		return true;
	return false;
}
