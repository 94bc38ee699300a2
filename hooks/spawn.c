/* spawn.c: starts a background run that outlives the hook: double fork, new session, fds to a log.
 * The one fork outside proc.c, because proc.c's children are waited for and these never are. */
#include "hook.h"
#include "error.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static void __attribute__((noreturn)) grandchild(const char *const *argv,
						 const char *dir, int in,
						 int log)
{
	sigset_t none;

	dup2(in, 0);
	dup2(log, 1);
	dup2(log, 2);
	close_range(3, ~0U, 0);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (dir && chdir(dir)) {
		fprintf(stderr, "fatal: cannot enter '%s': %s\n", dir,
			strerror(errno));
		_exit(127);
	}
	for (int i = 0; hook_git_local_env[i]; i++)
		unsetenv(hook_git_local_env[i]);
	/* A background check yields the CPU to whatever the user does next. */
	if (setpriority(PRIO_PROCESS, 0, 10))
		errno = 0;
	execv(argv[0], (char *const *)argv);
	fprintf(stderr, "fatal: cannot run '%s': %s\n", argv[0], strerror(errno));
	_exit(127);
}

int hook_spawn_detached(const char *const *argv, const char *dir,
			const char *log_path)
{
	int in = open("/dev/null", O_RDONLY | O_CLOEXEC), log = -1;
	int status, ret = -1;
	pid_t pid, r;

	log = open(log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
	if (in < 0 || log < 0) {
		gate_error("cannot open '%s': %s", in < 0 ? "/dev/null" : log_path,
			   strerror(errno));
		goto out;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		gate_error("cannot fork: %s", strerror(errno));
		goto out;
	}
	if (!pid) {
		/* The middle child: a new session, then gone, so init adopts the run. */
		if (setsid() < 0)
			_exit(1);
		pid = fork();
		if (!pid)
			grandchild(argv, dir, in, log);
		_exit(pid < 0);
	}
	do {
		r = waitpid(pid, &status, 0);
	} while (r < 0 && errno == EINTR);
	if (r < 0 || !WIFEXITED(status) || WEXITSTATUS(status)) {
		gate_error("cannot start the background check");
		goto out;
	}
	ret = 0;
out:
	if (in >= 0)
		close(in);
	if (log >= 0)
		close(log);
	return ret;
}
