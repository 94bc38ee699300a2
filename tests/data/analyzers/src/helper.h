#ifndef HELPER_H
#define HELPER_H
static inline int helper_add(int a, unsigned int b)
{
	int unused_in_header;
	return a < b ? a : (int)b;
}
#endif
