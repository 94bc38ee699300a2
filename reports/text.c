/* text.c: cleans and escapes untrusted text for terminals, XML and HTML.
 * The one place that decides what bytes may reach an output; never prints. */
#include "text.h"
#include "strbuf.h"

#include <string.h>

/* Length of the escape sequence at s (s[0] == ESC), at most n. */
static size_t ansi_len(const unsigned char *s, size_t n)
{
	size_t i = 1;

	if (n < 2)
		return n;
	if (s[1] == '[') {
		for (i = 2; i < n && (s[i] < 0x40 || s[i] > 0x7e); i++)
			if (s[i] < 0x20)
				return i;	/* broken: drop what we saw */
		return i < n ? i + 1 : n;
	}
	if (s[1] == ']') {
		for (i = 2; i < n; i++) {
			if (s[i] == 0x07)
				return i + 1;
			if (s[i] == 0x1b && i + 1 < n && s[i + 1] == '\\')
				return i + 2;
		}
		return n;
	}
	while (i < n && s[i] >= 0x20 && s[i] <= 0x2f)
		i++;
	if (i < n && s[i] >= 0x30 && s[i] <= 0x7e)
		i++;
	return i;
}

/* Length of the valid UTF-8 sequence at s, 0 when it is not one. */
static size_t utf8_len(const unsigned char *s, size_t n, unsigned int *cp)
{
	size_t len, i;
	unsigned int c;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		c = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		c = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		c = s[0] & 0x07;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && c < 0x800) || (len == 4 && c < 0x10000) ||
	    c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

static const char *entity(unsigned int c)
{
	switch (c) {
	case '&':
		return "&amp;";
	case '<':
		return "&lt;";
	case '>':
		return "&gt;";
	case '"':
		return "&quot;";
	case '\'':
		return "&#39;";
	default:
		return NULL;
	}
}

/* Appends the one character c (encoded in s[0..len)) as flags want it. */
static int put_char(struct strbuf *out, const char *s, size_t len,
		    unsigned int c, unsigned flags)
{
	const char *e = (flags & REP_TEXT_HTML) ? entity(c) : NULL;

	if (c == '\r')
		return 0;
	if (c == '\n' || c == '\t')
		return strbuf_addch(out, (flags & REP_TEXT_ONELINE) ? ' ' : (int)c);
	if (c < 0x20)	/* the Control Pictures block: U+2401 for ^A */
		return strbuf_addf(out, "\xe2\x90%c", (char)(0x80 + c));
	if (c == 0x7f)
		return strbuf_addstr(out, "\xe2\x90\xa1");
	if ((c >= 0x80 && c <= 0x9f) || c == 0xfffe || c == 0xffff)
		return strbuf_addf(out, "\\u%04X", c);
	if (e)
		return strbuf_addstr(out, e);
	return strbuf_add(out, s, len);
}

int rep_text_clean(struct strbuf *out, const char *s, size_t len,
		   unsigned flags)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n;
	unsigned int c;

	while (i < len) {
		if (p[i] == 0x1b) {
			i += ansi_len(p + i, len - i);
			continue;
		}
		n = utf8_len(p + i, len - i, &c);
		if (!n) {
			if (strbuf_addf(out, "\\x%02X", p[i]))
				return -1;
			i++;
			continue;
		}
		if (put_char(out, s + i, n, c, flags))
			return -1;
		i += n;
	}
	return 0;
}

int rep_text_cleanstr(struct strbuf *out, const char *s, unsigned flags)
{
	return s ? rep_text_clean(out, s, strlen(s), flags) : 0;
}

int rep_text_tail(struct strbuf *out, const char *s, size_t max,
		  unsigned flags)
{
	size_t len, start = 0, end;
	const char *nl;

	if (!s)
		return 0;
	len = strlen(s);
	while (start < len && (s[start] == '\n' || s[start] == '\r'))
		start++;
	end = len;
	while (end > start && strchr(" \t\r\n", s[end - 1]))
		end--;
	if (end - start > max) {
		start = end - max;
		nl = memchr(s + start, '\n', end - start);
		if (nl && (size_t)(nl - (s + start)) < max / 4)
			start = (size_t)(nl - s) + 1;
		if (strbuf_addf(out, "[... %zu bytes trimmed ...]\n", start))
			return -1;
	}
	return rep_text_clean(out, s + start, end - start, flags);
}

int rep_text_fputs(FILE *f, const char *s, unsigned flags)
{
	struct strbuf clean = STRBUF_INIT;
	int ret = rep_text_cleanstr(&clean, s, flags);

	if (fputs(clean.buf, f) == EOF)
		ret = -1;
	strbuf_dispose(&clean);
	return ret;
}
