/* hash.h: FNV-1a, 64 bits: stable across builds and machines, and cheap.
 * Used for fingerprints, queue keys and hash tables; never for security. */
#ifndef GATE_HASH_H
#define GATE_HASH_H

#include <stdint.h>

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

#endif
