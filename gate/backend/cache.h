/* cache.h: the result cache: what one analyzer found in one unit, on disk,
 * keyed by everything that determines it, so a second run runs nothing. */
#ifndef GATE_CACHE_H
#define GATE_CACHE_H

#include "finding.h"
#include "strbuf.h"
#include "strvec.h"

#include <git2.h>

/*
 * The key covers: the analyzer, its program (path, size and mtime, so an
 * upgrade misses), its command and extra flags, the unit, its inputs (the
 * content ids of the files the unit read, or the tree it was built from
 * when those are not known), a salt from the backend (the kernel .config) and
 * mkt-gate itself (its version and binary), so a fixed parser never
 * serves what an older one read.
 * Entries live under root/results/xx/KEY.json, written through a
 * temporary file and a rename; each holds its own key, so a damaged,
 * truncated or misplaced entry is detected and ignored, never fatal.
 */
#define GATE_CACHE_KEY_LEN 32

struct gate_cache_entry {
	struct finding_list findings;
	int status;
	char *error;
	char *output;
};

/* A key of text: two FNV-1a halves, as hex. */
void gate_cache_hash(char out[GATE_CACHE_KEY_LEN + 1], const char *text);

int gate_cache_key(char out[GATE_CACHE_KEY_LEN + 1], const char *analyzer,
		   const struct strvec *command, const struct strvec *extra,
		   const char *unit, const char *inputs, const char *salt);

/* 1 on a hit (e filled, the caller disposes it), 0 on a miss. */
int gate_cache_load(const char *root, const char *key, struct gate_cache_entry *e);
/*
 * Stores what a tool that ran to its end found. A tool killed by a signal
 * (status > 128, which includes a timeout) or one that ran while the run
 * was interrupted left half an output: storing it would serve a wrong
 * verdict to every later run, so it is refused (-1) and nothing is written.
 */
int gate_cache_store(const char *root, const char *key,
		     const struct finding_list *findings, int status,
		     const char *output);
void gate_cache_entry_dispose(struct gate_cache_entry *e);

/*
 * Notes: small text files the backends keep next to the results, under
 * root/ns/xx/KEY (ns: what they are), such as a unit's dependencies as
 * of the content of the files they name, or a compilation database as
 * of its build files. Load gives 1 on a hit (text appended), 0 on a miss.
 */
#define GATE_CACHE_DEPS "deps"
#define GATE_CACHE_DBS "dbs"
int gate_cache_note_store(const char *root, const char *ns, const char *key,
			  const struct strbuf *text);
int gate_cache_note_load(const char *root, const char *ns, const char *key,
			 struct strbuf *text);

/* Keeps at most max entries of each kind, removing the least recently used. */
int gate_cache_prune(const char *root, size_t max);

#endif
