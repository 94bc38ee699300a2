/* shallow.c: the boundary of a shallow clone and what lies above it, so a
 * range can be walked there without reading a commit that is not. */
#include "shallow.h"
#include "error.h"
#include "repo.h"
#include "strbuf.h"

#include <stdlib.h>
#include <string.h>

int gate_oidset_add(struct gate_oidset *s, const git_oid *id)
{
	if (s->nr == s->alloc) {
		size_t n = s->alloc ? s->alloc * 2 : 64;
		git_oid *v = realloc(s->v, n * sizeof(*v));

		if (!v)
			return gate_error("out of memory");
		s->v = v;
		s->alloc = n;
	}
	git_oid_cpy(&s->v[s->nr++], id);
	return 0;
}

static int by_oid(const void *a, const void *b)
{
	return git_oid_cmp(a, b);
}

void gate_oidset_seal(struct gate_oidset *s)
{
	size_t n = 0;

	if (s->nr)
		qsort(s->v, s->nr, sizeof(*s->v), by_oid);
	for (size_t i = 0; i < s->nr; i++)
		if (!n || !git_oid_equal(&s->v[n - 1], &s->v[i]))
			git_oid_cpy(&s->v[n++], &s->v[i]);
	s->nr = n;
}

bool gate_oidset_has(const struct gate_oidset *s, const git_oid *id)
{
	return s->nr && bsearch(id, s->v, s->nr, sizeof(*s->v), by_oid);
}

void gate_oidset_intersect(struct gate_oidset *a, const struct gate_oidset *b)
{
	size_t n = 0;

	for (size_t i = 0; i < a->nr; i++)
		if (gate_oidset_has(b, &a->v[i]))
			git_oid_cpy(&a->v[n++], &a->v[i]);
	a->nr = n;
}

void gate_oidset_dispose(struct gate_oidset *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}

int gate_shallow_boundary(struct gate_oidset *out, git_repository *git)
{
	struct strbuf text = STRBUF_INIT, path = STRBUF_INIT;
	const char *line;
	int ret = 0;

	memset(out, 0, sizeof(*out));
	if (!git_repository_is_shallow(git))
		return 0;
	strbuf_addf(&path, "%s/shallow", git_repository_commondir(git));
	if (strbuf_read_file(&text, path.buf))
		ret = -1;
	for (line = text.buf; !ret && *line; ) {
		size_t len = strcspn(line, "\n");
		git_oid id;

		if (len == GIT_OID_HEXSZ && !git_oid_fromstrn(&id, line, len))
			ret = gate_oidset_add(out, &id);
		else if (len)
			ret = gate_error("'%s' is not a list of commits", path.buf);
		line += len + !!line[len];
	}
	gate_oidset_seal(out);
	strbuf_dispose(&text);
	strbuf_dispose(&path);
	return ret;
}

struct reach {
	const struct gate_oidset *boundary;
	struct gate_oidset *out;
	int error;
};

/* Hides a boundary commit (so its absent parents are never read) but keeps it. */
static int hide_boundary(const git_oid *id, void *payload)
{
	struct reach *r = payload;

	if (!gate_oidset_has(r->boundary, id))
		return 0;
	if (!r->error)
		r->error = gate_oidset_add(r->out, id);
	return 1;
}

int gate_shallow_reach(struct gate_oidset *out, git_repository *git,
		       const struct gate_oidset *boundary, const git_oid *tips,
		       size_t n)
{
	struct reach r = { boundary, out, 0 };
	git_revwalk *w = NULL;
	git_oid id;
	int err = 0;

	memset(out, 0, sizeof(*out));
	if (git_revwalk_new(&w, git) || git_revwalk_add_hide_cb(w, hide_boundary, &r))
		err = -1;
	/* A boundary tip is walked no further; pushed, libgit2 would read below it. */
	for (size_t i = 0; !err && i < n; i++)
		err = gate_oidset_has(boundary, &tips[i]) ? gate_oidset_add(out, &tips[i]) :
		      git_revwalk_push(w, &tips[i]);
	while (!err && !r.error && !(err = git_revwalk_next(&id, w)))
		r.error = gate_oidset_add(out, &id);
	git_revwalk_free(w);
	gate_oidset_seal(out);
	if (r.error)
		return -1;
	return err == GIT_ITEROVER ? 0 : gate_git_error("cannot walk the shallow history");
}
