/* gerrit_claim.c: watchers of one Gerrit account agree, through Gerrit itself,
 * on who gates a patch set, and never vote twice. Never prints or exits. */
#include "gerrit.h"
#include "config.h"
#include "error.h"
#include "model.h"
#include "strbuf.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define CLAIM_VERB "claims"
#define RELEASE_VERB "releases"

/* "2026-11-30 01:02:03.123456789" (UTC, as Gerrit writes it), or -1. */
static time_t gerrit_time(const char *s)
{
	struct tm tm = { 0 };

	if (!s || sscanf(s, "%d-%d-%d %d:%d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
			 &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return timegm(&tm);
}

static long long account_of(const json_t *obj)
{
	const json_t *id = json_object_get(obj, "_account_id");

	return json_is_integer(id) ? (long long)json_integer_value(id) : -1;
}

/* This account's vote on label, on the change's current patch set. */
static bool has_vote(const json_t *change, const struct rep_gerrit_claim *c)
{
	const json_t *all = json_object_get(json_object_get(json_object_get(change, "labels"),
							    c->label), "all");
	const json_t *a;
	size_t i;

	json_array_foreach(all, i, a)
		if (account_of(a) == c->account && json_integer_value(json_object_get(a, "value")))
			return true;
	return false;
}

/* The watcher id in "mkt-gate: watcher ID VERB patch set N", or false. */
static bool claim_words(const char *msg, char id[REP_GERRIT_WATCHER_SIZE], const char **verb)
{
	const char *p = "mkt-gate: watcher ";
	size_t len;

	if (!msg || strncmp(msg, p, strlen(p)))
		return false;
	msg += strlen(p);
	len = strcspn(msg, " ");
	if (!len || len >= REP_GERRIT_WATCHER_SIZE || !msg[len])
		return false;
	memcpy(id, msg, len);
	id[len] = '\0';
	*verb = msg + len + 1;
	return true;
}

/*
 * Follows the claims in the order Gerrit recorded them: the first live
 * claim holds until its watcher releases it. holder is "" when none does.
 */
static void follow_claim(char holder[REP_GERRIT_WATCHER_SIZE], const json_t *m,
			 const struct rep_gerrit_claim *c, time_t now)
{
	char id[REP_GERRIT_WATCHER_SIZE];
	const char *verb;
	time_t at = gerrit_time(rep_str(m, "date"));

	if (!claim_words(rep_str(m, "message"), id, &verb))
		return;
	if (!*holder && !strncmp(verb, CLAIM_VERB " ", strlen(CLAIM_VERB) + 1) &&
	    at >= 0 && now - at < c->timeout_s)
		strcpy(holder, id);
	else if (!strcmp(holder, id) && !strncmp(verb, RELEASE_VERB " ", strlen(RELEASE_VERB) + 1))
		*holder = '\0';
}

enum rep_gerrit_seen rep_gerrit_seen(const json_t *change, const struct rep_gerrit_claim *c,
				     const struct rep_gerrit_patchset *ps, time_t now)
{
	char holder[REP_GERRIT_WATCHER_SIZE] = "";
	const json_t *m;
	size_t i;

	if (strcmp(rep_str_or(change, "current_revision", ""), ps->revision))
		return REP_GERRIT_OUTDATED;
	if (has_vote(change, c))
		return REP_GERRIT_REVIEWED;
	json_array_foreach(json_object_get(change, "messages"), i, m) {
		const char *tag = rep_str_or(m, "tag", "");

		if (account_of(json_object_get(m, "author")) != c->account ||
		    rep_int(m, "_revision_number") != ps->patchset)
			continue;
		if (!strcmp(tag, REP_GERRIT_TAG))
			return REP_GERRIT_REVIEWED;
		if (!strcmp(tag, REP_GERRIT_CLAIM_TAG))
			follow_claim(holder, m, c, now);
	}
	if (!*holder)
		return REP_GERRIT_OPEN;
	return strcmp(holder, c->id) ? REP_GERRIT_CLAIMED : REP_GERRIT_OURS;
}

/* host:pid:random: unique among the watchers of one account. */
static void make_id(char id[REP_GERRIT_WATCHER_SIZE])
{
	char host[32] = "host";
	unsigned int r = (unsigned int)time(NULL) ^ ((unsigned int)getpid() << 16);
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);

	if (fd >= 0) {
		if (read(fd, &r, sizeof(r)) != sizeof(r))
			r ^= (unsigned int)clock();
		close(fd);
	}
	gethostname(host, sizeof(host) - 1);
	host[strcspn(host, " .")] = '\0';
	snprintf(id, REP_GERRIT_WATCHER_SIZE, "%s:%d:%08x", host, (int)getpid(), r);
}

int rep_gerrit_claim_init(struct rep_gerrit_claim *c, struct rep_gerrit *g,
			  const struct config *cfg)
{
	json_t *self = NULL;
	int timeout = 7200;

	memset(c, 0, sizeof(*c));
	c->label = config_get(cfg, "gerrit", "label");
	if (!c->label)
		c->label = "Verified";
	if (config_get_int(cfg, "gerrit", "claim_timeout", &timeout) < 0)
		return -1;
	c->timeout_s = timeout;
	make_id(c->id);
	if (rep_gerrit_get(g, "/a/accounts/self", &self))
		return -1;
	c->account = account_of(self);
	json_decref(self);
	if (c->account < 0)
		return gate_error("Gerrit's answer to /a/accounts/self has no '_account_id'");
	return 0;
}

int rep_gerrit_look(struct rep_gerrit *g, const struct rep_gerrit_claim *c,
		    const struct rep_gerrit_patchset *ps, enum rep_gerrit_seen *out)
{
	struct strbuf path = STRBUF_INIT;
	json_t *change = NULL;
	int ret = -1;

	if (strbuf_addstr(&path, "/a/changes/") || rep_gerrit_escape(&path, ps->change) ||
	    strbuf_addstr(&path, "?o=CURRENT_REVISION&o=DETAILED_LABELS&o=MESSAGES") ||
	    rep_gerrit_get(g, path.buf, &change))
		goto out;
	*out = rep_gerrit_seen(change, c, ps, time(NULL));
	ret = 0;
out:
	json_decref(change);
	strbuf_dispose(&path);
	return ret;
}

/* A message only this account's watchers read: no vote, no mail. */
static int post_claim(struct rep_gerrit *g, const struct rep_gerrit_claim *c,
		      const struct rep_gerrit_patchset *ps, const char *verb)
{
	struct strbuf msg = STRBUF_INIT;
	json_t *review;
	int ret;

	strbuf_addf(&msg, "mkt-gate: watcher %s %s patch set %lld", c->id, verb, ps->patchset);
	review = json_pack("{s:s, s:s, s:s}", "message", msg.buf, "tag", REP_GERRIT_CLAIM_TAG,
			   "notify", "NONE");
	ret = review ? rep_gerrit_set_review(g, ps->change, ps->revision, review) :
		       gate_error("out of memory");
	json_decref(review);
	strbuf_dispose(&msg);
	return ret;
}

int rep_gerrit_claim(struct rep_gerrit *g, const struct rep_gerrit_claim *c,
		     const struct rep_gerrit_patchset *ps, enum rep_gerrit_seen *out)
{
	if (rep_gerrit_look(g, c, ps, out))
		return -1;
	if (*out != REP_GERRIT_OPEN)
		return 0;
	if (post_claim(g, c, ps, CLAIM_VERB) || rep_gerrit_look(g, c, ps, out))
		return -1;
	return 0;
}

int rep_gerrit_release(struct rep_gerrit *g, const struct rep_gerrit_claim *c,
		       const struct rep_gerrit_patchset *ps)
{
	return post_claim(g, c, ps, RELEASE_VERB);
}
