/* fuzz_gerrit.c: Gerrit's replies on any bytes: the XSSI prefix, the JSON,
 * then what we read of a change and of a commit query. */
#include "fuzz.h"
#include "error.h"
#include "gerrit.h"
#include "strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rep_gerrit_patchset ps;
	struct strbuf change = STRBUF_INIT;
	json_t *reply = NULL, *first;

	if (!rep_gerrit_parse_reply(&reply, (const char *)data, size) && reply) {
		first = json_is_array(reply) ? json_array_get(reply, 0) : reply;
		if (json_is_object(first))
			rep_gerrit_patchset(&ps, first);
		if (json_is_array(reply))
			rep_gerrit_change_of_commit(&change, reply,
						    "0123456789abcdef0123456789abcdef01234567",
						    "commit:0123456789abcdef");
	}
	gate_error_clear();
	json_decref(reply);
	strbuf_dispose(&change);
	return 0;
}
