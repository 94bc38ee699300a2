/* test_patch.c: the patch-level analyzers on real commits of a throwaway repository:
 * commit-msg rules, checkpatch and kernel-doc through stand-in scripts, waivers. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "error.h"
#include "fs.h"
#include "patch.h"
#include "scratch.h"

struct fixture {
	char dir[64];
	git_repository *git;
	git_oid base;		/* "foo: add the first file", signed off */
	struct config *cfg;
	struct finding_list found;
};

static struct fixture fx;

static void write_file(const char *path, const char *text, int mode)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	chmod(path, (mode_t)mode);
}

/* A commit on parent (NULL: a root commit) whose tree is parent's plus file. */
static void commit(git_oid *out, const git_oid *parent, const char *msg,
		   const char *author, const char *file, const char *text)
{
	git_treebuilder *tb = NULL;
	git_commit *p = NULL;
	git_tree *ptree = NULL, *tree = NULL;
	git_signature *sig = NULL;
	git_oid blob, tid;
	char name[64], email[64];

	assert_int_equal(sscanf(author, "%63[^<]<%63[^>]>", name, email), 2);
	name[strlen(name) - 1] = '\0';
	if (parent) {
		assert_int_equal(git_commit_lookup(&p, fx.git, parent), 0);
		assert_int_equal(git_commit_tree(&ptree, p), 0);
	}
	assert_int_equal(git_treebuilder_new(&tb, fx.git, ptree), 0);
	assert_int_equal(git_blob_create_from_buffer(&blob, fx.git, text, strlen(text)), 0);
	assert_int_equal(git_treebuilder_insert(NULL, tb, file, &blob, GIT_FILEMODE_BLOB), 0);
	assert_int_equal(git_treebuilder_write(&tid, tb), 0);
	assert_int_equal(git_tree_lookup(&tree, fx.git, &tid), 0);
	assert_int_equal(git_signature_new(&sig, name, email, 1700000000, 0), 0);
	assert_int_equal(git_commit_create(out, fx.git, NULL, sig, sig, NULL, msg, tree,
					   p ? 1 : 0, (const git_commit **)&p), 0);
	git_signature_free(sig);
	git_tree_free(tree);
	git_tree_free(ptree);
	git_treebuilder_free(tb);
	git_commit_free(p);
}

static int setup(void **state)
{
	git_libgit2_init();
	snprintf(fx.dir, sizeof(fx.dir), "/tmp/test_patch.XXXXXX");
	if (!mkdtemp(fx.dir) || git_repository_init(&fx.git, fx.dir, 1))
		return -1;
	commit(&fx.base, NULL, "foo: add the first file\n\nThe first file.\n\n"
	       "Signed-off-by: Test Author <test@example.org>\n",
	       "Test Author <test@example.org>", "a.c", "int a;\n");
	return 0;
}

static int teardown(void **state)
{
	git_repository_free(fx.git);
	gate_remove_tree(fx.dir);
	git_libgit2_shutdown();
	return 0;
}

static int each_setup(void **state)
{
	finding_list_init(&fx.found);
	return config_new(&fx.cfg);
}

static int each_teardown(void **state)
{
	finding_list_dispose(&fx.found);
	config_free(fx.cfg);
	return 0;
}

static size_t count(const char *rule)
{
	size_t n = 0;

	for (size_t i = 0; i < fx.found.nr; i++)
		if (!strcmp(fx.found.v[i].rule, rule))
			n++;
	return n;
}

/* commit-msg findings of a commit on base with msg and author. */
static void check_msg(const char *msg, const char *author, const char *text)
{
	struct gate_diff diff = { 0 };
	git_oid c;

	commit(&c, &fx.base, msg, author, "b.c", text ? text : "int b;\n");
	finding_list_dispose(&fx.found);
	assert_int_equal(gate_diff_commit(&diff, fx.git, &c), 0);
	assert_int_equal(patch_commit_msg(&fx.found, fx.git, &c, &diff, fx.cfg), 0);
	for (size_t i = 0; i < fx.found.nr; i++) {
		assert_string_equal(fx.found.v[i].analyzer, "commit-msg");
		assert_null(fx.found.v[i].file);
		assert_int_equal(strlen(fx.found.v[i].fingerprint), 16);
	}
	gate_diff_dispose(&diff);
}

#define AUTHOR "Test Author <test@example.org>"
#define SOB "\n\nSigned-off-by: Test Author <test@example.org>\n"

static void test_patch_msg_clean(void **state)
{
	check_msg("foo: add b\n\nWhy b.\n\nSigned-off-by: Test Author <TEST@example.ORG>\n",
		  AUTHOR, NULL);
	assert_int_equal(fx.found.nr, 0);
}

static void test_patch_msg_signoff(void **state)
{
	check_msg("foo: add b\n\nNo sign-off.\n", AUTHOR, NULL);
	assert_int_equal(count("commit-msg:signoff"), 1);
	assert_int_equal(fx.found.v[0].severity, FINDING_ERROR);
	assert_non_null(strstr(fx.found.v[0].message, "Test Author <test@example.org>"));
	check_msg("foo: add b\n\nSigned-off-by: Someone Else <test@example.org>\n"
		  "Signed-off-by: Test Author <other@example.org>\n", AUTHOR, NULL);
	assert_int_equal(count("commit-msg:signoff"), 1);
	check_msg("foo: add b\n\nAcked-by: X <x@y.z>\nSigned-off-by:   Test Author   "
		  "<test@example.org>  \n", AUTHOR, NULL);
	assert_int_equal(fx.found.nr, 0);
}

static void test_patch_msg_fixes(void **state)
{
	/* %.*s is the commit id, cut to the length given */
	static const struct {
		const char *tag;
		int digits;
		const char *want;	/* in the message; NULL: no finding */
	} cases[] = {
		{ "Fixes: %.*s (\"foo: add the first file\")", 12, NULL },
		{ "Fixes: %.*s (\"foo: add the first file\")", 40, NULL },
		{ "fixes: %.*s (\"foo: add the first file\")", 8, "at least 12 hex digits" },
		{ "Fixes: %.*s (\"foo: add a file\")", 12, "\"foo: add the first file\"" },
		{ "Fixes: 0000000000000000%.*s (\"foo: add the first file\")", 0,
		  "unknown commit" },
		{ "Fixes: %.*s foo: add the first file", 12, "is not of the form" },
	};
	char hex[GIT_OID_HEXSZ + 1], tag[128], msg[256];

	git_oid_tostr(hex, sizeof(hex), &fx.base);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(tag, sizeof(tag), cases[i].tag, cases[i].digits, hex);
		snprintf(msg, sizeof(msg), "foo: fix\n\nWhy.\n\n%s" SOB, tag);
		check_msg(msg, AUTHOR, NULL);
		assert_int_equal(fx.found.nr, cases[i].want ? 1 : 0);
		if (!cases[i].want)
			continue;
		assert_string_equal(fx.found.v[0].rule, "commit-msg:fixes");
		assert_int_equal(fx.found.v[0].severity, FINDING_ERROR);
		assert_non_null(strstr(fx.found.v[0].message, cases[i].want));
	}
}

static void test_patch_msg_subject(void **state)
{
	check_msg("foo: this subject line goes on and on, well past the seventy-five columns "
		  "the kernel asks for" SOB, AUTHOR, NULL);
	assert_int_equal(count("commit-msg:subject"), 1);
	check_msg("foo: add b." SOB, AUTHOR, NULL);
	assert_int_equal(count("commit-msg:subject"), 1);
	assert_non_null(strstr(fx.found.v[0].message, "full stop"));
	check_msg("add b without a prefix" SOB, AUTHOR, NULL);
	assert_int_equal(count("commit-msg:subject"), 0);
	assert_int_equal(config_load_string(fx.cfg, CONFIG_BUILTIN,
					    "[analyzer.commit-msg]\nsubject_prefix = true\n"), 0);
	check_msg("add b without a prefix" SOB, AUTHOR, NULL);
	assert_int_equal(count("commit-msg:subject"), 1);
	check_msg("net: ipv4: add b" SOB, AUTHOR, NULL);
	assert_int_equal(count("commit-msg:subject"), 0);
	check_msg("Revert \"net: add b\"" SOB, AUTHOR, NULL);
	assert_int_equal(count("commit-msg:subject"), 0);
}

static void test_patch_msg_change_id(void **state)
{
	static const char msg[] = "foo: add b\n\nWhy.\n\nChange-Id: I0123456789abcdef0123456789abcdef01234567\n"
				  "Signed-off-by: Test Author <test@example.org>\n";

	check_msg(msg, AUTHOR, NULL);
	assert_int_equal(fx.found.nr, 0);
	assert_int_equal(config_load_string(fx.cfg, CONFIG_BUILTIN,
					    "[analyzer.commit-msg]\nforbid_change_id = true\n"), 0);
	check_msg(msg, AUTHOR, NULL);
	assert_int_equal(count("commit-msg:change-id"), 1);
}

static void test_patch_msg_no_body(void **state)
{
	static const char twelve[] = "int b1;\nint b2;\nint b3;\nint b4;\nint b5;\nint b6;\n"
				     "int b7;\nint b8;\nint b9;\nint b10;\nint b11;\n";

	check_msg("foo: add b" SOB, AUTHOR, twelve);
	assert_int_equal(count("commit-msg:no-body"), 1);
	assert_int_equal(fx.found.v[0].severity, FINDING_WARNING);
	check_msg("foo: add b\n\nBecause we need eleven of them." SOB, AUTHOR, twelve);
	assert_int_equal(fx.found.nr, 0);
	check_msg("foo: add b" SOB, AUTHOR, "int b1;\nint b2;\n");
	assert_int_equal(fx.found.nr, 0);
}

/* patch_check() on a commit on base, src a tree of its own with the after state. */
static json_t *check(const char *analyzer, const char *msg, const char *file,
		     const char *before, const char *after, const struct waivers *w)
{
	struct gate_commit gc = { 0 };
	struct gate_diff diff = { 0 };
	struct patch_ctx pc = { fx.git, &gc, &diff, fx.cfg, NULL, false, w };
	char src[128], path[192];
	json_t *out = NULL;
	git_oid mid;

	snprintf(src, sizeof(src), "%s/src", fx.dir);
	gate_remove_tree(src);
	mkdir(src, 0755);
	snprintf(path, sizeof(path), "%s/%s", src, file);
	write_file(path, after, 0644);
	commit(&mid, &fx.base, "foo: before" SOB, AUTHOR, file, before);
	commit(&gc.oid, &mid, msg, AUTHOR, file, after);
	git_oid_cpy(&gc.parent, &mid);
	gc.has_parent = true;
	git_oid_tostr(gc.sha, sizeof(gc.sha), &gc.oid);
	pc.src = src;
	assert_int_equal(gate_diff_commit(&diff, fx.git, &gc.oid), 0);
	assert_int_equal(patch_check(&out, &pc, analyzer, FINDING_WARNING), 0);
	assert_non_null(out);
	assert_non_null(json_object_get(out, "duration_s"));
	gate_diff_dispose(&diff);
	return out;
}

static const char *status(json_t *c)
{
	return json_string_value(json_object_get(c, "status"));
}

static size_t nr(json_t *c, const char *list)
{
	return json_array_size(json_object_get(c, list));
}

static void test_patch_check_commit_msg_waived(void **state)
{
	struct waivers *w = NULL;
	json_t *c;

	c = check("commit-msg", "foo: no sign-off\n\nWhy.\n", "c.c", "", "int c;\n", NULL);
	assert_string_equal(status(c), "fail");
	assert_int_equal(nr(c, "new"), 1);
	json_decref(c);

	assert_int_equal(waivers_parse(&w, "w", "commit-msg:signoff:* # imported\n", 32), 0);
	c = check("commit-msg", "foo: no sign-off\n\nWhy.\n", "c.c", "", "int c;\n", w);
	assert_string_equal(status(c), "pass");
	assert_int_equal(nr(c, "new"), 0);
	assert_int_equal(nr(c, "waived"), 1);
	json_decref(c);
	waivers_free(w);
}

static void test_patch_check_skipped(void **state)
{
	json_t *c = check("checkpatch", "foo: x" SOB, "c.c", "", "int c;\n", NULL);

	assert_string_equal(status(c), "skipped");
	assert_non_null(strstr(json_string_value(json_object_get(c, "reason")),
			       "set [analyzer.checkpatch] path = "));
	json_decref(c);
	c = check("kernel-doc", "foo: x" SOB, "c.c", "", "int c;\n", NULL);
	assert_string_equal(status(c), "skipped");
	assert_non_null(strstr(json_string_value(json_object_get(c, "reason")),
			       "not a kernel tree"));
	json_decref(c);
}

/* A stand-in checkpatch.pl: records its arguments and cwd, prints two findings. */
static void test_patch_check_checkpatch(void **state)
{
	char script[128], conf[512], args[128];
	struct strbuf got = STRBUF_INIT;
	json_t *c;

	snprintf(script, sizeof(script), "%s/checkpatch.sh", fx.dir);
	snprintf(args, sizeof(args), "%s/args", fx.dir);
	write_file(script, "#!/bin/sh\n"
		   "echo \"$@\" > \"$(dirname \"$0\")/args\"; pwd >> \"$(dirname \"$0\")/args\"\n"
		   "for a; do p=$a; done; grep -q '^Subject: \\[PATCH\\] foo: style' \"$p\" || exit 2\n"
		   "echo 'c.c:1: ERROR:SPACING: space required after that comma (ctx:VxV)'\n"
		   "echo '+int c,d;'\n"
		   "echo ':1: WARNING:COMMIT_MESSAGE: Missing commit description'\n"
		   "exit 1\n", 0755);
	snprintf(conf, sizeof(conf), "[analyzer.checkpatch]\npath = %s\n"
		 "options = --strict --showfile\nignore = FILE_PATH_CHANGES SPDX_LICENSE_TAG\n"
		 "severity = COMMIT_MESSAGE:info\n", script);
	assert_int_equal(config_load_string(fx.cfg, CONFIG_BUILTIN, conf), 0);
	c = check("checkpatch", "foo: style" SOB, "c.c", "", "int c,d;\n", NULL);
	assert_string_equal(status(c), "fail");
	assert_int_equal(nr(c, "new"), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(
				json_object_get(c, "new"), 1), "file")), "c.c");
	assert_int_equal(strbuf_read_file(&got, args), 0);
	assert_non_null(strstr(got.buf, "--showfile --show-types --color=never --no-summary "
			       "--no-tree --strict --ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG /"));
	assert_non_null(strstr(got.buf, ".patch\n"));
	assert_non_null(strstr(got.buf, "/src\n"));	/* cwd: the tree, for .checkpatch.conf */
	json_decref(c);

	/* A checkpatch that dies is an error, with its last words. */
	write_file(script, "#!/bin/sh\necho 'Global symbol requires package' >&2\nexit 255\n", 0755);
	c = check("checkpatch", "foo: style" SOB, "c.c", "", "int c,d;\n", NULL);
	assert_string_equal(status(c), "error");
	assert_non_null(strstr(json_string_value(json_object_get(c, "reason")),
			       "Global symbol"));
	json_decref(c);
	strbuf_dispose(&got);
}

/* A stand-in kernel-doc: a warning for each file that says BADDOC. */
static void test_patch_check_kernel_doc(void **state)
{
	char script[128], conf[256];
	json_t *c;

	snprintf(script, sizeof(script), "%s/kernel-doc", fx.dir);
	write_file(script, "#!/bin/sh\n[ \"$1\" = -none ] || exit 2; shift\n"
		   "for f; do grep -n BADDOC \"$f\" | while IFS=: read -r n rest; do\n"
		   "echo \"$f:$n: warning: Function parameter or member 'x' not described in 'f'\"\n"
		   "done; done\n", 0755);
	snprintf(conf, sizeof(conf), "[analyzer.kernel-doc]\npath = %s\n", script);
	assert_int_equal(config_load_string(fx.cfg, CONFIG_BUILTIN, conf), 0);

	c = check("kernel-doc", "foo: doc" SOB, "d.c", "int d;\n", "/* BADDOC */\nint d;\n", NULL);
	assert_string_equal(status(c), "fail");
	assert_int_equal(nr(c, "new"), 1);
	json_decref(c);
	/* Moved down by two lines, it is the same warning. */
	c = check("kernel-doc", "foo: doc" SOB, "d.c", "/* BADDOC */\nint d;\n",
		  "int e;\nint f;\n/* BADDOC */\nint d;\n", NULL);
	assert_string_equal(status(c), "pass");
	assert_int_equal(nr(c, "new"), 0);
	assert_int_equal(json_integer_value(json_object_get(c, "preexisting")), 1);
	json_decref(c);
	c = check("kernel-doc", "foo: doc" SOB, "d.c", "/* BADDOC */\nint d;\n", "int d;\n", NULL);
	assert_string_equal(status(c), "pass");
	assert_int_equal(nr(c, "fixed"), 1);
	json_decref(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_patch_msg_clean, each_setup, each_teardown),
		cmocka_unit_test_setup_teardown(test_patch_msg_signoff, each_setup, each_teardown),
		cmocka_unit_test_setup_teardown(test_patch_msg_fixes, each_setup, each_teardown),
		cmocka_unit_test_setup_teardown(test_patch_msg_subject, each_setup, each_teardown),
		cmocka_unit_test_setup_teardown(test_patch_msg_change_id, each_setup, each_teardown),
		cmocka_unit_test_setup_teardown(test_patch_msg_no_body, each_setup, each_teardown),
		cmocka_unit_test_setup_teardown(test_patch_check_commit_msg_waived, each_setup,
						each_teardown),
		cmocka_unit_test_setup_teardown(test_patch_check_skipped, each_setup, each_teardown),
		cmocka_unit_test_setup_teardown(test_patch_check_checkpatch, each_setup,
						each_teardown),
		cmocka_unit_test_setup_teardown(test_patch_check_kernel_doc, each_setup,
						each_teardown),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
