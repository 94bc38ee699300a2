/* test_an_fuzz.c: every parser and the function scanner on random bytes and
 * on mutated recordings: no crash, no leak, and sane findings. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer.h"
#include "strbuf.h"
#include "../reliability/mutate.h"

#define ROUNDS 3000

static const char *const recordings[] = {
	"gcc-w1.txt", "gcc-color.txt", "gcc-error.txt", "clang.txt",
	"clang-tidy.txt", "sparse.txt", "cppcheck.txt", "kernel-doc.txt",
	"checkpatch.txt", "checkpatch-noshowfile.txt", "smatch-handwritten.txt",
	"src/bar.c",
};

#define NR_RECORDINGS (sizeof(recordings) / sizeof(recordings[0]))

static struct strbuf corpus[NR_RECORDINGS];

static int load_corpus(void **state)
{
	char path[512];

	for (size_t i = 0; i < NR_RECORDINGS; i++) {
		strbuf_init(&corpus[i], 0);
		snprintf(path, sizeof(path), "%s/analyzers/%s", TEST_DATA_DIR,
			 recordings[i]);
		if (strbuf_read_file(&corpus[i], path))
			return -1;
	}
	return 0;
}

static int free_corpus(void **state)
{
	for (size_t i = 0; i < NR_RECORDINGS; i++)
		strbuf_dispose(&corpus[i]);
	return 0;
}

static void make_input(struct strbuf *sb, unsigned int round)
{
	strbuf_reset(sb);
	if (round % 4 == 0) {
		size_t n = fuzz_random() % 2048;

		for (size_t i = 0; i < n; i++)
			strbuf_addch(sb, fuzz_random() % 3 ? (char)fuzz_random() :
				     fuzz_tokens[fuzz_random() % 6][0]);
		return;
	}
	strbuf_add(sb, corpus[round % NR_RECORDINGS].buf,
		   corpus[round % NR_RECORDINGS].len);
	fuzz_mutate(sb);
}

static void assert_sane(const struct finding_list *l)
{
	for (size_t i = 0; i < l->nr; i++) {
		const struct finding *f = &l->v[i];

		assert_non_null(f->analyzer);
		assert_non_null(f->rule);
		assert_non_null(f->message);
		assert_int_equal(strlen(f->fingerprint), 16);
		assert_true(f->severity <= FINDING_ERROR);
		assert_true(!f->file || (f->file[0] && !strchr(f->file, '\n')));
		assert_null(strchr(f->message, '\n'));
		assert_true(strlen(f->message) <= 8192);
		assert_true(!f->detail || strlen(f->detail) <= 16384);
	}
}

static void test_an_fuzz_parsers(void **state)
{
	struct an_parse_opts o = { "fuzz", "/tmp/anrec/src", "/build" };
	struct strbuf in = STRBUF_INIT, fn = STRBUF_INIT;
	size_t n;
	const struct an_desc *all = an_all(&n);

	for (unsigned int round = 0; round < ROUNDS; round++) {
		make_input(&in, round);
		for (size_t i = 0; i < n; i++) {
			struct finding_list l = FINDING_LIST_INIT;

			if (!all[i].parse)
				continue;
			assert_int_equal(all[i].parse(&l, in.buf, in.len, &o), 0);
			assert_sane(&l);
			finding_list_dispose(&l);
		}
		strbuf_reset(&fn);
		assert_int_equal(an_enclosing_function(in.buf, in.len,
						       fuzz_random() % 80, &fn), 0);
		assert_true(fn.len < in.len + 1);
	}
	strbuf_dispose(&in);
	strbuf_dispose(&fn);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_an_fuzz_parsers),
	};

	return cmocka_run_group_tests(tests, load_corpus, free_corpus);
}
