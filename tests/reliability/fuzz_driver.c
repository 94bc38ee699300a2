/* fuzz_driver.c: runs a fuzz target without libFuzzer (any compiler): the
 * seed inputs as they are, then -runs=N deterministic mutations of them.
 * Takes libFuzzer's -runs=, -seed= and -max_total_time= so that the same
 * command lines serve both. */
#include "fuzz.h"
#include "mutate.h"

#include <dirent.h>
#include <string.h>
#include <time.h>

#define MAX_SEEDS 256

static struct strbuf seeds[MAX_SEEDS];
static size_t nr_seeds;

static void add_seed(const char *path)
{
	if (nr_seeds == MAX_SEEDS)
		return;
	strbuf_init(&seeds[nr_seeds], 0);
	if (!strbuf_read_file(&seeds[nr_seeds], path))
		nr_seeds++;
	else
		strbuf_dispose(&seeds[nr_seeds]);
}

/* A file, or every file of a folder (not below it). */
static void add_seeds(const char *path)
{
	struct strbuf file = STRBUF_INIT;
	DIR *d = opendir(path);
	struct dirent *e;

	if (!d) {
		add_seed(path);
		return;
	}
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		strbuf_reset(&file);
		strbuf_addf(&file, "%s/%s", path, e->d_name);
		add_seed(file.buf);
	}
	closedir(d);
	strbuf_dispose(&file);
}

/* One round's input: random bytes one time in four, else a mutated seed. */
static void make_input(struct strbuf *in, unsigned long round)
{
	strbuf_reset(in);
	if (!nr_seeds || round % 4 == 0) {
		size_t n = fuzz_random() % 2048;

		for (size_t i = 0; i < n; i++)
			strbuf_addch(in, fuzz_random() % 3 ? (char)fuzz_random() :
				     fuzz_tokens[fuzz_random() % FUZZ_NR_TOKENS][0]);
		return;
	}
	strbuf_addbuf(in, &seeds[round % nr_seeds]);
	fuzz_mutate(in);
}

int main(int argc, char **argv)
{
	struct strbuf in = STRBUF_INIT;
	unsigned long runs = 1000, seed = 1, seconds = 0, r;
	time_t t0 = time(NULL);

	for (int i = 1; i < argc; i++) {
		if (!strncmp(argv[i], "-runs=", 6))
			runs = strtoul(argv[i] + 6, NULL, 10);
		else if (!strncmp(argv[i], "-seed=", 6))
			seed = strtoul(argv[i] + 6, NULL, 10);
		else if (!strncmp(argv[i], "-max_total_time=", 16))
			seconds = strtoul(argv[i] + 16, NULL, 10);
		else if (argv[i][0] != '-')
			add_seeds(argv[i]);
	}
	fuzz_rng ^= seed * 0x2545f4914f6cdd1dULL;
	for (size_t i = 0; i < nr_seeds; i++)
		LLVMFuzzerTestOneInput((const uint8_t *)seeds[i].buf, seeds[i].len);
	if (seconds)
		runs = (unsigned long)-1;
	for (r = 0; r < runs; r++) {
		if (seconds && r % 1024 == 0 && time(NULL) - t0 >= (time_t)seconds)
			break;
		make_input(&in, r);
		LLVMFuzzerTestOneInput((const uint8_t *)in.buf, in.len);
	}
	printf("%s: %zu seeds and %lu rounds (seed %lu): every property held\n",
	       argv[0], nr_seeds, r, seed);
	for (size_t i = 0; i < nr_seeds; i++)
		strbuf_dispose(&seeds[i]);
	strbuf_dispose(&in);
	return 0;
}
