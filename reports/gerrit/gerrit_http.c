/* gerrit_http.c: the REST client of Gerrit over libcurl: auth, TLS, retries and
 * error messages. Never prints or exits; never lets a secret out of struct rep_gerrit. */
#include "gerrit.h"
#include "text.h"
#include "config.h"
#include "error.h"
#include "interrupt.h"
#include "strbuf.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#define REPLY_CAP ((size_t)64 << 20)
#define BACKOFF_FIRST_MS 500
#define BACKOFF_MAX_MS 8000
#define CONNECT_TIMEOUT_S 20L

struct rep_gerrit {
	CURL *curl;
	char *url;		/* no trailing slash */
	char *user;
	char *password;		/* NULL: ~/.netrc */
	int timeout;
	int retries;
	long status;
	rep_gerrit_trace_fn trace;
	void *trace_data;
};

static void wipe_free(char *s)
{
	if (s) {
		explicit_bzero(s, strlen(s));
		free(s);
	}
}

/* A file that holds a secret: only its owner may read or write it (as ssh asks). */
static int check_private(const char *what, const char *path, const struct stat *st)
{
	if (!S_ISREG(st->st_mode))
		return gate_error("%s '%s' is not a regular file", what, path);
	if (st->st_mode & 077) {
		gate_error("%s '%s' is readable or writable by group or others (mode %04o); refusing to use it",
			   what, path, (unsigned)(st->st_mode & 07777));
		gate_error_hint("make it private with 'chmod 600 %s'", path);
		return -1;
	}
	return 0;
}

static int read_password(char **out, const char *path)
{
	struct strbuf sb = STRBUF_INIT;
	struct stat st;
	int ret = -1;

	if (stat(path, &st)) {
		gate_error("cannot read the password file '%s': %s", path, strerror(errno));
		gate_error_hint("set [gerrit] password_file to a file holding the HTTP password");
		return -1;
	}
	if (check_private("password file", path, &st))
		return -1;
	if (strbuf_read_file(&sb, path))
		goto out;
	while (sb.len && (sb.buf[sb.len - 1] == '\n' || sb.buf[sb.len - 1] == '\r'))
		sb.buf[--sb.len] = '\0';
	if (!sb.len || memchr(sb.buf, '\0', sb.len) || memchr(sb.buf, '\n', sb.len)) {
		gate_error("password file '%s' must hold the password on one line", path);
		goto out;
	}
	*out = strbuf_detach(&sb, NULL);
	ret = 0;
out:
	explicit_bzero(sb.buf, sb.len);
	strbuf_dispose(&sb);
	return ret;
}

/* ~/.netrc is read by libcurl, which does not mind who else can read it. */
static int check_netrc(void)
{
	struct strbuf path = STRBUF_INIT;
	const char *home = getenv("HOME");
	struct stat st;
	int ret = 0;

	if (home && *home && !strbuf_addf(&path, "%s/.netrc", home) && !stat(path.buf, &st))
		ret = check_private("netrc file", path.buf, &st);
	strbuf_dispose(&path);
	return ret;
}

static int read_settings(struct rep_gerrit *g, const struct config *cfg)
{
	struct strbuf pw = STRBUF_INIT;
	const char *url = config_get(cfg, "gerrit", "url");
	const char *user = config_get(cfg, "gerrit", "user");
	int ret = -1;

	if (!url || (!str_starts_with(url, "https://") && !str_starts_with(url, "http://"))) {
		gate_error(url ? "[gerrit] url '%s' is not an http:// or https:// URL" :
			   "[gerrit] url is not set%s", url ? url : "");
		gate_error_hint("set it in .mkt-gate.conf, e.g. url = https://gerrit.example.org");
		return -1;
	}
	g->url = strdup(url);
	while (g->url && *g->url && g->url[strlen(g->url) - 1] == '/')
		g->url[strlen(g->url) - 1] = '\0';
	g->user = user ? strdup(user) : NULL;
	g->timeout = 30;
	g->retries = 3;
	if (!g->url || (user && !g->user)) {
		gate_error("out of memory");
		goto out;
	}
	if (config_get_int(cfg, "gerrit", "timeout", &g->timeout) < 0 ||
	    config_get_int(cfg, "gerrit", "retries", &g->retries) < 0)
		goto out;
	ret = config_get_path(cfg, "gerrit", "password_file", &pw);
	if (ret > 0)
		ret = read_password(&g->password, pw.buf);
	else if (!ret)
		ret = check_netrc();
out:
	strbuf_dispose(&pw);
	return ret < 0 ? -1 : 0;
}

/*
 * Login and password both from the .netrc entry of the host, so [gerrit]
 * user is not passed on. libcurl looks for the file where getpwuid() says;
 * $HOME is what users mean.
 */
static void use_netrc(CURL *c)
{
	struct strbuf path = STRBUF_INIT;
	const char *home = getenv("HOME");

	curl_easy_setopt(c, CURLOPT_NETRC, (long)CURL_NETRC_OPTIONAL);
	if (home && *home && !strbuf_addf(&path, "%s/.netrc", home))
		curl_easy_setopt(c, CURLOPT_NETRC_FILE, path.buf);
	strbuf_dispose(&path);
}

static int setup_curl(struct rep_gerrit *g, const struct config *cfg)
{
	struct strbuf ca = STRBUF_INIT;
	CURL *c = curl_easy_init();
	int ret = -1;

	if (!c)
		return gate_error("cannot start libcurl");
	g->curl = c;
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)g->timeout);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, CONNECT_TIMEOUT_S);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "mkt-gate/" MKT_GATE_VERSION);
	curl_easy_setopt(c, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
	if (g->password) {
		curl_easy_setopt(c, CURLOPT_USERNAME, g->user ? g->user : "");
		curl_easy_setopt(c, CURLOPT_PASSWORD, g->password);
	} else {
		use_netrc(c);
	}
	if (config_get_path(cfg, "gerrit", "ca_file", &ca) < 0)
		goto out;
	if (ca.len)
		curl_easy_setopt(c, CURLOPT_CAINFO, ca.buf);
	ret = 0;
out:
	strbuf_dispose(&ca);
	return ret;
}

int rep_gerrit_new(struct rep_gerrit **out, const struct config *cfg)
{
	struct rep_gerrit *g = calloc(1, sizeof(*g));

	*out = NULL;
	if (!g)
		return gate_error("out of memory");
	if (curl_global_init(CURL_GLOBAL_DEFAULT)) {
		free(g);
		return gate_error("cannot start libcurl");
	}
	if (read_settings(g, cfg) || setup_curl(g, cfg)) {
		rep_gerrit_free(g);
		return -1;
	}
	*out = g;
	return 0;
}

void rep_gerrit_free(struct rep_gerrit *g)
{
	if (!g)
		return;
	if (g->curl)
		curl_easy_cleanup(g->curl);
	wipe_free(g->password);
	free(g->user);
	free(g->url);
	free(g);
}

long rep_gerrit_last_status(const struct rep_gerrit *g)
{
	return g->status;
}

/* Header lines only, one at a time, credentials blanked. */
static int trace_cb(CURL *c, curl_infotype type, char *data, size_t size, void *ptr)
{
	struct rep_gerrit *g = ptr;
	struct strbuf line = STRBUF_INIT;
	const char *mark = type == CURLINFO_HEADER_OUT ? "> " :
			   type == CURLINFO_HEADER_IN ? "< " : "* ";
	size_t i = 0;

	if (type != CURLINFO_HEADER_OUT && type != CURLINFO_HEADER_IN && type != CURLINFO_TEXT)
		return 0;
	while (i < size) {
		size_t len = 0;

		while (i + len < size && data[i + len] != '\n')
			len++;
		strbuf_reset(&line);
		strbuf_addstr(&line, mark);
		if ((len >= 14 && !strncasecmp(data + i, "Authorization:", 14)) ||
		    (len >= 20 && !strncasecmp(data + i, "Proxy-Authorization:", 20)))
			strbuf_addstr(&line, "Authorization: <redacted>");
		else
			rep_text_clean(&line, data + i, len, REP_TEXT_ONELINE);
		strbuf_trim_trailing(&line);
		if (line.len > 2)
			g->trace(g->trace_data, line.buf);
		i += len + 1;
	}
	strbuf_dispose(&line);
	return 0;
}

void rep_gerrit_set_trace(struct rep_gerrit *g, rep_gerrit_trace_fn fn, void *data)
{
	g->trace = fn;
	g->trace_data = data;
	curl_easy_setopt(g->curl, CURLOPT_DEBUGFUNCTION, fn ? trace_cb : NULL);
	curl_easy_setopt(g->curl, CURLOPT_DEBUGDATA, g);
	curl_easy_setopt(g->curl, CURLOPT_VERBOSE, fn ? 1L : 0L);
}

static size_t write_cb(char *data, size_t size, size_t n, void *ptr)
{
	struct strbuf *sb = ptr;

	return strbuf_add(sb, data, size * n) ? 0 : size * n;
}

int rep_gerrit_escape(struct strbuf *out, const char *s)
{
	char *e = curl_easy_escape(NULL, s, 0);
	int ret;

	if (!e)
		return gate_error("out of memory");
	ret = strbuf_addstr(out, e);
	curl_free(e);
	return ret;
}

static bool retryable(CURLcode rc, long status)
{
	if (rc == CURLE_OK)
		return status >= 500;
	return rc == CURLE_OPERATION_TIMEDOUT || rc == CURLE_COULDNT_CONNECT ||
	       rc == CURLE_GOT_NOTHING || rc == CURLE_RECV_ERROR ||
	       rc == CURLE_SEND_ERROR || rc == CURLE_PARTIAL_FILE ||
	       rc == CURLE_COULDNT_RESOLVE_HOST;
}

static void backoff(int attempt)
{
	long ms = BACKOFF_FIRST_MS;
	struct timespec ts;

	while (attempt-- > 0 && ms < BACKOFF_MAX_MS)
		ms *= 2;
	if (ms > BACKOFF_MAX_MS)
		ms = BACKOFF_MAX_MS;
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	nanosleep(&ts, NULL);
}

static const char *status_hint(long status)
{
	switch (status) {
	case 401:
		return "check [gerrit] user and the HTTP password (Gerrit: Settings > HTTP Credentials) in password_file or ~/.netrc";
	case 403:
		return "the account may not do this: ask a Gerrit admin for the permission (e.g. to vote on the label)";
	case 404:
		return "check the change and revision, [gerrit] project and branch, and that the account can see the change";
	case 409:
		return "the change is closed (merged or abandoned) or the revision is not current: nothing to vote on";
	default:
		return NULL;
	}
}

static const char *status_name(long status)
{
	switch (status) {
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 409: return "Conflict";
	case 412: return "Precondition Failed";
	case 422: return "Unprocessable Entity";
	default: return status >= 500 ? "server error" : "error";
	}
}

/*
 * A proxy's or a server's error page may echo the request's headers: what
 * follows an Authorization header or a Basic or Bearer token is cut off,
 * and so is the password wherever it appears.
 */
static void redact(struct strbuf *words, const char *password)
{
	static const char *const marks[] = { "authorization", "basic ", "bearer " };
	char *cut = NULL, *at;
	bool header;

	for (size_t i = 0; i < sizeof(marks) / sizeof(marks[0]); i++) {
		at = strcasestr(words->buf, marks[i]);
		if (at && (!cut || at < cut))
			cut = at;
	}
	if (password && *password) {
		at = strstr(words->buf, password);
		if (at && (!cut || at < cut))
			cut = at;
	}
	if (!cut)
		return;
	header = !strncasecmp(cut, "authorization", 13);
	strbuf_setlen(words, (size_t)(cut - words->buf));
	strbuf_addstr(words, header ? "authorization: <redacted>" : "<redacted>");
}

/* Gerrit's error bodies are plain text: show their first line. */
static int http_error(const struct rep_gerrit *g, const char *method, const char *path,
		      long status, const struct strbuf *body, int tries)
{
	struct strbuf words = STRBUF_INIT;
	const char *hint = status_hint(status);
	size_t len = strcspn(body->buf, "\n");

	rep_text_clean(&words, body->buf, len > 300 ? 300 : len, REP_TEXT_ONELINE);
	strbuf_trim_trailing(&words);
	redact(&words, g->password);
	gate_error("Gerrit answered %ld %s to %s %s%s%s%s", status, status_name(status),
		   method, path, words.len ? ": " : "", words.buf,
		   tries > 1 ? " (after every retry)" : "");
	if (hint)
		gate_error_hint("%s", hint);
	strbuf_dispose(&words);
	return -1;
}

static CURLcode perform(struct rep_gerrit *g, const char *url, const char *body,
			struct strbuf *reply)
{
	struct curl_slist *hdr = NULL;
	CURLcode rc;

	strbuf_reset(reply);
	hdr = curl_slist_append(hdr, "Accept: application/json");
	if (body)
		hdr = curl_slist_append(hdr, "Content-Type: application/json; charset=UTF-8");
	curl_easy_setopt(g->curl, CURLOPT_URL, url);
	curl_easy_setopt(g->curl, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(g->curl, CURLOPT_WRITEFUNCTION, write_cb);
	curl_easy_setopt(g->curl, CURLOPT_WRITEDATA, reply);
	if (body) {
		curl_easy_setopt(g->curl, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(g->curl, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
	} else {
		curl_easy_setopt(g->curl, CURLOPT_HTTPGET, 1L);
	}
	g->status = 0;
	rc = curl_easy_perform(g->curl);
	if (rc == CURLE_OK)
		curl_easy_getinfo(g->curl, CURLINFO_RESPONSE_CODE, &g->status);
	curl_easy_setopt(g->curl, CURLOPT_HTTPHEADER, NULL);
	curl_slist_free_all(hdr);
	return rc;
}

static int request(struct rep_gerrit *g, const char *method, const char *path,
		   const char *body, json_t **reply)
{
	struct strbuf url = STRBUF_INIT, buf = STRBUF_INIT;
	CURLcode rc = CURLE_OK;
	int tries = 0, ret = -1;

	if (reply)
		*reply = NULL;
	buf.cap = REPLY_CAP;
	strbuf_addf(&url, "%s%s", g->url, path);
	for (;;) {
		rc = perform(g, url.buf, body, &buf);
		tries++;
		if (!retryable(rc, g->status) || tries > g->retries || gate_interrupted())
			break;
		backoff(tries - 1);
	}
	if (rc != CURLE_OK) {
		gate_error("cannot reach Gerrit for %s %s: %s%s", method, path,
			   curl_easy_strerror(rc), tries > 1 ? " (after every retry)" : "");
		if (rc == CURLE_PEER_FAILED_VERIFICATION || rc == CURLE_SSL_CACERT_BADFILE)
			gate_error_hint("give the CA that signed the server's certificate in [gerrit] ca_file");
		goto out;
	}
	if (g->status < 200 || g->status > 299) {
		http_error(g, method, path, g->status, &buf, tries);
		goto out;
	}
	ret = 0;
	if (reply && buf.len)
		ret = rep_gerrit_parse_reply(reply, buf.buf, buf.len);
out:
	strbuf_dispose(&url);
	strbuf_dispose(&buf);
	return ret;
}

int rep_gerrit_get(struct rep_gerrit *g, const char *path, json_t **reply)
{
	return request(g, "GET", path, NULL, reply);
}

int rep_gerrit_post(struct rep_gerrit *g, const char *path, const json_t *body,
		    json_t **reply)
{
	char *text = json_dumps(body, JSON_COMPACT);
	int ret;

	if (!text)
		return gate_error("out of memory");
	ret = request(g, "POST", path, text, reply);
	free(text);
	return ret;
}

int rep_gerrit_set_review(struct rep_gerrit *g, const char *change,
			  const char *revision, const json_t *review)
{
	struct strbuf path = STRBUF_INIT;
	json_t *reply = NULL;
	int ret = -1;

	if (strbuf_addstr(&path, "/a/changes/") || rep_gerrit_escape(&path, change) ||
	    strbuf_addstr(&path, "/revisions/") || rep_gerrit_escape(&path, revision) ||
	    strbuf_addstr(&path, "/review"))
		goto out;
	ret = rep_gerrit_post(g, path.buf, review, &reply);
out:
	json_decref(reply);
	strbuf_dispose(&path);
	return ret;
}

#define QUERY_MAX_PAGES 100

static int query_page(struct rep_gerrit *g, const char *query, size_t start,
		      json_t **page)
{
	struct strbuf path = STRBUF_INIT;
	int ret = -1;

	if (strbuf_addstr(&path, "/a/changes/?q=") || rep_gerrit_escape(&path, query) ||
	    strbuf_addstr(&path, "&o=CURRENT_REVISION&o=CURRENT_COMMIT"))
		goto out;
	if (start)
		strbuf_addf(&path, "&S=%zu", start);
	if (rep_gerrit_get(g, path.buf, page))
		goto out;
	if (!json_is_array(*page)) {
		gate_error("Gerrit's answer to the query '%s' is not a list of changes", query);
		goto out;
	}
	ret = 0;
out:
	strbuf_dispose(&path);
	return ret;
}

int rep_gerrit_query(struct rep_gerrit *g, const char *query, json_t **out)
{
	json_t *all = json_array(), *page = NULL;
	int ret = -1;

	*out = NULL;
	if (!all)
		return gate_error("out of memory");
	for (int i = 0; i < QUERY_MAX_PAGES; i++) {
		json_t *last;

		if (query_page(g, query, json_array_size(all), &page))
			goto out;
		last = json_array_get(page, json_array_size(page) - 1);
		json_array_extend(all, page);
		if (!json_is_true(json_object_get(last, "_more_changes")))
			break;
		json_decref(page);
		page = NULL;
	}
	*out = all;
	all = NULL;
	ret = 0;
out:
	json_decref(page);
	json_decref(all);
	return ret;
}
