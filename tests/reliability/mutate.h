/* mutate.h: the deterministic mutator the fuzz property test and the
 * reliability fuzz driver share: random bytes and parser-steering tokens. */
#ifndef FUZZ_MUTATE_H
#define FUZZ_MUTATE_H

#include "strbuf.h"

#include <stdint.h>
#include <string.h>

/* xorshift64: deterministic, so that a failure is reproducible from its seed. */
static uint64_t fuzz_rng = 0x9e3779b97f4a7c15ULL;

static inline uint32_t fuzz_random(void)
{
	fuzz_rng ^= fuzz_rng << 13;
	fuzz_rng ^= fuzz_rng >> 7;
	fuzz_rng ^= fuzz_rng << 17;
	return (uint32_t)fuzz_rng;
}

/* Bytes that steer the parsers into their less travelled paths. */
static const char *const fuzz_tokens[] = {
	":", ": warning: ", ": error: ", ": note: ", "\n", "\033[01m", "\033",
	"[-W", "]", " In function '", "':\n", "In file included from ",
	"\xe2\x80\x98", "\xe2\x80", "{", "}", "(", ")", ";", "/*", "*/", "\"",
	"'", "#", "\\\n", "WARNING:X: ", "#1: FILE: ", "() warn: ", "0", "99999999999",
	"[", "=", " = ", "\xff", "\xc3", ")]}'\n", "{\"", "\":", "null", "[]",
	"refs/heads/", "0000000000000000000000000000000000000000", " ",
};

#define FUZZ_NR_TOKENS (sizeof(fuzz_tokens) / sizeof(fuzz_tokens[0]))

/* Up to 16 edits: a random byte, a cut, a token inserted, a run of one byte. */
static inline void fuzz_mutate(struct strbuf *sb)
{
	unsigned int edits = 1 + fuzz_random() % 16;

	for (unsigned int i = 0; i < edits && sb->len; i++) {
		size_t at = fuzz_random() % sb->len;
		const char *tok = fuzz_tokens[fuzz_random() % FUZZ_NR_TOKENS];

		switch (fuzz_random() % 4) {
		case 0:
			sb->buf[at] = (char)fuzz_random();
			break;
		case 1:
			strbuf_setlen(sb, at);
			break;
		case 2: {
			struct strbuf tail = STRBUF_INIT;

			strbuf_add(&tail, sb->buf + at, sb->len - at);
			strbuf_setlen(sb, at);
			strbuf_addstr(sb, tok);
			strbuf_add(sb, tail.buf, tail.len);
			strbuf_dispose(&tail);
			break;
		}
		default:
			memset(sb->buf + at, tok[0], (sb->len - at) % 7);
			break;
		}
	}
}

#endif
