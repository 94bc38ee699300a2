/* progress.c: the live progress line of progress.h.
 * Redraws in place on a terminal, prints occasional lines otherwise. */
#include "reports/progress.h"
#include "reports/text.h"
#include "error.h"
#include "strbuf.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define TTY_INTERVAL_S 0.1
#define PLAIN_INTERVAL_S 10.0

struct rep_progress {
	FILE *f;
	int tty;
	int drawn;		/* a TTY line is on screen */
	unsigned int last_commit;
	char last_analyzer[64];
	double last_s;
	struct strbuf line;
};

int rep_progress_start(struct rep_progress **out, FILE *f,
		       enum rep_progress_mode mode)
{
	struct rep_progress *p = calloc(1, sizeof(*p));

	*out = NULL;
	if (!p)
		return gate_error("out of memory");
	p->f = f;
	p->tty = mode == REP_PROGRESS_TTY ||
		 (mode == REP_PROGRESS_AUTO && isatty(fileno(f)));
	p->last_s = -1e9;
	strbuf_init(&p->line, 128);
	*out = p;
	return 0;
}

/* Whether this update deserves output, by mode and by what changed. */
static int due(struct rep_progress *p, unsigned int commit,
	       const char *analyzer, double elapsed_s)
{
	int changed = commit != p->last_commit ||
		      strncmp(analyzer, p->last_analyzer,
			      sizeof(p->last_analyzer) - 1);

	if (!changed && elapsed_s - p->last_s <
	    (p->tty ? TTY_INTERVAL_S : PLAIN_INTERVAL_S))
		return 0;
	p->last_commit = commit;
	snprintf(p->last_analyzer, sizeof(p->last_analyzer), "%s", analyzer);
	p->last_s = elapsed_s;
	return 1;
}

void rep_progress_update(struct rep_progress *p, unsigned int commit,
			 unsigned int commits, unsigned int built,
			 unsigned int objects, const char *analyzer,
			 double elapsed_s)
{
	unsigned int secs;

	if (!p || !due(p, commit, analyzer ? analyzer : "", elapsed_s))
		return;
	secs = elapsed_s > 0 ? (unsigned int)elapsed_s : 0;
	strbuf_reset(&p->line);
	strbuf_addf(&p->line, "commit %u/%u, objects %u/%u, ", commit,
		    commits, built, objects);
	rep_text_cleanstr(&p->line, analyzer ? analyzer : "-",
			  REP_TEXT_ONELINE);
	strbuf_addf(&p->line, ", %u:%02u", secs / 60, secs % 60);
	if (p->tty)
		fprintf(p->f, "\r\033[K%s", p->line.buf);
	else
		fprintf(p->f, "progress: %s\n", p->line.buf);
	p->drawn = p->tty;
	fflush(p->f);
}

void rep_progress_clear(struct rep_progress *p)
{
	if (!p || !p->drawn)
		return;
	fputs("\r\033[K", p->f);
	fflush(p->f);
	p->drawn = 0;
}

void rep_progress_end(struct rep_progress *p)
{
	if (!p)
		return;
	rep_progress_clear(p);
	strbuf_dispose(&p->line);
	free(p);
}
