/*
 * init on x86_64: the first process starts the key process, the virtio-blk
 * driver process and the node, hands the driver the PCI ports and the node
 * the console (with input), COM1's interrupt, its badged endpoints to the
 * key process and an endpoint to the driver, then waits.  When the node ends, by `exit` or by a
 * fault, init ends the key and driver processes and itself, and the kernel powers off.
 */
#ifndef ZERO_SERVICES_INIT_X86_64_INIT_H
#define ZERO_SERVICES_INIT_X86_64_INIT_H

#include <stdint.h>

/* The hand-over protocol: init calls the child's endpoint once per item. */
enum init_give {
    GIVE_SLOT = 1,    /* w1: the slot the transferred capability goes to */
    GIVE_KEYS_PUBLIC, /* the key process, badge KEYS_BADGE_PUBLIC */
    GIVE_KEYS_SIGN,   /* the key process, badge KEYS_BADGE_SIGN */
    GIVE_DISK,        /* the block driver process */
    GIVE_DONE,
    GIVE_BOOT_RECORD, /* a read-only frame: what init measured (boot_plan.h) */
    GIVE_AXIOM,       /* the Axiom process (badge: channel, propose|read) */
    GIVE_IDENTITY,    /* the identity process */
    GIVE_POLICY,      /* the policy process */
    GIVE_NET,         /* the network service process */
    GIVE_SERVE,       /* a restart: the endpoint to serve, moved to ZERO_SLOT_EP after GIVE_DONE */
    GIVE_SVC,         /* the terminal: init's svc endpoint (svcd.h) */
    GIVE_KEYS_UNLOCK, /* the key process, badge KEYS_BADGE_UNLOCK (the terminal) */
    GIVE_JOBS,        /* the jobs service process */
    GIVE_TERMINAL,    /* the terminal process (COM2: log-in answers, LSN_TERM_BADGE_LOGIN) */
};

/*
 * Spawn arguments of the processes init starts (driver 0: no driver
 * process).  terminal 0: the node (Axiom, Policy, Identity, terminal) is
 * one process; otherwise node is the Axiom's process and identity, policy
 * and terminal each get one of their own (split.c).
 */
struct init_roles {
    uint64_t node;
    uint64_t keys;
    uint64_t driver;
    uint64_t identity;
    uint64_t policy;
    uint64_t terminal;
    uint64_t netdrv; /* the virtio-net driver process (0: none) */
    uint64_t net;    /* the network service process */
    uint64_t com2;   /* the signed-proposal server on COM2 (0: none) */
    uint64_t jobs;   /* the jobs service process (0: none) */
};

/* Runs init; returns the node's (or with the split, the terminal's) exit status. */
int node_init_main(const struct init_roles *roles);

/* init with one process per service (split.c); called by node_init_main. */
int node_init_split(const struct init_roles *roles);

/* Endpoint capabilities init handed over; ZERO_CAP_NONE where none. */
struct init_given {
    uint64_t keys_public; /* the key process, badge KEYS_BADGE_PUBLIC */
    uint64_t keys_sign;   /* the key process, badge KEYS_BADGE_SIGN */
    uint64_t disk;        /* the virtio-blk driver process */
    uint64_t boot_record; /* a read-only frame holding the boot record */
    uint64_t axiom;       /* the Axiom process */
    uint64_t identity;    /* the identity process */
    uint64_t policy;      /* the policy process */
    uint64_t net;         /* the network service process */
    uint64_t svc;         /* init's svc endpoint (the terminal) */
    uint64_t keys_unlock; /* the key process, badge KEYS_BADGE_UNLOCK */
    uint64_t jobs;        /* the jobs service process */
    uint64_t terminal;    /* the terminal process (COM2's log-in answers) */
};

/*
 * In the node or the driver: takes what init hands over into the slots the
 * user HAL expects (the node: console with input rights and COM1's
 * interrupt, plus the PCI ports when there is no driver process; the
 * driver: the PCI ports) and the endpoints into g.  0 or a ZERR_* code.
 */
int node_take_boot_caps(struct init_given *g);

#endif
