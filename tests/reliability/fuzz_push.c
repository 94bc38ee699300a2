/* fuzz_push.c: the pre-push hook's stdin lines on any bytes: every update
 * it takes has the shape git writes. */
#include "fuzz.h"
#include "error.h"
#include "hook.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hook_push_list l = HOOK_PUSH_LIST_INIT;

	if (!hook_push_parse(&l, (const char *)data, size))
		for (size_t i = 0; i < l.nr; i++) {
			const struct hook_push_update *u = &l.v[i];

			FUZZ_CHECK(hook_is_oid(u->local_oid, strlen(u->local_oid)));
			FUZZ_CHECK(hook_is_oid(u->remote_oid, strlen(u->remote_oid)));
			FUZZ_CHECK(u->local_ref[0] && u->remote_ref[0]);
			/* both null (git never writes it) is a delete of nothing */
			hook_push_is_delete(u);
			hook_push_is_new(u);
		}
	gate_error_clear();
	hook_push_list_dispose(&l);
	return 0;
}
