/* distcc.h: distcc's host list as [defaults] distcc_hosts writes it: the hosts,
 * their ports and job slots. Parses only; never connects, prints or exits. */
#ifndef CTR_DISTCC_H
#define CTR_DISTCC_H

#include "strbuf.h"

#include <stddef.h>

/*
 * distcc's host syntax (man distcc, HOST SPECIFICATIONS): "localhost[/N]"
 * compiles here, "[USER]@HOST[/N][:COMMAND]" over ssh, "HOST[:PORT][/N]"
 * (or "HOST[/N][:PORT]") over TCP, each with optional ",lzo,cpp,auth"
 * options; "--randomize", "--localslots=N", "--localslots_cpp=N" and
 * "+zeroconf" are not hosts and are skipped. A host without /N has four
 * slots, localhost two, as distcc itself counts them.
 */
enum ctr_distcc_kind { CTR_DISTCC_LOCAL, CTR_DISTCC_TCP, CTR_DISTCC_SSH };

struct ctr_distcc_host {
	enum ctr_distcc_kind kind;
	char *spec;		/* the word as written */
	char *addr;		/* host name or address, IPv6 without brackets */
	unsigned int port;	/* TCP: 3632 unless given; ssh: 22; local: 0 */
	unsigned int slots;
};

/* Life cycle: zero it (or CTR_DISTCC_HOSTS_INIT), parse, dispose. */
struct ctr_distcc_hosts {
	struct ctr_distcc_host *v;
	size_t nr, alloc;
};

#define CTR_DISTCC_HOSTS_INIT { NULL, 0, 0 }

/* Appends the hosts of spec; a word distcc would not take is an error naming it. */
int ctr_distcc_hosts_parse(struct ctr_distcc_hosts *out, const char *spec);
void ctr_distcc_hosts_dispose(struct ctr_distcc_hosts *h);
/* The jobs the hosts take at once: the sum of their slots. */
unsigned int ctr_distcc_slots(const struct ctr_distcc_hosts *h);

/*
 * DISTCC_HOSTS for jobs without a network: the words of spec in order,
 * each TCP host as the ssh host "@NAME/SLOTS" followed by its options,
 * NAME the next of names (one per TCP host, as ctr_relay_add() gave
 * them), so distcc reaches it through DISTCC_SSH and a relay socket.
 * Other words stay as written. Appends to out.
 */
int ctr_distcc_hosts_relayed(struct strbuf *out, const char *spec,
			     const char *const *names, size_t nr_names);

#endif
