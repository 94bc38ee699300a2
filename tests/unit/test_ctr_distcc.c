/* test_ctr_distcc.c: distcc's host list read as distcc reads it: kinds,
 * ports, slots, the words that are not hosts, and the errors. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "distcc.h"
#include "error.h"
#include "strbuf.h"

static void expect_host(const struct ctr_distcc_host *h, enum ctr_distcc_kind kind,
			const char *addr, unsigned int port, unsigned int slots)
{
	assert_int_equal(h->kind, kind);
	assert_string_equal(h->addr, addr);
	assert_int_equal(h->port, port);
	assert_int_equal(h->slots, slots);
}

static void test_ctr_distcc_hosts_forms(void **state)
{
	struct ctr_distcc_hosts h = CTR_DISTCC_HOSTS_INIT;

	assert_int_equal(ctr_distcc_hosts_parse(&h, "--randomize localhost/3 10.0.0.2:4000/8 "
						"big.lab,lzo old/6:3999 dev@ssh.lab/2:/opt/distccd "
						"[::1]:3700 --localslots=2 +zeroconf"), 0);
	assert_int_equal(h.nr, 6);
	expect_host(&h.v[0], CTR_DISTCC_LOCAL, "localhost", 0, 3);
	expect_host(&h.v[1], CTR_DISTCC_TCP, "10.0.0.2", 4000, 8);
	expect_host(&h.v[2], CTR_DISTCC_TCP, "big.lab", 3632, 4);
	expect_host(&h.v[3], CTR_DISTCC_TCP, "old", 3999, 6);
	expect_host(&h.v[4], CTR_DISTCC_SSH, "ssh.lab", 22, 2);
	expect_host(&h.v[5], CTR_DISTCC_TCP, "::1", 3700, 4);
	assert_string_equal(h.v[1].spec, "10.0.0.2:4000/8");
	assert_int_equal(ctr_distcc_slots(&h), 3 + 8 + 4 + 6 + 2 + 4);
	ctr_distcc_hosts_dispose(&h);
	assert_int_equal(ctr_distcc_hosts_parse(&h, "localhost"), 0);
	assert_int_equal(ctr_distcc_slots(&h), 2);
	ctr_distcc_hosts_dispose(&h);
	assert_int_equal(ctr_distcc_hosts_parse(&h, ""), 0);
	assert_int_equal(ctr_distcc_slots(&h), 0);
	ctr_distcc_hosts_dispose(&h);
}

static void test_ctr_distcc_hosts_errors(void **state)
{
	struct ctr_distcc_hosts h = CTR_DISTCC_HOSTS_INIT;

	assert_int_equal(ctr_distcc_hosts_parse(&h, "ok h:port"), -1);
	assert_string_equal(gate_error_last(),
			    "bad distcc host 'h:port' in [defaults] distcc_hosts: PORT is not a port number");
	ctr_distcc_hosts_dispose(&h);
	assert_int_equal(ctr_distcc_hosts_parse(&h, "h/0"), -1);
	ctr_distcc_hosts_dispose(&h);
	assert_int_equal(ctr_distcc_hosts_parse(&h, ":3632"), -1);
	assert_string_equal(gate_error_last(),
			    "bad distcc host ':3632' in [defaults] distcc_hosts: no host name");
	ctr_distcc_hosts_dispose(&h);
	assert_int_equal(ctr_distcc_hosts_parse(&h, "[::1"), -1);
	ctr_distcc_hosts_dispose(&h);
	assert_int_equal(ctr_distcc_hosts_parse(&h, "h:70000"), -1);
	ctr_distcc_hosts_dispose(&h);
}

/* Each TCP host becomes the ssh host of its relay socket; slots and options stay. */
static void test_ctr_distcc_hosts_relayed(void **state)
{
	const char *names[] = { "relay0", "relay1", "relay2", "relay3" };
	struct strbuf sb = STRBUF_INIT;

	assert_int_equal(ctr_distcc_hosts_relayed(&sb, "--randomize  localhost/3 "
						  "10.0.0.2:4000/8,lzo big.lab old/6:3999,lzo,cpp "
						  "dev@ssh.lab/2:/opt/distccd [::1]:3700,lzo "
						  "--localslots=2", names, 4), 0);
	assert_string_equal(sb.buf, "--randomize localhost/3 @relay0/8,lzo @relay1/4 "
			    "@relay2/6,lzo,cpp dev@ssh.lab/2:/opt/distccd @relay3/4,lzo "
			    "--localslots=2");
	strbuf_reset(&sb);
	/* the result is a host list distcc (and our parser) reads: all over ssh */
	assert_int_equal(ctr_distcc_hosts_relayed(&sb, "127.0.0.1:3632/2 127.0.0.1:3633/2",
						  names + 2, 2), 0);
	assert_string_equal(sb.buf, "@relay2/2 @relay3/2");
	strbuf_dispose(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ctr_distcc_hosts_forms),
		cmocka_unit_test(test_ctr_distcc_hosts_errors),
		cmocka_unit_test(test_ctr_distcc_hosts_relayed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
