/* fuzz_an.c: every output parser (compiler output through the analyzers) and
 * the function scanner: no crash, and every finding sane and valid UTF-8. */
#include "fuzz.h"
#include "analyzer.h"
#include "error.h"

#include <jansson.h>
#include <string.h>

/* What the JSON report needs of a finding: jansson takes each string. */
static void check_finding(const struct finding *f)
{
	json_t *s;

	FUZZ_CHECK(f->analyzer && f->rule && f->message);
	FUZZ_CHECK(strlen(f->fingerprint) == 16);
	FUZZ_CHECK(f->severity <= FINDING_ERROR);
	FUZZ_CHECK(!f->file || (f->file[0] && !strchr(f->file, '\n')));
	FUZZ_CHECK(!strchr(f->message, '\n') && strlen(f->message) <= 8192);
	FUZZ_CHECK(!f->detail || strlen(f->detail) <= 16384);
	s = json_string(f->message);
	FUZZ_CHECK(s);
	json_decref(s);
	if (f->file) {
		s = json_string(f->file);
		FUZZ_CHECK(s);
		json_decref(s);
	}
	if (f->detail) {
		s = json_string(f->detail);
		FUZZ_CHECK(s);
		json_decref(s);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct an_parse_opts o = { "fuzz", "/tmp/anrec/src", "/build" };
	struct strbuf fn = STRBUF_INIT;
	const struct an_desc *all;
	size_t n;

	all = an_all(&n);
	for (size_t i = 0; i < n; i++) {
		struct finding_list l = FINDING_LIST_INIT;

		if (!all[i].parse)
			continue;
		FUZZ_CHECK(!all[i].parse(&l, (const char *)data, size, &o));
		for (size_t k = 0; k < l.nr; k++)
			check_finding(&l.v[k]);
		finding_list_dispose(&l);
	}
	FUZZ_CHECK(!an_enclosing_function((const char *)data, size, size % 80, &fn));
	strbuf_dispose(&fn);
	gate_error_clear();
	return 0;
}
