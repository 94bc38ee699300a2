/* image.c: makes the support images: Containerfile build or mmdebstrap +
 * import, recipes committed as derived images, and the list. Never prints or exits. */
#include "image.h"
#include "config.h"
#include "error.h"
#include "fs.h"
#include "proc.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define IMAGE_SUITE "bookworm"
#define IMAGE_BASE "debian:" IMAGE_SUITE
#define REGISTRY_HOST "registry-1.docker.io"
#define REGISTRY_TIMEOUT_MS 3000
/* A full toolchain image on a slow mirror; a recipe building a big tool. */
#define BUILD_TIMEOUT_S 3600

static void progress(const struct ctr_image_opts *o, const char *line)
{
	if (o->progress)
		o->progress(o->progress_data, line);
}

/* The last non-empty line of a tool's output, for an error message. */
static const char *last_line(struct strbuf *sb)
{
	char *nl;

	strbuf_trim_trailing(sb);
	nl = strrchr(sb->buf, '\n');
	return nl ? nl + 1 : sb->len ? sb->buf : "no output";
}

/* Runs args to the end; on failure records what failed with its last line. */
static int run_tool(const char *const *args, const char *dir, unsigned int timeout_s)
{
	struct strbuf out = STRBUF_INIT;
	struct proc p;
	int status;

	proc_init(&p);
	strvec_pushv(&p.args, args);
	p.dir = dir;
	status = proc_capture(&p, &out, NULL, timeout_s);
	if (status == 127 || status < 0)
		gate_error("cannot run '%s'", args[0]);
	else if (status)
		gate_error("'%s %s' failed (exit %d): %s", args[0], args[1], status,
			   last_line(&out));
	proc_dispose(&p);
	strbuf_dispose(&out);
	return status ? -1 : 0;
}

int ctr_image_context_dir(const char *self, struct strbuf *out)
{
	if (config_data_path(self, "containers/image/packages.txt", out)) {
		gate_error_hint("install mkt-gate ('make install'), or run the binary from its build directory");
		return -1;
	}
	strbuf_setlen(out, out->len - strlen("/packages.txt"));
	return 0;
}

int ctr_packages_read(const char *path, struct strvec *out)
{
	struct strbuf text = STRBUF_INIT;
	char *line, *save = NULL;
	int ret = -1;

	if (strbuf_read_file(&text, path)) {
		gate_error("cannot read the package list '%s'", path);
		goto out;
	}
	for (line = strtok_r(text.buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *hash = strchr(line, '#');

		if (hash)
			*hash = '\0';
		if (strvec_split(out, line))
			goto out;
	}
	ret = 0;
	if (!out->nr)
		ret = gate_error("the package list '%s' is empty", path);
out:
	strbuf_dispose(&text);
	return ret;
}

bool ctr_registry_reachable(void)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *ai = NULL;
	struct pollfd pfd = { .fd = -1, .events = POLLOUT };
	int err = -1;
	socklen_t len = sizeof(err);

	if (getaddrinfo(REGISTRY_HOST, "443", &hints, &ai) || !ai)
		return false;
	pfd.fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (pfd.fd < 0)
		goto out;
	if (!connect(pfd.fd, ai->ai_addr, ai->ai_addrlen))
		err = 0;
	else if (errno == EINPROGRESS && poll(&pfd, 1, REGISTRY_TIMEOUT_MS) == 1)
		getsockopt(pfd.fd, SOL_SOCKET, SO_ERROR, &err, &len);
out:
	if (pfd.fd >= 0)
		close(pfd.fd);
	freeaddrinfo(ai);
	return !err;
}

/* A private directory for the build's files, under $TMPDIR or /var/tmp. */
static char *make_tmpdir(void)
{
	const char *tmp = getenv("TMPDIR");
	char *dir = NULL;

	if (asprintf(&dir, "%s/mkt-gate-image.XXXXXX", tmp && *tmp ? tmp : "/var/tmp") < 0) {
		gate_error("out of memory");
		return NULL;
	}
	if (!mkdtemp(dir)) {
		gate_error("cannot create a temporary directory '%s': %s", dir, strerror(errno));
		free(dir);
		return NULL;
	}
	return dir;
}

static int copy_into(const char *from, const char *dir, const char *name)
{
	struct strbuf to = STRBUF_INIT;
	int ret = strbuf_addf(&to, "%s/%s", dir, name) ? gate_error("out of memory") :
		  gate_copy_file(from, to.buf);

	strbuf_dispose(&to);
	return ret;
}

/* Removes a private directory and frees its name; NULL is a no-op. */
static void drop_tmpdir(char *dir)
{
	if (dir)
		gate_remove_tree(dir);
	free(dir);
}

/* Removes a container, recording no error: the one that matters is already set. */
static void remove_container(const char *command, const char *name)
{
	struct strbuf out = STRBUF_INIT;
	struct proc p;

	proc_init(&p);
	strvec_pushv(&p.args, (const char *[]){ command, "rm", "-f", name, NULL });
	proc_capture(&p, &out, NULL, 120);
	proc_dispose(&p);
	strbuf_dispose(&out);
}

/* Whether the engine has the image, without pulling it. */
static bool has_image(const char *command, const char *image)
{
	const char *args[] = { command, "image", "inspect", "--format", "{{.Id}}", image, NULL };
	bool ok = !run_tool(args, NULL, 60);

	gate_error_clear();
	return ok;
}

/* mmdebstrap into tmp/rootfs.tar, then import it as name. */
static int build_offline(const struct ctr_image_opts *o, const struct strvec *pkgs,
			 const char *tmp, const char *name)
{
	struct strbuf include = STRBUF_INIT, tar = STRBUF_INIT;
	int ret = -1;

	strbuf_addstr(&include, "--include=");
	strvec_join(pkgs, ",", &include);
	if (strbuf_addf(&tar, "%s/rootfs.tar", tmp)) {
		gate_error("out of memory");
		goto out;
	}
	progress(o, "running mmdebstrap (offline build: no registry)");
	if (run_tool((const char *[]){ "mmdebstrap", "--variant=apt", include.buf,
		     IMAGE_SUITE, tar.buf, NULL }, tmp, BUILD_TIMEOUT_S)) {
		gate_error_hint("mmdebstrap needs the Debian mirror of /etc/apt (apt-get install mmdebstrap)");
		goto out;
	}
	progress(o, "importing the root file system");
	ret = run_tool((const char *[]){ o->command, "import", "--change", "CMD=/bin/bash",
		       "--change", "ENV=LANG=C.UTF-8", tar.buf, name, NULL }, tmp, 600);
out:
	strbuf_dispose(&include);
	strbuf_dispose(&tar);
	return ret;
}

/* `build` from a context in tmp holding Containerfile and packages.txt. */
static int build_online(const struct ctr_image_opts *o, const char *pkgs_file,
			const char *tmp, const char *name)
{
	struct strbuf cf = STRBUF_INIT;
	int ret = -1;

	if (strbuf_addf(&cf, "%s/Containerfile", o->context) ||
	    copy_into(cf.buf, tmp, "Containerfile") ||
	    copy_into(pkgs_file, tmp, "packages.txt"))
		goto out;
	progress(o, "building from the Containerfile (FROM " IMAGE_BASE ")");
	ret = run_tool((const char *[]){ o->command, "build", "-t", name, "-f",
		       "Containerfile", ".", NULL }, tmp, BUILD_TIMEOUT_S);
out:
	strbuf_dispose(&cf);
	return ret;
}

/* Both lists as one file tmp/all-packages.txt, for the Containerfile. */
static int write_packages(const struct strvec *pkgs, const char *tmp, struct strbuf *path)
{
	struct strbuf text = STRBUF_INIT;
	int ret = 0;

	for (size_t i = 0; i < pkgs->nr && !ret; i++)
		ret = strbuf_addf(&text, "%s\n", pkgs->v[i]);
	strbuf_reset(path);
	if (ret || strbuf_addf(path, "%s/all-packages.txt", tmp))
		ret = gate_error("out of memory");
	else
		ret = strbuf_write_file(&text, path->buf);
	strbuf_dispose(&text);
	return ret;
}

int ctr_image_build(const struct ctr_image_opts *o, const char *name)
{
	struct strbuf pkgs_file = STRBUF_INIT;
	struct strvec pkgs = STRVEC_INIT;
	char *tmp = NULL;
	int ret = -1;

	if (o->packages)
		strbuf_addstr(&pkgs_file, o->packages);
	else
		strbuf_addf(&pkgs_file, "%s/packages.txt", o->context);
	if (ctr_packages_read(pkgs_file.buf, &pkgs) ||
	    (o->extra_packages && ctr_packages_read(o->extra_packages, &pkgs)))
		goto out;
	tmp = make_tmpdir();
	if (!tmp || (o->extra_packages && write_packages(&pkgs, tmp, &pkgs_file)))
		goto out;
	if (!o->offline && (has_image(o->command, IMAGE_BASE) || ctr_registry_reachable()))
		ret = build_online(o, pkgs_file.buf, tmp, name);
	else
		ret = build_offline(o, &pkgs, tmp, name);
out:
	drop_tmpdir(tmp);
	strvec_dispose(&pkgs);
	strbuf_dispose(&pkgs_file);
	return ret;
}

/* Clones git_url at git_commit into src on the host, or makes src empty. */
static int fetch_source(const struct ctr_recipe *r, const char *src, const char *tmp)
{
	if (!r->git_url)
		return gate_mkdirs(src);
	if (run_tool((const char *[]){ "git", "clone", "--quiet", "--no-checkout", "--",
		     r->git_url, src, NULL }, tmp, BUILD_TIMEOUT_S))
		return -1;
	return run_tool((const char *[]){ "git", "checkout", "--quiet", "--detach",
			r->git_commit, NULL }, src, 600);
}

/* tmp/src (the clone, or empty), tmp/files (other_files), tmp/build.sh. */
static int prepare_recipe(const struct ctr_recipe *r, const char *tmp)
{
	struct strbuf src = STRBUF_INIT, files = STRBUF_INIT, from = STRBUF_INIT;
	struct strbuf script = STRBUF_INIT;
	int ret = -1;

	if (strbuf_addf(&src, "%s/src", tmp) || strbuf_addf(&files, "%s/files", tmp) ||
	    gate_mkdirs(files.buf))
		goto out;
	if (fetch_source(r, src.buf, tmp))
		goto out;
	for (size_t i = 0; i < r->other_files.nr; i++) {
		char *copy = strdup(r->other_files.v[i]);

		strbuf_reset(&from);
		ret = !copy || strbuf_addf(&from, "%s/%s", r->dir, r->other_files.v[i]) ||
		      copy_into(from.buf, files.buf, basename(copy)) ? -1 : 0;
		free(copy);
		if (ret)
			goto out;
	}
	strbuf_reset(&from);
	ret = strbuf_addstr(&script, r->script) || strbuf_addf(&from, "%s/build.sh", tmp) ||
	      strbuf_write_file(&script, from.buf) ? -1 : 0;
out:
	strbuf_dispose(&src);
	strbuf_dispose(&files);
	strbuf_dispose(&from);
	strbuf_dispose(&script);
	return ret;
}

/* Runs tmp/build.sh as root in container `ctr` of image `from`, no network. */
static int run_recipe(const struct ctr_image_opts *o, const char *tmp, const char *ctr,
		      const char *from)
{
	struct strbuf vol = STRBUF_INIT, src = STRBUF_INIT, files = STRBUF_INIT;
	struct strbuf script = STRBUF_INIT;
	int ret = -1;

	if (strbuf_addf(&vol, "%s:%s", tmp, tmp) || strbuf_addf(&src, "%s/src", tmp) ||
	    strbuf_addf(&files, "MKT_RECIPE_FILES=%s/files", tmp) ||
	    strbuf_addf(&script, "%s/build.sh", tmp)) {
		gate_error("out of memory");
		goto out;
	}
	ret = run_tool((const char *[]){ o->command, "run", "--name", ctr, "--pull=never",
		       "--network=none", "--user", "0:0", "-v", vol.buf, "-w", src.buf,
		       "-e", files.buf, from, "sh", "-e", script.buf, NULL },
		       tmp, BUILD_TIMEOUT_S);
out:
	strbuf_dispose(&vol);
	strbuf_dispose(&src);
	strbuf_dispose(&files);
	strbuf_dispose(&script);
	return ret;
}

int ctr_image_derive(const struct ctr_image_opts *o, const struct ctr_recipe *r,
		     const char *from, const char *to)
{
	struct strbuf ctr = STRBUF_INIT, line = STRBUF_INIT;
	char *tmp = NULL;
	int ret = -1;

	if (!has_image(o->command, from)) {
		gate_error("base image '%s' not found by %s", from, o->command);
		gate_error_hint("build it first with 'mkt-gate image build --name %s'", from);
		goto out;
	}
	tmp = make_tmpdir();
	if (!tmp || strbuf_addf(&ctr, "mkt-gate-recipe-%s-%ld", r->name, (long)getpid()))
		goto out;
	strbuf_addf(&line, "recipe '%s': preparing the sources", r->name);
	progress(o, line.buf);
	if (prepare_recipe(r, tmp))
		goto out;
	strbuf_reset(&line);
	strbuf_addf(&line, "recipe '%s': running its script in '%s'", r->name, from);
	progress(o, line.buf);
	ret = run_recipe(o, tmp, ctr.buf, from);
	if (!ret)
		ret = run_tool((const char *[]){ o->command, "commit", ctr.buf, to, NULL },
			       tmp, 600);
	remove_container(o->command, ctr.buf);
	if (ret)
		gate_error_hint("the recipe's script failed in '%s'; try it with '%s run -it %s sh'",
				from, o->command, from);
out:
	drop_tmpdir(tmp);
	strbuf_dispose(&ctr);
	strbuf_dispose(&line);
	return ret;
}

/*
 * The recipe that puts mkt-gate into an image: this one as `cmake --install`
 * lays it out under /usr/local, or a .deb (its Depends must be there: no
 * network). Then it runs both binaries, so that one built for another
 * system fails here and not in the first CI job.
 */
static const char gate_install_self[] =
	"other_files: mkt-gate " MKT_GATE_FULL " configs.tar\n\n"
	"install -D -m 755 \"$MKT_RECIPE_FILES/mkt-gate\" /usr/local/bin/mkt-gate\n"
	"install -D -m 755 \"$MKT_RECIPE_FILES/" MKT_GATE_FULL "\" "
	"/usr/local/libexec/mkt-gate/" MKT_GATE_FULL "\n"
	"mkdir -p /usr/local/share/mkt-gate/configs\n"
	"tar -C /usr/local/share/mkt-gate/configs -xf \"$MKT_RECIPE_FILES/configs.tar\"\n";

static const char gate_install_deb[] =
	"other_files: mkt-gate.deb\n\n"
	"# An earlier mkt-gate of the base in /usr/local would come first in PATH.\n"
	"rm -rf /usr/local/bin/mkt-gate /usr/local/libexec/mkt-gate /usr/local/share/mkt-gate\n"
	"dpkg -i \"$MKT_RECIPE_FILES/mkt-gate.deb\"\n";

static const char gate_recipe_tail[] =
	"# A CI job's checkout may belong to another user than the container's\n"
	"# root: git takes '*', libgit2 1.5 only a path (the README mounts at /src).\n"
	"git config --system --add safe.directory '*'\n"
	"git config --system --add safe.directory /src\n"
	"mkt-gate --version\n"
	"mkt-gate help >/dev/null\n";

/* stage/: both binaries and configs.tar, from this mkt-gate. */
static int stage_self(const char *self, const char *stage)
{
	struct strbuf configs = STRBUF_INIT, tar = STRBUF_INIT;
	int ret = -1;

	if (config_data_path(self, "configs", &configs) ||
	    copy_into(self, stage, "mkt-gate") ||
	    copy_into("/proc/self/exe", stage, MKT_GATE_FULL))
		goto out;
	if (strbuf_addf(&tar, "%s/configs.tar", stage)) {
		gate_error("out of memory");
		goto out;
	}
	ret = run_tool((const char *[]){ "tar", "-C", configs.buf, "--exclude=*.cmake",
		       "-cf", tar.buf, ".", NULL }, stage, 600);
out:
	strbuf_dispose(&configs);
	strbuf_dispose(&tar);
	return ret;
}

/* stage/: what the recipe installs, and the recipe itself. */
static int stage_gate(const char *self, const char *deb, const char *stage,
		      struct strbuf *recipe)
{
	struct strbuf text = STRBUF_INIT;
	int ret = -1;

	if (deb ? copy_into(deb, stage, "mkt-gate.deb") : stage_self(self, stage))
		goto out;
	if (strbuf_addf(recipe, "%s/mkt-gate.recipe", stage) ||
	    strbuf_addstr(&text, "# mkt-gate.recipe: written by 'mkt-gate image build --ci'.\n") ||
	    strbuf_addstr(&text, deb ? gate_install_deb : gate_install_self) ||
	    strbuf_addstr(&text, gate_recipe_tail)) {
		gate_error("out of memory");
		goto out;
	}
	ret = strbuf_write_file(&text, recipe->buf);
out:
	strbuf_dispose(&text);
	return ret;
}

int ctr_image_add_gate(const struct ctr_image_opts *o, const char *self, const char *deb,
		       const char *from, const char *to)
{
	struct strbuf recipe = STRBUF_INIT;
	struct ctr_recipe r;
	char *stage = make_tmpdir();
	int ret = -1;

	ctr_recipe_init(&r);
	if (!stage || stage_gate(self, deb, stage, &recipe) || ctr_recipe_load(&r, recipe.buf))
		goto out;
	progress(o, deb ? "installing the .deb in the image" : "adding this mkt-gate to the image");
	ret = ctr_image_derive(o, &r, from, to);
	if (ret && deb)
		gate_error_hint("the image needs the .deb's Depends (containers/image/ci-packages.txt)");
	else if (ret)
		gate_error_hint("a mkt-gate built for another system cannot run in Debian "
				IMAGE_SUITE ": build it there, or give --deb");
out:
	ctr_recipe_dispose(&r);
	drop_tmpdir(stage);
	strbuf_dispose(&recipe);
	return ret;
}

int ctr_image_list(const char *command, struct strbuf *out)
{
	struct proc p;
	int status;

	proc_init(&p);
	strvec_pushv(&p.args, (const char *[]){ command, "images", "--filter",
			     "reference=*mkt-gate*", NULL });
	status = proc_capture(&p, out, NULL, 60);
	proc_dispose(&p);
	if (status == 127 || status < 0)
		return gate_error("cannot run '%s'", command);
	if (status)
		return gate_error("'%s images' failed (exit %d): %s", command, status,
				  last_line(out));
	return 0;
}
