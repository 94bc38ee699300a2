/* fuzz_config.c: the config parser on any text: loads or refuses with a
 * message, never crashes; what loads dumps and loads again. */
#include "fuzz.h"
#include "config.h"
#include "error.h"
#include "strbuf.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strbuf text = STRBUF_INIT, dump = STRBUF_INIT;
	struct config *cfg = NULL, *again = NULL;

	FUZZ_CHECK(!strbuf_add(&text, data, size));
	FUZZ_CHECK(!config_new(&cfg));
	if (memchr(data, '\0', size)) {
		/* text in memory ends at its first NUL */
	} else if (!config_load_string(cfg, "fuzz", text.buf)) {
		FUZZ_CHECK(!config_dump(cfg, &dump));
		FUZZ_CHECK(!config_new(&again));
		config_load_string(again, "dump", dump.buf);
	} else {
		FUZZ_CHECK(gate_error_last()[0]);
	}
	gate_error_clear();
	config_free(again);
	config_free(cfg);
	strbuf_dispose(&dump);
	strbuf_dispose(&text);
	return 0;
}
