/*
 * The terminal's svc commands on x86_64 (services/terminal/svc.h): init
 * serves them on an endpoint of its own with a second thread, which hands
 * each request to init's main thread (the supervisor's only user) through
 * a mailbox and a bit of init's exit notification (SVCD_WAKE_BIT), and
 * replies once the main thread has carried it out.  The terminal's side is
 * a struct shell_svc_backend whose calls go over a channel to init.
 *
 * Requests (bytes, svcrt/wire.h):
 *   SVCD_OP_LIST    in: empty            out: u32 n, n rows (str[16] name,
 *                   u64 pid, str[12] state, u32 restarts, str[64] last)
 *   SVCD_OP_PREPARE in: str[16] name     out: str[128] why
 *   SVCD_OP_ACT     in: u8 kind, str[16] name   out: str[512] what happened
 *   SVCD_OP_CAPS    in: empty            out: empty; init has printed what
 *                   every service process holds, from the kernel (`caps`)
 */
#ifndef ZERO_SERVICES_INIT_X86_64_SVCD_H
#define ZERO_SERVICES_INIT_X86_64_SVCD_H

#include <stdint.h>

#include "services/terminal/svc.h"

#define SVCD_OP_LIST 1u
#define SVCD_OP_PREPARE 2u
#define SVCD_OP_ACT 3u
#define SVCD_OP_CAPS 4u
#define SVCD_WAKE_BIT (1ull << 61)
#define SVCD_NAME 16
#define SVCD_WHY 128
#define SVCD_OUT 512

/* One request, as init's main thread sees it. */
struct svcd_box {
    uint32_t op;
    uint8_t kind; /* SVCD_OP_ACT: AX_SVC_KILL or AX_SVC_RESTART */
    char name[SVCD_NAME];
    int result;
    char why[SVCD_WHY];
    char out[SVCD_OUT];
    struct shell_svc_row rows[SHELL_SVC_MAX];
    uint32_t nrows;
};

/*
 * Starts init's server thread on endpoint ep (init's svc endpoint); it
 * signals wake (a capability to init's notification with badge
 * SVCD_WAKE_BIT) when the box holds a request.  0 or ZERR_*.
 */
int svcd_start(uint64_t ep, uint64_t wake);

/* The request waiting for the main thread, or NULL. */
struct svcd_box *svcd_pending(void);

/* The main thread has filled the box's answer: the server thread replies. */
void svcd_done(void);

/* In the terminal: attaches svc commands that call init through ep (ZERO_CAP_NONE: none). */
void svcd_attach_terminal(uint64_t ep, uint64_t va);

#endif
