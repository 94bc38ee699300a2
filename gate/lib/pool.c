/* pool.c: the thread pool of pool.h; each worker runs one child at a time.
 * Threads only wait on children, so the work itself stays in the children. */
#include "pool.h"
#include "clock.h"
#include "error.h"
#include "interrupt.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct pool {
	struct gate_job *jobs;
	size_t n;
	size_t next;
	pthread_mutex_t lock;
	size_t *order;		/* the jobs by weight, heaviest first */
};

void gate_job_init(struct gate_job *j)
{
	memset(j, 0, sizeof(*j));
	proc_init(&j->proc);
	strbuf_init(&j->output, 0);
	/* A compiler log past 16 MiB is noise, not diagnostics. */
	j->output.cap = (size_t)16 << 20;
}

void gate_job_dispose(struct gate_job *j)
{
	proc_dispose(&j->proc);
	strbuf_dispose(&j->output);
}

static struct gate_job *take(struct pool *p)
{
	struct gate_job *j = NULL;

	pthread_mutex_lock(&p->lock);
	if (p->next < p->n && !gate_interrupted())
		j = &p->jobs[p->order[p->next++]];
	pthread_mutex_unlock(&p->lock);
	return j;
}

static void run_one(struct gate_job *j)
{
	double t0 = gate_now_s();

	j->started = 1;
	j->status = proc_capture(&j->proc, &j->output, NULL, j->timeout_s);
	if (j->status < 0)
		strbuf_addf(&j->output, "%s\n", gate_error_last());
	j->seconds = gate_now_s() - t0;
}

static void *worker(void *arg)
{
	struct pool *p = arg;
	struct gate_job *j;

	while ((j = take(p)))
		run_one(j);
	return NULL;
}

struct ranked {
	double weight;
	size_t i;
};

/* Heavier first; equal weights keep their order (qsort is not stable). */
static int heavier_first(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;

	if (x->weight != y->weight)
		return x->weight > y->weight ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

static size_t *job_order(const struct gate_job *jobs, size_t n)
{
	struct ranked *r = calloc(n + 1, sizeof(*r));
	size_t *order = calloc(n + 1, sizeof(*order));

	if (r && order) {
		for (size_t i = 0; i < n; i++)
			r[i] = (struct ranked){ jobs[i].weight, i };
		qsort(r, n, sizeof(*r), heavier_first);
		for (size_t i = 0; i < n; i++)
			order[i] = r[i].i;
	} else {
		free(order);
		order = NULL;
	}
	free(r);
	return order;
}

static int pool_start(struct pool *p, int workers)
{
	pthread_t *t;
	int started = 0;

	if (workers <= 1) {
		worker(p);
		return 0;
	}
	t = calloc((size_t)workers, sizeof(*t));
	if (!t)
		return gate_error("out of memory");
	for (; started < workers; started++)
		if (pthread_create(&t[started], NULL, worker, p))
			break;
	if (!started)
		worker(p);
	for (int i = 0; i < started; i++)
		pthread_join(t[i], NULL);
	free(t);
	return 0;
}

int gate_pool_run(struct gate_job *jobs, size_t n, int workers)
{
	struct pool p = { jobs, n, 0, PTHREAD_MUTEX_INITIALIZER, job_order(jobs, n) };
	int ret;

	if (!p.order)
		return gate_error("out of memory");
	if (workers < 1)
		workers = 1;
	if ((size_t)workers > n)
		workers = (int)n;
	ret = pool_start(&p, workers);
	free(p.order);
	return ret;
}

int gate_cpu_count(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 ? (int)n : 1;
}
