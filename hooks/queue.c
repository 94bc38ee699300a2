/* queue.c: requests for background checks, one file per worktree, moved queue/ -> running/ -> state/.
 * Every step is a rename, so a request made while a check runs is never lost, only coalesced. */
#include "hook.h"
#include "error.h"
#include "hash.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define KEY_LEN 16

void hook_job_init(struct hook_job *j)
{
	memset(j, 0, sizeof(*j));
	strbuf_init(&j->gitdir, 0);
	strbuf_init(&j->top, 0);
	strbuf_init(&j->range, 0);
}

void hook_job_dispose(struct hook_job *j)
{
	strbuf_dispose(&j->gitdir);
	strbuf_dispose(&j->top);
	strbuf_dispose(&j->range);
}

/* A worktree's key: FNV-1a of its git dir, so each worktree has one slot. */
static void job_key(char *key, const char *gitdir)
{
	uint64_t h = gate_fnv1a(GATE_FNV1A_INIT, gitdir);

	snprintf(key, KEY_LEN + 1, "%016llx", (unsigned long long)h);
}

static bool is_key(const char *name)
{
	return strlen(name) == KEY_LEN && strspn(name, "0123456789abcdef") == KEY_LEN;
}

static int set_field(struct hook_job *j, const char *k, const char *v)
{
	if (!strcmp(k, "head") && hook_is_oid(v, strlen(v)))
		memcpy(j->head, v, strlen(v) + 1);
	else if (!strcmp(k, "gitdir"))
		return strbuf_addstr(&j->gitdir, v);
	else if (!strcmp(k, "top"))
		return strbuf_addstr(&j->top, v);
	else if (!strcmp(k, "range"))
		return strbuf_addstr(&j->range, v);
	else if (!strcmp(k, "verdict"))
		j->verdict = hook_verdict_parse(v);
	else if (!strcmp(k, "started"))
		j->started = strtol(v, NULL, 10);
	else if (!strcmp(k, "finished"))
		j->finished = strtol(v, NULL, 10);
	else if (!strcmp(k, "pid"))
		j->pid = (pid_t)strtol(v, NULL, 10);
	return 0;
}

int hook_job_read(struct hook_job *j, const char *path)
{
	struct strbuf sb = STRBUF_INIT;
	const char *base = strrchr(path, '/');
	char *line, *save = NULL;
	int ret = -1;

	base = base ? base + 1 : path;
	if (is_key(base))
		memcpy(j->key, base, KEY_LEN + 1);
	if (strbuf_read_file(&sb, path))
		goto out;
	for (line = strtok_r(sb.buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *sp = strchr(line, ' ');

		if (!sp)
			continue;
		*sp = '\0';
		if (set_field(j, line, sp + 1))
			goto out;
	}
	ret = j->head[0] ? 0 : gate_error("no head in '%s'", path);
out:
	strbuf_dispose(&sb);
	return ret;
}

int hook_job_write(const struct hook_job *j, const char *path)
{
	struct strbuf sb = STRBUF_INIT;
	int ret = -1;

	if (strbuf_addf(&sb, "head %s\ngitdir %s\ntop %s\n", j->head,
			j->gitdir.buf, j->top.buf))
		goto out;
	if (j->range.len && strbuf_addf(&sb, "range %s\n", j->range.buf))
		goto out;
	if (j->verdict && strbuf_addf(&sb, "verdict %s\n",
				      hook_verdict_name(j->verdict)))
		goto out;
	if (strbuf_addf(&sb, "started %ld\nfinished %ld\npid %ld\n", j->started,
			j->finished, (long)j->pid))
		goto out;
	ret = strbuf_write_file(&sb, path);
out:
	strbuf_dispose(&sb);
	return ret;
}

static int slot(struct strbuf *out, const struct hook_repo *r,
		const char *sub, const char *key)
{
	struct strbuf rel = STRBUF_INIT;
	int ret = strbuf_addf(&rel, "%s/%s", sub, key);

	if (!ret)
		ret = hook_repo_state_path(out, r, rel.buf);
	strbuf_dispose(&rel);
	return ret;
}

int hook_queue_push(const struct hook_repo *r, const char *head)
{
	struct strbuf path = STRBUF_INIT;
	struct hook_job j;
	int ret = -1;

	hook_job_init(&j);
	job_key(j.key, r->gitdir.buf);
	if (strlen(head) > HOOK_OID_MAX) {
		gate_error("not an object id: '%s'", head);
		goto out;
	}
	memcpy(j.head, head, strlen(head) + 1);
	j.started = (long)time(NULL);
	if (strbuf_addstr(&j.gitdir, r->gitdir.buf) ||
	    strbuf_addstr(&j.top, r->top.buf) ||
	    slot(&path, r, "queue", j.key))
		goto out;
	ret = hook_job_write(&j, path.buf);
out:
	strbuf_dispose(&path);
	hook_job_dispose(&j);
	return ret;
}

/* A rebase or cherry-pick commits in bursts: wait until it is over. */
static bool busy_replaying(const struct hook_job *j)
{
	static const char *const dirs[] = {
		"rebase-merge", "rebase-apply", "sequencer", NULL,
	};
	struct strbuf sb = STRBUF_INIT;
	struct stat st;
	bool busy = false;

	for (int i = 0; dirs[i] && !busy; i++) {
		strbuf_reset(&sb);
		if (!strbuf_addf(&sb, "%s/%s", j->gitdir.buf, dirs[i]))
			busy = !stat(sb.buf, &st);
	}
	strbuf_dispose(&sb);
	return busy;
}

int hook_queue_each(const struct hook_repo *r, const char *sub,
		    int (*fn)(struct hook_job *j, void *data), void *data)
{
	struct strbuf path = STRBUF_INIT;
	struct dirent *de;
	struct hook_job j;
	DIR *d;
	int ret = 0;

	if (strbuf_addf(&path, "%s/%s", r->statedir.buf, sub))
		return -1;
	d = opendir(path.buf);
	while (d && !ret && (de = readdir(d))) {
		if (!is_key(de->d_name))
			continue;
		hook_job_init(&j);
		strbuf_setlen(&path, r->statedir.len + 1 + strlen(sub));
		if (!strbuf_addf(&path, "/%s", de->d_name) &&
		    !hook_job_read(&j, path.buf))
			ret = fn(&j, data);
		hook_job_dispose(&j);
	}
	if (d)
		closedir(d);
	strbuf_dispose(&path);
	return ret < 0 ? -1 : ret;
}

struct claim {
	const struct hook_repo *r;
	struct hook_job *out;
	bool waiting;
};

/* Moves queue/<key> to running/<key>; 1 stops the walk with a job. */
static int claim_one(struct hook_job *j, void *data)
{
	struct claim *c = data;
	struct strbuf from = STRBUF_INIT, to = STRBUF_INIT;
	int ret = 0;

	if (busy_replaying(j)) {
		c->waiting = true;
		return 0;
	}
	if (slot(&from, c->r, "queue", j->key) ||
	    slot(&to, c->r, "running", j->key))
		ret = -1;
	else if (!rename(from.buf, to.buf) && !hook_job_read(c->out, to.buf))
		ret = 1;
	strbuf_dispose(&from);
	strbuf_dispose(&to);
	return ret;
}

int hook_queue_claim(struct hook_job *j, const struct hook_repo *r)
{
	struct claim c = { r, j, false };
	int ret = hook_queue_each(r, "queue", claim_one, &c);

	if (ret)
		return ret;
	return c.waiting ? 2 : 0;
}

int hook_queue_finish(struct hook_job *j, const struct hook_repo *r)
{
	struct strbuf path = STRBUF_INIT;
	int ret = -1;

	j->finished = (long)time(NULL);
	if (slot(&path, r, "state", j->key) || hook_job_write(j, path.buf))
		goto out;
	strbuf_reset(&path);
	if (slot(&path, r, "running", j->key))
		goto out;
	unlink(path.buf);
	ret = 0;
out:
	strbuf_dispose(&path);
	return ret;
}

/* A claimed job with a newer request behind it is dropped, else put back. */
static int recover_one(struct hook_job *j, void *data)
{
	const struct hook_repo *r = data;
	struct strbuf from = STRBUF_INIT, to = STRBUF_INIT;
	int ret = -1;

	if (slot(&from, r, "running", j->key) || slot(&to, r, "queue", j->key))
		goto out;
	if (!access(to.buf, F_OK))
		unlink(from.buf);
	else
		rename(from.buf, to.buf);
	ret = 0;
out:
	strbuf_dispose(&from);
	strbuf_dispose(&to);
	return ret;
}

int hook_queue_recover(const struct hook_repo *r)
{
	return hook_queue_each(r, "running", recover_one, (void *)r);
}

static int found_one(struct hook_job *j, void *data)
{
	return 1;
}

bool hook_queue_empty(const struct hook_repo *r)
{
	return hook_queue_each(r, "queue", found_one, NULL) != 1;
}
