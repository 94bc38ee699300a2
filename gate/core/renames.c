/* renames.c: learns the identifiers a commit renamed from its paired -/+
 * lines. Never reads files or git objects: the diff hands it the lines. */
#include "renames.h"
#include "strbuf.h"
#include "error.h"

#include <stdlib.h>
#include <string.h>

/* How far ahead in a hunk's added lines a removed line looks for its pair. */
#define PAIR_WINDOW 256

/* One C token: an identifier, a number, or a single other character. */
struct tok {
	const char *s;
	size_t len;
	bool name;
};

/* Sorted, for bsearch: words that are never a renamed identifier. */
static const char *const keywords[] = {
	"NULL", "_Bool", "auto", "bool", "break", "case", "char", "const",
	"continue", "default", "do", "double", "else", "enum", "extern",
	"false", "float", "for", "goto", "if", "inline", "int", "long",
	"register", "restrict", "return", "short", "signed", "sizeof",
	"static", "struct", "switch", "true", "typedef", "union", "unsigned",
	"void", "volatile", "while",
};

static bool ident_start(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool ident_char(int c)
{
	return ident_start(c) || (c >= '0' && c <= '9');
}

static int cmp_counted(const char *s, size_t len, const char *word)
{
	int c = strncmp(s, word, len);

	return c ? c : -(unsigned char)word[len];
}

static int keyword_cmp(const void *key, const void *elem)
{
	const struct tok *t = key;

	return cmp_counted(t->s, t->len, *(const char *const *)elem);
}

static bool next_tok(const char **p, struct tok *t)
{
	const char *s = *p;

	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' ||
	       *s == '\f' || *s == '\v')
		s++;
	if (!*s)
		return false;
	t->s = s;
	t->name = ident_start((unsigned char)*s);
	if (t->name || (*s >= '0' && *s <= '9')) {
		/* A number runs on through its suffix, exponent and point. */
		while (ident_char((unsigned char)*s) || (!t->name && *s == '.'))
			s++;
	} else {
		s++;
	}
	t->len = (size_t)(s - t->s);
	if (t->name)
		t->name = !bsearch(t, keywords, sizeof(keywords) / sizeof(*keywords),
				   sizeof(*keywords), keyword_cmp);
	*p = s;
	return true;
}

static bool tok_eq(const struct tok *x, const struct tok *y)
{
	return x->len == y->len && !memcmp(x->s, y->s, x->len);
}

enum likeness { DIFFERENT, NAMES_DIFFER, SAME_TOKENS };

static enum likeness compare_lines(const char *a, const char *b)
{
	enum likeness l = SAME_TOKENS;
	struct tok x, y;

	for (;;) {
		bool more_a = next_tok(&a, &x), more_b = next_tok(&b, &y);

		if (!more_a || !more_b)
			return more_a == more_b ? l : DIFFERENT;
		if (tok_eq(&x, &y))
			continue;
		if (!x.name || !y.name)
			return DIFFERENT;
		l = NAMES_DIFFER;
	}
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorts w and drops repeats, so a long commit's words stay few. */
static void words_compact(struct gate_words *w)
{
	size_t n = 0;

	if (w->nr)
		qsort(w->v, w->nr, sizeof(*w->v), cmp_str);
	for (size_t i = 0; i < w->nr; i++) {
		if (n && !strcmp(w->v[n - 1], w->v[i]))
			free(w->v[i]);
		else
			w->v[n++] = w->v[i];
	}
	w->nr = n;
}

/* Makes room for one more word: compacts when full, grows when that is not enough. */
static int words_room(struct gate_words *w)
{
	size_t n;
	char **v;

	if (w->nr < w->alloc)
		return 0;
	words_compact(w);
	if (w->alloc && w->nr * 2 <= w->alloc)
		return 0;
	n = w->alloc ? w->alloc * 2 : 64;
	v = realloc(w->v, n * sizeof(*v));
	if (!v)
		return gate_error("out of memory");
	w->v = v;
	w->alloc = n;
	return 0;
}

static int words_add(struct gate_words *w, const struct tok *t)
{
	if (words_room(w))
		return -1;
	w->v[w->nr] = strndup(t->s, t->len);
	if (!w->v[w->nr])
		return gate_error("out of memory");
	w->nr++;
	return 0;
}

static bool words_has(const struct gate_words *w, const char *s)
{
	return w->nr && bsearch(&s, w->v, w->nr, sizeof(*w->v), cmp_str);
}

/* Remembers every identifier of a removed or an added line. */
static int saw_line(struct gate_words *w, const char *line)
{
	struct tok t;

	while (next_tok(&line, &t))
		if (t.name && words_add(w, &t))
			return -1;
	return 0;
}

static int cmp_from(const void *a, const void *b)
{
	const struct gate_rename *x = a, *y = b;
	int c = strcmp(x->from, y->from);

	return c ? c : strcmp(x->to, y->to);
}

static int cmp_to(const void *a, const void *b)
{
	const struct gate_rename *x = a, *y = b;

	return strcmp(x->to, y->to);
}

/* Sorts the proposals by from and drops repeats. */
static void renames_dedupe(struct gate_renames *r)
{
	size_t n = 0;

	if (r->nr)
		qsort(r->v, r->nr, sizeof(*r->v), cmp_from);
	for (size_t i = 0; i < r->nr; i++) {
		if (n && !cmp_from(&r->v[n - 1], &r->v[i])) {
			free(r->v[i].from);
			free(r->v[i].to);
			continue;
		}
		r->v[n++] = r->v[i];
	}
	r->nr = n;
}

/* Makes room for one more proposal, as words_room() does for words. */
static int renames_room(struct gate_renames *r)
{
	struct gate_rename *v;
	size_t n;

	if (r->nr < r->alloc)
		return 0;
	renames_dedupe(r);
	if (r->alloc && r->nr * 2 <= r->alloc)
		return 0;
	n = r->alloc ? r->alloc * 2 : 16;
	v = realloc(r->v, n * sizeof(*v));
	if (!v)
		return gate_error("out of memory");
	r->v = v;
	r->alloc = n;
	return 0;
}

static int propose(struct gate_renames *r, const struct tok *from,
		   const struct tok *to)
{
	struct gate_rename *p;

	if (renames_room(r))
		return -1;
	p = &r->v[r->nr];
	p->from = strndup(from->s, from->len);
	p->to = strndup(to->s, to->len);
	if (!p->from || !p->to) {
		free(p->from);
		free(p->to);
		return gate_error("out of memory");
	}
	r->nr++;
	return 0;
}

/* Proposes a rename at each position where paired lines differ. */
static int learn_pair(struct gate_renames *r, const char *a, const char *b)
{
	struct tok x, y;

	while (next_tok(&a, &x) && next_tok(&b, &y))
		if (!tok_eq(&x, &y) && propose(r, &x, &y))
			return -1;
	return 0;
}

/*
 * The added line that removed line old pairs with, searching new[] from
 * first. An identical line wins over an edited one, but is looked for
 * past the first edited one only as far as slack, the added lines that
 * outnumber the removed ones left: a balanced hunk pairs line by line.
 */
static long find_pair(const char *old, const char *const *new, size_t first,
		      size_t n_new, size_t slack, bool *renamed)
{
	size_t end = n_new - first > PAIR_WINDOW ? first + PAIR_WINDOW : n_new;
	long edited = -1;

	for (size_t j = first; j < end; j++) {
		enum likeness l = compare_lines(old, new[j]);

		if (l == SAME_TOKENS) {
			*renamed = false;
			return (long)j;
		}
		if (l == NAMES_DIFFER && edited < 0) {
			edited = (long)j;
			if (end - j > slack + 1)
				end = j + slack + 1;
		}
	}
	*renamed = edited >= 0;
	return edited;
}

int gate_renames_hunk(struct gate_renames *r, const char *const *old, size_t n_old,
		      const char *const *new, size_t n_new, long *pair)
{
	size_t first = 0;

	for (size_t j = 0; j < n_new; j++)
		if (saw_line(&r->added, new[j]))
			return -1;
	for (size_t i = 0; i < n_old; i++) {
		size_t left = n_old - i, slack = n_new - first > left ? n_new - first - left : 0;
		bool renamed = false;

		if (saw_line(&r->removed, old[i]))
			return -1;
		pair[i] = find_pair(old[i], new, first, n_new, slack, &renamed);
		if (pair[i] < 0)
			continue;
		first = (size_t)pair[i] + 1;
		if (renamed && learn_pair(r, old[i], new[pair[i]]))
			return -1;
	}
	return 0;
}

/* A proposal is rejected by freeing its new name; drop_rejected() forgets it. */
static void reject(struct gate_rename *p)
{
	free(p->to);
	p->to = NULL;
}

static void drop_rejected(struct gate_renames *r)
{
	size_t n = 0;

	for (size_t i = 0; i < r->nr; i++) {
		if (r->v[i].to)
			r->v[n++] = r->v[i];
		else
			free(r->v[i].from);
	}
	r->nr = n;
}

/* Rejects every proposal whose old (or new) name another proposal shares. */
static void reject_shared(struct gate_renames *r, bool by_to)
{
	struct gate_rename *v = r->v;
	size_t n = r->nr;

	if (n)
		qsort(v, n, sizeof(*v), by_to ? cmp_to : cmp_from);
	for (size_t i = 0, j; i < n; i = j) {
		const char *key = by_to ? v[i].to : v[i].from;

		for (j = i + 1; j < n && !strcmp(key, by_to ? v[j].to : v[j].from); j++)
			;
		for (size_t k = i; j - i > 1 && k < j; k++)
			reject(&v[k]);
	}
	drop_rejected(r);
}

void gate_renames_settle(struct gate_renames *r)
{
	words_compact(&r->removed);
	words_compact(&r->added);
	renames_dedupe(r);
	for (size_t i = 0; i < r->nr; i++)
		if (words_has(&r->added, r->v[i].from) ||
		    words_has(&r->removed, r->v[i].to))
			reject(&r->v[i]);
	drop_rejected(r);
	reject_shared(r, false);
	reject_shared(r, true);
	if (r->nr)
		qsort(r->v, r->nr, sizeof(*r->v), cmp_from);
	r->settled = true;
}

static int lookup_cmp(const void *key, const void *elem)
{
	const struct tok *t = key;

	return cmp_counted(t->s, t->len, ((const struct gate_rename *)elem)->from);
}

const char *gate_renames_lookup(const struct gate_renames *r, const char *name,
				size_t len)
{
	struct tok t = { name, len, true };
	const struct gate_rename *p;

	if (!r->settled || !r->nr)
		return NULL;
	p = bsearch(&t, r->v, r->nr, sizeof(*r->v), lookup_cmp);
	return p ? p->to : NULL;
}

int gate_renames_apply(const struct gate_renames *r, struct strbuf *out,
		       const char *text)
{
	const char *p = text;

	while (*p) {
		const char *s = p, *to;

		if (!ident_start((unsigned char)*p) ||
		    (p > text && ident_char((unsigned char)p[-1]))) {
			if (strbuf_addch(out, *p++))
				return -1;
			continue;
		}
		while (ident_char((unsigned char)*p))
			p++;
		to = gate_renames_lookup(r, s, (size_t)(p - s));
		if (to ? strbuf_addstr(out, to) : strbuf_add(out, s, (size_t)(p - s)))
			return -1;
	}
	return 0;
}

static void words_dispose(struct gate_words *w)
{
	for (size_t i = 0; i < w->nr; i++)
		free(w->v[i]);
	free(w->v);
	memset(w, 0, sizeof(*w));
}

void gate_renames_dispose(struct gate_renames *r)
{
	for (size_t i = 0; i < r->nr; i++) {
		free(r->v[i].from);
		free(r->v[i].to);
	}
	free(r->v);
	words_dispose(&r->removed);
	words_dispose(&r->added);
	memset(r, 0, sizeof(*r));
}
