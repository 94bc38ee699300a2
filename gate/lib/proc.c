/* proc.c: fork, exec and wait for the children of proc.h.
 * Keeps a table of live process groups so that a signal can stop them all. */
#include "proc.h"
#include "error.h"
#include "interrupt.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PROC_MAX_LIVE 256

static volatile pid_t live_groups[PROC_MAX_LIVE];
static pthread_mutex_t live_lock = PTHREAD_MUTEX_INITIALIZER;

static void live_add(pid_t pid)
{
	pthread_mutex_lock(&live_lock);
	for (int i = 0; i < PROC_MAX_LIVE; i++) {
		if (!live_groups[i]) {
			live_groups[i] = pid;
			break;
		}
	}
	pthread_mutex_unlock(&live_lock);
}

static void live_remove(pid_t pid)
{
	pthread_mutex_lock(&live_lock);
	for (int i = 0; i < PROC_MAX_LIVE; i++)
		if (live_groups[i] == pid)
			live_groups[i] = 0;
	pthread_mutex_unlock(&live_lock);
}

/* Async-signal-safe: reads the table without the lock. */
void proc_kill_all(int sig)
{
	for (int i = 0; i < PROC_MAX_LIVE; i++)
		if (live_groups[i] > 0)
			kill(-live_groups[i], sig);
}

int proc_prepend_args(struct proc *p, struct strvec *front)
{
	if (strvec_pushv(front, p->args.v)) {
		strvec_dispose(front);
		return gate_error("out of memory");
	}
	strvec_dispose(&p->args);
	p->args = *front;
	strvec_init(front);
	return 0;
}

void proc_init(struct proc *p)
{
	memset(p, 0, sizeof(*p));
	strvec_init(&p->args);
	strvec_init(&p->env);
}

void proc_dispose(struct proc *p)
{
	strvec_dispose(&p->args);
	strvec_dispose(&p->env);
}

static void close_taken(struct proc *p)
{
	if (p->in > 2)
		close(p->in);
	if (p->out > 2)
		close(p->out);
	if (p->err > 2)
		close(p->err);
}

static int make_pipe(int fds[2])
{
	if (pipe2(fds, O_CLOEXEC))
		return gate_error("cannot create a pipe: %s", strerror(errno));
	return 0;
}

static void child_setup_fd(int fd, int target, int pipe_end)
{
	if (fd == -1)
		dup2(pipe_end, target);
	else if (fd > 2)
		dup2(fd, target);
}

extern char **environ;

static bool env_overridden(const struct strvec *env, const char *entry)
{
	size_t klen = strcspn(entry, "=");

	for (size_t i = 0; i < env->nr; i++) {
		size_t n = strcspn(env->v[i], "=");

		if (n == klen && !strncmp(env->v[i], entry, n))
			return true;
	}
	return false;
}

/*
 * Builds the child's environment before fork: after fork in a threaded
 * program only async-signal-safe calls are allowed, and setenv() is not.
 */
static int build_env(const struct strvec *env, struct strvec *out)
{
	for (char **e = environ; *e; e++)
		if (!env_overridden(env, *e) && strvec_push(out, *e))
			return -1;
	for (size_t i = 0; i < env->nr; i++)
		if (strchr(env->v[i], '=') && strvec_push(out, env->v[i]))
			return -1;
	return 0;
}

static void __attribute__((noreturn)) child_exec(struct proc *p,
						 const struct strvec *envp,
						 int pin[2], int pout[2],
						 int perr[2])
{
	sigset_t none;

	setpgid(0, 0);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
	child_setup_fd(p->in, 0, pin[0]);
	child_setup_fd(p->out, 1, pout[1]);
	child_setup_fd(p->err, 2, perr[1]);
	if (p->out_to_err)
		dup2(2, 1);
	if (p->err_to_out)
		dup2(1, 2);
	if (p->dir && chdir(p->dir)) {
		dprintf(2, "fatal: cannot enter '%s': %s\n", p->dir,
			strerror(errno));
		_exit(127);
	}
	execvpe(p->args.v[0], (char *const *)p->args.v,
		(char *const *)envp->v);
	if (!p->silent_exec_failure)
		dprintf(2, "fatal: cannot run '%s': %s\n", p->args.v[0],
			strerror(errno));
	_exit(127);
}

int proc_start(struct proc *p)
{
	int pin[2] = { -1, -1 }, pout[2] = { -1, -1 }, perr[2] = { -1, -1 };
	struct strvec envp = STRVEC_INIT;
	int ret = -1;

	if (!p->args.nr)
		GATE_BUG("proc_start without a command");
	/* After Ctrl-C nothing new starts, whatever the caller is in the middle of. */
	if (gate_interrupted()) {
		close_taken(p);
		return gate_error("interrupted");
	}
	if (build_env(&p->env, &envp))
		goto fail;
	if ((p->in == -1 && make_pipe(pin)) ||
	    (p->out == -1 && make_pipe(pout)) ||
	    (p->err == -1 && make_pipe(perr)))
		goto fail;
	fflush(NULL);
	p->pid = fork();
	if (p->pid < 0) {
		gate_error("cannot fork: %s", strerror(errno));
		goto fail;
	}
	if (!p->pid)
		child_exec(p, &envp, pin, pout, perr);
	strvec_dispose(&envp);
	/* Both sides set the group, so kill() never races the child's setpgid. */
	setpgid(p->pid, p->pid);
	live_add(p->pid);
	/*
	 * A Ctrl-C between the check above and live_add() found no group of
	 * ours to kill: this child is the caller's to stop, and so is ours.
	 */
	if (gate_interrupted())
		kill(-p->pid, SIGTERM);
	close_taken(p);
	if (p->in == -1) {
		close(pin[0]);
		p->in = pin[1];
	}
	if (p->out == -1) {
		close(pout[1]);
		p->out = pout[0];
	}
	if (p->err == -1) {
		close(perr[1]);
		p->err = perr[0];
	}
	return 0;
fail:
	strvec_dispose(&envp);
	close_taken(p);
	for (int i = 0; i < 2; i++) {
		if (pin[i] >= 0)
			close(pin[i]);
		if (pout[i] >= 0)
			close(pout[i]);
		if (perr[i] >= 0)
			close(perr[i]);
	}
	return ret;
}

/* Whether the child has ended; it stays a zombie, so its pid stays ours. */
static bool proc_ended(struct proc *p, bool block)
{
	siginfo_t si;
	int r;

	do {
		memset(&si, 0, sizeof(si));
		r = waitid(P_PID, (id_t)p->pid, &si,
			   WEXITED | WNOWAIT | (block ? 0 : WNOHANG));
	} while (r < 0 && errno == EINTR);
	return !r && si.si_pid == p->pid;
}

int proc_wait(struct proc *p)
{
	int status;
	pid_t r;

	/*
	 * Ended but not reaped, the group id cannot be reused: sweep what an
	 * interrupt left of the group, and leave the table of live groups
	 * before the pid is freed, so kill() never reaches a stranger.
	 */
	if (proc_ended(p, true) && gate_interrupted())
		proc_kill(p, SIGKILL);
	live_remove(p->pid);
	do {
		r = waitpid(p->pid, &status, 0);
	} while (r < 0 && errno == EINTR);
	if (r < 0)
		return gate_error("cannot wait for '%s': %s", p->args.v[0],
				  strerror(errno));
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

void proc_kill(struct proc *p, int sig)
{
	if (p->pid > 0)
		kill(-p->pid, sig);
}

int proc_run(struct proc *p)
{
	if (proc_start(p))
		return -1;
	return proc_wait(p);
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static int drain(int *fd, struct strbuf *sb)
{
	char chunk[8192];
	ssize_t n = read(*fd, chunk, sizeof(chunk));

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return 0;
	if (n <= 0) {
		close(*fd);
		*fd = -1;
		return 0;
	}
	/* Past the cap we keep reading, so the child never blocks on a pipe. */
	if (strbuf_add(sb, chunk, (size_t)n))
		return 0;
	return 0;
}

/*
 * How long the pipes of a killed child are still read once it has ended:
 * whatever holds them open then (a grandchild in a session of its own,
 * which our signals never reach) must not keep us waiting for ever.
 */
#define PROC_DRAIN_MS 300
#define PROC_TICK_MS 50

struct pump_state {
	long deadline;		/* of the timeout; 0: none */
	bool stopping;		/* timed out or interrupted: the child goes */
	long ended_at;		/* when a stopping child was seen ended */
};

/* How long poll() may sleep (-1: until something happens); false: leave. */
static bool pump_wait(struct proc *p, struct pump_state *s, bool *timed_out,
		      int *wait_ms)
{
	long now = now_ms();

	if (!s->stopping && s->deadline && now >= s->deadline) {
		*timed_out = true;
		proc_kill(p, SIGKILL);
		s->stopping = true;
	}
	/* The interrupt handler has signalled the group; we watch it go. */
	if (gate_interrupted())
		s->stopping = true;
	if (!s->stopping) {
		*wait_ms = s->deadline ? (int)(s->deadline - now) : -1;
		return true;
	}
	if (!s->ended_at && proc_ended(p, false)) {
		proc_kill(p, SIGKILL);	/* what is left of its group */
		s->ended_at = now;
	}
	*wait_ms = PROC_TICK_MS;
	return !s->ended_at || now - s->ended_at < PROC_DRAIN_MS;
}

/* Whether process pid has the pipe named want open. */
static bool holds_pipe(int pid, const char *want)
{
	char path[64], link[64];
	struct dirent *de;
	bool found = false;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%d/fd", pid);
	d = opendir(path);
	while (d && !found && (de = readdir(d))) {
		ssize_t n = readlinkat(dirfd(d), de->d_name, link, sizeof(link) - 1);

		found = n > 0 && (link[n] = '\0', !strcmp(link, want));
	}
	if (d)
		closedir(d);
	return found;
}

/*
 * Kills what still holds our pipe fd once its child has ended: only a
 * descendant of the child can, and one in a session of its own (bwrap's
 * sandbox) is out of reach of the group signals. A pidfd taken before
 * the look pins the process, so a recycled pid is never hit.
 */
static void kill_pipe_holders(int fd)
{
	struct dirent *de;
	struct stat st;
	char want[48];
	DIR *d;

	if (fstat(fd, &st) || !S_ISFIFO(st.st_mode))
		return;
	snprintf(want, sizeof(want), "pipe:[%lu]", (unsigned long)st.st_ino);
	d = opendir("/proc");
	while (d && (de = readdir(d))) {
		int pid = atoi(de->d_name), pidfd;

		if (pid <= 0 || pid == getpid())
			continue;
		pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
		if (pidfd < 0)
			continue;
		if (holds_pipe(pid, want))
			syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0);
		close(pidfd);
	}
	if (d)
		closedir(d);
}

/*
 * Reads the child's pipes until both close, or until a child that was
 * stopped has ended. fds[0] and fds[1] are the ends we own (-1: none);
 * they are closed here.
 */
static void pump(struct proc *p, int fds[2], struct strbuf *bufs[2],
		 unsigned int timeout_s, bool *timed_out)
{
	struct pump_state s = { timeout_s ? now_ms() + timeout_s * 1000L : 0 };
	struct pollfd pfd[3];
	int which[3], wait_ms;

	while ((fds[0] >= 0 || fds[1] >= 0) && pump_wait(p, &s, timed_out, &wait_ms)) {
		int n = 0;

		for (int i = 0; i < 2; i++) {
			if (fds[i] < 0)
				continue;
			which[n] = i;
			pfd[n++] = (struct pollfd){ .fd = fds[i], .events = POLLIN };
		}
		/* Readable for good once interrupted: only while not stopping. */
		if (!s.stopping && gate_interrupt_fd() >= 0) {
			which[n] = -1;
			pfd[n++] = (struct pollfd){ .fd = gate_interrupt_fd(), .events = POLLIN };
		}
		if (poll(pfd, (nfds_t)n, wait_ms) <= 0)
			continue;
		for (int i = 0; i < n; i++)
			if (which[i] >= 0 && pfd[i].revents)
				drain(&fds[which[i]], bufs[which[i]]);
	}
	for (int i = 0; i < 2; i++) {
		if (fds[i] < 0)
			continue;
		kill_pipe_holders(fds[i]);
		close(fds[i]);
		fds[i] = -1;
	}
}

int proc_capture(struct proc *p, struct strbuf *out, struct strbuf *err,
		 unsigned int timeout_s)
{
	struct strbuf *bufs[2] = { out, err };
	bool timed_out = false;
	int fd, fds[2], ret;

	fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return gate_error("cannot open /dev/null: %s", strerror(errno));
	p->in = fd;
	p->out = -1;
	p->err = err ? -1 : 0;
	p->err_to_out = !err;
	if (proc_start(p))
		return -1;
	fds[0] = p->out;
	fds[1] = err ? p->err : -1;
	pump(p, fds, bufs, timeout_s, &timed_out);
	p->out = p->err = -1;
	ret = proc_wait(p);
	if (timed_out && ret >= 0) {
		gate_error("'%s' timed out after %u s", p->args.v[0], timeout_s);
		return 128 + SIGKILL;
	}
	return ret;
}

bool proc_which(const char *name, struct strbuf *found)
{
	const char *path = getenv("PATH");
	struct strbuf sb = STRBUF_INIT;
	bool ok = false;

	if (strchr(name, '/')) {
		ok = !access(name, X_OK);
		if (ok && found)
			strbuf_addstr(found, name);
		return ok;
	}
	while (path && *path && !ok) {
		const char *end = strchrnul(path, ':');

		strbuf_reset(&sb);
		strbuf_addf(&sb, "%.*s/%s", (int)(end - path), path, name);
		ok = !access(sb.buf, X_OK);
		path = *end ? end + 1 : end;
	}
	if (ok && found)
		strbuf_addstr(found, sb.buf);
	strbuf_dispose(&sb);
	return ok;
}
