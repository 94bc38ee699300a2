#include "helper.h"

int broken(int x)
{
	int y = x +;
	return undeclared_thing + y;
}

int warn_then(void)
{
	return 1
}
