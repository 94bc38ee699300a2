/* test_kbuild_split.c: unit tests of kbuild_split.c: make's output cut by object,
 * with the source tree given through a symlink and a '..', as users give it. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kbuild_split.h"

struct fixture {
	char top[64];		/* top/real/src, and top/link -> real */
	char given[128];	/* top/link/../link/src: not canonical */
	char real[128];		/* what make prints: realpath */
	struct strvec objs;
	struct kbuild_split sp;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char path[256];

	if (!f)
		return -1;
	strcpy(f->top, "/tmp/test_kbuild_split.XXXXXX");
	if (!mkdtemp(f->top))
		return -1;
	snprintf(path, sizeof(path), "%s/real", f->top);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/real/src", f->top);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/link", f->top);
	if (symlink("real", path))
		return -1;
	snprintf(f->given, sizeof(f->given), "%s/link/../link/src", f->top);
	snprintf(f->real, sizeof(f->real), "%s/real/src", f->top);
	strvec_init(&f->objs);
	strvec_push(&f->objs, "kernel/fork.o");
	strvec_push(&f->objs, "lib/kstrtox.o");
	*state = f;
	return kbuild_split_init(&f->sp, f->objs.nr);
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char path[256];

	kbuild_split_dispose(&f->sp);
	strvec_dispose(&f->objs);
	snprintf(path, sizeof(path), "%s/link", f->top);
	unlink(path);
	snprintf(path, sizeof(path), "%s/real/src", f->top);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/real", f->top);
	rmdir(path);
	rmdir(f->top);
	free(f);
	return 0;
}

static void split(struct fixture *f, const char *fmt, ...)
{
	char text[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	assert_int_equal(kbuild_split_output(&f->sp, text, strlen(text), f->given,
					     &f->objs), 0);
}

/* make names the sources by their canonical path, not the one the gate was given. */
static void test_kbuild_split_check_through_symlink(void **state)
{
	struct fixture *f = *state;

	split(f, "  CC      kernel/fork.o\n"
		 "%s/kernel/fork.c:10:5: warning: no previous prototype [-Wmissing-prototypes]\n"
		 "  CHECK   %s/kernel/fork.c\n"
		 "%s/kernel/fork.c:10:5: warning: symbol 'x' was not declared. "
		 "Should it be static?\n"
		 "%s/kernel/fork.c:12:17: warning: dereference of noderef expression\n"
		 "  CC      lib/kstrtox.o\n"
		 "  CHECK   %s/lib/kstrtox.c\n",
	      f->real, f->real, f->real, f->real, f->given);
	assert_true(f->sp.seen_cc[0] && f->sp.seen_check[0]);
	assert_true(f->sp.seen_cc[1] && f->sp.seen_check[1]);
	assert_non_null(strstr(f->sp.cc[0].buf, "no previous prototype"));
	assert_null(strstr(f->sp.cc[0].buf, "noderef"));
	assert_non_null(strstr(f->sp.check[0].buf, "was not declared"));
	assert_non_null(strstr(f->sp.check[0].buf, "noderef"));
	assert_null(strstr(f->sp.check[0].buf, "prototype"));
	assert_int_equal(f->sp.cc[1].len, 0);
	assert_int_equal(f->sp.check[1].len, 0);
	assert_int_equal(f->sp.stray_cc.nr + f->sp.stray_check.nr, 0);
}

/* An object make says nothing about is not seen: its result is not to be trusted. */
static void test_kbuild_split_missing_sections(void **state)
{
	struct fixture *f = *state;

	split(f, "  CC      kernel/fork.o\n"
		 "  CHECK   /elsewhere/kernel/fork.c\n"
		 "/elsewhere/kernel/fork.c:1:1: warning: lost\n");
	assert_true(f->sp.seen_cc[0]);
	assert_false(f->sp.seen_check[0]);
	assert_false(f->sp.seen_cc[1] || f->sp.seen_check[1]);
	assert_int_equal(f->sp.stray_check.nr, 1);
	assert_string_equal(f->sp.stray_check.v[0], "/elsewhere/kernel/fork.c:1:1: warning: lost");
}

/*
 * Diagnostics outside the objects' sections are stray unless an object
 * repeats them: a header warning seen again while the prepare stage was
 * rebuilt is not lost, one from nowhere else is.
 */
static void test_kbuild_split_stray_diagnostics(void **state)
{
	struct fixture *f = *state;

	split(f, "%s/include/linux/a.h:3:1: error: before any section\n"
		 "  CC      arch/x86/kernel/asm-offsets.s\n"
		 "In file included from %s/include/linux/sched.h:5,\n"
		 "%s/include/linux/b.h:7:2: warning: seen again [-Wunused]\n"
		 "%s/arch/x86/kernel/asm-offsets.c:9:1: warning: only here [-Wextra]\n"
		 "\x1b[01m\x1b[K%s/arch/x86/kernel/asm-offsets.c:9:1:\x1b[m\x1b[K "
		 "\x1b[01;35m\x1b[Kwarning: \x1b[m\x1b[Kcoloured\n"
		 "make[2]: *** [scripts/Makefile.build:250: x.o] Error 1\n"
		 "  CC      kernel/fork.o\n"
		 "%s/include/linux/b.h:7:2: warning: seen again [-Wunused]\n"
		 "  CHECK   %s/init/main.c\n"
		 "%s/init/main.c:4:1: warning: checker, not ours\n",
	      f->real, f->real, f->real, f->real, f->real, f->real, f->real, f->real);
	assert_int_equal(f->sp.stray_cc.nr, 3);
	assert_non_null(strstr(f->sp.stray_cc.v[0], "before any section"));
	assert_non_null(strstr(f->sp.stray_cc.v[1], "only here"));
	assert_non_null(strstr(f->sp.stray_cc.v[2], "coloured"));
	assert_int_equal(f->sp.stray_check.nr, 1);
	assert_non_null(strstr(f->sp.stray_check.v[0], "checker, not ours"));
	assert_non_null(strstr(f->sp.cc[0].buf, "seen again"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_kbuild_split_check_through_symlink,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_kbuild_split_missing_sections,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_kbuild_split_stray_diagnostics,
						setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
