/* registry.c: the table of analyzers mkt-gate knows, and the probe that
 * tells whether one is installed and which version. Never prints or exits. */
#include "analyzer.h"
#include "error.h"
#include "proc.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#define AN_PROBE_TIMEOUT_S 10

static const struct an_desc analyzers[] = {
	{ "gcc", AN_KIND_OBJECT, "gcc", "--version",
	  "apt-get install gcc", an_ccdiag_parse,
	  .caps = AN_CAP_COMPILER },
	{ "clang", AN_KIND_OBJECT, "clang", "--version",
	  "apt-get install clang", an_ccdiag_parse,
	  .caps = AN_CAP_COMPILER | AN_CAP_LLVM },
	{ "sparse", AN_KIND_OBJECT, "sparse", "--version",
	  "apt-get install sparse", an_sparse_parse,
	  .caps = AN_CAP_CHECKER | AN_CAP_TU, .tu_style = AN_TU_CGCC },
	/* smatch on single units lacks the kernel's own smatch data */
	{ "smatch", AN_KIND_OBJECT, "smatch", "--version",
	  "build it from https://repo.or.cz/smatch.git (not packaged by Debian)",
	  an_smatch_parse,
	  .caps = AN_CAP_CHECKER, .tu_style = AN_TU_CGCC, .check_args = "-p=kernel" },
	{ "cppcheck", AN_KIND_OBJECT, "cppcheck", "--version",
	  "apt-get install cppcheck", an_cppcheck_parse,
	  .caps = AN_CAP_TU, .tu_style = AN_TU_CPPCHECK },
	{ "clang-tidy", AN_KIND_OBJECT, "clang-tidy", "--version",
	  "apt-get install clang-tidy", an_ccdiag_parse,
	  .caps = AN_CAP_TU, .tu_style = AN_TU_CLANG_TIDY },
	{ "checkpatch", AN_KIND_PATCH, "scripts/checkpatch.pl", "--version",
	  "it comes with the kernel tree; set [analyzer.checkpatch] command",
	  an_checkpatch_parse, .patch_input = AN_PATCH_DIFF },
	{ "kernel-doc", AN_KIND_PATCH, "scripts/kernel-doc", NULL,
	  "it comes with the kernel tree; set [analyzer.kernel-doc] command",
	  an_kerneldoc_parse, .patch_input = AN_PATCH_FILES },
	{ "commit-msg", AN_KIND_PATCH, NULL, NULL, NULL, NULL,
	  .patch_input = AN_PATCH_MESSAGE },
};

#define NR_ANALYZERS (sizeof(analyzers) / sizeof(analyzers[0]))

const struct an_desc *an_all(size_t *n)
{
	*n = NR_ANALYZERS;
	return analyzers;
}

const struct an_desc *an_find(const char *name)
{
	for (size_t i = 0; i < NR_ANALYZERS; i++)
		if (!strcmp(analyzers[i].name, name))
			return &analyzers[i];
	return NULL;
}

/* The first "12.2.0"-like number of the first line that has one. */
static void parse_version(const char *s, char *out, size_t size)
{
	size_t n;

	out[0] = '\0';
	for (; *s; s++) {
		if (!isdigit((unsigned char)*s))
			continue;
		n = strspn(s, "0123456789.");
		if (memchr(s, '.', n) || s[n] == '\n' || !s[n] || s[n] == ' ')
			break;
		s += n - 1;
	}
	if (!*s)
		return;
	n = strspn(s, "0123456789.");
	while (n && s[n - 1] == '.')
		n--;
	snprintf(out, size, "%.*s", (int)n, s);
}

static int run_version(struct an_probe *out, const struct strvec *argv,
		       const char *flag)
{
	struct strbuf text = STRBUF_INIT;
	struct proc p;
	int ret;

	proc_init(&p);
	p.silent_exec_failure = true;
	ret = strvec_pushv(&p.args, argv->v);
	if (!ret)
		ret = strvec_push(&p.args, flag);
	if (ret) {
		ret = gate_error("out of memory");
		goto dispose;
	}
	text.cap = 64 << 10;
	ret = proc_capture(&p, &text, NULL, AN_PROBE_TIMEOUT_S);
	if (ret < 0 || ret == 127 || ret > 128) {
		ret = gate_error("cannot run '%s %s'", argv->v[0], flag);
		goto dispose;
	}
	ret = 0;
	parse_version(text.buf, out->version, sizeof(out->version));
dispose:
	strbuf_dispose(&text);
	proc_dispose(&p);
	return ret;
}

int an_probe(const struct an_desc *d, const char *command,
	     struct an_probe *out)
{
	struct strvec argv = STRVEC_INIT;
	struct strbuf path = STRBUF_INIT;
	int ret = 0;

	memset(out, 0, sizeof(*out));
	if (!command)
		command = d->default_command;
	if (!command) {
		out->found = true;	/* built into mkt-gate */
		return 0;
	}
	if (strvec_split(&argv, command)) {
		ret = gate_error("cannot split the command of '%s'", d->name);
		goto out;
	}
	if (!argv.nr || !proc_which(argv.v[0], &path))
		goto out;
	out->found = true;
	snprintf(out->path, sizeof(out->path), "%s", path.buf);
	if (d->version_flag)
		ret = run_version(out, &argv, d->version_flag);
out:
	strbuf_dispose(&path);
	strvec_dispose(&argv);
	return ret;
}
