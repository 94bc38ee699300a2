/* delta.c: multiset comparison of fingerprinted findings, and the merge of
 * findings seen through several build units. Never looks at line numbers alone. */
#include "delta.h"
#include "error.h"
#include "strbuf.h"

#include <stdlib.h>
#include <string.h>

void gate_finding_delta_init(struct gate_finding_delta *d)
{
	memset(d, 0, sizeof(*d));
}

void gate_finding_delta_dispose(struct gate_finding_delta *d)
{
	finding_list_dispose(&d->added);
	finding_list_dispose(&d->fixed);
	d->preexisting = 0;
}

int gate_findings_fingerprint(struct finding_list *list,
			      const struct gate_diff *renames)
{
	for (size_t i = 0; i < list->nr; i++) {
		struct finding *f = &list->v[i];
		const struct gate_change *d = NULL;

		if (renames && f->file)
			d = gate_diff_find_old(renames, f->file);
		if (finding_fingerprint(f, d && d->new_path ? d->new_path : NULL))
			return -1;
	}
	return 0;
}

/* Sorts pointers to findings by fingerprint, then by unit, then by line. */
struct ref {
	const struct finding *f;
	size_t unit;
	unsigned int mapped;
	int used;
};

static int ref_cmp(const void *a, const void *b)
{
	const struct ref *x = a, *y = b;
	int c = strcmp(x->f->fingerprint, y->f->fingerprint);

	if (c)
		return c;
	if (x->unit != y->unit)
		return x->unit < y->unit ? -1 : 1;
	return (int)x->f->line - (int)y->f->line;
}

static struct ref *refs_of(const struct finding_list *l, size_t unit,
			   struct ref *r)
{
	for (size_t i = 0; i < l->nr; i++)
		r[i] = (struct ref){ &l->v[i], unit, l->v[i].line, 0 };
	return r + l->nr;
}

/* The end of the run of refs sharing r[i]'s fingerprint. */
static size_t run_end(const struct ref *r, size_t i, size_t n)
{
	size_t j = i + 1;

	while (j < n && !strcmp(r[j].f->fingerprint, r[i].f->fingerprint))
		j++;
	return j;
}

/* Within one fingerprint's run: the unit with the most instances. */
static void best_unit(const struct ref *r, size_t i, size_t end,
		      size_t *start, size_t *count)
{
	*count = 0;
	for (size_t k = i; k < end;) {
		size_t u = k;

		while (u < end && r[u].unit == r[k].unit)
			u++;
		if (u - k > *count) {
			*start = k;
			*count = u - k;
		}
		k = u;
	}
}

int gate_findings_merge_units(struct finding_list *out,
			      struct finding_list *const *units, size_t n)
{
	size_t total = 0, i, start = 0, count;
	struct ref *r, *end;
	int ret = 0;

	for (i = 0; i < n; i++)
		total += units[i]->nr;
	r = calloc(total + 1, sizeof(*r));
	if (!r)
		return gate_error("out of memory");
	end = r;
	for (i = 0; i < n; i++)
		end = refs_of(units[i], i, end);
	qsort(r, total, sizeof(*r), ref_cmp);
	for (i = 0; i < total && !ret; i = run_end(r, i, total)) {
		best_unit(r, i, run_end(r, i, total), &start, &count);
		for (size_t k = start; k < start + count && !ret; k++)
			ret = finding_list_append_copy(out, r[k].f);
	}
	free(r);
	return ret;
}

static unsigned int mapped_line(const struct finding *f,
				const struct gate_diff *diff)
{
	const struct gate_change *d;

	if (!diff || !f->file || !f->line)
		return f->line;
	d = gate_diff_find_old(diff, f->file);
	return d ? gate_change_map_line(d, f->line) : f->line;
}

/* Pairs before-refs b[] with after-refs a[] of one fingerprint. */
static void pair_run(struct ref *b, size_t nb, struct ref *a, size_t na)
{
	for (int exact = 1; exact >= 0; exact--) {
		for (size_t i = 0; i < nb; i++) {
			for (size_t j = 0; j < na && !b[i].used; j++) {
				if (a[j].used || (exact && a[j].f->line != b[i].mapped))
					continue;
				a[j].used = b[i].used = 1;
			}
		}
	}
}

static int collect(struct finding_list *out, const struct ref *r, size_t n,
		   size_t *matched)
{
	for (size_t i = 0; i < n; i++) {
		if (r[i].used)
			(*matched)++;
		else if (finding_list_append_copy(out, r[i].f))
			return -1;
	}
	return 0;
}

/*
 * A finding that the fingerprints left unpaired, as the rename pass sees
 * it: its identity in the names the code has after the commit, and where
 * it is after the commit.
 */
struct side {
	struct ref *ref;
	char *key;		/* analyzer, rule, function and message */
	const char *file;	/* the path after the commit, NULL if deleted */
	unsigned int line;	/* the line after the commit, 0 if rewritten */
	bool changed;		/* on a line the commit removed, or added */
};

static int add_renamed(struct strbuf *sb, const char *text,
		       const struct gate_renames *r)
{
	if (!text)
		return 0;
	return r ? gate_renames_apply(r, sb, text) : strbuf_addstr(sb, text);
}

/* The identity of f without its file, with r's renames applied when given. */
static char *key_of(const struct finding *f, const struct gate_renames *r)
{
	struct strbuf sb = STRBUF_INIT, msg = STRBUF_INIT;
	char *key = NULL;

	if (!finding_normalize_message(&msg, f->message ? f->message : "") &&
	    !strbuf_addf(&sb, "%s\x1f%s\x1f", f->analyzer ? f->analyzer : "",
			 f->rule ? f->rule : "") &&
	    !add_renamed(&sb, f->function, r) && !strbuf_addch(&sb, 0x1f) &&
	    !add_renamed(&sb, msg.buf, r))
		key = strbuf_detach(&sb, NULL);
	strbuf_dispose(&sb);
	strbuf_dispose(&msg);
	return key;
}

/* Fills s for an unpaired before-finding (before) or after-finding. */
static int side_init(struct side *s, struct ref *r, const struct gate_diff *diff,
		     bool before)
{
	const struct finding *f = r->f;
	const struct gate_change *d = before ? gate_diff_find_old(diff, f->file) :
					      gate_diff_find_new(diff, f->file);

	s->ref = r;
	s->key = key_of(f, before ? &diff->renames : NULL);
	if (!s->key)
		return gate_error("out of memory");
	s->file = before && d ? d->new_path : f->file;
	s->line = before && d ? gate_change_map_line(d, f->line) : f->line;
	s->changed = d && f->line && (before ? gate_change_removed(d, f->line) :
					       gate_change_added(d, f->line));
	return 0;
}

/* The unpaired findings among r[0..n) that name a file, into *out. */
static int sides_of(struct side **out, size_t *nr, struct ref *r, size_t n,
		    const struct gate_diff *diff, bool before)
{
	struct side *s = calloc(n + 1, sizeof(*s));

	*out = s;
	*nr = 0;
	if (!s)
		return gate_error("out of memory");
	for (size_t i = 0; i < n; i++) {
		if (r[i].used || !r[i].f->file)
			continue;
		if (side_init(&s[*nr], &r[i], diff, before))
			return -1;
		(*nr)++;
	}
	return 0;
}

static int side_cmp(const void *a, const void *b)
{
	return strcmp(((const struct side *)a)->key, ((const struct side *)b)->key);
}

/* Whether after-finding a is where before-finding b went. */
static bool same_place(const struct side *b, const struct side *a)
{
	if (!b->file || strcmp(b->file, a->file))
		return false;
	if (!b->ref->f->line)
		return !a->ref->f->line;
	return b->line && b->line == a->line;
}

/*
 * Whether before-finding b moved with its function to a: the commit
 * removed b's line and added a's, in a function of the same name.
 */
static bool moved_with_function(const struct side *b, const struct side *a)
{
	return b->changed && a->changed && b->ref->f->function;
}

/* Pairs, within one key, before-findings b[] with after-findings a[]. */
static void pair_renamed(struct side *b, size_t nb, struct side *a, size_t na)
{
	for (int moved = 0; moved <= 1; moved++) {
		for (size_t i = 0; i < nb; i++) {
			for (size_t j = 0; j < na && !b[i].ref->used; j++) {
				if (a[j].ref->used ||
				    !(moved ? moved_with_function(&b[i], &a[j]) :
					      same_place(&b[i], &a[j])))
					continue;
				a[j].ref->used = b[i].ref->used = 1;
			}
		}
	}
}

static size_t side_run_end(const struct side *s, size_t i, size_t n)
{
	size_t j = i + 1;

	while (j < n && !strcmp(s[j].key, s[i].key))
		j++;
	return j;
}

static void sides_free(struct side *s, size_t n)
{
	for (size_t i = 0; s && i < n; i++)
		free(s[i].key);
	free(s);
}

/*
 * The rename pass: what the fingerprints left unpaired is paired when it
 * has the same identity once the commit's renames are applied to the
 * before side, and its line either maps onto the after line through the
 * hunk map or moved with its function (see moved_with_function()).
 */
static int pair_renames(struct ref *b, size_t nb, struct ref *a, size_t na,
			const struct gate_diff *diff)
{
	struct side *sb = NULL, *sa = NULL;
	size_t nsb = 0, nsa = 0, i = 0, j = 0;
	int ret = -1;

	if (sides_of(&sb, &nsb, b, nb, diff, true) ||
	    sides_of(&sa, &nsa, a, na, diff, false))
		goto out;
	qsort(sb, nsb, sizeof(*sb), side_cmp);
	qsort(sa, nsa, sizeof(*sa), side_cmp);
	while (i < nsb && j < nsa) {
		int c = strcmp(sb[i].key, sa[j].key);
		size_t ie = c <= 0 ? side_run_end(sb, i, nsb) : i;
		size_t je = c >= 0 ? side_run_end(sa, j, nsa) : j;

		if (!c)
			pair_renamed(sb + i, ie - i, sa + j, je - j);
		i = ie;
		j = je;
	}
	ret = 0;
out:
	sides_free(sb, nsb);
	sides_free(sa, nsa);
	return ret;
}

int gate_findings_delta(struct gate_finding_delta *out,
			const struct finding_list *before,
			const struct finding_list *after,
			const struct gate_diff *diff)
{
	struct ref *b = calloc(before->nr + 1, sizeof(*b));
	struct ref *a = calloc(after->nr + 1, sizeof(*a));
	size_t i = 0, j = 0, unused = 0;
	int ret = -1;

	if (!a || !b) {
		gate_error("out of memory");
		goto out;
	}
	refs_of(before, 0, b);
	refs_of(after, 0, a);
	for (size_t k = 0; k < before->nr; k++)
		b[k].mapped = mapped_line(b[k].f, diff);
	qsort(b, before->nr, sizeof(*b), ref_cmp);
	qsort(a, after->nr, sizeof(*a), ref_cmp);
	while (i < before->nr && j < after->nr) {
		int c = strcmp(b[i].f->fingerprint, a[j].f->fingerprint);
		size_t ie = c <= 0 ? run_end(b, i, before->nr) : i;
		size_t je = c >= 0 ? run_end(a, j, after->nr) : j;

		if (!c)
			pair_run(b + i, ie - i, a + j, je - j);
		i = ie;
		j = je;
	}
	if (diff && pair_renames(b, before->nr, a, after->nr, diff))
		goto out;
	if (!collect(&out->added, a, after->nr, &out->preexisting) &&
	    !collect(&out->fixed, b, before->nr, &unused))
		ret = 0;
out:
	free(a);
	free(b);
	return ret;
}
