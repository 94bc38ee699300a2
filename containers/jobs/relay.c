/* relay.c: listens on unix sockets in a private directory and pumps each
 * connection to its TCP service in two threads. Never prints or exits. */
#include "relay.h"
#include "alloc.h"
#include "error.h"
#include "fs.h"
#include "reach.h"
#include "strbuf.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#define RELAY_CONNECT_MS 5000
#define RELAY_BUF 65536
/* room for "/mkt-gate-relay.XXXXXX/relayNNNN" in a socket's 108 bytes */
#define RELAY_TMPDIR_MAX 64

/*
 * distcc runs DISTCC_SSH [-l USER] HOST COMMAND...; the socket is HOST in
 * the script's own directory. Any other host is a real ssh host of the
 * config (the job then has a network) and goes to ssh itself. It runs
 * once per compile, so it loads only Socket and Fcntl (6 ms, where
 * IO::Socket takes 13), and it makes its pipes blocking: distcc hands
 * them over non-blocking, and a full pipe must wait, not fail.
 */
static const char ssh_script[] =
	"#!/usr/bin/perl\n"
	"# mkt-gate's relay: joins stdin and stdout to the socket named by ssh's HOST\n"
	"use strict;\nuse Socket;\nuse Fcntl;\n"
	"my @args = @ARGV;\n"
	"splice(@args, 0, 2) while @args && $args[0] =~ /^-/;\n"
	"my $host = shift(@args) // '';\n"
	"exec 'ssh', @ARGV unless $host =~ /^relay\\d+$/;\n"
	"(my $dir = $0) =~ s{/[^/]*$}{};\n"
	"my $s;\n"
	"socket($s, AF_UNIX, SOCK_STREAM, 0) && connect($s, pack_sockaddr_un(\"$dir/$host\"))\n"
	"\tor die \"mkt-gate relay: $dir/$host: $!\\n\";\n"
	"fcntl($_, F_SETFL, fcntl($_, F_GETFL, 0) & ~O_NONBLOCK) for \\*STDIN, \\*STDOUT;\n"
	"my ($in, $buf) = (1);\n"
	"sub put {\n"
	"\tmy ($fh, $n) = @_;\n"
	"\tfor (my $o = 0; $o < $n;) { $o += syswrite($fh, $buf, $n - $o, $o) // exit 1; }\n"
	"}\n"
	"while (1) {\n"
	"\tmy $r = '';\n"
	"\tvec($r, fileno(STDIN), 1) = 1 if $in;\n"
	"\tvec($r, fileno($s), 1) = 1;\n"
	"\tnext if select($r, undef, undef, undef) < 1;\n"
	"\tif ($in && vec($r, fileno(STDIN), 1)) {\n"
	"\t\tmy $n = sysread(STDIN, $buf, 65536);\n"
	"\t\tif ($n) { put($s, $n); } else { $in = 0; shutdown($s, 1); }\n"
	"\t}\n"
	"\tif (vec($r, fileno($s), 1)) {\n"
	"\t\tmy $n = sysread($s, $buf, 65536);\n"
	"\t\texit 0 unless $n;\n"
	"\t\tput(\\*STDOUT, $n);\n"
	"\t}\n"
	"}\n";

struct relay_target {
	char *name;
	char *host;
	unsigned int port;
	int fd;			/* listening */
};

/* One relayed connection: fd[0] the job's end, fd[1] the service's. */
struct relay_conn {
	int fd[2];
	pthread_t pump[2];
	int done;		/* pumps finished, under the relay's lock */
	struct relay_conn *next;
};

struct ctr_relay {
	char *dir;
	char *ssh;
	struct relay_target *v;
	size_t nr, alloc;
	int stop[2];		/* a byte on stop[1] ends the accepting thread */
	pthread_t acceptor;
	bool running;
	pthread_mutex_t lock;
	struct relay_conn *conns;
};

struct relay_pump {
	struct ctr_relay *r;
	struct relay_conn *c;
	int from;
};

static int write_ssh(struct ctr_relay *r)
{
	struct strbuf path = STRBUF_INIT, text = STRBUF_INIT;
	int ret = strbuf_addf(&path, "%s/ssh", r->dir) || strbuf_addstr(&text, ssh_script);

	if (ret) {
		ret = gate_error("out of memory");
		goto out;
	}
	ret = strbuf_write_file(&text, path.buf);
	if (!ret && chmod(path.buf, 0755))
		ret = gate_error("cannot make '%s' executable: %s", path.buf, strerror(errno));
	if (!ret)
		r->ssh = strbuf_detach(&path, NULL);
out:
	strbuf_dispose(&path);
	strbuf_dispose(&text);
	return ret;
}

/* $TMPDIR, unless a socket path below it could not be said (108 bytes). */
static const char *tmp_dir(void)
{
	const char *tmp = getenv("TMPDIR");

	return tmp && *tmp && strlen(tmp) < RELAY_TMPDIR_MAX ? tmp : "/tmp";
}

int ctr_relay_new(struct ctr_relay **out)
{
	struct strbuf dir = STRBUF_INIT;
	struct ctr_relay *r = calloc(1, sizeof(*r));

	*out = NULL;
	if (!r)
		return gate_error("out of memory");
	r->stop[0] = r->stop[1] = -1;
	pthread_mutex_init(&r->lock, NULL);
	if (strbuf_addf(&dir, "%s/mkt-gate-relay.XXXXXX", tmp_dir())) {
		gate_error("out of memory");
		goto fail;
	}
	if (!mkdtemp(dir.buf)) {
		gate_error("cannot create '%s': %s", dir.buf, strerror(errno));
		goto fail;
	}
	r->dir = strbuf_detach(&dir, NULL);
	if (write_ssh(r))
		goto fail;
	if (pipe2(r->stop, O_CLOEXEC)) {
		gate_error("cannot make a pipe: %s", strerror(errno));
		goto fail;
	}
	*out = r;
	return 0;
fail:
	strbuf_dispose(&dir);
	ctr_relay_free(r);
	return -1;
}

/* A listening, close-on-exec socket at dir/name. */
static int listen_at(const char *dir, const char *name)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	size_t dlen = strlen(dir), nlen = strlen(name);
	int fd;

	if (dlen + nlen + 2 > sizeof(sa.sun_path))
		return gate_error("relay directory '%s' is too long for a socket", dir);
	memcpy(sa.sun_path, dir, dlen);
	sa.sun_path[dlen] = '/';
	memcpy(sa.sun_path + dlen + 1, name, nlen + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || listen(fd, 64)) {
		gate_error("cannot listen on '%s': %s", sa.sun_path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

int ctr_relay_add(struct ctr_relay *r, const char *host, unsigned int port,
		  const char **name)
{
	struct relay_target *t;
	struct strbuf sb = STRBUF_INIT;

	if (r->running)
		GATE_BUG("ctr_relay_add() after ctr_relay_start()");
	if (ALLOC_GROW(r->v, r->nr + 1, r->alloc))
		return -1;
	t = &r->v[r->nr];
	memset(t, 0, sizeof(*t));
	t->fd = -1;
	if (strbuf_addf(&sb, "relay%zu", r->nr)) {
		strbuf_dispose(&sb);
		return gate_error("out of memory");
	}
	t->name = strbuf_detach(&sb, NULL);
	t->host = strdup(host);
	t->port = port;
	r->nr++;
	if (!t->host)
		return gate_error("out of memory");
	t->fd = listen_at(r->dir, t->name);
	if (t->fd < 0)
		return -1;
	*name = t->name;
	return 0;
}

/* Writes all of buf to fd; a closed peer is an error, not a SIGPIPE. */
static int send_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * One direction: from one end to the other until EOF, which is passed on
 * as a half-close; on an error both ends are shut so the other pump ends too.
 */
static void *pump(void *arg)
{
	struct relay_pump *p = arg;
	int from = p->c->fd[p->from], to = p->c->fd[!p->from];
	char *buf = malloc(RELAY_BUF);
	ssize_t n = -1;

	while (buf) {
		n = recv(from, buf, RELAY_BUF, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0 || send_all(to, buf, (size_t)n))
			break;
	}
	if (n == 0) {
		shutdown(to, SHUT_WR);
	} else {
		shutdown(from, SHUT_RDWR);
		shutdown(to, SHUT_RDWR);
	}
	free(buf);
	pthread_mutex_lock(&p->r->lock);
	p->c->done++;
	pthread_mutex_unlock(&p->r->lock);
	free(p);
	return NULL;
}

static void conn_free(struct relay_conn *c, int started)
{
	for (int i = 0; i < started; i++)
		pthread_join(c->pump[i], NULL);
	close(c->fd[0]);
	close(c->fd[1]);
	free(c);
}

/* Joins and frees the connections whose pumps both ended; all of them when every is set. */
static void reap(struct ctr_relay *r, bool every)
{
	struct relay_conn **pp = &r->conns, *c;

	pthread_mutex_lock(&r->lock);
	while (*pp) {
		c = *pp;
		if (every && c->done < 2) {
			shutdown(c->fd[0], SHUT_RDWR);
			shutdown(c->fd[1], SHUT_RDWR);
		}
		if (!every && c->done < 2) {
			pp = &c->next;
			continue;
		}
		*pp = c->next;
		pthread_mutex_unlock(&r->lock);
		conn_free(c, 2);
		pthread_mutex_lock(&r->lock);
	}
	pthread_mutex_unlock(&r->lock);
}

static int start_pump(struct ctr_relay *r, struct relay_conn *c, int from)
{
	struct relay_pump *p = malloc(sizeof(*p));

	if (!p)
		return -1;
	*p = (struct relay_pump){ r, c, from };
	if (pthread_create(&c->pump[from], NULL, pump, p)) {
		free(p);
		return -1;
	}
	return 0;
}

/* A connection on t's socket: its service is dialled and both directions pumped. */
static void relay_accept(struct ctr_relay *r, const struct relay_target *t)
{
	int fd = accept4(t->fd, NULL, NULL, SOCK_CLOEXEC), up;
	struct relay_conn *c;

	if (fd < 0)
		return;
	up = ctr_reach_connect(t->host, t->port, RELAY_CONNECT_MS);
	c = up < 0 ? NULL : calloc(1, sizeof(*c));
	if (!c) {
		close(fd);
		if (up >= 0)
			close(up);
		return;
	}
	c->fd[0] = fd;
	c->fd[1] = up;
	if (start_pump(r, c, 0)) {
		conn_free(c, 0);
		return;
	}
	if (start_pump(r, c, 1)) {
		shutdown(fd, SHUT_RDWR);
		conn_free(c, 1);
		return;
	}
	pthread_mutex_lock(&r->lock);
	c->next = r->conns;
	r->conns = c;
	pthread_mutex_unlock(&r->lock);
}

static void *acceptor(void *arg)
{
	struct ctr_relay *r = arg;
	struct pollfd *pfd = calloc(r->nr + 1, sizeof(*pfd));

	if (!pfd)
		return NULL;
	pfd[0] = (struct pollfd){ r->stop[0], POLLIN, 0 };
	for (size_t i = 0; i < r->nr; i++)
		pfd[i + 1] = (struct pollfd){ r->v[i].fd, POLLIN, 0 };
	while (!(pfd[0].revents & (POLLIN | POLLHUP))) {
		if (poll(pfd, r->nr + 1, -1) < 0 && errno != EINTR)
			break;
		for (size_t i = 0; i < r->nr; i++) {
			if (pfd[i + 1].revents & POLLIN)
				relay_accept(r, &r->v[i]);
		}
		reap(r, false);
	}
	free(pfd);
	return NULL;
}

int ctr_relay_start(struct ctr_relay *r)
{
	if (r->running || !r->nr)
		return 0;
	if (pthread_create(&r->acceptor, NULL, acceptor, r))
		return gate_error("cannot start the relay's thread");
	r->running = true;
	return 0;
}

/* Closes the listening sockets and removes them, the script and the directory. */
static void relay_remove(struct ctr_relay *r)
{
	for (size_t i = 0; i < r->nr; i++) {
		if (r->v[i].fd >= 0)
			close(r->v[i].fd);
		free(r->v[i].name);
		free(r->v[i].host);
	}
	free(r->v);
	if (r->dir && gate_remove_tree(r->dir))
		gate_error_clear();
	free(r->dir);
	free(r->ssh);
}

void ctr_relay_free(struct ctr_relay *r)
{
	if (!r)
		return;
	if (r->running) {
		while (write(r->stop[1], "", 1) < 0 && errno == EINTR)
			;
		pthread_join(r->acceptor, NULL);
	}
	reap(r, true);
	relay_remove(r);
	for (int i = 0; i < 2; i++) {
		if (r->stop[i] >= 0)
			close(r->stop[i]);
	}
	pthread_mutex_destroy(&r->lock);
	free(r);
}

const char *ctr_relay_dir(const struct ctr_relay *r)
{
	return r->dir;
}

const char *ctr_relay_ssh(const struct ctr_relay *r)
{
	return r->ssh;
}
