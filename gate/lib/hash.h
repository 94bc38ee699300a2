/* hash.h: FNV-1a, 64 bits: stable across builds and machines, and cheap.
 * Used for fingerprints, queue keys and hash tables; never for security. */
#ifndef GATE_HASH_H
#define GATE_HASH_H

#include <stdint.h>
#include <string.h>

#define GATE_FNV1A_INIT 0xcbf29ce484222325ULL

static inline uint64_t gate_fnv1a_byte(uint64_t h, unsigned char c)
{
	return (h ^ c) * 0x100000001b3ULL;
}

/* Hashes the string s (NULL hashes as "") on top of h. */
static inline uint64_t gate_fnv1a(uint64_t h, const char *s)
{
	for (; s && *s; s++)
		h = gate_fnv1a_byte(h, (unsigned char)*s);
	return h;
}

/* One field of a hashed record: s, then a separator, so that the fields
 * ("ab", "c") and ("a", "bc") hash differently. */
static inline uint64_t gate_fnv1a_field(uint64_t h, const char *s)
{
	return gate_fnv1a_byte(gate_fnv1a(h, s), 0x1f);
}

/*
 * A hash of s for tables in memory only: eight bytes a step, several times
 * faster than FNV-1a on the long paths of a kernel's .cmd files (a
 * defconfig build dir names about three million of them), but not stable
 * across versions: never store it.
 */
static inline uint64_t gate_table_hash(const char *s)
{
	size_t n = strlen(s);
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ n, w;

	for (; n >= 8; s += 8, n -= 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdULL;
		h ^= h >> 32;
	}
	w = 0;
	memcpy(&w, s, n);
	h = (h ^ w) * 0xc4ceb9fe1a85ec53ULL;
	return h ^ (h >> 29);
}

#endif
