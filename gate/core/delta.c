/* delta.c: multiset comparison of fingerprinted findings, and the merge of
 * findings seen through several build units. Never looks at line numbers alone. */
#include "delta.h"
#include "error.h"

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
		const struct gate_delta *d = NULL;

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
	const struct gate_delta *d;

	if (!diff || !f->file || !f->line)
		return f->line;
	d = gate_diff_find_old(diff, f->file);
	return d ? gate_delta_map_line(d, f->line) : f->line;
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
	if (!collect(&out->added, a, after->nr, &out->preexisting) &&
	    !collect(&out->fixed, b, before->nr, &unused))
		ret = 0;
out:
	free(a);
	free(b);
	return ret;
}
