/* strbuf.c: the growable byte buffer of strbuf.h.
 * Allocation failures and the size cap are reported through gate_error. */
#include "strbuf.h"
#include "error.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

char strbuf_empty[1];

void strbuf_init(struct strbuf *sb, size_t hint)
{
	sb->len = 0;
	sb->alloc = 0;
	sb->cap = STRBUF_DEFAULT_CAP;
	sb->buf = strbuf_empty;
	if (hint)
		strbuf_grow(sb, hint);
}

void strbuf_dispose(struct strbuf *sb)
{
	size_t cap = sb->cap;

	if (sb->alloc)
		free(sb->buf);
	strbuf_init(sb, 0);
	sb->cap = cap;
}

char *strbuf_detach(struct strbuf *sb, size_t *len)
{
	char *s = sb->alloc ? sb->buf : strdup("");
	size_t cap = sb->cap;

	if (len)
		*len = sb->len;
	strbuf_init(sb, 0);
	sb->cap = cap;
	return s;
}

int strbuf_grow(struct strbuf *sb, size_t extra)
{
	size_t want;
	char *p;

	if (extra > sb->cap || sb->len > sb->cap - extra)
		return gate_error("buffer limit of %zu bytes exceeded", sb->cap);
	want = sb->len + extra + 1;
	if (want <= sb->alloc)
		return 0;
	if (want < sb->alloc * 2)
		want = sb->alloc * 2;
	if (want < 64)
		want = 64;
	p = realloc(sb->alloc ? sb->buf : NULL, want);
	if (!p)
		return gate_error("out of memory");
	if (!sb->alloc)
		p[0] = '\0';
	sb->buf = p;
	sb->alloc = want;
	return 0;
}

int strbuf_add(struct strbuf *sb, const void *data, size_t len)
{
	if (strbuf_grow(sb, len))
		return -1;
	memcpy(sb->buf + sb->len, data, len);
	sb->len += len;
	sb->buf[sb->len] = '\0';
	return 0;
}

int strbuf_addbuf(struct strbuf *sb, const struct strbuf *other)
{
	return strbuf_add(sb, other->buf, other->len);
}

int strbuf_addstr(struct strbuf *sb, const char *s)
{
	return strbuf_add(sb, s, strlen(s));
}

int strbuf_addch(struct strbuf *sb, int c)
{
	char ch = (char)c;

	return strbuf_add(sb, &ch, 1);
}

int strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return gate_error("bad format string");
	if (strbuf_grow(sb, (size_t)n))
		return -1;
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	sb->len += (size_t)n;
	return 0;
}

int strbuf_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = strbuf_vaddf(sb, fmt, ap);
	va_end(ap);
	return ret;
}

void strbuf_reset(struct strbuf *sb)
{
	strbuf_setlen(sb, 0);
}

void strbuf_setlen(struct strbuf *sb, size_t len)
{
	if (len > sb->len)
		GATE_BUG("strbuf_setlen beyond the end");
	sb->len = len;
	if (sb->alloc)
		sb->buf[len] = '\0';
}

void strbuf_trim_trailing(struct strbuf *sb)
{
	while (sb->len && (sb->buf[sb->len - 1] == '\n' ||
			   sb->buf[sb->len - 1] == ' ' ||
			   sb->buf[sb->len - 1] == '\t' ||
			   sb->buf[sb->len - 1] == '\r'))
		sb->len--;
	strbuf_setlen(sb, sb->len);
}

int strbuf_read_fd(struct strbuf *sb, int fd)
{
	ssize_t n;

	for (;;) {
		if (strbuf_grow(sb, 8192))
			return -1;
		n = read(fd, sb->buf + sb->len, sb->alloc - sb->len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return gate_error("read failed: %s", strerror(errno));
		if (n == 0)
			return 0;
		sb->len += (size_t)n;
		sb->buf[sb->len] = '\0';
	}
}

int strbuf_read_file(struct strbuf *sb, const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int ret;

	if (fd < 0)
		return gate_error("cannot open '%s': %s", path, strerror(errno));
	ret = strbuf_read_fd(sb, fd);
	close(fd);
	return ret;
}

int strbuf_write_file(const struct strbuf *sb, const char *path)
{
	struct strbuf tmp = STRBUF_INIT;
	FILE *f = NULL;
	int ret = -1;

	if (strbuf_addf(&tmp, "%s.tmp.%d", path, (int)getpid()))
		goto out;
	f = fopen(tmp.buf, "wb");
	if (!f) {
		gate_error("cannot write '%s': %s", path, strerror(errno));
		goto out;
	}
	if (fwrite(sb->buf, 1, sb->len, f) != sb->len || fflush(f)) {
		gate_error("cannot write '%s': %s", path, strerror(errno));
		goto close_file;
	}
	if (fclose(f)) {
		f = NULL;
		gate_error("cannot write '%s': %s", path, strerror(errno));
		goto unlink_tmp;
	}
	f = NULL;
	if (rename(tmp.buf, path)) {
		gate_error("cannot rename to '%s': %s", path, strerror(errno));
		goto unlink_tmp;
	}
	ret = 0;
	goto out;
close_file:
	fclose(f);
unlink_tmp:
	unlink(tmp.buf);
out:
	strbuf_dispose(&tmp);
	return ret;
}

bool str_starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

bool str_ends_with(const char *s, const char *suffix)
{
	size_t ls = strlen(s), lx = strlen(suffix);

	return ls >= lx && !strcmp(s + ls - lx, suffix);
}
