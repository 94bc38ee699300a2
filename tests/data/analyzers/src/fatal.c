#include "does_not_exist.h"
int f(void) { return 0; }
