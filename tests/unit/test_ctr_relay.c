/* test_ctr_relay.c: the relay forwards a unix socket to a TCP service both ways,
 * passes half-closes on, drops what it cannot dial and leaves nothing behind. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "fs.h"
#include "relay.h"

#define PAYLOAD (300 * 1000)

/* A TCP service on 127.0.0.1: reads to EOF, answers the byte count, closes. */
static int listen_tcp(unsigned int *port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(0x7f000001) };
	socklen_t len = sizeof(sa);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(fd, 4), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
	*port = ntohs(sa.sin_port);
	return fd;
}

static void *count_service(void *arg)
{
	int lfd = *(int *)arg, fd = accept(lfd, NULL, NULL);
	char buf[4096];
	size_t total = 0;
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) > 0)
		total += (size_t)n;
	n = snprintf(buf, sizeof(buf), "%zu bytes", total);
	if (write(fd, buf, (size_t)n) != n)
		total = 0;
	close(fd);
	return NULL;
}

static int dial(const char *dir, const char *name)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/%s", dir, name);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	return fd;
}

static void test_ctr_relay_forwards_both_ways(void **state)
{
	struct ctr_relay *r;
	const char *name;
	unsigned int port;
	int lfd = listen_tcp(&port), fd;
	char *out = calloc(1, PAYLOAD), reply[64] = "";
	pthread_t service;
	char *dir;
	size_t sent = 0;

	assert_int_equal(pthread_create(&service, NULL, count_service, &lfd), 0);
	assert_int_equal(ctr_relay_new(&r), 0);
	assert_int_equal(ctr_relay_add(r, "127.0.0.1", port, &name), 0);
	assert_string_equal(name, "relay0");
	assert_int_equal(ctr_relay_start(r), 0);
	fd = dial(ctr_relay_dir(r), name);
	while (sent < PAYLOAD) {
		ssize_t n = write(fd, out + sent, PAYLOAD - sent);

		assert_true(n > 0);
		sent += (size_t)n;
	}
	/* the answer comes only after the service saw our EOF */
	assert_int_equal(shutdown(fd, SHUT_WR), 0);
	assert_true(read(fd, reply, sizeof(reply) - 1) > 0);
	assert_string_equal(reply, "300000 bytes");
	assert_int_equal(read(fd, reply, sizeof(reply)), 0);
	close(fd);
	pthread_join(service, NULL);
	close(lfd);
	dir = strdup(ctr_relay_dir(r));
	assert_true(gate_exists_in(dir, "ssh"));
	ctr_relay_free(r);
	assert_int_equal(access(dir, F_OK), -1);
	free(dir);
	free(out);
}

/* A service that does not answer: the job's connection is closed, nothing hangs. */
static void test_ctr_relay_drops_what_it_cannot_dial(void **state)
{
	struct ctr_relay *r;
	const char *name;
	unsigned int port;
	int lfd = listen_tcp(&port), fd;
	char c;

	close(lfd);
	assert_int_equal(ctr_relay_new(&r), 0);
	assert_int_equal(ctr_relay_add(r, "127.0.0.1", port, &name), 0);
	assert_int_equal(ctr_relay_start(r), 0);
	fd = dial(ctr_relay_dir(r), name);
	assert_true(read(fd, &c, 1) <= 0);
	close(fd);
	/* a connection still open when the relay stops is shut, not waited for */
	lfd = listen_tcp(&port);
	ctr_relay_free(r);
	assert_int_equal(ctr_relay_new(&r), 0);
	assert_int_equal(ctr_relay_add(r, "127.0.0.1", port, &name), 0);
	assert_int_equal(ctr_relay_start(r), 0);
	fd = dial(ctr_relay_dir(r), name);
	assert_int_equal(write(fd, "x", 1), 1);
	usleep(100 * 1000);
	ctr_relay_free(r);
	assert_true(read(fd, &c, 1) <= 0);
	close(fd);
	close(lfd);
}

/* A $TMPDIR too long for socket paths is passed over for /tmp. */
static void test_ctr_relay_long_tmpdir(void **state)
{
	char long_dir[120];
	struct ctr_relay *r;
	const char *name;

	memset(long_dir, 'x', sizeof(long_dir) - 1);
	long_dir[0] = '/';
	long_dir[sizeof(long_dir) - 1] = '\0';
	setenv("TMPDIR", long_dir, 1);
	assert_int_equal(ctr_relay_new(&r), 0);
	unsetenv("TMPDIR");
	assert_int_equal(strncmp(ctr_relay_dir(r), "/tmp/mkt-gate-relay.", 20), 0);
	assert_int_equal(ctr_relay_add(r, "127.0.0.1", 9, &name), 0);
	ctr_relay_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ctr_relay_forwards_both_ways),
		cmocka_unit_test(test_ctr_relay_drops_what_it_cannot_dial),
		cmocka_unit_test(test_ctr_relay_long_tmpdir),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
