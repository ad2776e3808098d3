/* The network's authorization by the Axiom (see auth.h). */
#include "services/net/auth.h"

#include "base/errors.h"
#include "base/string.h"
#include "services/axiom/net.h"

int netauth_init(struct netauth *na, struct rt *rt, uint32_t self, uint32_t h_axiom,
                 const char *principal)
{
    size_t n = strlen(principal);

    memset(na, 0, sizeof(*na));
    if (n > ID_NAME_MAX) {
        return ZERR_INVAL;
    }
    na->rt = rt;
    na->self = self;
    na->h_axiom = h_axiom;
    memcpy(na->principal, principal, n + 1);
    return 0;
}

/* Submits a and waits for the commit; 0 or the Axiom's error (reason in na->last). */
static int netauth_submit(struct netauth *na, const struct ax_action *a)
{
    memset(&na->last, 0, sizeof(na->last));
    int err = axiom_submit(na->rt, na->self, na->h_axiom, a, &na->last);
    if (err == 0) {
        na->committed++;
    } else {
        na->refused++;
        if (na->last.why[0] == '\0') {
            memcpy(na->last.why, "the Axiom is unreachable", 25);
        }
    }
    return err;
}

int netauth_authorize(struct netauth *na, enum net_auth kind, uint32_t ip, uint16_t port)
{
    struct ax_action a;
    int err;

    if (kind == NET_AUTH_UDP) {
        return 0;
    }
    if (kind == NET_AUTH_CONNECT) {
        err = ax_net_action(&a, AX_NET_CONNECT, na->principal, ip, port, 0);
    } else {
        err = ax_net_action(&a, AX_NET_LISTEN, na->principal, 0, 0, port);
    }
    if (err == 0) {
        err = netauth_submit(na, &a);
    }
    return err == 0 ? 0 : ZERR_DENIED;
}

void netauth_accepted(struct netauth *na, const net_stack *s, int listener, int sock, uint32_t ip,
                      uint16_t port)
{
    struct net_sock_info info;

    if (na->queued == NETAUTH_QUEUE || net_sock_info(s, sock, &info) != 0) {
        na->accepts_refused++; /* cannot be recorded: netauth_pending keeps it from the app */
        return;
    }
    na->queue[na->queued++] = (struct netauth_accept){listener, sock, ip, port, info.local_port};
}

unsigned netauth_flush(struct netauth *na, net_stack *s, uint64_t now)
{
    unsigned done = 0;

    for (unsigned i = 0; i < na->queued; i++) {
        const struct netauth_accept *q = &na->queue[i];
        struct ax_action a;
        int err = ax_net_action(&a, AX_NET_ACCEPT, na->principal, q->ip, q->port, q->local_port);
        if (err == 0) {
            err = netauth_submit(na, &a);
        }
        if (err != 0) {
            na->accepts_refused++;
            (void)net_tcp_abort(s, q->sock, now);
        } else {
            done++;
        }
    }
    na->queued = 0;
    return done;
}

bool netauth_pending(const struct netauth *na, int sock)
{
    for (unsigned i = 0; i < na->queued; i++) {
        if (na->queue[i].sock == sock) {
            return true;
        }
    }
    return false;
}
