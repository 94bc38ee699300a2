/* test_pool.c: unit tests of the job pool: the order jobs start in, and
 * that every job's status and output come back to it. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pool.h"
#include "strbuf.h"

#define NJOBS 4

/* Jobs that append their index to one file, run by a single worker. */
static void start_order(const double *weights, struct strbuf *order)
{
	char path[] = "/tmp/mkt-gate-test-pool.XXXXXX";
	struct gate_job jobs[NJOBS];
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	close(fd);
	for (size_t i = 0; i < NJOBS; i++) {
		gate_job_init(&jobs[i]);
		jobs[i].weight = weights[i];
		strvec_push(&jobs[i].proc.args, "sh");
		strvec_push(&jobs[i].proc.args, "-c");
		strvec_pushf(&jobs[i].proc.args, "printf %zu >> %s; echo job %zu; exit %zu",
			     i, path, i, i);
	}
	assert_int_equal(gate_pool_run(jobs, NJOBS, 1), 0);
	for (size_t i = 0; i < NJOBS; i++) {
		char said[16];

		snprintf(said, sizeof(said), "job %zu\n", i);
		assert_int_equal(jobs[i].started, 1);
		assert_int_equal(jobs[i].status, (int)i);
		assert_string_equal(jobs[i].output.buf, said);
		gate_job_dispose(&jobs[i]);
	}
	assert_int_equal(strbuf_read_file(order, path), 0);
	unlink(path);
}

static void test_pool_starts_heaviest_first(void **state)
{
	const double weights[NJOBS] = { 1, 3, 2, 0 };
	struct strbuf order = STRBUF_INIT;

	start_order(weights, &order);
	assert_string_equal(order.buf, "1203");
	strbuf_dispose(&order);
}

static void test_pool_keeps_order_of_equal_weights(void **state)
{
	const double weights[NJOBS] = { 0, 0, 5, 0 };
	struct strbuf order = STRBUF_INIT;

	start_order(weights, &order);
	assert_string_equal(order.buf, "2013");
	strbuf_dispose(&order);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pool_starts_heaviest_first),
		cmocka_unit_test(test_pool_keeps_order_of_equal_weights),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
