/* script.c: the text of the hook scripts mkt-gate installs, and the marker that tells them apart.
 * Only renders and recognises; writing them is install.c's job. */
#include "hook.h"
#include "error.h"

#include <string.h>

const char *const hook_known_names[] = { HOOK_PRE_PUSH, HOOK_POST_COMMIT, NULL };

bool hook_name_known(const char *name)
{
	for (int i = 0; hook_known_names[i]; i++)
		if (!strcmp(name, hook_known_names[i]))
			return true;
	return false;
}

/*
 * The script is POSIX sh and does as little as possible itself: honour
 * MKT_GATE_SKIP (still running the chained hook, which is the user's),
 * and explain what to do when the recorded binary is gone. A pre-push
 * without its binary fails: letting the push through unchecked would
 * quietly turn the gate off. A push with nothing to check is answered by
 * mkt-gate itself: it starts in about a millisecond (gate/front.c), less
 * than a shell that reads the push lines with cat in a subshell.
 */
static const char script_fmt[] =
	"#!/bin/sh\n"
	HOOK_MARKER "\n"
	"# Installed by 'mkt-gate install'; 'mkt-gate uninstall' removes it and\n"
	"# puts back the hook that was here before (kept as %s" HOOK_CHAINED_SUFFIX ").\n"
	"MKT_GATE_BIN=%s\n"
	"hook=%s\n"
	"case $0 in */*) dir=${0%%/*} ;; *) dir=. ;; esac\n"
	"chained=\"$dir/$hook" HOOK_CHAINED_SUFFIX "\"\n"
	"if [ -n \"${MKT_GATE_SKIP:-}\" ] && [ \"$MKT_GATE_SKIP\" != 0 ]; then\n"
	"\techo \"mkt-gate: MKT_GATE_SKIP is set: $hook not checked\" >&2\n"
	"\tif [ -x \"$chained\" ]; then exec \"$chained\" \"$@\"; fi\n"
	"\texit 0\n"
	"fi\n"
	"if [ ! -x \"$MKT_GATE_BIN\" ]; then\n"
	"\techo \"error: the $hook hook cannot find mkt-gate at '$MKT_GATE_BIN'\" >&2\n"
	"\techo \"hint: reinstall with the mkt-gate you have now: mkt-gate install --force\" >&2\n"
	"\techo \"hint: or remove the hooks: mkt-gate uninstall\" >&2\n"
	"%s"
	"fi\n"
	"exec \"$MKT_GATE_BIN\" hook \"$hook\" --chained=\"$chained\" -- \"$@\"\n";

static const char missing_prepush[] =
	"\techo \"hint: to push once without the check: MKT_GATE_SKIP=1 git push, or git push --no-verify\" >&2\n"
	"\texit 1\n";

static const char missing_other[] =
	"\tif [ -x \"$chained\" ]; then exec \"$chained\" \"$@\"; fi\n"
	"\texit 0\n";

int hook_sq_quote(struct strbuf *out, const char *s)
{
	if (strbuf_addch(out, '\''))
		return -1;
	for (; *s; s++) {
		if (*s == '\'' ? strbuf_addstr(out, "'\\''") :
				 strbuf_addch(out, *s))
			return -1;
	}
	return strbuf_addch(out, '\'');
}

int hook_script_render(struct strbuf *out, const char *name,
		       const char *self)
{
	struct strbuf bin = STRBUF_INIT;
	int ret = -1;

	if (!hook_name_known(name)) {
		gate_error("unknown hook '%s'", name);
		goto out;
	}
	if (strchr(self, '\n')) {
		gate_error("cannot record a path with a newline: '%s'", self);
		goto out;
	}
	if (hook_sq_quote(&bin, self))
		goto out;
	ret = strbuf_addf(out, script_fmt, name, bin.buf, name,
			  strcmp(name, HOOK_PRE_PUSH) ? missing_other :
							missing_prepush);
out:
	strbuf_dispose(&bin);
	return ret;
}

/* Ours carry the marker as a whole line among their first few. */
bool hook_script_is_ours(const char *content, size_t len)
{
	const char *p = content, *end = content + len;
	size_t mlen = strlen(HOOK_MARKER);

	for (int line = 0; line < 5 && p < end; line++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (n == mlen && !memcmp(p, HOOK_MARKER, mlen))
			return true;
		if (!nl)
			break;
		p = nl + 1;
	}
	return false;
}
