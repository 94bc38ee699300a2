/* progress.h: the live progress line the engine updates while it works.
 * Writes only to the FILE it is given; never exits. */
#ifndef REP_PROGRESS_H
#define REP_PROGRESS_H

#include <stdio.h>

enum rep_progress_mode {
	REP_PROGRESS_AUTO,	/* TTY when f is a terminal */
	REP_PROGRESS_TTY,	/* one line redrawn in place (\r, erase line) */
	REP_PROGRESS_PLAIN,	/* a line now and then, for logs */
};

struct rep_progress;

/*
 * Life cycle: rep_progress_start(), any number of rep_progress_update()
 * calls from one thread, rep_progress_end() which clears the line and
 * frees p (NULL is a no-op). Print other messages only after
 * rep_progress_clear() on a TTY, or they are overwritten.
 *
 * Updates are cheap to call often: a TTY line is redrawn at most ten
 * times a second, a plain line is printed when the commit or analyzer
 * changes or every ten seconds. elapsed_s is the time since the run began.
 */
int rep_progress_start(struct rep_progress **out, FILE *f,
		       enum rep_progress_mode mode);
void rep_progress_update(struct rep_progress *p, unsigned int commit,
			 unsigned int commits, unsigned int built,
			 unsigned int objects, const char *analyzer,
			 double elapsed_s);
void rep_progress_clear(struct rep_progress *p);
void rep_progress_end(struct rep_progress *p);

#endif
