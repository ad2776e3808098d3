/*
 * The HTTP server's net.accept records (see httpd.h): every connection its
 * listener accepts is recorded in the Axiom, as the principal that started
 * the server, before the server reads a byte of it.  The handshake itself
 * waits for nothing: the stack completes it, the record is queued, and the
 * service's loop commits the queue after the batch of frames (its replies
 * already handed to the driver) and before httpd_step.
 */
#include "base/errors.h"
#include "base/fmt.h"
#include "base/string.h"
#include "services/axiom/net.h"
#include "services/axiom/service.h"
#include "services/net/x86_64/httpd.h"
#include "zero/zero.h"

/* Runs inside the stack (no call back into it): only queues.  The queue has
 * a place per socket, so it never overflows. */
void httpd_accepted(struct httpd *h, int sock, uint32_t ip, uint16_t port)
{
    if (h->nrec < sizeof(h->rec) / sizeof(h->rec[0])) {
        h->rec[h->nrec++] = (struct httpd_accept){sock, ip, port};
    }
}

unsigned httpd_record(struct httpd *h, uint64_t now)
{
    uint64_t seq[sizeof(h->rec) / sizeof(h->rec[0])];
    bool ok[sizeof(h->rec) / sizeof(h->rec[0])];
    unsigned n = h->nrec, done = 0;
    if (n == 0) {
        return 0;
    }
    h->nrec = 0;
    for (unsigned i = 0; i < n; i++) {
        struct ax_action a;
        struct axiom_result res;
        memset(&res, 0, sizeof(res));
        int err = h->fs.ready ? ax_net_action(&a, AX_NET_ACCEPT, h->owner, h->rec[i].ip,
                                              h->rec[i].port, h->port)
                              : ZERR_UNSUPPORTED; /* no Axiom: not recorded, so not served */
        err = err != 0 ? err : axiom_propose_held(&h->fs.rt, h->fs.me, h->fs.h_axiom, &a, &res);
        ok[i] = err == 0;
        seq[i] = res.seq;
        if (err != 0) {
            zprintf("net: net.accept %u.%u.%u.%u:%u refused: %s\n", h->rec[i].ip >> 24,
                    (h->rec[i].ip >> 16) & 255, (h->rec[i].ip >> 8) & 255, h->rec[i].ip & 255,
                    h->rec[i].port, res.why[0] != '\0' ? res.why : zerr_text(err));
        }
    }
    int err = axiom_commit_held(&h->fs.rt, h->fs.me, h->fs.h_axiom);
    for (unsigned i = 0; i < n; i++) {
        const struct httpd_accept *q = &h->rec[i];
        if (!ok[i] || err != 0) {
            h->refused++;
            (void)net_tcp_abort(h->s, q->sock, now);
            continue;
        }
        h->recorded++;
        done++;
        zprintf("net: net.accept %u.%u.%u.%u:%u on port %u recorded #%llu\n", q->ip >> 24,
                (q->ip >> 16) & 255, (q->ip >> 8) & 255, q->ip & 255, q->port, h->port,
                (unsigned long long)seq[i]);
    }
    return done;
}
