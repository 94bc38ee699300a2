/* alloc.c: the growth of ALLOC_GROW (alloc.h): git's alloc_nr() policy,
 * overflow-checked; failures go to the error slot, never to stderr. */
#include "alloc.h"
#include "error.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* git's alloc_nr(): a constant step for small arrays, then 1.5 times. */
static size_t next_alloc(size_t alloc, size_t need, size_t elem)
{
	size_t n = alloc <= SIZE_MAX / 3 - 16 ? (alloc + 16) * 3 / 2 : need;

	if (n < need || n > SIZE_MAX / elem)
		n = need;	/* the growth overflows; what is needed may not */
	return n;
}

int gate_alloc_grow(void *pp, size_t elem, size_t need, size_t *alloc)
{
	size_t n = next_alloc(*alloc, need, elem);
	void **slot = pp;	/* a T **: every object pointer has void *'s form */
	void *p;

	if (need <= *alloc)
		return 0;
	if (n > SIZE_MAX / elem)
		return gate_error("out of memory: %zu items of %zu bytes do not fit",
				  need, elem);
	p = realloc(*slot, n * elem);
	if (!p)
		return gate_error("out of memory");
	*slot = p;
	*alloc = n;
	return 0;
}
