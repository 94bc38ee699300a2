/* setup_parse.c: the option parsing every command shares, apart from setup.c so
 * that the light entry point (gate/front.c) links it without the config and git. */
#include "setup.h"
#include "error.h"

int setup_parse(int argc, const char **argv, const struct option *opts,
		int stop_at_non_option, const struct gate_ctx *ctx)
{
	int n = opt_parse(argc, argv, opts, stop_at_non_option);

	if (n >= 0 && ctx->quiet && ctx->verbose)
		return gate_error("'-q' and '-v' ask for less and more at once: give one");
	return n;
}
