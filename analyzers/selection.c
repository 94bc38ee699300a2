/* selection.c: which analyzers the effective config asks for, in its order.
 * The one reading of [defaults] analyzers and [analyzer.NAME] enabled. */
#include "analyzer.h"
#include "config.h"
#include "error.h"
#include "strvec.h"

void an_hint_known(void)
{
	struct strbuf known = STRBUF_INIT;
	const struct an_desc *all;
	size_t n;

	all = an_all(&n);
	for (size_t k = 0; k < n; k++)
		strbuf_addf(&known, " %s", all[k].name);
	gate_error_hint("known analyzers:%s", known.buf);
	strbuf_dispose(&known);
}

/* Names the file and line that asked for it, as any bad config value does. */
static int unknown(const struct config *cfg, const char *name)
{
	struct strbuf where = STRBUF_INIT;

	config_origin(cfg, "defaults", "analyzers", &where);
	gate_error("%s%sunknown analyzer '%s' in [defaults] analyzers", where.buf,
		   where.len ? ": " : "", name);
	an_hint_known();
	strbuf_dispose(&where);
	return -1;
}

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
			ret = unknown(cfg, all.v[i]);
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
