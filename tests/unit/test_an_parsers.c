/* test_an_parsers.c: every output parser on output recorded from the real
 * tools (smatch: hand-written samples, as it cannot be installed here). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analyzer.h"
#include "output.h"
#include "strbuf.h"

#define ROOT "/tmp/anrec/src"

static void parse_file(an_parse_fn parse, const char *analyzer,
		       const char *name, struct finding_list *l)
{
	struct an_parse_opts o = { analyzer, ROOT, NULL };
	struct strbuf sb = STRBUF_INIT;
	char path[512];

	snprintf(path, sizeof(path), "%s/analyzers/%s", TEST_DATA_DIR, name);
	assert_int_equal(strbuf_read_file(&sb, path), 0);
	assert_int_equal(parse(l, sb.buf, sb.len, &o), 0);
	strbuf_dispose(&sb);
}

static const struct finding *find(const struct finding_list *l,
				  const char *file, unsigned int line,
				  const char *rule)
{
	for (size_t i = 0; i < l->nr; i++) {
		const struct finding *f = &l->v[i];

		if (f->line == line && !strcmp(f->rule, rule) &&
		    ((!file && !f->file) ||
		     (file && f->file && !strcmp(file, f->file))))
			return f;
	}
	fail_msg("no finding %s:%u [%s]", file ? file : "(none)", line, rule);
	return NULL;
}

static size_t count_rule(const struct finding_list *l, const char *rule)
{
	size_t n = 0;

	for (size_t i = 0; i < l->nr; i++)
		n += !strcmp(l->v[i].rule, rule);
	return n;
}

/* Every finding is complete: what any parser must hand back. */
static void assert_sane(const struct finding_list *l, const char *analyzer)
{
	for (size_t i = 0; i < l->nr; i++) {
		const struct finding *f = &l->v[i];

		assert_string_equal(f->analyzer, analyzer);
		assert_non_null(f->rule);
		assert_non_null(f->message);
		assert_int_equal(strlen(f->fingerprint), 16);
		assert_null(strchr(f->message, '\033'));
		if (f->file) {
			assert_true(f->file[0] != '/' && f->file[0] != '\0');
			assert_false(f->file[0] == '.' && f->file[1] == '/');
		}
	}
}

static void test_an_ccdiag_gcc(void **state)
{
	struct finding_list l = FINDING_LIST_INIT;
	const struct finding *f;

	parse_file(an_ccdiag_parse, "gcc", "gcc-w1.txt", &l);
	assert_sane(&l, "gcc");
	assert_int_equal(l.nr, 16);

	f = find(&l, NULL, 0, "-Wmissing-include-dirs");	/* cc1: warning: */
	assert_int_equal(f->severity, FINDING_WARNING);

	f = find(&l, "drivers/foo/helper.h", 6, "-Wsign-compare");
	assert_string_equal(f->function, "helper_add");
	assert_int_equal(f->column, 18);
	assert_string_equal(f->detail, "In file included from drivers/foo/bar.c:3:");
	assert_string_equal(f->message, "comparison of integer expressions of "
			    "different signedness: 'int' and 'unsigned int'");
	f = find(&l, "drivers/foo/helper.h", 5, "-Wunused-variable");
	assert_non_null(f->detail);

	f = find(&l, "drivers/foo/bar.c", 17, "-Wformat");
	assert_string_equal(f->function, "compute");
	assert_null(f->detail);
	/* "At top level:" ends the function. */
	assert_null(find(&l, "drivers/foo/bar.c", 21, "-Wmissing-prototypes")->function);
	assert_string_equal(find(&l, "drivers/foo/bar.c", 34, "-Wtype-limits")->function,
			    "no_return_value");
	/* A note goes to the detail of its finding, never alone. */
	f = find(&l, "drivers/foo/bar.c", 46, "-Wmissing-field-initializers");
	assert_string_equal(f->detail, "drivers/foo/bar.c:5:23: note: 'y' declared here");
	for (size_t i = 0; i < l.nr; i++)
		assert_null(strstr(l.v[i].message, "declared here"));
	assert_null(find(&l, "drivers/foo/bar.c", 53, "-Wunused-function")->function);
	finding_list_dispose(&l);
}

static bool has_fingerprint(const struct finding_list *l, const char *fp)
{
	for (size_t i = 0; i < l->nr; i++)
		if (!strcmp(l->v[i].fingerprint, fp))
			return true;
	return false;
}

/* Colours, absolute or relative paths and -Werror change no identity. */
static void test_an_ccdiag_gcc_identity_survives_presentation(void **state)
{
	struct finding_list plain = FINDING_LIST_INIT, color = FINDING_LIST_INIT;
	struct finding_list werror = FINDING_LIST_INIT;

	parse_file(an_ccdiag_parse, "gcc", "gcc-w1.txt", &plain);
	parse_file(an_ccdiag_parse, "gcc", "gcc-color.txt", &color);
	parse_file(an_ccdiag_parse, "gcc", "gcc-error.txt", &werror);
	assert_sane(&color, "gcc");
	assert_int_equal(color.nr, plain.nr - 1);	/* no -I/nonexistent */
	for (size_t i = 0; i < color.nr; i++)
		assert_true(has_fingerprint(&plain, color.v[i].fingerprint));
	assert_string_equal(find(&color, "drivers/foo/helper.h", 6,
				 "-Wsign-compare")->detail,
			    "In file included from drivers/foo/bar.c:3:");

	assert_sane(&werror, "gcc");
	assert_int_equal(werror.nr, 5);
	assert_true(has_fingerprint(&plain, find(&werror, "drivers/foo/helper.h", 5,
						 "-Wunused-variable")->fingerprint));
	assert_int_equal(find(&werror, "drivers/foo/broken.c", 7,
			      "-Wreturn-type")->severity, FINDING_ERROR);
	assert_int_equal(count_rule(&werror, "error"), 3);
	assert_string_equal(find(&werror, "drivers/foo/broken.c", 6, "error")->detail,
			    "./drivers/foo/broken.c:6:16: note: each undeclared "
			    "identifier is reported only once for each function "
			    "it appears in");
	assert_string_equal(find(&werror, "drivers/foo/broken.c", 11,
				 "error")->function, "warn_then");
	finding_list_dispose(&plain);
	finding_list_dispose(&color);
	finding_list_dispose(&werror);
}

static void test_an_ccdiag_gcc_fatal(void **state)
{
	struct finding_list l = FINDING_LIST_INIT;

	parse_file(an_ccdiag_parse, "gcc", "gcc-fatal.txt", &l);
	assert_int_equal(l.nr, 1);
	assert_string_equal(l.v[0].file, "drivers/foo/fatal.c");
	assert_int_equal(l.v[0].severity, FINDING_ERROR);
	assert_string_equal(l.v[0].rule, "error");
	assert_string_equal(l.v[0].message, "does_not_exist.h: No such file or directory");
	finding_list_dispose(&l);
}

/* Kbuild names a header from another directory as fs/proc/../../lib/x.h. */
static void test_an_ccdiag_paths_collapse_dot_dot(void **state)
{
	static const char text[] =
		"In file included from " ROOT "/fs/proc/array.c:3:\n"
		ROOT "/fs/proc/../../lib/kstrtox.h:13:13: warning: unused variable 'u' [-Wunused-variable]\n"
		ROOT "/kernel/../lib/kstrtox.h:13:13: warning: unused variable 'u' [-Wunused-variable]\n";
	struct an_parse_opts o = { "gcc", ROOT, NULL };
	struct finding_list l = FINDING_LIST_INIT;

	assert_int_equal(an_ccdiag_parse(&l, text, sizeof(text) - 1, &o), 0);
	assert_int_equal(l.nr, 2);
	assert_string_equal(l.v[0].file, "lib/kstrtox.h");
	assert_string_equal(l.v[1].file, "lib/kstrtox.h");
	assert_string_equal(l.v[0].fingerprint, l.v[1].fingerprint);
	finding_list_dispose(&l);
}

static void test_an_ccdiag_clang(void **state)
{
	struct finding_list l = FINDING_LIST_INIT, err = FINDING_LIST_INIT;
	struct finding_list color = FINDING_LIST_INIT;
	const struct finding *f;

	parse_file(an_ccdiag_parse, "clang", "clang.txt", &l);
	assert_sane(&l, "clang");
	assert_int_equal(l.nr, 14);	/* "14 warnings generated." */
	f = find(&l, "drivers/foo/bar.c", 15, "-Wparentheses");
	assert_null(f->function);	/* clang never says; the engine fills it */
	assert_string_equal(f->detail,
			    "drivers/foo/bar.c:15:8: note: place parentheses around "
			    "the assignment to silence this warning\n"
			    "drivers/foo/bar.c:15:8: note: use '==' to turn this "
			    "assignment into an equality comparison");
	assert_string_equal(find(&l, "drivers/foo/helper.h", 5,
				 "-Wunused-variable")->detail,
			    "In file included from drivers/foo/bar.c:3:");
	find(&l, "drivers/foo/bar.c", 16, "-Warray-bounds");

	parse_file(an_ccdiag_parse, "clang", "clang-error.txt", &err);
	assert_int_equal(err.nr, 4);	/* "4 errors generated." */
	f = find(&err, "drivers/foo/helper.h", 5, "-Wunused-variable");	/* -Werror,-W... */
	assert_int_equal(f->severity, FINDING_ERROR);
	assert_true(has_fingerprint(&l, f->fingerprint));
	assert_int_equal(count_rule(&err, "error"), 3);

	parse_file(an_ccdiag_parse, "clang", "clang-color.txt", &color);
	assert_sane(&color, "clang");
	for (size_t i = 0; i < color.nr; i++)
		assert_true(has_fingerprint(&l, color.v[i].fingerprint));
	finding_list_dispose(&l);
	finding_list_dispose(&err);
	finding_list_dispose(&color);
}

static void test_an_ccdiag_clang_tidy(void **state)
{
	struct finding_list l = FINDING_LIST_INIT;
	const struct finding *f;

	parse_file(an_ccdiag_parse, "clang-tidy", "clang-tidy.txt", &l);
	assert_sane(&l, "clang-tidy");
	assert_int_equal(l.nr, 18);
	assert_int_equal(count_rule(&l, "readability-braces-around-statements"), 4);
	f = find(&l, "drivers/foo/tidy.c", 9, "clang-analyzer-unix.Malloc");
	assert_string_equal(f->message, "Potential leak of memory pointed to by 'p'");
	assert_non_null(strstr(f->detail, "drivers/foo/tidy.c:5:12: note: Memory is allocated"));
	find(&l, "drivers/foo/bar.c", 11, "clang-diagnostic-unused-variable");
	find(&l, "drivers/foo/bar.c", 17, "cert-err33-c");
	finding_list_dispose(&l);
}

static void test_an_ccdiag_sparse(void **state)
{
	struct finding_list l = FINDING_LIST_INIT;
	const struct finding *f;

	parse_file(an_sparse_parse, "sparse", "sparse.txt", &l);
	assert_sane(&l, "sparse");
	assert_int_equal(l.nr, 26);
	assert_int_equal(count_rule(&l, "sparse:decl"), 12);
	f = find(&l, "drivers/foo/sp.c", 27, "sparse:incorrect-type");
	assert_string_equal(f->message, "incorrect type in argument 1 (different address spaces)");
	assert_string_equal(f->detail, "expected int *p\ngot int [noderef] __user *uptr");
	find(&l, "drivers/foo/sp.c", 26, "sparse:noderef");
	find(&l, "drivers/foo/sp.c", 32, "sparse:address-space");
	find(&l, "drivers/foo/sp.c", 40, "sparse:context-imbalance");
	find(&l, "drivers/foo/sp.c", 51, "sparse:bitwise");
	find(&l, "drivers/foo/bar.c", 15, "sparse:other");
	/* Two-line errors and "in included file" notes are not findings. */
	assert_string_equal(find(&l, "drivers/foo/broken.c", 12, "sparse:error")->detail,
			    "got }");
	f = find(&l, "drivers/foo/helper.h", 9, "sparse:error");
	assert_string_equal(f->detail, "drivers/foo/broken.c: note: in included file:\n"
			    "got end-of-input");
	for (size_t i = 0; i < l.nr; i++)
		assert_false(str_starts_with(l.v[i].message, "got "));
	finding_list_dispose(&l);
}

static void test_an_ccdiag_kerneldoc(void **state)
{
	struct finding_list l = FINDING_LIST_INIT;
	const struct finding *f;

	parse_file(an_kerneldoc_parse, "kernel-doc", "kernel-doc.txt", &l);
	assert_sane(&l, "kernel-doc");
	assert_int_equal(l.nr, 5);	/* "5 warnings"; the info lines are not */
	assert_int_equal(count_rule(&l, "kernel-doc"), 5);
	f = find(&l, "drivers/foo/doc.c", 9, "kernel-doc");
	assert_string_equal(f->message, "Function parameter or member 'flags' "
			    "not described in 'foo_init'");
	assert_int_equal(f->severity, FINDING_WARNING);
	finding_list_dispose(&l);
}

static void test_an_ccdiag_cppcheck(void **state)
{
	struct finding_list l = FINDING_LIST_INIT;
	const struct finding *f;

	parse_file(an_cppcheck_parse, "cppcheck", "cppcheck.txt", &l);
	assert_sane(&l, "cppcheck");
	assert_int_equal(l.nr, 27);
	f = find(&l, "drivers/foo/bar.c", 16, "arrayIndexOutOfBounds");
	assert_int_equal(f->severity, FINDING_ERROR);
	assert_int_equal(f->column, 13);
	assert_int_equal(find(&l, "drivers/foo/bar.c", 17,
			      "invalidPrintfArgType_sint")->severity, FINDING_WARNING);
	assert_int_equal(find(&l, "drivers/foo/bar.c", 15,
			      "knownConditionTrueFalse")->severity, FINDING_INFO);
	f = find(&l, NULL, 0, "missingIncludeSystem");	/* "nofile:0:0:" */
	assert_int_equal(f->severity, FINDING_INFO);
	assert_int_equal(count_rule(&l, "unusedFunction"), 9);
	finding_list_dispose(&l);
}

static void parse_text(an_parse_fn parse, const char *text,
		       const struct an_parse_opts *o, struct finding_list *l)
{
	assert_int_equal(parse(l, text, strlen(text), o), 0);
}

static void test_an_ccdiag_paths_and_quotes(void **state)
{
	struct an_parse_opts o = { "gcc", "/src/", "/build" };
	struct finding_list l = FINDING_LIST_INIT;

	parse_text(an_ccdiag_parse,
		   "/build/include/generated/x.h:3:1: warning: "
		   "unused \xe2\x80\x98x\xe2\x80\x99 [-Wunused]\r\n"
		   "/src/././a.c:4:2: warning: b [-Werror=foo=]\n"
		   "/elsewhere/b.c:5: error: c\n"
		   "<command-line>: warning: \"X\" redefined\n"
		   "make[1]: *** [Makefile:12: a.o] Error 1\n"
		   "   12 | a.c:1:1: warning: not a finding\n"
		   "      |  ^~~\n", &o, &l);
	assert_int_equal(l.nr, 4);
	assert_string_equal(l.v[0].file, "include/generated/x.h");
	assert_string_equal(l.v[0].message, "unused 'x'");
	assert_string_equal(l.v[1].file, "a.c");
	assert_string_equal(l.v[1].rule, "-Wfoo");
	assert_string_equal(l.v[2].file, "/elsewhere/b.c");
	assert_int_equal(l.v[2].column, 0);
	assert_null(l.v[3].file);
	finding_list_dispose(&l);
}

/* ccache's base_dir hands the compiler paths relative to the build root. */
static void test_an_ccdiag_paths_from_build_root(void **state)
{
	struct an_parse_opts o = { "gcc", "/s/src", "/s/build" };
	struct finding_list l = FINDING_LIST_INIT;

	parse_text(an_ccdiag_parse,
		   "../src/lib/a.c:4:2: warning: b [-Wfoo]\n"
		   "../../elsewhere/b.c:5:1: warning: c [-Wbar]\n"
		   "./include/generated/x.h:3:1: warning: d [-Wbaz]\n", &o, &l);
	assert_int_equal(l.nr, 3);
	assert_string_equal(l.v[0].file, "lib/a.c");
	assert_string_equal(l.v[1].file, "../../elsewhere/b.c");
	assert_string_equal(l.v[2].file, "include/generated/x.h");
	finding_list_dispose(&l);
	/* Without a build root (compile_commands units) paths stay as printed. */
	o.build_root = NULL;
	parse_text(an_ccdiag_parse, "../src/lib/a.c:4:2: warning: b [-Wfoo]\n", &o, &l);
	assert_string_equal(l.v[0].file, "../src/lib/a.c");
	finding_list_dispose(&l);
}

/*
 * Tool output quotes sources in whatever encoding they have: each byte
 * that starts no UTF-8 sequence becomes U+FFFD, well-formed UTF-8 stays,
 * and the finding is kept (jansson refuses invalid UTF-8).
 */
static void test_an_ccdiag_invalid_utf8(void **state)
{
	struct an_parse_opts o = { "gcc", "/src", NULL };
	struct finding_list l = FINDING_LIST_INIT;

	parse_text(an_ccdiag_parse,
		   "/src/a.c:3:13: warning: unused \xe9t\xe9 \xc3\xa9 [-Wunused]\n"
		   "/src/a.c:3:13: note: in \"caf\xe9\"\n"
		   "/src/a.c:4:1: warning: x \xed\xa0\x80 \xc0\xaf \xf0\x9f\x98\x80 \xe2\x82 [-Wx]\n",
		   &o, &l);
	assert_int_equal(l.nr, 2);
	assert_string_equal(l.v[0].message,
			    "unused \xef\xbf\xbdt\xef\xbf\xbd \xc3\xa9");
	assert_non_null(l.v[0].detail);
	assert_non_null(strstr(l.v[0].detail, "caf\xef\xbf\xbd\""));
	/* A surrogate and an overlong form are 3 and 2 bad bytes, a cut sequence 2. */
	assert_string_equal(l.v[1].message,
			    "x \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd "
			    "\xef\xbf\xbd\xef\xbf\xbd \xf0\x9f\x98\x80 "
			    "\xef\xbf\xbd\xef\xbf\xbd");
	assert_sane(&l, "gcc");
	finding_list_dispose(&l);
}

/* Raw tool output kept in the report: the same replacement, NULs kept, a cut character too. */
static void test_an_utf8_append(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	assert_int_equal(an_utf8_append(&sb, "caf\xe9 \xc3\xa9\0x \xe2\x80", 11), 0);
	assert_int_equal(sb.len, 15);
	assert_memory_equal(sb.buf, "caf\xef\xbf\xbd \xc3\xa9\0x \xef\xbf\xbd", 15);
	strbuf_dispose(&sb);
}

/* A finding in another file than "In function" named is not in that function. */
static void test_an_ccdiag_function_is_per_file(void **state)
{
	struct an_parse_opts o = { "gcc", NULL, NULL };
	struct finding_list l = FINDING_LIST_INIT;

	parse_text(an_ccdiag_parse,
		   "a.c: In function 'f':\n"
		   "a.c:2:3: warning: one [-Wx]\n"
		   "b.c:9:1: warning: two [-Wx]\n"
		   "a.c: In static function 'g':\n"
		   "a.c:7:3: note: orphan note after a context line\n"
		   "a.c:8:3: warning: three [-Wx]\n", &o, &l);
	assert_int_equal(l.nr, 3);
	assert_string_equal(l.v[0].function, "f");
	assert_null(l.v[1].function);
	assert_string_equal(l.v[2].function, "g");
	assert_null(l.v[2].detail);
	finding_list_dispose(&l);
}

static void test_an_checkpatch_showfile(void **state)
{
	struct finding_list l = FINDING_LIST_INIT;
	const struct finding *f;

	parse_file(an_checkpatch_parse, "checkpatch", "checkpatch.txt", &l);
	assert_sane(&l, "checkpatch");
	assert_int_equal(l.nr, 20);	/* "total: 10 errors, 10 warnings" */
	f = find(&l, NULL, 0, "COMMIT_LOG_LONG_LINE");
	assert_int_equal(f->severity, FINDING_WARNING);
	assert_string_equal(f->detail, "This line of the commit log is deliberately "
			    "far longer than seventy-five characters wide.");
	assert_int_equal(find(&l, NULL, 0, "GERRIT_CHANGE_ID")->severity, FINDING_ERROR);
	/* --showfile puts it at the last file; it is about the patch. */
	find(&l, NULL, 0, "FILE_PATH_CHANGES");
	f = find(&l, "drivers/foo/core.c", 9, "BRACES");
	assert_string_equal(f->message, "braces {} are not necessary for single statement blocks");
	assert_string_equal(f->detail, "+\tif (a) {\n+\t\treturn a;\n+\t}");
	f = find(&l, "drivers/foo/core.c", 19, "TYPO_SPELLING");
	assert_string_equal(f->detail, "+\tchar *s = \"recieve\";\n \t           ^^^^^^^");
	assert_int_equal(count_rule(&l, "SPACING"), 5);
	finding_list_dispose(&l);
}

/* With and without --showfile the findings are the same ones. */
static void test_an_checkpatch_formats_agree(void **state)
{
	struct finding_list a = FINDING_LIST_INIT, b = FINDING_LIST_INIT;

	parse_file(an_checkpatch_parse, "checkpatch", "checkpatch.txt", &a);
	parse_file(an_checkpatch_parse, "checkpatch", "checkpatch-noshowfile.txt", &b);
	assert_sane(&b, "checkpatch");
	assert_int_equal(a.nr, b.nr);
	for (size_t i = 0; i < a.nr; i++) {
		assert_string_equal(a.v[i].fingerprint, b.v[i].fingerprint);
		assert_int_equal(a.v[i].line, b.v[i].line);
		assert_string_equal(a.v[i].detail, b.v[i].detail);
	}
	finding_list_dispose(&a);
	finding_list_dispose(&b);
}

static void test_an_checkpatch_commit_level(void **state)
{
	struct finding_list l = FINDING_LIST_INIT, strict = FINDING_LIST_INIT;

	parse_file(an_checkpatch_parse, "checkpatch", "checkpatch-nosob.txt", &l);
	assert_int_equal(l.nr, 4);	/* two runs of two */
	for (size_t i = 0; i < l.nr; i++) {
		assert_null(l.v[i].file);
		assert_null(l.v[i].detail);
	}
	assert_string_equal(l.v[1].rule, "MISSING_SIGN_OFF");
	assert_string_equal(l.v[1].fingerprint, l.v[3].fingerprint);

	parse_file(an_checkpatch_parse, "checkpatch", "checkpatch-strict.txt", &strict);
	assert_int_equal(find(&strict, "drivers/foo/core.c", 12, "SPACING")->severity,
			 FINDING_INFO);
	finding_list_dispose(&l);
	finding_list_dispose(&strict);
}

static void test_an_smatch(void **state)
{
	struct finding_list l = FINDING_LIST_INIT;
	const struct finding *f;

	parse_file(an_smatch_parse, "smatch", "smatch-handwritten.txt", &l);
	assert_sane(&l, "smatch");
	assert_int_equal(l.nr, 6);	/* not "parse error:" nor "info:" */
	f = find(&l, "drivers/foo/bar.c", 16, "smatch:error");
	assert_string_equal(f->function, "compute");
	assert_string_equal(f->message, "buffer overflow 'arr' 4 <= 5");
	assert_int_equal(f->severity, FINDING_ERROR);
	assert_string_equal(find(&l, "drivers/foo/sp.c", 26, "smatch:warn")->function,
			    "read_user");
	assert_null(find(&l, "drivers/foo/sp.c", 7, "smatch:warn")->function);
	finding_list_dispose(&l);
}

/* A temporary top/real/src with top/link -> real, for paths through symlinks. */
struct linked {
	char top[64];
	char given[160];	/* top/link/../link/src */
	char real[160];		/* top/real/src */
	char file[200];		/* top/real/src/fs/9p/vfs_file.c, which exists */
};

static void linked_make(struct linked *t)
{
	char path[256];

	strcpy(t->top, "/tmp/test_an_parsers.XXXXXX");
	assert_non_null(mkdtemp(t->top));
	snprintf(path, sizeof(path), "mkdir -p %s/real/src/fs/9p", t->top);
	assert_int_equal(system(path), 0);
	snprintf(path, sizeof(path), "%s/link", t->top);
	assert_int_equal(symlink("real", path), 0);
	snprintf(t->given, sizeof(t->given), "%s/link/../link/src", t->top);
	snprintf(t->real, sizeof(t->real), "%s/real/src", t->top);
	snprintf(t->file, sizeof(t->file), "%s/fs/9p/vfs_file.c", t->real);
	fclose(fopen(t->file, "w"));
}

static void linked_remove(struct linked *t)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", t->top);
	assert_int_equal(system(cmd), 0);
}

/*
 * The scratch tree given through a symlink and a '..': gcc names files by
 * their canonical path, in the location and in the include chain, and must
 * still come out relative to the top, never as an absolute scratch path.
 */
static void test_an_ccdiag_paths_canonical(void **state)
{
	struct linked t;
	struct an_parse_opts o = { "gcc", NULL, NULL };
	struct finding_list l = FINDING_LIST_INIT;
	char text[2048];

	linked_make(&t);
	o.root = t.given;
	snprintf(text, sizeof(text),
		 "In file included from %s/fs/9p/v9fs.h:12,\n"
		 "                 from %s/fs/9p/vfs_file.c:3:\n"
		 "%s/fs/9p/v9fs.h:40:5: warning: one [-Wunused]\n"
		 "%s/fs/9p/vfs_file.c:20:5: warning: two [-Wunused]\n",
		 t.real, t.real, t.real, t.real);
	parse_text(an_ccdiag_parse, text, &o, &l);
	assert_int_equal(l.nr, 2);
	assert_string_equal(l.v[0].file, "fs/9p/v9fs.h");
	assert_null(strstr(l.v[0].detail, t.real));
	assert_string_equal(l.v[1].file, "fs/9p/vfs_file.c");
	finding_list_dispose(&l);

	/* The other way round: given canonically, printed through the symlink. */
	o.root = t.real;
	snprintf(text, sizeof(text), "%s/link/src/fs/9p/vfs_file.c:20:5: warning: two [-Wunused]\n",
		 t.top);
	parse_text(an_ccdiag_parse, text, &o, &l);
	assert_int_equal(l.nr, 1);
	assert_string_equal(l.v[0].file, "fs/9p/vfs_file.c");
	finding_list_dispose(&l);
	linked_remove(&t);
}

/*
 * kbuild's W=1 runs kernel-doc after gcc on the same file: its warnings
 * (no column) are not in the function of gcc's last "In function".
 */
static void test_an_ccdiag_kerneldoc_after_gcc(void **state)
{
	struct an_parse_opts o = { "gcc", NULL, NULL };
	struct finding_list l = FINDING_LIST_INIT;

	parse_text(an_ccdiag_parse,
		   "kernel/fork.c: In function 'peek':\n"
		   "kernel/fork.c:3431:13: warning: unused variable 'u' [-Wunused-variable]\n"
		   "kernel/fork.c:1276: warning: Function parameter or member 'mm' "
		   "not described in 'set_mm_exe_file'\n", &o, &l);
	assert_int_equal(l.nr, 2);
	assert_string_equal(l.v[0].function, "peek");
	assert_null(l.v[1].function);
	finding_list_dispose(&l);
}

/* A line that looks like a diagnostic but that the parser cannot read is handed back. */
static void test_an_unread_diagnostics(void **state)
{
	struct strbuf unread = STRBUF_INIT;
	struct an_parse_opts o = { "smatch", "/src", NULL, &unread };
	struct finding_list l = FINDING_LIST_INIT;

	parse_text(an_smatch_parse,
		   "/src/a.c:3 f() warn: read\n"
		   "/src/a.c:4:7: error: not in smatch's format\n"
		   "a note that is no diagnostic\n", &o, &l);
	assert_int_equal(l.nr, 1);
	assert_string_equal(unread.buf, "/src/a.c:4:7: error: not in smatch's format\n");
	finding_list_dispose(&l);

	strbuf_reset(&unread);
	o.analyzer = "sparse";
	parse_text(an_sparse_parse,
		   "/src/a.c:4:7: error: bad\n"
		   "/src/a.c:4:7:    expected int\n"
		   "/src/a.c:9:1: warning: symbol 'x' was not declared. Should it be static?",
		   &o, &l);
	assert_int_equal(l.nr, 2);
	assert_int_equal(unread.len, 0);
	finding_list_dispose(&l);
	strbuf_dispose(&unread);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_an_ccdiag_gcc),
		cmocka_unit_test(test_an_ccdiag_gcc_identity_survives_presentation),
		cmocka_unit_test(test_an_ccdiag_gcc_fatal),
		cmocka_unit_test(test_an_ccdiag_paths_collapse_dot_dot),
		cmocka_unit_test(test_an_ccdiag_clang),
		cmocka_unit_test(test_an_ccdiag_clang_tidy),
		cmocka_unit_test(test_an_ccdiag_sparse),
		cmocka_unit_test(test_an_ccdiag_kerneldoc),
		cmocka_unit_test(test_an_ccdiag_cppcheck),
		cmocka_unit_test(test_an_ccdiag_paths_and_quotes),
		cmocka_unit_test(test_an_ccdiag_paths_from_build_root),
		cmocka_unit_test(test_an_ccdiag_invalid_utf8),
		cmocka_unit_test(test_an_utf8_append),
		cmocka_unit_test(test_an_ccdiag_function_is_per_file),
		cmocka_unit_test(test_an_checkpatch_showfile),
		cmocka_unit_test(test_an_checkpatch_formats_agree),
		cmocka_unit_test(test_an_checkpatch_commit_level),
		cmocka_unit_test(test_an_smatch),
		cmocka_unit_test(test_an_ccdiag_paths_canonical),
		cmocka_unit_test(test_an_unread_diagnostics),
		cmocka_unit_test(test_an_ccdiag_kerneldoc_after_gcc),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
