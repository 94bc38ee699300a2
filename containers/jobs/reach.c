/* reach.c: probes a TCP service with a bounded non-blocking connect and, when
 * asked, one request and its reply line. Never prints or exits. */
#include "reach.h"
#include "error.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* Waits for events on fd; 0 when they came, else errno's reason. */
static int wait_for(int fd, short events, int timeout_ms)
{
	struct pollfd pfd = { fd, events, 0 };
	int n;

	do
		n = poll(&pfd, 1, timeout_ms);
	while (n < 0 && errno == EINTR);
	if (n == 0)
		return ETIMEDOUT;
	return n < 0 ? errno : 0;
}

static int connect_one(const struct addrinfo *ai, int timeout_ms)
{
	int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
			ai->ai_protocol);
	int err = 0;
	socklen_t len = sizeof(err);

	if (fd < 0)
		return -errno;
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) && errno != EINPROGRESS)
		err = errno;
	else
		err = wait_for(fd, POLLOUT, timeout_ms);
	if (!err && getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len))
		err = errno;
	if (err) {
		close(fd);
		return -err;
	}
	return fd;
}

/* Sends hello and keeps the first line of the answer. */
static int converse(int fd, const char *hello, int timeout_ms, struct strbuf *reply)
{
	char buf[128];
	ssize_t n;
	int err;

	if (write(fd, hello, strlen(hello)) < 0)
		return gate_error("%s", strerror(errno));
	err = wait_for(fd, POLLIN, timeout_ms);
	if (err)
		return gate_error("no answer: %s", strerror(err));
	n = read(fd, buf, sizeof(buf) - 1);
	if (n <= 0)
		return gate_error("closed without an answer");
	buf[n] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
	return strbuf_addstr(reply, buf) ? gate_error("out of memory") : 0;
}

/* The first address of host:port that accepts, or -errno; *gai_rc is getaddrinfo's. */
static int reach_fd(const char *host, unsigned int port, int timeout_ms, int *gai_rc)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *res = NULL;
	char service[16];
	int fd = -ECONNREFUSED;

	snprintf(service, sizeof(service), "%u", port);
	*gai_rc = getaddrinfo(host, service, &hints, &res);
	if (*gai_rc)
		return -EHOSTUNREACH;
	for (const struct addrinfo *ai = res; ai; ai = ai->ai_next) {
		fd = connect_one(ai, timeout_ms);
		if (fd >= 0)
			break;
	}
	freeaddrinfo(res);
	return fd;
}

int ctr_reach_connect(const char *host, unsigned int port, int timeout_ms)
{
	int gai_rc, fd = reach_fd(host, port, timeout_ms, &gai_rc);

	if (fd < 0)
		return -1;
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)) {
		close(fd);
		return -1;
	}
	return fd;
}

int ctr_reach_tcp(const char *host, unsigned int port, int timeout_ms,
		  const char *hello, struct strbuf *reply)
{
	int gai_rc, fd = reach_fd(host, port, timeout_ms, &gai_rc), rc;

	if (gai_rc)
		return gate_error("unknown host: %s", gai_strerror(gai_rc));
	if (fd < 0)
		return gate_error("%s", strerror(-fd));
	rc = hello ? converse(fd, hello, timeout_ms, reply) : 0;
	close(fd);
	return rc;
}
