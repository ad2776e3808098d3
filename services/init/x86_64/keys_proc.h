/*
 * The key service in its own process on x86_64: the root secret and every
 * private key live only in that process's address space.  The node's
 * process holds endpoint capabilities to it, badged with the key service's
 * rights (KEYS_BADGE_PUBLIC, KEYS_BADGE_SIGN), and a proxy handler that
 * forwards the runtime's calls over kernel IPC (svcrt/x86_64).
 */
#ifndef ZERO_SERVICES_INIT_X86_64_KEYS_PROC_H
#define ZERO_SERVICES_INIT_X86_64_KEYS_PROC_H

#include <stdbool.h>
#include <stdint.h>

#include "services/init/node.h"
#include "svcrt/x86_64/rtx.h"

/* Operations of the key process for the terminal (and the node): keys_proc.c. */
#define KP_OP_STATE 0x103u
#define KP_OP_PASS 0x104u

/* What KP_OP_STATE answers. */
enum kp_state {
    KP_STATE_NONE = 0,        /* the node has given nothing yet */
    KP_STATE_PLAIN = 1,       /* running on a plain slot's secret */
    KP_STATE_LOCKED = 2,      /* a sealed slot waits for the passphrase */
    KP_STATE_SEALED_OPEN = 3, /* a sealed slot, opened */
};

#define KP_SAY_SEALED \
    "zero-node: the key slot is sealed: waiting for the passphrase at the terminal\n"

/* The node's side: the channel and one endpoint capability per badge. */
struct keys_proc {
    struct rtx_chan chan;
    uint64_t ep_public; /* badge KEYS_BADGE_PUBLIC */
    uint64_t ep_sign;   /* badge KEYS_BADGE_SIGN */
    uint64_t thread;    /* the key process's thread capability, ZERO_CAP_NONE if not ours */
    struct rtx_proxy proxy_public, proxy_sign;
    bool running;
    struct node_keys_remote remote; /* what node_start_remote_keys takes */
    /* hands a restarted key process the root secret again (NULL: nobody can) */
    int (*refeed)(void *ctx);
    void *refeed_ctx;
};

/*
 * A forwarder to a key process that may have been started again: while it
 * answers ZERR_AGAIN (it has no root secret yet) it asks again every 10 ms
 * for up to 2 s (self: a struct rtx_proxy).
 */
int keys_proc_forward_patient(void *self, uint64_t badge, struct rt_msg *m);

/*
 * Starts the key process (boot module 0 again, with arg role) and opens the
 * channel to it.  0 or a ZERR_* code.
 */
int keys_proc_spawn(struct keys_proc *kp, uint64_t role);

/*
 * Opens the channel to a key process someone else started, given badged
 * endpoint capabilities to it (init hands them to the node).  0 or a ZERR_*.
 */
int keys_proc_attach(struct keys_proc *kp, uint64_t ep_public, uint64_t ep_sign);

/* Ends the key process if it still runs (it wipes its secrets first). */
void keys_proc_end(struct keys_proc *kp);

/* The key process's main loop; returns its exit status. */
int keys_proc_serve(void);

#endif
