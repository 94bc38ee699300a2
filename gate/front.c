/* front.c: `mkt-gate`, what users and git hooks run: answers --version and the hooks
 * without loading libgit2, libcurl or libxml2, and execs mkt-gate-full for the rest. */
#include "builtin.h"
#include "exit.h"
#include "interrupt.h"
#include "proc.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *self_path(const char *argv0)
{
	static char buf[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);

	if (n <= 0)
		return argv0;
	buf[n] = '\0';
	return buf;
}

/*
 * Installed, the full binary is in libexec; in the build tree, next to us.
 * Both relative to us first, so that an installed tree can move; then
 * where it was installed, for a copy of mkt-gate alone (as git's exec path).
 */
static int full_path(char *out, size_t size, const char *self)
{
	static const char *const where[] = {
		"../libexec/mkt-gate/" MKT_GATE_FULL, MKT_GATE_FULL, NULL,
	};
	const char *slash = strrchr(self, '/');
	int dir = slash ? (int)(slash - self) : 1, n;

	for (int i = 0; where[i]; i++) {
		n = snprintf(out, size, "%.*s/%s", dir, slash ? self : ".", where[i]);
		if (n > 0 && (size_t)n < size && !access(out, X_OK))
			return 0;
	}
	n = snprintf(out, size, "%s/%s", MKT_GATE_LIBEXECDIR, MKT_GATE_FULL);
	return n > 0 && (size_t)n < size && !access(out, X_OK) ? 0 : -1;
}

static bool is_version(int argc, const char **argv)
{
	return argc == 2 && (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version"));
}

/*
 * Only the exact forms the hook scripts and `--version` use are answered
 * here; any other command line, global options included, is the full
 * binary's, so both parse the same way.
 */
int main(int argc, const char **argv)
{
	struct gate_ctx ctx = { .self = self_path(argv[0]) };
	char full[PATH_MAX];

	if (is_version(argc, argv)) {
		printf("mkt-gate %s\n", MKT_GATE_VERSION);
		return GATE_EXIT_OK;
	}
	if (argc > 1 && !strcmp(argv[1], "hook")) {
		gate_interrupt_install(proc_kill_all);
		return cmd_hook(argc - 1, argv + 1, &ctx);
	}
	if (full_path(full, sizeof(full), ctx.self)) {
		fprintf(stderr, "fatal: cannot find " MKT_GATE_FULL " next to '%s', in ../libexec/mkt-gate or in '%s'\n",
			ctx.self, MKT_GATE_LIBEXECDIR);
		fprintf(stderr, "hint: reinstall mkt-gate ('cmake --install' or the .deb)\n");
		return GATE_EXIT_INFRA;
	}
	if (setenv(GATE_ENV_SELF, ctx.self, 1) == 0)
		execv(full, (char *const *)argv);
	fprintf(stderr, "fatal: cannot run '%s': %s\n", full, strerror(errno));
	return GATE_EXIT_INFRA;
}
