/* patch.c: runs the patch-level analyzers (checkpatch, commit-msg, kernel-doc) on one
 * commit and turns their findings into a check. Never prints or exits. */
#include "patch.h"
#include "analyzer.h"
#include "output.h"
#include "delta.h"
#include "clock.h"
#include "error.h"
#include "fs.h"
#include "proc.h"
#include "result.h"
#include "scratch.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define PATCH_TIMEOUT_S 300
/* The end of a tool's output kept in the report. */
#define OUTPUT_KEEP 8192

/* One patch_check(): what it found, or why it was skipped or broke. */
struct patch_run {
	const struct patch_ctx *pc;
	const char *analyzer;
	char section[64];
	int timeout_s;
	struct gate_finding_delta delta;
	struct strbuf skip;	/* why it was skipped */
	struct strbuf broke;	/* why the tool failed */
	struct strbuf output;	/* what the tool printed */
	struct strbuf tmp;	/* a temporary directory, once made */
};

/* A script is run by perl unless it can run itself. */
static int push_script(struct strvec *argv, const char *script)
{
	if (access(script, X_OK) && strvec_push(argv, "perl"))
		return -1;
	return strvec_push(argv, script);
}

static bool file_exists(const char *path)
{
	return !access(path, F_OK);
}

/* [analyzer.NAME] command, a relative program in it taken from src. */
static int configured_command(struct strvec *argv, const char *command,
			      const char *src)
{
	struct strvec words = STRVEC_INIT;
	struct strbuf prog = STRBUF_INIT;
	int ret = -1;

	if (strvec_split(&words, command) || !words.nr)
		goto out;
	if (strchr(words.v[0], '/') && words.v[0][0] != '/')
		strbuf_addf(&prog, "%s/%s", src, words.v[0]);
	else
		strbuf_addstr(&prog, words.v[0]);
	ret = 0;
	if (!proc_which(prog.buf, NULL) && !file_exists(prog.buf))
		goto out;
	ret = words.nr == 1 ? push_script(argv, prog.buf) :
	      strvec_push(argv, prog.buf) || strvec_pushv(argv, words.v + 1);
	ret = ret ? -1 : 1;
out:
	strbuf_dispose(&prog);
	strvec_dispose(&words);
	return ret;
}

int patch_tool_command(struct strvec *argv, struct strbuf *why,
		       const struct config *cfg, const char *analyzer,
		       const char *src, bool kernel_tree)
{
	const struct an_desc *d = an_find(analyzer);
	struct strbuf sec = STRBUF_INIT, path = STRBUF_INIT;
	const char *command;
	int ret;

	if (!d || !d->default_command)
		return gate_error("'%s' has no command", analyzer);
	strbuf_addf(&sec, "analyzer.%s", analyzer);
	command = config_get(cfg, sec.buf, "command");
	ret = config_get_path(cfg, sec.buf, "path", &path);
	if (ret > 0 && !file_exists(path.buf)) {
		strbuf_addf(why, "'%s' ([analyzer.%s] path) does not exist", path.buf, analyzer);
		ret = 0;
	} else if (ret > 0) {
		ret = push_script(argv, path.buf) ? -1 : 1;
	} else if (!ret && kernel_tree) {
		strbuf_addf(&path, "%s/%s", src, d->default_command);
		if (file_exists(path.buf))
			ret = push_script(argv, path.buf) ? -1 : 1;
	}
	if (!ret && !why->len && command)
		ret = configured_command(argv, command, src);
	if (!ret && !why->len)
		strbuf_addf(why, "%s: %s, and no '%s' here; set [analyzer.%s] path = /path/to/%s",
			    analyzer, kernel_tree ? "the tree has none" : "not a kernel tree",
			    command ? command : d->default_command, analyzer,
			    strrchr(d->default_command, '/') + 1);
	strbuf_dispose(&sec);
	strbuf_dispose(&path);
	return ret;
}

/*
 * Runs argv in dir with the analyzer's timeout; output (merged) in
 * r->output. The tree's own scripts are as untrusted as its Makefiles, so
 * they run in the engine the build jobs run in.
 */
static int run_tool(struct patch_run *r, const struct strvec *argv, const char *dir)
{
	struct proc p;
	int status = -1;

	proc_init(&p);
	p.dir = dir;
	if (strvec_pushv(&p.args, argv->v) || strvec_push(&p.env, "GIT_DIR")) {
		gate_error("out of memory");
		goto out;
	}
	if (r->pc->ctr && ctr_engine_wrap(r->pc->ctr, &p))
		goto out;
	strbuf_reset(&r->output);
	status = proc_capture(&p, &r->output, NULL, (unsigned int)r->timeout_s);
out:
	proc_dispose(&p);
	if (status < 0)
		strbuf_addf(&r->broke, "cannot run '%s': %s", argv->v[0], gate_error_last());
	else if (status == 128 + SIGKILL)
		strbuf_addf(&r->broke, "'%s' timed out after %d s", argv->v[0], r->timeout_s);
	else if (status == 126 || status == 127 || status > 128)
		strbuf_addf(&r->broke, "'%s' could not run (exit %d)", argv->v[0], status);
	gate_error_clear();
	return status;
}

/* A broken tool's reason ends with the tail of what it printed. */
static void add_output_tail(struct patch_run *r)
{
	size_t from = r->output.len > 2000 ? r->output.len - 2000 : 0;

	if (r->output.len)
		strbuf_addf(&r->broke, "\n%s", r->output.buf + from);
}

static int make_tmp(struct patch_run *r)
{
	const char *base = r->pc->tmp_root ? r->pc->tmp_root : getenv("TMPDIR");

	if (r->tmp.len)
		return 0;
	if (!base || base[0] != '/')
		base = "/tmp";
	if (strbuf_addf(&r->tmp, "%s/mkt-gate-patch.XXXXXX", base))
		return -1;
	if (!mkdtemp(r->tmp.buf)) {
		strbuf_reset(&r->tmp);
		return gate_error("cannot make a temporary directory in '%s'", base);
	}
	return 0;
}

/* Fills in each finding's function from the file under root, then fingerprints. */
static int name_functions(struct finding_list *l, const char *root,
			  const struct gate_diff *renames)
{
	struct strbuf path = STRBUF_INIT, src = STRBUF_INIT, fn = STRBUF_INIT;

	for (size_t i = 0; i < l->nr; i++) {
		struct finding *f = &l->v[i];

		if (!f->file || !f->line || f->function)
			continue;
		strbuf_reset(&path);
		strbuf_reset(&src);
		strbuf_reset(&fn);
		strbuf_addf(&path, "%s/%s", root, f->file);
		if (strbuf_read_file(&src, path.buf) ||
		    an_enclosing_function(src.buf, src.len, f->line, &fn) || !fn.len)
			continue;
		f->function = strdup(fn.buf);
	}
	gate_error_clear();
	strbuf_dispose(&path);
	strbuf_dispose(&src);
	strbuf_dispose(&fn);
	return gate_findings_fingerprint(l, renames);
}

static int parse_output(struct patch_run *r, struct finding_list *out,
			const char *root)
{
	const struct an_desc *d = an_find(r->analyzer);
	struct an_parse_opts o = { r->analyzer, root, NULL };

	return d->parse(out, r->output.buf, r->output.len, &o);
}

/* The commit as `git format-patch -1` writes it. */
static int write_patch(struct patch_run *r, struct strbuf *file)
{
	git_email_create_options opts = GIT_EMAIL_CREATE_OPTIONS_INIT;
	struct strbuf text = STRBUF_INIT;
	git_commit *c = NULL;
	git_buf buf = { 0 };
	int ret;

	if (git_commit_lookup(&c, r->pc->git, &r->pc->commit->oid) ||
	    git_email_create_from_commit(&buf, c, &opts)) {
		ret = gate_git_error("cannot make the commit's patch");
		goto out;
	}
	ret = make_tmp(r) || strbuf_addf(file, "%s/%.12s.patch", r->tmp.buf,
					 r->pc->commit->sha) ||
	      strbuf_add(&text, buf.ptr, buf.size) || strbuf_write_file(&text, file->buf);
out:
	strbuf_dispose(&text);
	git_buf_dispose(&buf);
	git_commit_free(c);
	return ret ? -1 : 0;
}

static int push_unique(struct strvec *argv, const char *arg)
{
	return strvec_find(argv, arg) < 0 ? strvec_push(argv, arg) : 0;
}

/* checkpatch's flags: ours, the config's options and --ignore TYPE,... */
static int checkpatch_flags(struct patch_run *r, struct strvec *argv)
{
	static const char *const ours[] = {
		"--showfile", "--show-types", "--color=never", "--no-summary",
	};
	struct strvec opts = STRVEC_INIT, ignore = STRVEC_INIT;
	const char *options = config_get(r->pc->cfg, r->section, "options");
	struct strbuf list = STRBUF_INIT;
	int ret = 0;

	for (size_t i = 0; i < sizeof(ours) / sizeof(ours[0]) && !ret; i++)
		ret = push_unique(argv, ours[i]);
	if (!ret && !r->pc->kernel_tree)
		ret = push_unique(argv, "--no-tree");
	if (!ret && options)
		ret = strvec_split(&opts, options);
	for (size_t i = 0; i < opts.nr && !ret; i++)
		ret = push_unique(argv, opts.v[i]);
	if (!ret && config_get_list(r->pc->cfg, r->section, "ignore", &ignore) < 0)
		ret = -1;
	if (!ret)
		ret = strvec_join(&ignore, ",", &list);
	if (!ret && list.len)
		ret = strvec_push(argv, "--ignore") || strvec_push(argv, list.buf);
	strbuf_dispose(&list);
	strvec_dispose(&opts);
	strvec_dispose(&ignore);
	return ret ? -1 : 0;
}

/*
 * checkpatch runs in the scratch tree, so that it reads the tree's own
 * .checkpatch.conf; all it finds is about the patch, so all of it is new.
 */
static int run_checkpatch(struct patch_run *r)
{
	struct strvec argv = STRVEC_INIT;
	struct strbuf patch = STRBUF_INIT;
	int ret, status;

	ret = patch_tool_command(&argv, &r->skip, r->pc->cfg, "checkpatch",
				 r->pc->src, r->pc->kernel_tree);
	if (ret <= 0)
		goto out;
	ret = -1;
	if (checkpatch_flags(r, &argv) || write_patch(r, &patch) ||
	    strvec_push(&argv, patch.buf))
		goto out;
	status = run_tool(r, &argv, r->pc->src);
	if (!r->broke.len && status > 1)
		strbuf_addf(&r->broke, "checkpatch failed (exit %d)", status);
	if (r->broke.len)
		add_output_tail(r);
	ret = parse_output(r, &r->delta.added, r->pc->src) ||
	      name_functions(&r->delta.added, r->pc->src, NULL);
out:
	strvec_dispose(&argv);
	strbuf_dispose(&patch);
	return ret ? -1 : 0;
}

static bool is_c_file(const char *path)
{
	return path && (str_ends_with(path, ".c") || str_ends_with(path, ".h"));
}

/* Writes the parent's version of path under dir. */
static int write_old_blob(struct patch_run *r, git_tree *tree, const char *path,
			  const char *dir)
{
	struct strbuf file = STRBUF_INIT, text = STRBUF_INIT;
	char *slash;
	int ret = -1;

	if (gate_tree_read_file(r->pc->git, tree, path, &text))
		goto out;
	strbuf_addf(&file, "%s/%s", dir, path);
	slash = strrchr(file.buf, '/');
	*slash = '\0';
	if (gate_mkdirs(file.buf))
		goto out;
	*slash = '/';
	ret = strbuf_write_file(&text, file.buf);
out:
	strbuf_dispose(&file);
	strbuf_dispose(&text);
	return ret;
}

/* The touched C files before (written under dir) or after the commit. */
static int kerneldoc_files(struct patch_run *r, bool before, const char *dir,
			   struct strvec *files)
{
	const struct gate_commit *c = r->pc->commit;
	git_commit *parent = NULL;
	git_tree *tree = NULL;
	int ret = 0;

	if (before && (!c->has_parent || git_commit_lookup(&parent, r->pc->git, &c->parent) ||
		       git_commit_tree(&tree, parent)))
		ret = c->has_parent ? gate_git_error("cannot read the parent commit") : 0;
	for (size_t i = 0; i < r->pc->diff->nr && !ret; i++) {
		const struct gate_change *d = &r->pc->diff->v[i];
		const char *path = before ? d->old_path : d->new_path;

		if (!is_c_file(path) || (before && !tree))
			continue;
		ret = before ? write_old_blob(r, tree, path, dir) : 0;
		if (!ret)
			ret = strvec_push(files, path);
	}
	git_tree_free(tree);
	git_commit_free(parent);
	return ret;
}

/* kernel-doc -none on the touched files of one side, run in dir. */
static int kerneldoc_side(struct patch_run *r, const struct strvec *tool,
			  bool before, struct finding_list *out)
{
	struct strvec argv = STRVEC_INIT, files = STRVEC_INIT;
	struct strbuf dir = STRBUF_INIT;
	int ret = -1;

	if (before)
		ret = make_tmp(r) || strbuf_addf(&dir, "%s/before", r->tmp.buf) ||
		      gate_mkdirs(dir.buf);
	else
		ret = strbuf_addstr(&dir, r->pc->src);
	if (ret || kerneldoc_files(r, before, dir.buf, &files)) {
		ret = -1;
		goto out;
	}
	ret = 0;
	if (!files.nr)
		goto out;
	ret = -1;
	if (strvec_pushv(&argv, tool->v) || strvec_push(&argv, "-none") ||
	    strvec_pushv(&argv, files.v))
		goto out;
	run_tool(r, &argv, dir.buf);
	if (r->broke.len)
		add_output_tail(r);
	ret = parse_output(r, out, dir.buf) ||
	      name_functions(out, dir.buf, before ? r->pc->diff : NULL) ? -1 : 0;
out:
	strvec_dispose(&argv);
	strvec_dispose(&files);
	strbuf_dispose(&dir);
	return ret;
}

/* kernel-doc warnings the commit added to the files it touched. */
static int run_kerneldoc(struct patch_run *r)
{
	struct finding_list before = FINDING_LIST_INIT, after = FINDING_LIST_INIT;
	struct strvec tool = STRVEC_INIT;
	bool kernel = r->pc->kernel_tree;
	int ret;

	/* Outside a kernel tree only a configured path runs it. */
	if (!kernel && !config_get(r->pc->cfg, r->section, "path")) {
		strbuf_addstr(&r->skip, "kernel-doc: not a kernel tree; set [analyzer.kernel-doc] path = /path/to/kernel-doc to run it anyway");
		return 0;
	}
	ret = patch_tool_command(&tool, &r->skip, r->pc->cfg, "kernel-doc",
				 r->pc->src, kernel);
	if (ret <= 0)
		goto out;
	ret = kerneldoc_side(r, &tool, true, &before) ||
	      kerneldoc_side(r, &tool, false, &after) ||
	      gate_findings_delta(&r->delta, &before, &after, r->pc->diff) ? -1 : 0;
out:
	finding_list_dispose(&before);
	finding_list_dispose(&after);
	strvec_dispose(&tool);
	return ret < 0 ? -1 : 0;
}

static void map_severities(const struct patch_run *r, struct finding_list *l)
{
	for (size_t i = 0; i < l->nr; i++)
		if (l->v[i].rule)
			config_get_rule_severity(r->pc->cfg, r->analyzer, l->v[i].rule,
						 &l->v[i].severity);
}

/* Tool output as a JSON string: quoted sources may be Latin-1, a cut may split a character. */
static json_t *utf8_string(const char *s, size_t len)
{
	struct strbuf sb = STRBUF_INIT;
	json_t *j = an_utf8_append(&sb, s, len) ? NULL : json_stringn(sb.buf, sb.len);

	strbuf_dispose(&sb);
	return j;
}

static json_t *make_check(struct patch_run *r, enum finding_severity fail_on)
{
	struct gate_finding_delta *d = &r->delta;
	json_t *check;

	if (r->skip.len)
		return gate_result_check_new(r->analyzer, "skipped", r->skip.buf);
	map_severities(r, &d->added);
	map_severities(r, &d->fixed);
	waivers_apply(r->pc->waivers, &d->added);
	check = gate_result_check_new(r->analyzer, "pass", NULL);
	if (check && gate_result_check_set(check, &d->added, &d->fixed, d->preexisting,
					   fail_on)) {
		json_decref(check);
		return NULL;
	}
	if (check && r->broke.len) {
		json_object_set_new(check, "status", json_string("error"));
		json_object_set_new(check, "reason", utf8_string(r->broke.buf, r->broke.len));
	}
	if (check && r->output.len)
		json_object_set_new(check, "output", utf8_string(r->output.buf,
				    r->output.len > OUTPUT_KEEP ? OUTPUT_KEEP : r->output.len));
	return check;
}

static int run_analyzer(struct patch_run *r)
{
	const struct patch_ctx *pc = r->pc;
	const struct an_desc *d = an_find(r->analyzer);

	switch (d ? d->patch_input : AN_PATCH_NONE) {
	case AN_PATCH_DIFF:
		return run_checkpatch(r);
	case AN_PATCH_FILES:
		return run_kerneldoc(r);
	case AN_PATCH_MESSAGE:
		return patch_commit_msg(&r->delta.added, pc->git, &pc->commit->oid,
					pc->diff, pc->cfg);
	case AN_PATCH_NONE:
		break;
	}
	return gate_error("'%s' is not a patch-level analyzer", r->analyzer);
}

int patch_check(json_t **check_out, const struct patch_ctx *pc,
		const char *analyzer, enum finding_severity fail_on)
{
	struct patch_run r = { pc, analyzer, "", PATCH_TIMEOUT_S };
	double t0 = gate_now_s();
	json_t *check = NULL;
	int ret;

	*check_out = NULL;
	gate_finding_delta_init(&r.delta);
	strbuf_init(&r.skip, 0);
	strbuf_init(&r.broke, 0);
	strbuf_init(&r.output, 0);
	strbuf_init(&r.tmp, 0);
	snprintf(r.section, sizeof(r.section), "analyzer.%s", analyzer);
	ret = config_get_int(pc->cfg, r.section, "timeout", &r.timeout_s) < 0 ||
	      run_analyzer(&r) ? -1 : 0;
	if (!ret)
		check = make_check(&r, fail_on);
	if (check) {
		json_object_set_new(check, "duration_s", json_real(gate_now_s() - t0));
		*check_out = check;
	} else if (!ret) {
		ret = gate_error("out of memory");
	}
	if (r.tmp.len)
		gate_remove_tree(r.tmp.buf);
	gate_finding_delta_dispose(&r.delta);
	strbuf_dispose(&r.skip);
	strbuf_dispose(&r.broke);
	strbuf_dispose(&r.output);
	strbuf_dispose(&r.tmp);
	return ret;
}
