/* lock.c: the one-run-per-repository lock: an flock()ed file that holds the holder's pid.
 * The kernel drops the lock when its holder dies, so a crash never leaves a lock that blocks. */
#include "hook.h"
#include "error.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

bool hook_pid_alive(pid_t pid)
{
	return pid > 0 && (!kill(pid, 0) || errno == EPERM);
}

static pid_t read_pid(int fd)
{
	char buf[32];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
	long pid;

	if (n <= 0)
		return 0;
	buf[n] = '\0';
	pid = strtol(buf, NULL, 10);
	return pid > 0 && pid < (1L << 30) ? (pid_t)pid : 0;
}

static int write_pid(int fd)
{
	char buf[32];
	int n = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());

	if (ftruncate(fd, 0) || pwrite(fd, buf, (size_t)n, 0) != n)
		return gate_error("cannot write the lock: %s", strerror(errno));
	return 0;
}

int hook_lock_acquire(struct hook_lock *l, pid_t *holder, const char *path)
{
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
	pid_t old;

	*holder = 0;
	l->stale_pid = 0;
	if (fd < 0)
		return gate_error("cannot open the lock '%s': %s", path,
				  strerror(errno));
	if (flock(fd, LOCK_EX | LOCK_NB)) {
		int err = errno;

		*holder = read_pid(fd);
		close(fd);
		if (err == EWOULDBLOCK)
			return 1;
		return gate_error("cannot lock '%s': %s", path, strerror(err));
	}
	/* A pid left in a free lock is a run that died without unlocking. */
	old = read_pid(fd);
	if (old && old != getpid() && !hook_pid_alive(old))
		l->stale_pid = old;
	if (write_pid(fd)) {
		close(fd);
		return -1;
	}
	l->fd = fd;
	return 0;
}

void hook_lock_release(struct hook_lock *l)
{
	if (l->fd < 0)
		return;
	/* Should this fail, the pid left behind only reads as stale. */
	if (ftruncate(l->fd, 0))
		l->stale_pid = 0;
	close(l->fd);
	l->fd = -1;
}

pid_t hook_lock_holder(const char *path, pid_t *stale)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	pid_t pid = 0;

	*stale = 0;
	if (fd < 0)
		return 0;
	if (flock(fd, LOCK_SH | LOCK_NB)) {
		pid = read_pid(fd);
	} else {
		*stale = read_pid(fd);
		flock(fd, LOCK_UN);
	}
	close(fd);
	return pid;
}
