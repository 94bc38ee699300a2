/* color.c: the colour mode (auto, always, never) and whether to use colour.
 * Honours NO_COLOR (https://no-color.org) in auto mode; never prints. */
#include "report.h"
#include "error.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int rep_color_parse(const char *s, enum rep_color *out)
{
	if (!strcmp(s, "auto"))
		*out = REP_COLOR_AUTO;
	else if (!strcmp(s, "always"))
		*out = REP_COLOR_ALWAYS;
	else if (!strcmp(s, "never"))
		*out = REP_COLOR_NEVER;
	else
		return gate_error("colour mode '%s' is not auto, always or never",
				  s);
	return 0;
}

int rep_color_wanted(enum rep_color mode, FILE *f)
{
	const char *no_color = getenv("NO_COLOR");
	const char *term = getenv("TERM");

	if (mode != REP_COLOR_AUTO)
		return mode == REP_COLOR_ALWAYS;
	if (no_color && *no_color)
		return 0;
	if (term && !strcmp(term, "dumb"))
		return 0;
	return isatty(fileno(f));
}
