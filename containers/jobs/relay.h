/* relay.h: forwards connections on private unix sockets to TCP services, so jobs
 * without a network reach distcc hosts. Runs threads; never prints or exits. */
#ifndef CTR_RELAY_H
#define CTR_RELAY_H

/*
 * Jobs run untrusted code (a Makefile of anyone's patch set), so they get
 * no network; what they may reach is a unix socket per service in one
 * private directory, bound into the job. A connection on socket NAME is
 * forwarded, both ways and with half-closes, to its host:port.
 *
 * The directory also holds "ssh", a perl script (perl-base is in every
 * Debian system and image) that distcc runs as DISTCC_SSH for an
 * "@NAME/SLOTS" host: it ignores ssh's arguments but the host and joins
 * its stdin and stdout to socket NAME. distcc speaks the same protocol
 * over that pipe as over TCP, so the far end is an ordinary distccd
 * --daemon.
 *
 * Life cycle: ctr_relay_new() (creates the directory under $TMPDIR, or
 * /tmp when $TMPDIR is too long for a socket path), ctr_relay_add() for
 * each service (the socket listens from then on), ctr_relay_start() (a
 * thread accepts; each connection gets two more, one per direction),
 * ctr_relay_free() (stops every thread, removes the sockets and the
 * directory). Strings returned are borrowed from the relay.
 */
struct ctr_relay;

int ctr_relay_new(struct ctr_relay **out);
/* Socket "relayN" (N counts from 0) for host:port; its name goes to *name. */
int ctr_relay_add(struct ctr_relay *r, const char *host, unsigned int port,
		  const char **name);
int ctr_relay_start(struct ctr_relay *r);
void ctr_relay_free(struct ctr_relay *r);

/* The directory to bind into jobs, and the helper for DISTCC_SSH in it. */
const char *ctr_relay_dir(const struct ctr_relay *r);
const char *ctr_relay_ssh(const struct ctr_relay *r);

#endif
