/* reach.h: whether a TCP service answers: a bounded connect, optionally one
 * request and its first reply line. For doctor; never prints or exits. */
#ifndef CTR_REACH_H
#define CTR_REACH_H

#include "strbuf.h"

/*
 * Connects to host:port (a name or an address) within timeout_ms. When
 * hello is not NULL it is sent and the first line of the answer (up to
 * 127 bytes, without the line end) is appended to reply. Returns 0 when
 * the service answered, else -1 with the reason in the error slot
 * ("connection refused", "timed out", "unknown host").
 */
int ctr_reach_tcp(const char *host, unsigned int port, int timeout_ms,
		  const char *hello, struct strbuf *reply);

/*
 * The same connect for a caller that relays the connection: a blocking,
 * close-on-exec descriptor, or -1. Sets no error (it may run in a thread).
 */
int ctr_reach_connect(const char *host, unsigned int port, int timeout_ms);

#endif
