/* text.h: making untrusted text (tool output, commit subjects) safe to show.
 * Pure functions over strbufs; never prints or exits. */
#ifndef REP_TEXT_H
#define REP_TEXT_H

#include <stddef.h>
#include <stdio.h>

struct strbuf;

/*
 * rep_text_clean() appends s[0..len) to out so that it is valid UTF-8
 * holding only characters that XML 1.0 and a terminal accept:
 *  - ANSI escape sequences (CSI, OSC, two-byte ESC x) are removed;
 *  - carriage returns are dropped (CRLF line ends, progress redraws);
 *  - other control characters and DEL become their Control Pictures
 *    (U+2400 + c, e.g. U+2407 for BEL), C1 controls and U+FFFE/U+FFFF
 *    become the text \uNNNN, every byte of an invalid UTF-8 sequence the
 *    text \xNN. Never U+FFFD: some JUnit readers take a file holding it
 *    for a legacy 8-bit encoding (xunit-viewer then crashes);
 *  - with REP_TEXT_ONELINE tabs and newlines become spaces;
 *  - with REP_TEXT_HTML the characters & < > " ' become entities, which
 *    is also right for XML text and attribute values.
 * Returns 0, or -1 when out reaches its cap (out then holds a prefix).
 */
#define REP_TEXT_ONELINE 0x1u
#define REP_TEXT_HTML 0x2u

int rep_text_clean(struct strbuf *out, const char *s, size_t len,
		   unsigned flags);
int rep_text_cleanstr(struct strbuf *out, const char *s, unsigned flags);
/* Writes s to f cleaned as above: for text from commits and tools. */
int rep_text_fputs(FILE *f, const char *s, unsigned flags);

/*
 * Appends the last `max` bytes or so of s, cleaned, with leading and
 * trailing blank lines removed; when text is cut a first line says how
 * many bytes were left out. The cut falls on a line start when one is near.
 */
int rep_text_tail(struct strbuf *out, const char *s, size_t max,
		  unsigned flags);

#endif
