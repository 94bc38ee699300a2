/* range_boot.c: `range --boot`: boots each commit's kernel (its after-state,
 * with the target's boot fragments) and reports what the boot newly shows. */
#include "range_boot.h"
#include "config.h"
#include "delta.h"
#include "error.h"
#include "interrupt.h"
#include "result.h"
#include "unit.h"
#include "boot.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define BOOT_FRAGMENT "configs/kernel/qemu-boot.config"
#define BZIMAGE "arch/x86/boot/bzImage"

/* One boot of one tree: how far it got, and the boot itself. */
struct boot_outcome {
	bool built;		/* make bzImage succeeded */
	bool ran;		/* QEMU ran and the console was judged */
	bool reused;		/* the same image as the last boot: not booted */
	char *why;		/* what stopped it, in words; NULL when it ran */
	struct ctr_boot_result res;
	json_t *entry;		/* the report's `boot` entry, when it ran */
	struct stat image;	/* the bzImage booted, to spot an unchanged one */
};

struct gate_boot {
	const char *target;
	const char *skip;	/* why this project cannot be booted */
	struct strvec fragments;
	bool have_prev;
	git_oid prev_tree;	/* the tree prev was built from */
	struct boot_outcome prev;
};

static void outcome_init(struct boot_outcome *o)
{
	memset(o, 0, sizeof(*o));
	ctr_boot_result_init(&o->res);
}

static void outcome_dispose(struct boot_outcome *o)
{
	free(o->why);
	ctr_boot_result_dispose(&o->res);
	json_decref(o->entry);
	outcome_init(o);
}

/* The target's `fragment` key, else the QEMU boot fragment mkt-gate ships. */
static int boot_fragments(const struct gate_engine *e, const char *target,
			  struct strvec *out)
{
	struct strbuf path = STRBUF_INIT;
	int ret = config_get_path_list(e->o->cfg, target, "fragment", out);

	if (ret < 0)
		return -1;
	if (!out->nr) {
		ret = config_data_path(NULL, BOOT_FRAGMENT, &path) ||
		      strvec_push(out, path.buf);
		strbuf_dispose(&path);
	}
	return ret ? -1 : 0;
}

int gate_boot_open(struct gate_engine *e)
{
	struct gate_boot *b;

	if (!e->o->boot_target)
		return 0;
	b = calloc(1, sizeof(*b));
	if (!b)
		return gate_error("out of memory");
	e->boot = b;
	b->target = e->o->boot_target;
	strvec_init(&b->fragments);
	outcome_init(&b->prev);
	if (!e->backend->boot_image) {
		b->skip = "booting needs a kernel (kbuild) tree";
		return 0;
	}
	return boot_fragments(e, b->target, &b->fragments);
}

void gate_boot_close(struct gate_engine *e)
{
	struct gate_boot *b = e->boot;

	if (!b)
		return;
	strvec_dispose(&b->fragments);
	outcome_dispose(&b->prev);
	free(b);
	e->boot = NULL;
}

/* The last line of make's output that says something, for the reason. */
static const char *last_line(struct strbuf *log)
{
	char *nl;

	strbuf_trim_trailing(log);
	nl = strrchr(log->buf, '\n');
	return nl ? nl + 1 : log->buf;
}

static bool same_image(const struct stat *a, const struct stat *b)
{
	return a->st_ino == b->st_ino && a->st_size == b->st_size &&
	       a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
	       a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

/*
 * Builds the scratch tree's kernel and boots it, unless it is the very
 * image last booted (last may be NULL). Whatever stops the boot goes into
 * out->why; -1 only when interrupted.
 */
static int boot_tree(struct gate_engine *e, const char *sha,
		     const struct boot_outcome *last, struct boot_outcome *out)
{
	struct gate_boot *b = e->boot;
	struct ctr_boot_opts opts = { .commit = sha };
	struct strbuf log = STRBUF_INIT, image = STRBUF_INIT;
	const char *dir = NULL;
	int status = 0, ret = 0;

	if (e->backend->boot_image(e, &b->fragments, &dir, &status, &log)) {
		ret = asprintf(&out->why, "the boot kernel could not be built: %s",
			       gate_error_last());
	} else if (status) {
		ret = asprintf(&out->why, "the kernel does not build: make bzImage exit %d: %s",
			       status, last_line(&log));
	} else {
		out->built = true;
		strbuf_addf(&image, "%s/" BZIMAGE, dir);
		stat(image.buf, &out->image);
		out->reused = last && last->ran && same_image(&out->image, &last->image);
		if (out->reused)
			;	/* nothing the kernel is built from changed */
		else if (ctr_boot_run(&out->entry, &out->res, e->o->cfg, b->target, dir, NULL,
				 &opts))
			ret = asprintf(&out->why, "%s", gate_error_last());
		else
			out->ran = true;
	}
	strbuf_dispose(&log);
	strbuf_dispose(&image);
	if (ret < 0)
		return gate_error("out of memory");
	return gate_interrupted() ? gate_error("interrupted") : 0;
}

/* Appends the boot to the report's `boot` list, as commit. */
static void report_boot(struct gate_engine *e, const json_t *entry, const char *sha)
{
	json_t *list = json_object_get(e->report, "boot");
	json_t *copy = json_deep_copy(entry);

	if (!list) {
		list = json_array();
		json_object_set_new(e->report, "boot", list);
	}
	json_object_set_new(copy, "commit", json_string(sha));
	json_array_append_new(list, copy);
}

int gate_boot_before(struct gate_engine *e, const git_oid *before, const char *sha)
{
	struct gate_boot *b = e->boot;

	if (!b || b->skip || (b->have_prev && git_oid_equal(&b->prev_tree, before)))
		return 0;
	outcome_dispose(&b->prev);
	b->have_prev = false;
	if (boot_tree(e, sha, NULL, &b->prev))
		return -1;
	if (b->prev.entry)
		report_boot(e, b->prev.entry, sha);
	git_oid_cpy(&b->prev_tree, before);
	b->have_prev = true;
	return 0;
}

/* The status a boot that ended badly gives, and why. */
static void judge_end(json_t *check, const struct boot_outcome *before,
		      const struct boot_outcome *after)
{
	char *now = ctr_boot_bad_end(&after->res);
	char *then = before->ran ? ctr_boot_bad_end(&before->res) : NULL;
	struct strbuf why = STRBUF_INIT;

	if (!now)
		goto out;
	if (then) {
		strbuf_addf(&why, "cannot judge the boot: %s, and before this commit %s",
			    now, then);
		json_object_set_new(check, "status", json_string("error"));
	} else {
		strbuf_addstr(&why, now);
		json_object_set_new(check, "status", json_string("fail"));
	}
	json_object_set_new(check, "reason", json_string(why.buf));
out:
	free(now);
	free(then);
	strbuf_dispose(&why);
}

/* A commit's boot check: new console findings, and how the boot ended. */
static json_t *boot_check(struct gate_engine *e, const struct boot_outcome *before,
			  const struct boot_outcome *after)
{
	static const struct finding_list none = FINDING_LIST_INIT;
	json_t *check = gate_result_check_new("boot", "pass", NULL);
	struct gate_finding_delta d;

	if (!after->ran) {
		bool worse = !after->built && before->built;

		json_object_set_new(check, "status", json_string(worse ? "fail" : "error"));
		json_object_set_new(check, "reason", json_string(after->why));
		return check;
	}
	gate_finding_delta_init(&d);
	if (gate_findings_delta(&d, before->ran ? &before->res.findings : &none,
				&after->res.findings, NULL) ||
	    (waivers_apply(e->waivers, &d.added), 0) ||
	    gate_result_check_set(check, &d.added, &d.fixed, d.preexisting, e->o->fail_on)) {
		json_decref(check);
		check = NULL;
	} else {
		judge_end(check, before, after);
		json_object_set_new(check, "duration_s", json_real(after->res.boot_s > 0 ?
								   after->res.boot_s : 0));
	}
	gate_finding_delta_dispose(&d);
	return check;
}

int gate_boot_after(struct gate_engine *e, json_t *cj, const git_oid *after,
		    const char *sha)
{
	struct gate_boot *b = e->boot;
	struct boot_outcome cur;
	json_t *check;
	int ret = -1;

	if (!b)
		return 0;
	if (b->skip)
		return json_array_append_new(json_object_get(cj, "checks"),
					     gate_result_check_new("boot", "skipped", b->skip));
	outcome_init(&cur);
	if (boot_tree(e, sha, &b->prev, &cur))
		goto out;
	if (cur.reused) {
		check = gate_result_check_new("boot", "pass",
					      "the kernel image did not change: not booted again");
		report_boot(e, b->prev.entry, sha);
		goto done;
	}
	check = boot_check(e, &b->prev, &cur);
	if (cur.entry)
		report_boot(e, cur.entry, sha);
	outcome_dispose(&b->prev);
	b->prev = cur;
	outcome_init(&cur);
done:
	if (!check)
		goto out;
	json_array_append_new(json_object_get(cj, "checks"), check);
	git_oid_cpy(&b->prev_tree, after);
	b->have_prev = true;
	ret = 0;
out:
	outcome_dispose(&cur);
	return ret;
}
