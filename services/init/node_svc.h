/*
 * The supervisor of a node whose services share one process (hosted,
 * wasm): each service is an instance inside the node, "killed" by closing
 * it and restarted by re-initialising it from what the disk records (the
 * Axiom replays its log, the key service re-reads the key slot, the
 * filesystem reopens its region).  The decisions are the portable
 * supervisor's (services/init/supervisor); this file carries them out,
 * synchronously, and records svc.* entries as the node principal.  It
 * serves the terminal's svc commands (services/terminal/svc.h).
 */
#ifndef ZERO_SERVICES_INIT_NODE_SVC_H
#define ZERO_SERVICES_INIT_NODE_SVC_H

#include <stdbool.h>
#include <stdint.h>

#include "services/init/node.h"
#include "services/init/supervisor/supervisor.h"
#include "services/terminal/svc.h"

#define NODE_SVC_PENDING 8

struct node_svc {
    struct node *n;
    struct sv sv;
    struct shell_svc_backend backend;
    bool recorded;                /* the services' starts are in the log */
    uint64_t next_pid;            /* instance numbers, from 1 */
    char acting[ID_NAME_MAX + 1]; /* the terminal's session as it starts */
    ax_sign_fn sign;              /* the Axiom's signer, for its restart */
    void *sign_ctx;
    /* waits out a back-off until deadline_ns (hal_clock_ns); NULL:
     * hal_wait_until.  A benchmark sets it to leave the wait out. */
    void (*wait)(void *ctx, uint64_t deadline_ns);
    void *wait_ctx;
    /* entries waiting for the Axiom to be back */
    uint32_t npending;
    struct ax_action pending[NODE_SVC_PENDING];
};

/*
 * Puts the started node n's services under s and attaches s to the
 * terminal's svc commands.  Nothing is recorded until the first svc
 * restart or svc kill (a node that never uses them keeps the log it had).
 */
void node_svc_attach(struct node_svc *s, struct node *n);

#endif
