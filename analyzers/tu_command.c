/* tu_command.c: the command line that runs cppcheck, clang-tidy, sparse or smatch on
 * one translation unit, from the unit's compiler command. Never runs, prints or exits. */
#include "analyzer.h"
#include "error.h"
#include "strvec.h"

#include <stdbool.h>
#include <string.h>

/* The compiler flags a unit keeps: they change what the analyzer reads. */
enum tu_flag {
	TU_INCLUDE_DIR,
	TU_DEFINE,
	TU_UNDEFINE,
	TU_INCLUDE_FILE,
	TU_SYSTEM_DIR,
	TU_STD,
	TU_NONE,
};

static const struct {
	const char *name;
	bool takes_next;	/* "-I dir" as well as "-Idir" */
} flags[] = {
	[TU_INCLUDE_DIR] = { "-I", true },
	[TU_DEFINE] = { "-D", true },
	[TU_UNDEFINE] = { "-U", true },
	[TU_INCLUDE_FILE] = { "-include", true },
	[TU_SYSTEM_DIR] = { "-isystem", true },
	[TU_STD] = { "-std=", false },
};

/* Which kept flag arg is, and its value (arg's tail, or the next argument). */
static enum tu_flag classify(const char *const *args, size_t *i, size_t nr,
			     const char **value)
{
	const char *arg = args[*i];

	for (int k = 0; k < TU_NONE; k++) {
		size_t n = strlen(flags[k].name);

		if (strncmp(arg, flags[k].name, n))
			continue;
		if (arg[n]) {
			*value = arg + n;
			return (enum tu_flag)k;
		}
		if (flags[k].takes_next && *i + 1 < nr) {
			*value = args[++*i];
			return (enum tu_flag)k;
		}
	}
	return TU_NONE;
}

/* cppcheck knows c89, c99 and c11: GNU dialects and later C map onto them. */
static int push_cppcheck_std(struct strvec *argv, const char *std)
{
	static const char *const old[] = { "c89", "c90", "gnu89", "gnu90", "iso9899:1990" };
	static const char *const c99[] = { "c99", "gnu99", "iso9899:1999" };

	if (!strncmp(std, "c++", 3) || !strncmp(std, "gnu++", 5))
		return strvec_pushf(argv, "--std=c++%s", strchr(std, '+') + 2);
	for (size_t i = 0; i < sizeof(old) / sizeof(old[0]); i++)
		if (!strcmp(std, old[i]))
			return strvec_push(argv, "--std=c89");
	for (size_t i = 0; i < sizeof(c99) / sizeof(c99[0]); i++)
		if (!strcmp(std, c99[i]))
			return strvec_push(argv, "--std=c99");
	return strvec_push(argv, "--std=c11");
}

static int push_cppcheck_flag(struct strvec *argv, enum tu_flag k, const char *v)
{
	switch (k) {
	case TU_INCLUDE_FILE:
		return strvec_pushf(argv, "--include=%s", v);
	case TU_SYSTEM_DIR:
		return 0;	/* cppcheck is slow and noisy in system headers */
	case TU_STD:
		return push_cppcheck_std(argv, v);
	default:
		return strvec_pushf(argv, "%s%s", flags[k].name, v);
	}
}

static int push_flag(struct strvec *argv, enum tu_flag k, const char *v)
{
	if (k == TU_INCLUDE_FILE || k == TU_SYSTEM_DIR)
		return strvec_push(argv, flags[k].name) || strvec_push(argv, v) ? -1 : 0;
	return strvec_pushf(argv, "%s%s", flags[k].name, v);
}

static int push_unit_flags(struct strvec *argv, enum an_tu_style style,
			   const struct strvec *cc_args)
{
	for (size_t i = 1; i < cc_args->nr; i++) {
		const char *value = NULL;
		enum tu_flag k = classify(cc_args->v, &i, cc_args->nr, &value);
		int ret;

		if (k == TU_NONE)
			continue;
		if (style == AN_TU_CPPCHECK)
			ret = push_cppcheck_flag(argv, k, value);
		else
			ret = push_flag(argv, k, value);
		if (ret)
			return -1;
	}
	return 0;
}

static int push_extra(struct strvec *argv, const struct strvec *extra)
{
	return extra && extra->nr ? strvec_pushv(argv, extra->v) : 0;
}

int an_tu_command(struct strvec *argv, const struct an_desc *d,
		  const struct strvec *tool_cmd, const struct strvec *cc_args,
		  const char *file_abs, const struct strvec *extra)
{
	enum an_tu_style style = d->tu_style;
	int ret;

	if (style == AN_TU_NONE)
		return gate_error("'%s' is not run on single translation units", d->name);
	ret = strvec_pushv(argv, tool_cmd->v);
	switch (style) {
	case AN_TU_CPPCHECK:
		ret = ret || strvec_push(argv, "--template=" AN_CPPCHECK_TEMPLATE) ||
		      strvec_push(argv, "--enable=warning,style,performance,portability") ||
		      strvec_push(argv, "--inline-suppr") ||
		      strvec_push(argv, "--quiet") ||
		      push_unit_flags(argv, style, cc_args) ||
		      push_extra(argv, extra) || strvec_push(argv, file_abs);
		break;
	case AN_TU_CLANG_TIDY:
		ret = ret || push_extra(argv, extra) || strvec_push(argv, file_abs) ||
		      strvec_push(argv, "--") || push_unit_flags(argv, style, cc_args);
		break;
	case AN_TU_CGCC:
	case AN_TU_NONE:
		ret = ret || push_unit_flags(argv, style, cc_args) ||
		      push_extra(argv, extra) || strvec_push(argv, file_abs);
		break;
	}
	return ret ? gate_error("out of memory") : 0;
}
