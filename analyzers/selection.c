/* selection.c: which analyzers the effective config asks for, in its order.
 * The one reading of [defaults] analyzers and [analyzer.NAME] enabled. */
#include "analyzer.h"
#include "config.h"
#include "error.h"
#include "strvec.h"

int an_enabled_list(const struct config *cfg, struct strvec *out)
{
	struct strvec all = STRVEC_INIT;
	struct strbuf sec = STRBUF_INIT;
	int ret = config_get_list(cfg, "defaults", "analyzers", &all) < 0 ? -1 : 0;

	for (size_t i = 0; !ret && i < all.nr; i++) {
		bool enabled = true;

		strbuf_reset(&sec);
		strbuf_addf(&sec, "analyzer.%s", all.v[i]);
		if (!an_find(all.v[i])) {
			ret = gate_error("unknown analyzer '%s' in [defaults] analyzers", all.v[i]);
			gate_error_hint("known analyzers: gcc clang sparse smatch checkpatch kernel-doc commit-msg cppcheck clang-tidy");
		} else if (config_get_bool(cfg, sec.buf, "enabled", &enabled) < 0) {
			ret = -1;
		} else if (enabled && strvec_find(out, all.v[i]) < 0) {
			ret = strvec_push(out, all.v[i]);
		}
	}
	strvec_dispose(&all);
	strbuf_dispose(&sec);
	return ret;
}
