#include <stdio.h>
#include <string.h>
#include "helper.h"

struct point { int x, y; };

int global_not_declared;

static int compute(int n)
{
	int unused;
	int arr[4];
	char buf[8];

	if (n = 3)
		return arr[5];
	sprintf(buf, "%d", "str");
	return helper_add(n, 2u);
}

int shadowing(int v)
{
	int r;
	{
		int v = 2;
		r = v;
	}
	return r;
}

void no_return_value(int *p)
{
	unsigned int u = -1;
	if (u < 0)
		*p = 0;
}

int missing_return(int x)
{
	if (x)
		return 1;
}

int main(void)
{
	struct point pt = { 1 };
	int *q = 0;
	no_return_value(q);
	printf("%s\n", 42);
	return compute(pt.x) + shadowing(1) + missing_return(0);
}

static void never_called(void)
{
}

int old_style(a)
	int a;
{
	return a;
}
