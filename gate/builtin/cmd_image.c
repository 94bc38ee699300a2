/* cmd_image.c: the image command: builds the support image or images derived
 * from recipes, and lists them. The building itself is image.c's. */
#include "builtin.h"
#include "config.h"
#include "error.h"
#include "exit.h"
#include "image.h"
#include "options.h"
#include "setup.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_IMAGE "mkt-gate-support:latest"
#define DEFAULT_CI_IMAGE "mkt-gate-ci:latest"

struct image_opts {
	const char *name, *engine, *recipe, *base, *packages, *config, *deb;
	int offline, ci;
};

static const char *const image_usage[] = {
	"mkt-gate image build [<options>] [--recipe FILE [FILE...]]",
	"mkt-gate image build --ci [--deb FILE] [<options>]",
	"mkt-gate image list [--engine podman|docker]",
	"",
	"Builds the support image from containers/image: from its Containerfile",
	"where a registry is reachable, else with mmdebstrap and import. With",
	"--recipe, derives an image from the base by running each recipe in turn.",
	"With --ci, builds an image that runs a whole CI job: the support image's",
	"packages, every packaged analyzer and this mkt-gate (mkt-gate-ci:latest;",
	"with --base, mkt-gate is added to that image instead). --deb installs",
	"mkt-gate from a .deb (cpack) instead of copying the running one.",
	NULL,
};

static void print_progress(void *data, const char *line)
{
	fprintf(stderr, "image: %s\n", line);
}

/* The engine command: --engine, else [defaults] engine when a container one, else podman. */
static const char *pick_engine(const struct image_opts *o, const struct config *cfg)
{
	const char *e = o->engine ? o->engine : config_get(cfg, "defaults", "engine");

	return e && !strcmp(e, "docker") ? "docker" : "podman";
}

static const char *config_image(const struct config *cfg, const char *engine)
{
	const char *v = config_get(cfg, !strcmp(engine, "docker") ? "engine.docker" :
				   "engine.podman", "image");

	return v ? v : DEFAULT_IMAGE;
}

/* Loads every recipe before building anything: a bad one is an input error. */
static int load_recipes(struct ctr_recipe *r, const struct strvec *paths)
{
	for (size_t i = 0; i < paths->nr; i++)
		if (ctr_recipe_load(&r[i], paths->v[i]))
			return -1;
	return 0;
}

/* Applies the recipes in turn, each on the image the one before made. */
static int derive(const struct ctr_image_opts *io, const char *base, const char *name,
		  const struct strvec *paths)
{
	struct ctr_recipe *r = calloc(paths->nr, sizeof(*r));
	char *to = NULL;
	int ret = GATE_EXIT_USAGE;

	if (!r) {
		gate_error("out of memory");
		return GATE_EXIT_INFRA;
	}
	for (size_t i = 0; i < paths->nr; i++)
		ctr_recipe_init(&r[i]);
	if (load_recipes(r, paths))
		goto out;
	ret = GATE_EXIT_INFRA;
	for (size_t i = 0; i < paths->nr; i++) {
		const char *from = i ? to : base;
		char *next = NULL;

		if (name)
			next = strdup(name);
		else if (asprintf(&next, "mkt-gate-%s:latest", r[i].name) < 0)
			next = NULL;
		if (!next) {
			gate_error("out of memory");
			goto out;
		}
		if (ctr_image_derive(io, &r[i], from, next)) {
			free(next);
			goto out;
		}
		fprintf(stderr, "image: built '%s' from recipe '%s'\n", next, r[i].name);
		free(to);
		to = next;
	}
	ret = GATE_EXIT_OK;
out:
	for (size_t i = 0; i < paths->nr; i++)
		ctr_recipe_dispose(&r[i]);
	free(r);
	free(to);
	return ret;
}

/*
 * The support packages and ci-packages.txt, then this mkt-gate on top; or
 * only mkt-gate, on top of --base.
 */
static int build_ci(struct image_opts *o, struct ctr_image_opts *io, const char *self)
{
	struct strbuf context = STRBUF_INIT, extra = STRBUF_INIT;
	const char *name = o->name ? o->name : DEFAULT_CI_IMAGE;
	int ret = -1;

	if (!o->base) {
		if (ctr_image_context_dir(self, &context) ||
		    strbuf_addf(&extra, "%s/ci-packages.txt", context.buf))
			goto out;
		io->context = context.buf;
		io->extra_packages = extra.buf;
		if (ctr_image_build(io, name))
			goto out;
	}
	ret = ctr_image_add_gate(io, self, o->deb, o->base ? o->base : name, name);
	if (!ret)
		printf("built image '%s': run a job with 'podman run -v $PWD:/src -w /src %s mkt-gate range ...'\n",
		       name, name);
out:
	strbuf_dispose(&context);
	strbuf_dispose(&extra);
	return ret;
}

/* argv[0..argc): the recipes after the one of --recipe. */
static int image_build(struct image_opts *o, struct config *cfg, const struct gate_ctx *ctx,
		       const char **argv, int argc)
{
	struct strbuf context = STRBUF_INIT;
	struct strvec recipes = STRVEC_INIT;
	struct ctr_image_opts io = { pick_engine(o, cfg), NULL, o->packages, o->offline,
				     ctx->quiet ? NULL : print_progress, NULL };
	const char *base = o->base ? o->base : config_image(cfg, io.command);
	int ret = GATE_EXIT_INFRA;

	if (o->ci) {
		if (!build_ci(o, &io, ctx->self))
			ret = GATE_EXIT_OK;
		goto out;
	}
	if (!o->recipe) {
		const char *name = o->name ? o->name : base;

		if (ctr_image_context_dir(ctx->self, &context))
			goto out;
		io.context = context.buf;
		if (ctr_image_build(&io, name))
			goto out;
		printf("built image '%s'\n", name);
		ret = GATE_EXIT_OK;
		goto out;
	}
	for (int i = -1; i < argc; i++)
		if (strvec_push(&recipes, i < 0 ? o->recipe : argv[i]))
			goto out;
	ret = derive(&io, base, o->name, &recipes);
out:
	if (ret)
		gate_error_print("error");
	strvec_dispose(&recipes);
	strbuf_dispose(&context);
	return ret;
}

static int image_list(struct image_opts *o, struct config *cfg)
{
	struct strbuf out = STRBUF_INIT;
	int ret = GATE_EXIT_OK;

	if (ctr_image_list(pick_engine(o, cfg), &out)) {
		gate_error_print("error");
		ret = GATE_EXIT_INFRA;
	} else {
		fputs(out.buf, stdout);
	}
	strbuf_dispose(&out);
	return ret;
}

int cmd_image(int argc, const char **argv, struct gate_ctx *ctx)
{
	struct image_opts o = { 0 };
	struct option opts[] = {
		OPT_STRING(0, "name", &o.name, "name:tag", "the image to make"),
		OPT_STRING(0, "engine", &o.engine, "podman|docker", "the container engine"),
		OPT_BOOL(0, "offline", &o.offline, "build with mmdebstrap and import, never pull"),
		OPT_BOOL(0, "ci", &o.ci, "an image with mkt-gate and every analyzer in it, for CI jobs"),
		OPT_STRING(0, "deb", &o.deb, "file",
			   "--ci: install mkt-gate from this .deb instead of copying this one"),
		OPT_STRING(0, "packages-file", &o.packages, "file",
			   "install these packages instead of containers/image/packages.txt"),
		OPT_STRING(0, "base", &o.base, "image", "the image recipes start from"),
		OPT_STRING(0, "recipe", &o.recipe, "file",
			   "derive an image with this recipe (more may follow as arguments)"),
		OPT_STRING(0, "config", &o.config, "file", "read this config file last"),
		OPT_BOOL('q', "quiet", &ctx->quiet, "build: no progress lines, only the result"),
		OPT_END(),
	};
	struct setup_cli cli = { 0 };
	const char *sub;
	struct setup s;
	int ret = GATE_EXIT_USAGE;

	argc = setup_parse(argc, argv, opts, 0, ctx);
	if (argc < 0)
		return opt_exit(argc, image_usage, opts);
	sub = argc ? argv[0] : "";
	if (o.engine && strcmp(o.engine, "podman") && strcmp(o.engine, "docker")) {
		gate_error("image engine '%s' is neither podman nor docker", o.engine);
		return opt_exit(OPT_ERROR, image_usage, opts);
	}
	if (strcmp(sub, "build") && (strcmp(sub, "list") || argc > 1)) {
		if (argc)
			gate_error("unknown image command '%s'", sub);
		else
			gate_error("no image command: give 'build' or 'list'");
		return opt_exit(OPT_ERROR, image_usage, opts);
	}
	if (o.deb && !o.ci) {
		gate_error("--deb is for the CI image: give --ci too");
		return opt_exit(OPT_ERROR, image_usage, opts);
	}
	if (o.ci && (o.recipe || strcmp(sub, "build"))) {
		gate_error("--ci builds an image of its own: give it to 'build', without --recipe");
		return opt_exit(OPT_ERROR, image_usage, opts);
	}
	if (argc > 1 && !o.recipe) {
		gate_error("too many arguments");
		return opt_exit(OPT_ERROR, image_usage, opts);
	}
	setup_init(&s);
	cli.config = o.config;
	if (setup_load(&s, &cli, SETUP_ANY_DIR)) {
		gate_error_print("error");
		goto out;
	}
	if (!strcmp(sub, "list"))
		ret = image_list(&o, s.cfg);
	else
		ret = image_build(&o, s.cfg, ctx, argv + 1, argc - 1);
out:
	setup_dispose(&s);
	return ret;
}
