/* unit.c: builds translation units for each analyzer, remembers the results by
 * (analyzer, unit, tree), and turns before/after results into checks. */
#include "unit.h"
#include "delta.h"
#include "alloc.h"
#include "output.h"
#include "error.h"
#include "cache.h"
#include "engine.h"
#include "interrupt.h"
#include "proc.h"
#include "result.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int setup_one(struct gate_engine *e, struct unit_analyzer *a,
		     const char *name)
{
	const struct config *cfg = e->o->cfg;
	struct strbuf sec = STRBUF_INIT;
	const char *cmd, *extra;
	int ret = 0;

	a->desc = an_find(name);
	if (!a->desc)
		return gate_error("unknown analyzer '%s'", name);
	strbuf_addf(&sec, "analyzer.%s", name);
	cmd = config_get(cfg, sec.buf, "command");
	extra = config_get(cfg, sec.buf, "extra_flags");
	if (!extra)
		extra = e->backend->default_extra;
	a->fail_on = e->o->fail_on;
	a->timeout_s = 600;
	if (strvec_split(&a->command, cmd ? cmd : a->desc->default_command ?
			 a->desc->default_command : name) ||
	    (extra && strvec_split(&a->extra, extra)) ||
	    config_get_severity(cfg, sec.buf, "fail_on", &a->fail_on) < 0 ||
	    config_get_int(cfg, sec.buf, "timeout", &a->timeout_s) < 0)
		ret = -1;
	if (!ret && a->desc->kind == AN_KIND_PATCH)
		;	/* patch_check() finds its own tool */
	else if (!ret && !e->backend->supports(a->desc))
		ret = asprintf(&a->skip_reason, "%s is not supported for %s projects yet",
			       name, e->backend->kind) < 0 ? gate_error("out of memory") : 0;
	else if (!ret && !proc_which(a->command.v[0], NULL))
		ret = asprintf(&a->skip_reason, "'%s' is not installed (%s)", a->command.v[0],
			       a->desc->install_hint ? a->desc->install_hint :
			       "install it or set command in [analyzer.NAME]") < 0 ? -1 : 0;
	strbuf_dispose(&sec);
	return ret;
}

bool unit_analyzer_on_units(const struct unit_analyzer *a)
{
	return !a->skip_reason && a->desc->kind == AN_KIND_OBJECT;
}

int unit_analyzers_setup(struct gate_engine *e)
{
	const struct strvec *names = e->o->analyzers;

	e->an = calloc(names->nr + 1, sizeof(*e->an));
	if (!e->an)
		return gate_error("out of memory");
	for (size_t i = 0; i < names->nr; i++) {
		strvec_init(&e->an[i].command);
		strvec_init(&e->an[i].extra);
		e->nr_an++;
		if (setup_one(e, &e->an[i], names->v[i]))
			return -1;
	}
	return 0;
}

void unit_analyzers_dispose(struct gate_engine *e)
{
	for (size_t i = 0; i < e->nr_an; i++) {
		strvec_dispose(&e->an[i].command);
		strvec_dispose(&e->an[i].extra);
		free(e->an[i].skip_reason);
	}
	free(e->an);
	e->an = NULL;
	e->nr_an = 0;
}

static void memo_free(struct unit_memo *m)
{
	free(m->key);
	free(m->error);
	free(m->output);
	finding_list_dispose(&m->findings);
}

void unit_memo_dispose(struct gate_engine *e)
{
	for (size_t i = 0; i < e->nr_memo; i++)
		memo_free(&e->memo[i]);
	free(e->memo);
	e->memo = NULL;
	e->nr_memo = e->alloc_memo = 0;
}

static const struct unit_backend *const unit_backends[] = {
	&unit_kbuild_backend,
	&unit_ccdb_backend,
};

const struct unit_backend *unit_backend_for(git_repository *git,
					    const git_oid *commit)
{
	size_t n = sizeof(unit_backends) / sizeof(unit_backends[0]);

	for (size_t i = 0; commit && i + 1 < n; i++)
		if (unit_backends[i]->detect(git, commit))
			return unit_backends[i];
	return unit_backends[n - 1];
}

void unit_report_setup_failure(struct gate_engine *e)
{
	struct strbuf r = STRBUF_INIT;

	const struct strbuf *log = e->backend->setup_log ? e->backend->setup_log(e) : NULL;

	strbuf_addstr(&r, gate_error_last());
	if (log && log->len) {
		strbuf_addstr(&r, "\n");
		strbuf_add(&r, log->buf, log->len > 4000 ? 4000 : log->len);
	}
	free(e->setup_reason);
	e->setup_reason = strbuf_detach(&r, NULL);
	e->setup_failed = true;
}

struct unit_memo *unit_memo_find(struct gate_engine *e,
				   const struct unit_analyzer *an,
				   const char *key, const git_oid *tree)
{
	for (size_t i = 0; i < e->nr_memo; i++) {
		struct unit_memo *m = &e->memo[i];

		if (m->an == an && git_oid_equal(&m->tree, tree) && !strcmp(m->key, key))
			return m;
	}
	return NULL;
}

struct unit_memo *unit_memo_add(struct gate_engine *e,
				  const struct unit_analyzer *an,
				  const char *key, const git_oid *tree)
{
	struct unit_memo *m;

	if (ALLOC_GROW(e->memo, e->nr_memo + 1, e->alloc_memo))
		return NULL;
	m = &e->memo[e->nr_memo++];
	memset(m, 0, sizeof(*m));
	m->an = an;
	m->key = strdup(key);
	git_oid_cpy(&m->tree, tree);
	return m;
}

void unit_memo_forget_errors(struct gate_engine *e, const struct strvec *units,
			     const git_oid *tree)
{
	size_t i = 0;

	while (i < e->nr_memo) {
		struct unit_memo *m = &e->memo[i];

		if (!m->error || !git_oid_equal(&m->tree, tree) ||
		    strvec_find(units, m->key) < 0) {
			i++;
			continue;
		}
		memo_free(m);
		*m = e->memo[--e->nr_memo];
	}
}

void unit_add_unique(struct strvec *v, const char *s)
{
	if (strvec_find(v, s) < 0)
		strvec_push(v, s);
}

int unit_missing(struct gate_engine *e, const struct strvec *units,
		 const git_oid *tree, struct strvec *missing)
{
	for (size_t i = 0; i < e->nr_an; i++) {
		if (!unit_analyzer_on_units(&e->an[i]))
			continue;
		for (size_t k = 0; k < units->nr; k++)
			if (!unit_memo_find(e, &e->an[i], units->v[k], tree))
				unit_add_unique(missing, units->v[k]);
	}
	return 0;
}

/* Names the function of findings the tool did not name, from the source. */
static void fill_functions(struct gate_engine *e, struct finding_list *l)
{
	struct strbuf src = STRBUF_INIT, path = STRBUF_INIT, fn = STRBUF_INIT;
	const char *loaded = NULL;

	for (size_t i = 0; i < l->nr; i++) {
		struct finding *f = &l->v[i];

		if ((f->function && *f->function) || !f->file || f->file[0] == '/')
			continue;
		if (!loaded || strcmp(loaded, f->file)) {
			strbuf_reset(&src);
			strbuf_reset(&path);
			strbuf_addf(&path, "%s/%s", e->scratch.src, f->file);
			strbuf_read_file(&src, path.buf);
			loaded = f->file;
		}
		strbuf_reset(&fn);
		if (!an_enclosing_function(src.buf, src.len, f->line, &fn) && fn.len) {
			free(f->function);
			f->function = strdup(fn.buf);
		}
	}
	gate_error_clear();
	strbuf_dispose(&src);
	strbuf_dispose(&path);
	strbuf_dispose(&fn);
}

static void map_severities(struct gate_engine *e, struct finding_list *l)
{
	for (size_t i = 0; i < l->nr; i++)
		if (l->v[i].rule)
			config_get_rule_severity(e->o->cfg, l->v[i].analyzer,
						 l->v[i].rule, &l->v[i].severity);
}

bool unit_memo_has_error(const struct unit_memo *m)
{
	for (size_t i = 0; i < m->findings.nr; i++)
		if (m->findings.v[i].severity == FINDING_ERROR)
			return true;
	return false;
}

int unit_memo_build_failure(struct unit_memo *m, const char *file)
{
	struct finding f = { 0 };

	f.analyzer = strdup(m->an->desc->name);
	f.file = strdup(file);
	f.rule = strdup("build");
	f.severity = FINDING_ERROR;
	if (asprintf(&f.message, "building %s failed (exit %d)", file, m->status) < 0)
		f.message = NULL;
	if (!f.analyzer || !f.file || !f.rule || !f.message ||
	    finding_list_take(&m->findings, &f)) {
		finding_dispose(&f);
		return gate_error("out of memory");
	}
	return 0;
}

int unit_memo_lost(struct unit_memo *m, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (m->error)
		return 0;
	va_start(ap, fmt);
	n = vasprintf(&m->error, fmt, ap);
	va_end(ap);
	if (n < 0) {
		m->error = NULL;
		return gate_error("out of memory");
	}
	return 0;
}

int unit_memo_record(struct gate_engine *e, struct unit_memo *m, int status,
		     const char *output, size_t len, double seconds,
		     const char *build_root)
{
	struct strbuf unread = STRBUF_INIT;
	struct an_parse_opts po = { m->an->desc->name, e->scratch.src, build_root, &unread };
	int ret = 0;

	m->status = status;
	m->seconds = seconds;
	m->output = strndup(output, len);
	/* Killed, timed out or interrupted: its output is half a result. */
	if (status < 0 || status == 127 || status > 128 || gate_interrupted()) {
		if (asprintf(&m->error, "%s could not run on %s%s: %.300s",
			     m->an->command.v[0], m->key, gate_interrupted() ?
			     " (interrupted)" : "", output) < 0)
			m->error = NULL;
		return 0;
	}
	if (m->an->desc->parse(&m->findings, output, len, &po))
		ret = -1;
	if (!ret && unread.len)
		ret = unit_memo_lost(m, "%s printed diagnostics for %s that could not be read, "
				     "such as '%.*s'", m->an->desc->name, m->key,
				     (int)strcspn(unread.buf, "\n"), unread.buf);
	strbuf_dispose(&unread);
	if (ret)
		return -1;
	fill_functions(e, &m->findings);
	map_severities(e, &m->findings);
	return 0;
}

int unit_content_ids(struct gate_engine *e, const git_oid *tree,
		     const struct strvec *paths, struct strbuf *out)
{
	git_tree *t = NULL;
	char hex[GIT_OID_HEXSZ + 1];

	if (git_tree_lookup(&t, e->repo->git, tree))
		return gate_git_error("cannot read a tree");
	for (size_t i = 0; i < paths->nr; i++) {
		git_tree_entry *te = NULL;

		if (git_tree_entry_bypath(&te, t, paths->v[i]))
			strbuf_addf(out, "%s -\n", paths->v[i]);
		else
			strbuf_addf(out, "%s %s\n", paths->v[i],
				    git_oid_tostr(hex, sizeof(hex), git_tree_entry_id(te)));
		git_tree_entry_free(te);
	}
	git_tree_free(t);
	git_error_clear();
	return 0;
}

/*
 * What keys a's result on unit at tree: the content of the files it read
 * when the backend knows them (so a rebased or amended series finds the
 * units whose inputs did not change), else the tree.
 */
static void unit_inputs(struct gate_engine *e, const struct unit_analyzer *a,
			const char *unit, const git_oid *tree, bool exact,
			struct strbuf *out)
{
	struct strvec paths = STRVEC_INIT;
	char hex[GIT_OID_HEXSZ + 1];

	strbuf_reset(out);
	strbuf_addstr(out, "content\n");
	if (e->backend->inputs &&
	    e->backend->inputs(e, a, unit, tree, exact, &paths, out) > 0 &&
	    !unit_content_ids(e, tree, &paths, out))
		goto out;
	strbuf_reset(out);
	strbuf_addf(out, "tree %s", git_oid_tostr(hex, sizeof(hex), tree));
out:
	gate_error_clear();
	strvec_dispose(&paths);
}

static void cache_key(struct gate_engine *e, const struct unit_analyzer *a,
		      const char *unit, const char *inputs, char *key)
{
	struct strbuf salt = STRBUF_INIT;

	/* Another toolchain may find other things. */
	if (e->o->ctr)
		strbuf_addf(&salt, "engine=%s image=%s\n", ctr_engine_name(e->o->ctr),
			    ctr_engine_image(e->o->ctr) ? ctr_engine_image(e->o->ctr) : "");
	if (e->backend->cache_salt)
		e->backend->cache_salt(e, a, &salt);
	gate_cache_key(key, a->desc->name, &a->command, &a->extra, unit, inputs, salt.buf);
	strbuf_dispose(&salt);
}

/* The entry by the unit's inputs, else by the tree (inputs unknown when stored). */
static int load_unit(struct gate_engine *e, const struct unit_analyzer *a,
		     const char *unit, const git_oid *tree, struct gate_cache_entry *ce)
{
	char key[GATE_CACHE_KEY_LEN + 1], hex[GIT_OID_HEXSZ + 1];
	struct strbuf in = STRBUF_INIT;
	int hit;

	unit_inputs(e, a, unit, tree, false, &in);
	cache_key(e, a, unit, in.buf, key);
	hit = gate_cache_load(e->cache_dir.buf, key, ce);
	if (!hit && str_starts_with(in.buf, "content")) {
		strbuf_reset(&in);
		strbuf_addf(&in, "tree %s", git_oid_tostr(hex, sizeof(hex), tree));
		cache_key(e, a, unit, in.buf, key);
		hit = gate_cache_load(e->cache_dir.buf, key, ce);
	}
	strbuf_dispose(&in);
	return hit;
}

int unit_from_cache(struct gate_engine *e, const struct unit_analyzer *a,
		    const struct strvec *units, const git_oid *tree)
{
	for (size_t k = 0; k < units->nr && !e->o->no_cache; k++) {
		struct gate_cache_entry ce;
		struct unit_memo *m;

		if (unit_memo_find(e, a, units->v[k], tree) ||
		    !load_unit(e, a, units->v[k], tree, &ce))
			continue;
		m = unit_memo_add(e, a, units->v[k], tree);
		if (!m) {
			gate_cache_entry_dispose(&ce);
			return gate_error("out of memory");
		}
		m->findings = ce.findings;
		m->status = ce.status;
		m->output = ce.output;
		m->cached = true;
	}
	return 0;
}

/*
 * Stores each new result by the tree, and by its inputs when the backend
 * knows those exactly: a tool that failed may have left the record of an
 * older build behind, so only a clean result is stored by content.
 */
static void to_cache(struct gate_engine *e, size_t from)
{
	char key[GATE_CACHE_KEY_LEN + 1], hex[GIT_OID_HEXSZ + 1];
	struct strbuf in = STRBUF_INIT;

	for (size_t i = from; i < e->nr_memo; i++) {
		struct unit_memo *m = &e->memo[i];

		if (m->cached || m->error)
			continue;
		strbuf_reset(&in);
		strbuf_addf(&in, "tree %s", git_oid_tostr(hex, sizeof(hex), &m->tree));
		cache_key(e, m->an, m->key, in.buf, key);
		gate_cache_store(e->cache_dir.buf, key, &m->findings, m->status, m->output);
		if (m->status)
			continue;
		unit_inputs(e, m->an, m->key, &m->tree, true, &in);
		if (!str_starts_with(in.buf, "content"))
			continue;
		cache_key(e, m->an, m->key, in.buf, key);
		gate_cache_store(e->cache_dir.buf, key, &m->findings, m->status, m->output);
	}
	strbuf_dispose(&in);
	gate_error_clear();
}

int unit_from_cache_all(struct gate_engine *e, const struct strvec *units,
			const git_oid *tree)
{
	for (size_t i = 0; i < e->nr_an; i++)
		if (unit_analyzer_on_units(&e->an[i]) &&
		    unit_from_cache(e, &e->an[i], units, tree))
			return -1;
	return 0;
}

int unit_build(struct gate_engine *e, const struct strvec *units,
	       const git_oid *tree)
{
	size_t mark;

	if (unit_from_cache_all(e, units, tree))
		return -1;
	/* A backend may build for several analyzers at once (kbuild: gcc + sparse). */
	mark = e->nr_memo;
	for (size_t i = 0; i < e->nr_an; i++)
		if (unit_analyzer_on_units(&e->an[i]) &&
		    e->backend->build(e, &e->an[i], units, tree))
			return -1;
	to_cache(e, mark);
	return 0;
}

/* The findings one analyzer has for units at tree, as a merged multiset. */
static int gather(struct gate_engine *e, const struct unit_analyzer *a,
		  const struct strvec *units, const git_oid *tree,
		  const struct gate_diff *renames, struct finding_list *out,
		  const struct unit_memo **failed)
{
	struct finding_list **lists = calloc(units->nr + 1, sizeof(*lists));
	size_t n = 0;
	int ret = 0;

	if (!lists)
		return gate_error("out of memory");
	for (size_t k = 0; k < units->nr && !ret; k++) {
		struct unit_memo *m = unit_memo_find(e, a, units->v[k], tree);

		if (!m)
			continue;
		if (m->error && !*failed)
			*failed = m;
		lists[n++] = &m->findings;
		ret = gate_findings_fingerprint(&m->findings, renames);
	}
	if (!ret)
		ret = gate_findings_merge_units(out, lists, n);
	free(lists);
	return ret;
}

static bool all_cached(struct gate_engine *e, const struct unit_analyzer *a,
		       const struct strvec *units, const git_oid *tree)
{
	for (size_t k = 0; k < units->nr; k++) {
		struct unit_memo *m = unit_memo_find(e, a, units->v[k], tree);

		if (m && !m->cached)
			return false;
	}
	return true;
}

static void add_output(json_t *check, struct gate_engine *e,
		       const struct unit_analyzer *a, const struct strvec *units,
		       const git_oid *tree)
{
	struct strbuf out = STRBUF_INIT, utf8 = STRBUF_INIT;
	double seconds = 0;

	for (size_t k = 0; k < units->nr; k++) {
		struct unit_memo *m = unit_memo_find(e, a, units->v[k], tree);

		if (!m)
			continue;
		seconds += m->seconds;
		if (m->output && *m->output && out.len < 16384)
			strbuf_addf(&out, "== %s\n%.8192s", units->v[k], m->output);
	}
	json_object_set_new(check, "duration_s", json_real(seconds));

	/* jansson drops a string that is not UTF-8, and the output with it. */
	if (out.len && !an_utf8_append(&utf8, out.buf, out.len))
		json_object_set_new(check, "output", json_string(utf8.buf));
	strbuf_dispose(&utf8);
	strbuf_dispose(&out);
}

static bool changed_by_commit(const struct gate_diff *diff, const char *file)
{
	for (size_t i = 0; file && i < diff->nr; i++)
		if ((diff->v[i].old_path && !strcmp(diff->v[i].old_path, file)) ||
		    (diff->v[i].new_path && !strcmp(diff->v[i].new_path, file)))
			return true;
	return false;
}

/* Findings before that the commit cannot have touched: in files it leaves alone. */
static size_t untouched_findings(const struct unit_memo *m, const struct gate_diff *diff)
{
	size_t n = 0;

	for (size_t i = 0; i < m->findings.nr; i++)
		n += m->findings.v[i].file && !changed_by_commit(diff, m->findings.v[i].file);
	return n;
}

/*
 * A checker (sparse, smatch) that says nothing about a unit after the
 * commit, where before it found things in files the commit leaves alone,
 * most likely had its output lost on the way (it prints nothing when all
 * is well): its result there is not to be trusted.
 */
static int silent_checker(struct gate_engine *e, const struct unit_analyzer *a,
			  const struct strvec *units, const git_oid *before,
			  const git_oid *after)
{
	if (!an_can(a->desc, AN_CAP_CHECKER))
		return 0;
	for (size_t k = 0; k < units->nr; k++) {
		struct unit_memo *b = unit_memo_find(e, a, units->v[k], before);
		struct unit_memo *m = unit_memo_find(e, a, units->v[k], after);
		size_t n;

		/* No output at all: the unit does not exist there, nothing ran. */
		if (!b || !m || b->error || m->error || m->findings.nr ||
		    !m->output || *m->output)
			continue;
		n = untouched_findings(b, &e->diff);
		if (n && unit_memo_lost(m, "%s printed nothing for %s, where before the commit "
					"it found %zu thing(s) in files the commit does not "
					"change: its output was most likely lost", a->desc->name,
					units->v[k], n))
			return -1;
	}
	return 0;
}

/* A unit that compiles neither before nor after the commit: nothing decides. */
static int broken_both(struct gate_engine *e, const struct unit_analyzer *a,
		       const struct strvec *units, const git_oid *before,
		       const git_oid *after, char **error)
{
	const struct unit_memo *first = NULL;
	size_t n = 0;

	for (size_t k = 0; an_can(a->desc, AN_CAP_COMPILER) && k < units->nr; k++) {
		const struct unit_memo *mb = unit_memo_find(e, a, units->v[k], before);
		const struct unit_memo *ma = unit_memo_find(e, a, units->v[k], after);

		if (!mb || !ma || mb->error || ma->error || !mb->status || !ma->status)
			continue;
		first = first ? first : ma;
		n++;
	}
	if (!first)
		return 0;
	for (size_t i = 0; i < first->findings.nr; i++) {
		const struct finding *f = &first->findings.v[i];

		if (f->severity != FINDING_ERROR)
			continue;
		if (asprintf(error, "%s does not compile before or after the commit%s: %s:%u: %s",
			     first->key, n > 1 ? " (nor do other units)" : "", f->file ? f->file : "",
			     f->line, f->message ? f->message : "") < 0)
			return gate_error("out of memory");
		return 0;
	}
	if (asprintf(error, "%s does not compile before or after the commit (exit %d)",
		     first->key, first->status) < 0)
		return gate_error("out of memory");
	return 0;
}

static json_t *check_for(struct gate_engine *e, const struct unit_analyzer *a,
			 const struct strvec *units, const git_oid *before,
			 const git_oid *after)
{
	struct finding_list b = FINDING_LIST_INIT, f = FINDING_LIST_INIT;
	struct gate_finding_delta d;
	const struct unit_memo *failed = NULL;
	json_t *check = gate_result_check_new(a->desc->name, "pass", NULL);
	char *why = NULL;

	gate_finding_delta_init(&d);
	if (!check || silent_checker(e, a, units, before, after) ||
	    gather(e, a, units, before, &e->diff, &b, &failed) ||
	    gather(e, a, units, after, NULL, &f, &failed) ||
	    gate_findings_delta(&d, &b, &f, &e->diff) ||
	    broken_both(e, a, units, before, after, &why) ||
	    (e->backend && e->backend->review &&
	     e->backend->review(e, a, units, before, after, &d, &why)) ||
	    (waivers_apply(e->waivers, &d.added), 0) ||
	    gate_result_check_set(check, &d.added, &d.fixed, d.preexisting, a->fail_on)) {
		json_decref(check);
		check = NULL;
	} else if (failed || why) {
		json_object_set_new(check, "status", json_string("error"));
		json_object_set_new(check, "reason", json_string(failed ? failed->error : why));
	}
	free(why);
	if (check) {
		add_output(check, e, a, units, after);
		json_object_set_new(check, "cached", json_boolean(
			all_cached(e, a, units, before) && all_cached(e, a, units, after)));
	}
	gate_finding_delta_dispose(&d);
	finding_list_dispose(&b);
	finding_list_dispose(&f);
	return check;
}

int unit_checks(struct gate_engine *e, json_t *commit, const struct strvec *units,
		const git_oid *before, const git_oid *after)
{
	json_t *checks = json_object_get(commit, "checks");

	for (size_t i = 0; i < e->nr_an; i++) {
		const struct unit_analyzer *a = &e->an[i];
		json_t *c;

		if (a->desc->kind == AN_KIND_PATCH)
			continue;
		if (a->skip_reason)
			c = gate_result_check_new(a->desc->name, "skipped", a->skip_reason);
		else
			c = check_for(e, a, units, before, after);
		if (!c)
			return -1;
		json_array_append_new(checks, c);
	}
	return 0;
}

int unit_checks_error(struct gate_engine *e, json_t *commit, const char *reason)
{
	json_t *checks = json_object_get(commit, "checks");

	for (size_t i = 0; i < e->nr_an; i++) {
		const struct unit_analyzer *a = &e->an[i];

		json_array_append_new(checks, gate_result_check_new(a->desc->name,
				      a->skip_reason ? "skipped" : "error",
				      a->skip_reason ? a->skip_reason : reason));
	}
	return 0;
}
