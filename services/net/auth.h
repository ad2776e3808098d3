/*
 * The network's authorization: lib/net's policy hook (net_ops.authorize,
 * net_ops.record_accept) answered by the Axiom.  A connect or listen is a
 * net.connect / net.listen proposal submitted through the Axiom's service
 * endpoint; the hook returns only after the Axiom committed it (or refused
 * it), so the first SYN of an allowed connect leaves after the commit and
 * a refused one never leaves.  Accepted inbound connections are queued as
 * net.accept records and committed by netauth_flush, which the caller runs
 * after each batch of frames: the handshake is never held up, and the
 * record is durable before the application is handed the connection.
 * See docs/net.md, "The policy hook".
 */
#ifndef ZERO_SERVICES_NET_AUTH_H
#define ZERO_SERVICES_NET_AUTH_H

#include <stdbool.h>
#include <stdint.h>

#include "net/net.h"
#include "services/axiom/service.h"
#include "svcrt/runtime.h"

#define NETAUTH_QUEUE NET_MAX_TCP /* accepts waiting for their record: at most one per socket */

struct netauth_accept {
    int listener, sock;
    uint32_t ip;
    uint16_t port, local_port;
};

struct netauth {
    struct rt *rt;
    uint32_t self;    /* the caller's service id in rt */
    uint32_t h_axiom; /* its capability to the Axiom (propose) */
    char principal[ID_NAME_MAX + 1];
    struct netauth_accept queue[NETAUTH_QUEUE];
    unsigned queued;
    uint64_t committed, refused, accepts_refused;
    struct axiom_result last; /* the latest answer: seq or reason */
};

/*
 * Sets na up to submit as principal through handle h_axiom of service self
 * in rt.  Returns 0 or ZERR_INVAL (name too long).
 */
int netauth_init(struct netauth *na, struct rt *rt, uint32_t self, uint32_t h_axiom,
                 const char *principal);

/*
 * The authorize hook: NET_AUTH_CONNECT and NET_AUTH_LISTEN submit a
 * proposal and wait for its commit; returns 0 (committed) or ZERR_DENIED
 * (na->last.why says why).  NET_AUTH_UDP is granted without a record
 * (docs/net.md says why).
 */
int netauth_authorize(struct netauth *na, enum net_auth kind, uint32_t ip, uint16_t port);

/* The record_accept hook: queues a net.accept record for the connection. */
void netauth_accepted(struct netauth *na, const net_stack *s, int listener, int sock, uint32_t ip,
                      uint16_t port);

/*
 * Commits the queued net.accept records, one proposal each; a connection
 * whose record the Axiom refuses is aborted (RST).  Returns how many were
 * committed.
 */
unsigned netauth_flush(struct netauth *na, net_stack *s, uint64_t now);

/* True while sock's net.accept record waits to be committed. */
bool netauth_pending(const struct netauth *na, int sock);

#endif
