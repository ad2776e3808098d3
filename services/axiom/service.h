/*
 * The Axiom as a service: the messages other services send it through the
 * service runtime (svcrt/runtime.h).  Part of the Axiom's public
 * interface; see docs/services.md.
 */
#ifndef ZERO_SERVICES_AXIOM_SERVICE_H
#define ZERO_SERVICES_AXIOM_SERVICE_H

#include "services/axiom/axiom.h"
#include "svcrt/runtime.h"

/*
 * Operations.  Every request and reply is bytes in the encoding of
 * svcrt/wire.h; the layout of each is in docs/services.md and in the
 * encoders below, which are the only code that writes or reads them.
 */
enum axiom_op {
    AXIOM_OP_SUBMIT = 1, /* in: action; out: result (after the flush) */
    /* 2 is not used: no reader gets a pointer to the Axiom's state */
    AXIOM_OP_HEAD = 3,       /* in: empty; out: head */
    AXIOM_OP_VERIFY = 4,     /* in: empty; out: result (seq, checkpoints: what verified) */
    AXIOM_OP_LOG = 5,        /* in: u32 n, u32 skip; out: u32 count, count log items */
    AXIOM_OP_PRINCIPAL = 6,  /* in: str[33] name; out: principal */
    AXIOM_OP_PRINCIPALS = 7, /* in: u32 first; out: u32 total, u32 count, count principals */
    AXIOM_OP_RULES = 8,      /* in: u32 first; out: u32 total, u32 count, count rules */
    AXIOM_OP_CHECK = 9,      /* in: check; out: decision */
    AXIOM_OP_DECIDE = 10,    /* in: action; out: result (the decision now; nothing committed) */
    /* Group commit: PROPOSE takes an action into the open batch without
     * flushing (in: action; out: result, not yet durable); COMMIT makes
     * every waiting entry durable with one flush (in, out: empty).  A
     * caller acknowledges a proposed entry only after its COMMIT returned
     * 0, and keeps other proposers out in between (services/axiom/client.c). */
    AXIOM_OP_PROPOSE = 11,
    AXIOM_OP_COMMIT = 12,
    AXIOM_OP_RECEIPT = 13, /* in: u64 seq; out: the receipt's bytes (docs/formats.md "Receipt") */
    AXIOM_OP_FS_STAT = 14, /* in: str[512] path; out: fs node */
    AXIOM_OP_FS_LIST =
        15,             /* in: str[512] path, bool all, u32 first; out: u32 total, count, nodes */
    AXIOM_OP_BIND = 16, /* in: u32 slot, str[33] principal; out: empty (AXIOM_BADGE_INIT) */
};

/* Badge bits of capabilities to the Axiom. */
#define AXIOM_BADGE_PROPOSE 0x1u
#define AXIOM_BADGE_READ 0x2u
/* init's capability: may bind slots (AXIOM_OP_BIND) and tell the Axiom's
 * process about its dependencies (services/init/x86_64). */
#define AXIOM_BADGE_INIT 0x4u
/*
 * Bits 8..15: the binding slot (docs/services.md "Proposers bound to
 * principals").  0: unbound, the proposer is the caller's to name (the
 * console's services, acting for whoever is logged in); 1: only the node
 * principal; 2..AXIOM_BIND_SLOTS-1: only the principal init bound the
 * slot to (a slot not bound refuses every proposal).
 */
#define AXIOM_BADGE_AS(slot) ((uint64_t)(slot) << 8)
#define AXIOM_BADGE_SLOT(badge) ((uint32_t)(((badge) >> 8) & 0xffu))
#define AXIOM_BIND_NODE 1u
#define AXIOM_BIND_SLOTS 16u
/* SUBMIT, PROPOSE and COMMIT, but only of net.accept records: what the
 * network service holds to record the connections its HTTP server accepts
 * (docs/net.md); it can propose nothing else. */
#define AXIOM_BADGE_NET_ACCEPT 0x8u
/* SUBMIT, PROPOSE and COMMIT, but only of proposals signed outside the
 * node (has_sig; the state machine checks the signature under the
 * proposer's key): what the COM2 server holds (docs/formats.md, "Over a
 * serial port").  Nothing through it can propose as the node. */
#define AXIOM_BADGE_SIGNED 0x10u

#define AXIOM_NAME_FIELD (ID_NAME_MAX + 1)     /* str[33] */
#define AXIOM_RULE_FIELD (POLICY_TEXT_MAX + 1) /* str[256] */
#define AXIOM_WHY_FIELD 160                    /* str[160] */
#define AXIOM_SUBJECT_FIELD 72                 /* str[72] */
#define AXIOM_DATA_MAX AX_ENTRY_MAX            /* a note's bytes in a submit */
#define AXIOM_PATH_FIELD (FS_PATH_MAX + 1)     /* str[512] */
#define AXIOM_ACTION_FIXED 1870u               /* an action without its data */
#define AXIOM_ACTION_MAX (AXIOM_ACTION_FIXED + AXIOM_DATA_MAX)
#define AXIOM_RESULT_LEN 217u
#define AXIOM_HEAD_LEN 137u
#define AXIOM_LOG_ITEM_LEN 150u
#define AXIOM_LOG_MAX 1000u /* entries one AXIOM_OP_LOG may ask for */
#define AXIOM_PRINCIPAL_LEN 121u
#define AXIOM_RULE_LEN 261u
#define AXIOM_CHECK_LEN (3u * AXIOM_NAME_FIELD)
#define AXIOM_DECISION_LEN (5u + AXIOM_WHY_FIELD)
#define AXIOM_FS_NODE_LEN (AXIOM_PATH_FIELD + FS_OWNER_MAX + 1u + CAS_HASH + 21u) /* 598 */
#define AXIOM_FS_LIST_PAGE 16u /* nodes one axiom_fs_list call asks for at most */

struct axiom_result {
    int err;
    uint64_t seq;
    uint8_t hash[AX_HASH_LEN];
    struct policy_decision dec;
    uint64_t checkpoints; /* AXIOM_OP_VERIFY: checkpoints (batches) verified */
    char why[AXIOM_WHY_FIELD];
};

struct axiom_head {
    uint64_t entries;
    uint8_t head[AX_HASH_LEN];
    uint8_t state_root[AX_HASH_LEN];
    uint8_t tree_root[AX_HASH_LEN];
    char node[AXIOM_NAME_FIELD]; /* the genesis node's name */
};

struct axiom_log_item {
    uint64_t seq;
    uint8_t hash[AX_HASH_LEN];
    uint8_t kind;
    uint32_t rule;
    char proposer[AXIOM_NAME_FIELD];
    char subject[AXIOM_SUBJECT_FIELD];
};

/* "Would proposer be allowed action on resource now?" (AXIOM_OP_CHECK). */
struct axiom_check {
    char proposer[AXIOM_NAME_FIELD];
    char action[AXIOM_NAME_FIELD];
    char resource[AXIOM_NAME_FIELD];
};

struct axiom_decision {
    struct policy_decision dec;
    char why[AXIOM_WHY_FIELD];
};

/* ---- the encodings (services/axiom/msg.c); encoders: 0 with *len or ZERR_RANGE ---- */

int axiom_action_encode(const struct ax_action *a, void *buf, size_t cap, size_t *len);
/* a->data points into buf. */
int axiom_action_decode(const void *buf, size_t len, struct ax_action *a);
int axiom_result_encode(const struct axiom_result *r, void *buf, size_t cap, size_t *len);
int axiom_result_decode(const void *buf, size_t len, struct axiom_result *r);
int axiom_head_encode(const struct axiom_head *h, void *buf, size_t cap, size_t *len);
int axiom_head_decode(const void *buf, size_t len, struct axiom_head *h);
int axiom_check_encode(const struct axiom_check *c, void *buf, size_t cap, size_t *len);
int axiom_check_decode(const void *buf, size_t len, struct axiom_check *c);
int axiom_decision_encode(const struct axiom_decision *d, void *buf, size_t cap, size_t *len);
int axiom_decision_decode(const void *buf, size_t len, struct axiom_decision *d);
struct wire_out;
struct wire_in;
void axiom_log_item_put(struct wire_out *w, const struct axiom_log_item *it);
void axiom_log_item_get(struct wire_in *r, struct axiom_log_item *it);
void axiom_principal_put(struct wire_out *w, const struct id_principal *p);
void axiom_principal_get(struct wire_in *r, struct id_principal *p);
/* A rule as a reader sees it: a client that needs the parsed form parses the text. */
struct axiom_rule {
    uint32_t id;
    uint8_t effect;
    char text[AXIOM_RULE_FIELD];
};
void axiom_rule_put(struct wire_out *w, const struct policy_rule *rule);
void axiom_rule_get(struct wire_in *r, struct axiom_rule *rule);

/* The filesystem's queries (services/axiom/fsq.c): the node at a path, and
 * a page of the children of a directory (all: of every node under it, at
 * any depth), path order.  The _reply functions answer m against st. */
void axiom_fs_node_put(struct wire_out *w, const struct fs_node *n);
void axiom_fs_node_get(struct wire_in *r, struct fs_node *n);
int axiom_fs_stat_reply(const struct ax_state *st, struct rt_msg *m);
int axiom_fs_list_reply(const struct ax_state *st, struct rt_msg *m);
/* The node at path: 0, ZERR_INVAL (not a path), ZERR_NOENT, or the call's error. */
int axiom_fs_stat(struct rt *rt, uint32_t caller, uint32_t h, const char *path,
                  struct fs_node *out);
/* Up to cap (at most AXIOM_FS_LIST_PAGE) nodes from number first on; *n got, *total
 * in all.  ZERR_NOENT: no such directory; ZERR_PERM: path is a file. */
int axiom_fs_list(struct rt *rt, uint32_t caller, uint32_t h, const char *path, bool all,
                  uint32_t first, struct fs_node *out, uint32_t cap, uint32_t *n, uint32_t *total);

/* ---- a client's calls (services/axiom/client.c), through handle h of caller ---- */

/* Submits a; res gets the outcome (its why on a refusal).  The handler's result. */
int axiom_submit(struct rt *rt, uint32_t caller, uint32_t h, const struct ax_action *a,
                 struct axiom_result *res);
/* Would a be allowed now?  res gets the decision and why; nothing is committed. */
int axiom_decide(struct rt *rt, uint32_t caller, uint32_t h, const struct ax_action *a,
                 struct axiom_result *res);

/* Group commit (AXIOM_OP_PROPOSE, AXIOM_OP_COMMIT; services/axiom/group.c):
 * propose without a flush, then one flush for all that wait. */
int axiom_propose_held(struct rt *rt, uint32_t caller, uint32_t h, const struct ax_action *a,
                       struct axiom_result *res);
int axiom_commit_held(struct rt *rt, uint32_t caller, uint32_t h);
int axiom_get_head(struct rt *rt, uint32_t caller, uint32_t h, struct axiom_head *out);
int axiom_verify(struct rt *rt, uint32_t caller, uint32_t h, struct axiom_result *res);
/* The principal called name, or ZERR_NOENT. */
int axiom_get_principal(struct rt *rt, uint32_t caller, uint32_t h, const char *name,
                        struct id_principal *out);
/* Up to cap principals from number first on (name order); *n got, *total in the state. */
int axiom_get_principals(struct rt *rt, uint32_t caller, uint32_t h, uint32_t first,
                         struct id_principal *out, uint32_t cap, uint32_t *n, uint32_t *total);
/* Up to cap rules from number first on (id order); *n got, *total in the state. */
int axiom_get_rules(struct rt *rt, uint32_t caller, uint32_t h, uint32_t first,
                    struct axiom_rule *out, uint32_t cap, uint32_t *n, uint32_t *total);
/* The entries [T - skip - n, T - skip) of a log of T entries, oldest first, into out (n slots). */
int axiom_get_log(struct rt *rt, uint32_t caller, uint32_t h, uint32_t n, uint32_t skip,
                  struct axiom_log_item *out, uint32_t *got);
int axiom_check(struct rt *rt, uint32_t caller, uint32_t h, const struct axiom_check *c,
                struct axiom_decision *out);

/* The service's context: the sequencer and the device it logs to. */
struct axiom_svc {
    struct axiom ax;
    struct blk *dev;
    /* slot k >= 2: the principal proposals through a badge of slot k must name ("": unbound) */
    char bound[AXIOM_BIND_SLOTS][AXIOM_NAME_FIELD];
};

/*
 * 0 if a capability with badge may propose as proposer; else ZERR_PERM
 * with why (the slot's principal, or that the slot is not bound).
 */
int axiom_bound_check(const struct axiom_svc *s, uint64_t badge, const char *proposer, char *why,
                      size_t cap);

/* Binds slot (2..AXIOM_BIND_SLOTS-1) to principal name, through handle h (init's). */
int axiom_bind(struct rt *rt, uint32_t caller, uint32_t h, uint32_t slot, const char *name);

/* Message handler (see enum axiom_op). */
int axiom_handle(void *self, uint64_t badge, struct rt_msg *m);

/* One line describing what an entry does ("alice (user)", "#3 allow * note *"). */
void axiom_describe(const struct ax_entry *e, char *out, size_t cap);

#endif
