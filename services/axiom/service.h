/*
 * The Axiom as a service: the messages other services send it through the
 * service runtime (svcrt/runtime.h).  Part of the Axiom's public
 * interface; see docs/services.md.
 */
#ifndef ZERO_SERVICES_AXIOM_SERVICE_H
#define ZERO_SERVICES_AXIOM_SERVICE_H

#include "services/axiom/axiom.h"
#include "svcrt/runtime.h"

enum axiom_op {
    AXIOM_OP_SUBMIT = 1,  /* in: struct ax_action; out: struct axiom_result (after the flush) */
    AXIOM_OP_STATE = 2,   /* out: const struct ax_state * (read-only view) */
    AXIOM_OP_HEAD = 3,    /* out: struct axiom_head */
    AXIOM_OP_VERIFY = 4,  /* out: struct axiom_result (seq, checkpoints: what verified) */
    AXIOM_OP_LOG = 5,     /* w[0]: how many of the latest; out: struct axiom_log_item[] */
    AXIOM_OP_RECEIPT = 6, /* w[0]: seq; out: struct axiom_receipt_reply */
};

/* Badge bits of capabilities to the Axiom. */
#define AXIOM_BADGE_PROPOSE 0x1u
#define AXIOM_BADGE_READ 0x2u

struct axiom_result {
    int err;
    uint64_t seq;
    uint8_t hash[AX_HASH_LEN];
    struct policy_decision dec;
    uint64_t checkpoints; /* AXIOM_OP_VERIFY: checkpoints (batches) verified */
    char why[160];
};

struct axiom_head {
    uint64_t entries;
    uint8_t head[AX_HASH_LEN];
    uint8_t state_root[AX_HASH_LEN];
    uint8_t tree_root[AX_HASH_LEN];
};

struct axiom_receipt_reply {
    int err;
    size_t len;
    uint8_t receipt[AX_RECEIPT_MAX];
    char why[160];
};

struct axiom_log_item {
    uint64_t seq;
    uint8_t hash[AX_HASH_LEN];
    uint8_t kind;
    uint32_t rule;
    char proposer[ID_NAME_MAX + 1];
    char subject[72];
};

/* The service's context: the sequencer and the device it logs to. */
struct axiom_svc {
    struct axiom ax;
    struct blk *dev;
};

/* Message handler (see enum axiom_op). */
int axiom_handle(void *self, uint64_t badge, struct rt_msg *m);

/* One line describing what an entry does ("alice (user)", "#3 allow * note *"). */
void axiom_describe(const struct ax_entry *e, char *out, size_t cap);

#endif
