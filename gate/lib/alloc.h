/* alloc.h: growing an array as elements are added, in the manner of git's
 * ALLOC_GROW, with the size checked for overflow. Never prints or exits. */
#ifndef GATE_ALLOC_H
#define GATE_ALLOC_H

#include <stddef.h>

/*
 * ALLOC_GROW(p, need, alloc) makes room for at least need elements in the
 * array p, whose capacity is the size_t alloc: when need > alloc, p is
 * reallocated to about one and a half times its capacity (at least need)
 * and alloc updated. It evaluates to 0, or to -1 with gate_error() set
 * when the size overflows or memory runs out; p and alloc are then left
 * as they were, so the caller still owns the old array and its one exit
 * path frees it:
 *
 *	if (ALLOC_GROW(l->v, l->nr + 1, l->alloc))
 *		goto fail;
 *	l->v[l->nr++] = x;
 *
 * The new elements are not initialised. p, need and alloc are evaluated
 * more than once: pass plain lvalues and expressions without side effects.
 */
#define ALLOC_GROW(p, need, alloc)					\
	((need) > (alloc) ?						\
	 gate_alloc_grow(&(p), sizeof(*(p)), (need), &(alloc)) : 0)

/*
 * What ALLOC_GROW calls: pp points at the array pointer (of any object
 * type), whose items are elem bytes each. For code that handles arrays
 * of several item types with one function.
 */
int gate_alloc_grow(void *pp, size_t elem, size_t need, size_t *alloc);

#endif
