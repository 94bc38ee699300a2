#include <string.h>
#include <stdlib.h>
int tidy(char *dst, const char *src)
{
	char *p = malloc(10);
	strcpy(dst, src);
	if (p == NULL)
		return -1;
	return 0;
}
