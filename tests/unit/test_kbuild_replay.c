/* test_kbuild_replay.c: unit tests of kbuild_replay.c: recorded commands read
 * back from .cmd files, the checker's flags, and what rules a replay out. */
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

#include "kbuild_replay.h"

#define CMD "ccache gcc -Wp,-MMD,lib/.k.o.d -nostdinc -I./include " \
	"-DKBUILD_MODFILE='\"lib/k\"' -c -o lib/k.o /src/lib/k.c   ; " \
	"./tools/objtool/objtool lib/k.o"

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_kbuild_replay_recorded_cmd(void **state)
{
	char dir[] = "/tmp/test_kbuild_replay.XXXXXX", path[128];
	struct strbuf raw = STRBUF_INIT, cmd = STRBUF_INIT;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/lib", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/lib/.k.o.cmd", dir);
	/* make's escapes: $$ for $, $(pound) for # */
	write_file(path, "cmd_lib/k.o := gcc -DX='$(pound)' -DY=$$$$ -c -o lib/k.o k.c\n\n"
		   "source_lib/k.o := k.c\n");
	assert_int_equal(kbuild_recorded_cmd(dir, "lib/k.o", &raw, &cmd), 1);
	assert_string_equal(raw.buf, "gcc -DX='$(pound)' -DY=$$$$ -c -o lib/k.o k.c");
	assert_string_equal(cmd.buf, "gcc -DX='#' -DY=$$ -c -o lib/k.o k.c");
	strbuf_reset(&raw);
	strbuf_reset(&cmd);
	/* later kernels write savedcmd_ */
	write_file(path, "savedcmd_lib/k.o := gcc -c -o lib/k.o k.c\n");
	assert_int_equal(kbuild_recorded_cmd(dir, "lib/k.o", &raw, &cmd), 1);
	assert_string_equal(cmd.buf, "gcc -c -o lib/k.o k.c");
	strbuf_reset(&raw);
	strbuf_reset(&cmd);
	assert_int_equal(kbuild_recorded_cmd(dir, "lib/none.o", &raw, &cmd), 0);
	unlink(path);
	snprintf(path, sizeof(path), "%s/lib", dir);
	rmdir(path);
	rmdir(dir);
	strbuf_dispose(&raw);
	strbuf_dispose(&cmd);
}

static void test_kbuild_replay_cmd_parts(void **state)
{
	struct strbuf flags = STRBUF_INIT, src = STRBUF_INIT;

	(void)state;
	assert_int_equal(kbuild_cmd_parts(CMD, "lib/k.o", &flags, &src), 0);
	assert_string_equal(flags.buf, "-Wp,-MMD,lib/.k.o.d -nostdinc -I./include "
			    "-DKBUILD_MODFILE='\"lib/k\"'");
	assert_string_equal(src.buf, "/src/lib/k.c");
	strbuf_reset(&flags);
	strbuf_reset(&src);
	/* an assembler rule, or one for another object */
	assert_int_equal(kbuild_cmd_parts("gcc -D__ASSEMBLY__ -c -o a.o a.S", "a.o", &flags, &src),
			 -1);
	assert_int_equal(kbuild_cmd_parts(CMD, "lib/other.o", &flags, &src), -1);
	strbuf_dispose(&flags);
	strbuf_dispose(&src);
}

static void test_kbuild_replay_compile(void **state)
{
	struct strbuf sh = STRBUF_INIT;

	(void)state;
	kbuild_replay_compile("lib/k.o", "gcc -DX='a' -c -o lib/k.o k.c", "gcc -DX='a' -c", NULL,
			      &sh);
	assert_string_equal(sh.buf, "set -e; gcc -DX='a' -c; scripts/basic/fixdep lib/.k.o.d "
			    "lib/k.o 'gcc -DX='\\''a'\\'' -c -o lib/k.o k.c' > lib/.k.o.cmd.tmp; "
			    "rm -f lib/.k.o.d; mv -f lib/.k.o.cmd.tmp lib/.k.o.cmd");
	strbuf_reset(&sh);
	kbuild_replay_compile("k.o", "gcc -c -o k.o k.c", "gcc -c -o k.o k.c", "true", &sh);
	assert_string_equal(sh.buf, "set -e; gcc -c -o k.o k.c; scripts/basic/fixdep .k.o.d k.o "
			    "'gcc -c -o k.o k.c' > .k.o.cmd.tmp; rm -f .k.o.d; "
			    "mv -f .k.o.cmd.tmp .k.o.cmd; true");
	strbuf_dispose(&sh);
}

/* W=1 (-DKBUILD_EXTRA_WARN1) also runs kernel-doc on the source, as make does. */
static void test_kbuild_replay_rule_steps(void **state)
{
	struct strbuf out = STRBUF_INIT;

	(void)state;
	kbuild_rule_steps("/s", "nm", "lib/k.o", CMD, "/s/lib/k.c", true, &out);
	assert_string_equal(out.buf, "NM=nm AWK=awk /s/scripts/check-local-export lib/k.o");
	strbuf_reset(&out);
	kbuild_rule_steps("/s", "x-nm", "lib/k.o", "gcc -DKBUILD_EXTRA_WARN1 -c", "/s/lib/k.c",
			  true, &out);
	assert_string_equal(out.buf, "NM=x-nm AWK=awk /s/scripts/check-local-export lib/k.o; "
			    "/s/scripts/kernel-doc -none /s/lib/k.c");
	strbuf_reset(&out);
	kbuild_rule_steps("/s", "nm", "lib/k.o", "gcc -DKBUILD_EXTRA_WARN1 -c", "/s/lib/k.c",
			  false, &out);
	assert_string_equal(out.buf, "/s/scripts/kernel-doc -none /s/lib/k.c");
	strbuf_dispose(&out);
}

static void test_kbuild_replay_checkflags(void **state)
{
	const char *make_n = "set -e;  echo '  CC      lib/k.o'; "
			     "gcc -Wp,-MMD,lib/.k.o.d -I. -c -o lib/k.o k.c\n"
			     "set -e;  echo '  CHECK   k.c'; sparse -D__linux__ -Wbitwise  -m64 "
			     "-Wp,-MMD,lib/.k.o.d -I. k.c; true\n";
	struct strbuf out = STRBUF_INIT;

	(void)state;
	assert_int_equal(kbuild_checkflags(make_n, "sparse", "-Wp,-MMD,lib/.k.o.d -I.", &out), 0);
	assert_string_equal(out.buf, "-D__linux__ -Wbitwise  -m64");
	strbuf_reset(&out);
	assert_int_equal(kbuild_checkflags(make_n, "smatch -p=kernel", "-Wp,-MMD,lib/.k.o.d -I.",
					   &out), -1);
	strbuf_dispose(&out);
}

static void test_kbuild_replay_allows(void **state)
{
	struct strbuf why = STRBUF_INIT;

	(void)state;
	assert_true(kbuild_replay_allows("lib/k.c", 'M', &why));
	assert_true(kbuild_replay_allows("include/linux/k.h", 'M', &why));
	assert_true(kbuild_replay_allows("include/linux/new.h", 'A', &why));
	assert_true(kbuild_replay_allows("Documentation/process/howto.rst", 'M', &why));
	assert_true(kbuild_replay_allows("README", 'M', &why));
	assert_int_equal(why.len, 0);
	assert_false(kbuild_replay_allows("lib/Makefile", 'M', &why));
	assert_string_equal(why.buf, "lib/Makefile is not a .c or .h file");
	strbuf_reset(&why);
	assert_false(kbuild_replay_allows("lib/new.c", 'A', &why));
	assert_string_equal(why.buf, "lib/new.c was added");
	strbuf_reset(&why);
	assert_false(kbuild_replay_allows("init/Kconfig", 'M', &why));
	assert_false(kbuild_replay_allows("scripts/basic/fixdep.c", 'M', &why));
	assert_false(kbuild_replay_allows("arch/x86/kernel/asm-offsets.c", 'M', &why));
	assert_false(kbuild_replay_allows("kernel/bounds.c", 'M', &why));
	assert_false(kbuild_replay_allows("include/linux/k.h", 'D', &why));
	/* a removed source only takes its own object away */
	strbuf_reset(&why);
	assert_true(kbuild_replay_allows("lib/old.c", 'D', &why));
	strbuf_dispose(&why);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kbuild_replay_recorded_cmd),
		cmocka_unit_test(test_kbuild_replay_cmd_parts),
		cmocka_unit_test(test_kbuild_replay_compile),
		cmocka_unit_test(test_kbuild_replay_rule_steps),
		cmocka_unit_test(test_kbuild_replay_checkflags),
		cmocka_unit_test(test_kbuild_replay_allows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
