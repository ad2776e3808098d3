/*
 * init's way to the Axiom on x86_64 (docs/boot.md "Restarts"): a channel
 * through a capability whose badge binds it to the node principal
 * (AXIOM_BADGE_AS(AXIOM_BIND_NODE), docs/services.md "Proposers bound to
 * principals") with AXIOM_BADGE_INIT, over which init records the
 * supervisor's svc.* entries.  An entry waits in a queue while the Axiom,
 * the key service that signs its checkpoints or the disk driver is down,
 * and is committed in order once they are all back, so the Axiom's own
 * exit is recorded by the Axiom that replaced it.  init calls the Axiom
 * only then: a call to a process that is gone would wait on its endpoint
 * for a restart that only init can make.
 */
#ifndef ZERO_SERVICES_INIT_X86_64_RECORD_H
#define ZERO_SERVICES_INIT_X86_64_RECORD_H

#include <stdbool.h>
#include <stdint.h>

#include "services/axiom/entry.h"
#include "svcrt/runtime.h"
#include "svcrt/x86_64/rtx.h"

#define REC_PENDING 48
#define REC_CHANNEL 6 /* init's channel in the Axiom's process (5: the COM2 listener) */
#define REC_VA 0x0000610000000000ull
/* Axiom operation of the process (services.c): the key service is back, hand it the
 * root secret again (init's capability only). */
#define REC_OP_KEYS_BACK 0x100u

struct init_rec {
    struct rt rt;
    struct rtx_chan chan;
    struct rtx_proxy px;
    uint64_t ep; /* ZERO_CAP_NONE: no channel (nothing is recorded) */
    int self, h;
    bool open;
    uint32_t n;
    struct ax_action q[REC_PENDING];
};

/* Sets r up with ep, init's badged capability to the Axiom; the channel opens at the first use. */
void init_rec_init(struct init_rec *r, uint64_t ep);

/* A new capability ep (the old one was revoked); what waits stays queued. */
void init_rec_set_ep(struct init_rec *r, uint64_t ep);

/* Queues a (its proposer is set to the node's name when committed). */
void init_rec_put(struct init_rec *r, const struct ax_action *a);

/* Commits the queue in order while the Axiom answers; up: the Axiom, keys and the disk run. */
void init_rec_flush(struct init_rec *r, bool up);

/* Asks the Axiom's process to hand a restarted key service the root secret; 0 or ZERR_*. */
int init_rec_keys_back(struct init_rec *r);

/*
 * The test build: proposes a note as another principal than the node
 * through init's bound capability and prints what the Axiom answered and
 * the entries before and after (tests/system/restart.t).
 */
void init_rec_probe(struct init_rec *r);

#endif
