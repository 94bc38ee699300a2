/* cmd_doctor.c: the doctor command: every analyzer and engine, found or not, its version
 * and what to install, and whether what the effective config asks for is usable. */
#include "analyzer.h"
#include "boot.h"
#include "builtin.h"
#include "ccache.h"
#include "config.h"
#include "distcc.h"
#include "error.h"
#include "exit.h"
#include "kbuild.h"
#include "options.h"
#include "patch.h"
#include "qemu.h"
#include "reach.h"
#include "setup.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/utsname.h>

static const char *const doctor_usage[] = {
	"mkt-gate doctor [--config FILE]",
	NULL,
};

/* Engines are probed like analyzers: a command and its --version. */
static const struct an_desc engines[] = {
	{ "host", AN_KIND_OBJECT, NULL, NULL, NULL, NULL },
	{ "bwrap", AN_KIND_OBJECT, "bwrap", "--version", "apt-get install bubblewrap", NULL },
	{ "podman", AN_KIND_OBJECT, "podman", "--version", "apt-get install podman", NULL },
	{ "docker", AN_KIND_OBJECT, "docker", "--version", "apt-get install docker.io", NULL },
};

#define NR_ENGINES (sizeof(engines) / sizeof(engines[0]))

static const struct an_desc distcc_desc = {
	"distcc", AN_KIND_OBJECT, "distcc", "--version", "apt-get install distcc", NULL,
};

/* A remote cache or distcc host that does not answer in 2 s is as good as down. */
#define REACH_TIMEOUT_MS 2000

struct doctor {
	const struct config *cfg;
	const char *top;	/* the repository's top, or NULL outside one */
	bool kernel_tree;
	struct strvec asked;	/* analyzers the config asks for */
	const char *engine;	/* [defaults] engine */
	int unusable;
};

static void print_row(bool asked, const char *name, const struct an_probe *p,
		      const char *hint)
{
	printf("%c %-11s %-8s %-10s %s\n", asked ? '*' : ' ', name,
	       p->found ? "ok" : "missing", p->version[0] ? p->version : "-",
	       p->found ? p->path : hint ? hint : "");
}

/* checkpatch and kernel-doc are scripts found through the tree or the config. */
static int probe_patch_tool(struct doctor *dr, const struct an_desc *d,
			    struct an_probe *p, struct strbuf *hint)
{
	struct strvec argv = STRVEC_INIT;
	struct strbuf cmd = STRBUF_INIT;
	int ret = patch_tool_command(&argv, hint, dr->cfg, d->name,
				     dr->top ? dr->top : ".", dr->kernel_tree);

	memset(p, 0, sizeof(*p));
	for (size_t i = 0; ret > 0 && i < argv.nr; i++)
		strbuf_addf(&cmd, "%s'%s'", i ? " " : "", argv.v[i]);
	if (ret > 0)
		ret = an_probe(d, cmd.buf, p);
	if (ret >= 0 && p->found)
		snprintf(p->path, sizeof(p->path), "%s", argv.v[argv.nr - 1]);
	strvec_dispose(&argv);
	strbuf_dispose(&cmd);
	return ret < 0 ? -1 : 0;
}

static int probe_analyzer(struct doctor *dr, const struct an_desc *d,
			  struct an_probe *p, struct strbuf *hint)
{
	struct strbuf sec = STRBUF_INIT;
	int ret;

	if (d->kind == AN_KIND_PATCH && d->default_command)
		return probe_patch_tool(dr, d, p, hint);
	strbuf_addf(&sec, "analyzer.%s", d->name);
	ret = an_probe(d, config_get(dr->cfg, sec.buf, "command"), p);
	if (!d->default_command)
		snprintf(p->path, sizeof(p->path), "(built in)");
	strbuf_addstr(hint, d->install_hint ? d->install_hint : "");
	strbuf_dispose(&sec);
	return ret;
}

static int list_analyzers(struct doctor *dr)
{
	struct strbuf hint = STRBUF_INIT;
	struct an_probe p;
	size_t n;
	const struct an_desc *all = an_all(&n);

	printf("analyzers (* = asked for by the config):\n");
	for (size_t i = 0; i < n; i++) {
		bool asked = strvec_find(&dr->asked, all[i].name) >= 0;

		strbuf_reset(&hint);
		if (probe_analyzer(dr, &all[i], &p, &hint)) {
			/* Found but not runnable: show why, count it as missing. */
			p.found = false;
			strbuf_reset(&hint);
			strbuf_addstr(&hint, gate_error_last());
		}
		print_row(asked, all[i].name, &p, hint.buf);
		if (asked && !p.found)
			dr->unusable++;
	}
	strbuf_dispose(&hint);
	return 0;
}

/* "auto" asks for bwrap where it is installed, else the host. */
static bool engine_asked(const struct doctor *dr, const char *name, bool bwrap_found)
{
	if (!dr->engine || !strcmp(dr->engine, "auto"))
		return !strcmp(name, bwrap_found ? "bwrap" : "host");
	return !strcmp(dr->engine, name);
}

static void list_engines(struct doctor *dr)
{
	struct an_probe p[NR_ENGINES];
	struct strbuf sec = STRBUF_INIT;
	struct utsname u;

	printf("\nengines (* = asked for by the config):\n");
	for (size_t i = 0; i < NR_ENGINES; i++) {
		strbuf_reset(&sec);
		strbuf_addf(&sec, "engine.%s", engines[i].name);
		if (an_probe(&engines[i], i ? config_get(dr->cfg, sec.buf, "command") : NULL,
			     &p[i]))
			p[i].found = false;
	}
	if (!uname(&u))
		snprintf(p[0].version, sizeof(p[0].version), "%s", u.release);
	snprintf(p[0].path, sizeof(p[0].path), "(this machine, no isolation)");
	for (size_t i = 0; i < NR_ENGINES; i++) {
		bool asked = engine_asked(dr, engines[i].name, p[1].found);

		print_row(asked, engines[i].name, &p[i], engines[i].install_hint);
		if (asked && !p[i].found)
			dr->unusable++;
	}
	gate_error_clear();
	strbuf_dispose(&sec);
}

/* The QEMU of each boot target; one the config names (qemu = PATH) must run. */
static void list_boot_qemus(struct doctor *dr)
{
	static const char mark[] = "QEMU emulator version ";
	struct strvec targets = STRVEC_INIT;
	struct strbuf path = STRBUF_INIT, v = STRBUF_INIT;
	struct an_probe p;

	if (ctr_boot_targets(&targets, dr->cfg) || !targets.nr)
		goto out;
	printf("\nboot targets, their QEMU (* = named by the target's qemu key):\n");
	for (size_t i = 0; i < targets.nr; i++) {
		strbuf_reset(&path);
		strbuf_reset(&v);
		config_get_path(dr->cfg, targets.v[i], "qemu", &path);
		memset(&p, 0, sizeof(p));
		p.found = !ctr_qemu_version(&v, path.len ? path.buf : NULL);
		if (p.found)	/* "QEMU emulator version 7.2.22 (Debian...)": 7.2.22 */
			snprintf(p.version, sizeof(p.version), "%.*s",
				 (int)strcspn(v.buf + strlen(mark), " "), v.buf + strlen(mark));
		snprintf(p.path, sizeof(p.path), "%s", path.len ? path.buf : CTR_QEMU_BINARY);
		print_row(path.len, targets.v[i], &p, gate_error_last());
		if (path.len && !p.found)
			dr->unusable++;
	}
	gate_error_clear();
out:
	strvec_dispose(&targets);
	strbuf_dispose(&path);
	strbuf_dispose(&v);
}

/* Each distcc host: reachable or why not; localhost compiles here. */
static void list_distcc_hosts(struct doctor *dr, const char *spec)
{
	struct ctr_distcc_hosts hosts = CTR_DISTCC_HOSTS_INIT;

	if (ctr_distcc_hosts_parse(&hosts, spec)) {
		printf("    %s\n", gate_error_last());
		dr->unusable++;
	}
	for (size_t i = 0; i < hosts.nr; i++) {
		const struct ctr_distcc_host *h = &hosts.v[i];

		if (h->kind == CTR_DISTCC_LOCAL) {
			printf("    host %s: compiles here, %u slots\n", h->spec, h->slots);
		} else if (ctr_reach_tcp(h->addr, h->port, REACH_TIMEOUT_MS, NULL, NULL)) {
			printf("    host %s: unreachable: %s\n", h->spec, gate_error_last());
			dr->unusable++;
		} else {
			printf("    host %s: reachable, %u slots%s\n", h->spec, h->slots,
			       h->kind == CTR_DISTCC_SSH ? " (ssh port)" : "");
		}
	}
	gate_error_clear();
	ctr_distcc_hosts_dispose(&hosts);
}

/* Whether one remote storage answers: redis a PING, http a connect, the others exist. */
static void probe_ccache_remote(struct doctor *dr, const char *url)
{
	struct ctr_ccache_remote r;
	struct strbuf reply = STRBUF_INIT;
	int ret;

	if (ctr_ccache_remote_parse(&r, url)) {
		printf("* ccache-remote %s\n", gate_error_last());
		dr->unusable++;
		return;
	}
	if (r.host)
		ret = ctr_reach_tcp(r.host, r.port, REACH_TIMEOUT_MS,
				    r.scheme == CTR_CCACHE_REDIS ? "PING\r\n" : NULL, &reply);
	else if (access(r.path, F_OK))
		ret = gate_error("%s: %s", r.path, strerror(errno));
	else
		ret = 0;
	if (ret)
		dr->unusable++;
	printf("* ccache-remote %s: %s%s%s%s\n", r.shown, ret ? "unreachable: " : "reachable",
	       ret ? gate_error_last() : "", reply.len ? ", answers " : "", reply.buf);
	gate_error_clear();
	strbuf_dispose(&reply);
	ctr_ccache_remote_dispose(&r);
}

/* Whether sandboxed jobs get a network for them: off unless ccache or ssh needs it. */
static void list_job_network(struct doctor *dr)
{
	const char *why = ctr_engine_network_reason(dr->cfg);

	if (why)
		printf("  job network: the host's, for %s\n", why);
	else
		printf("  job network: off; bwrap and podman jobs reach TCP hosts through mkt-gate's relay\n");
}

/* distcc and its hosts, and ccache's remote storage: what the jobs will reach. */
static void list_remote(struct doctor *dr)
{
	const char *hosts = config_get(dr->cfg, "defaults", "distcc_hosts");
	const char *remote = config_get(dr->cfg, "defaults", "ccache_remote");
	struct strvec urls = STRVEC_INIT;
	struct an_probe p;

	printf("\nremote compiles (* = asked for by the config):\n");
	if (an_probe(&distcc_desc, NULL, &p))
		p.found = false;
	print_row(hosts && *hosts, "distcc", &p, distcc_desc.install_hint);
	if (hosts && *hosts && !p.found)
		dr->unusable++;
	if (hosts && *hosts)
		list_distcc_hosts(dr, hosts);
	if (remote && strvec_split(&urls, remote) == 0)
		for (size_t i = 0; i < urls.nr; i++)
			probe_ccache_remote(dr, urls.v[i]);
	if (!urls.nr)
		printf("  ccache-remote (not set: [defaults] ccache_remote)\n");
	if ((hosts && *hosts) || urls.nr)
		list_job_network(dr);
	gate_error_clear();
	strvec_dispose(&urls);
}

static int load(struct doctor *dr, struct setup *s, const char *config_file)
{
	const struct setup_cli cli = { .config = config_file };

	if (setup_load(s, &cli, SETUP_ANY_DIR) || an_enabled_list(s->cfg, &dr->asked))
		return -1;
	dr->cfg = s->cfg;
	dr->top = s->repo.top;
	dr->kernel_tree = dr->top && kbuild_detect(dr->top);
	dr->engine = config_get(dr->cfg, "defaults", "engine");
	return 0;
}

int cmd_doctor(int argc, const char **argv, struct gate_ctx *ctx)
{
	const char *config_file = NULL;
	struct option opts[] = {
		OPT_STRING(0, "config", &config_file, "file", "read this config file last"),
		OPT_END(),
	};
	struct doctor dr = { NULL, NULL, false, STRVEC_INIT, NULL, 0 };
	struct setup s;
	int ret;

	argc = opt_parse(argc, argv, opts, 0);
	if (argc < 0)
		return opt_exit(argc, doctor_usage, opts);
	if (argc > 0) {
		gate_error("too many arguments");
		return opt_exit(OPT_ERROR, doctor_usage, opts);
	}
	ret = GATE_EXIT_USAGE;
	setup_init(&s);
	if (load(&dr, &s, config_file)) {
		gate_error_print("error");
		goto out;
	}
	printf("repository: %s%s\n\n", dr.top ? dr.top : "(none)",
	       dr.kernel_tree ? " (a kernel tree)" : "");
	list_analyzers(&dr);
	list_engines(&dr);
	list_boot_qemus(&dr);
	list_remote(&dr);
	ret = GATE_EXIT_OK;
	if (dr.unusable) {
		fprintf(stderr, "error: %d of the tools the config asks for cannot be used here\n",
			dr.unusable);
		fprintf(stderr, "hint: install what the rows marked '*' and 'missing' say, or change [defaults] analyzers and engine\n");
		ret = GATE_EXIT_INFRA;
	}
out:
	strvec_dispose(&dr.asked);
	setup_dispose(&s);
	return ret;
}
