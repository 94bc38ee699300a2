/* fuzz_waivers.c: the waiver file parser on any text: a set or a message. */
#include "fuzz.h"
#include "error.h"
#include "waiver.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct waivers *w = NULL;

	if (waivers_parse(&w, "fuzz", (const char *)data, size))
		FUZZ_CHECK(!w && gate_error_last()[0]);
	else
		(void)waivers_count(w);
	gate_error_clear();
	waivers_free(w);
	return 0;
}
