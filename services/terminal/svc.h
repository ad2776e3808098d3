/*
 * The terminal's supervisor commands (services/terminal/svc.c): svc list,
 * svc restart NAME and svc kill NAME.  The terminal commits the request
 * (svc.restart, svc.kill) to the Axiom as the principal it acts as, so the
 * policy decides who may; then the supervisor the platform attached acts
 * and records what happened (docs/services.md "Supervision").  Without a
 * supervisor the commands say so.
 */
#ifndef ZERO_SERVICES_TERMINAL_SVC_H
#define ZERO_SERVICES_TERMINAL_SVC_H

#include <stddef.h>
#include <stdint.h>

#include "services/terminal/shell.h"

#define SHELL_SVC_MAX 16

/* One line of svc list. */
struct shell_svc_row {
    char name[16];
    uint64_t pid; /* 0: not running */
    char state[12];
    uint32_t restarts;
    char last[64]; /* how it last ended, or the reason it is held; "" if never */
};

struct shell_svc_backend {
    void *ctx;
    /* Fills at most cap rows (*n of them). */
    int (*list)(void *ctx, struct shell_svc_row *rows, size_t cap, size_t *n);
    /* Before a request about name: 0 if the service exists (with its start
     * recorded, so the request can commit), or ZERR_NOENT with why. */
    int (*prepare)(void *ctx, const char *name, char *why, size_t cap);
    /* Carries out a committed request (kind AX_SVC_RESTART or AX_SVC_KILL);
     * out gets what happened, one or more lines. */
    int (*act)(void *ctx, uint8_t kind, const char *name, char *out, size_t cap);
};

/* Attaches the supervisor (the platform's start-up calls it once; NULL detaches). */
void shell_svc_attach(const struct shell_svc_backend *b);

int shell_cmd_svc(struct term *t, int argc, char **argv);

#define SHELL_SVC_CMDS                                                                          \
    {"svc", "svc list", "services: pid, state, restarts, how each last ended", shell_cmd_svc},  \
        {"svc", "svc restart NAME",                                                             \
         "restart a service now, releasing it if held (a svc.restart entry the policy allows)", \
         shell_cmd_svc},                                                                        \
    {                                                                                           \
        "svc", "svc kill NAME",                                                                 \
            "kill a service to test that it comes back (a svc.kill entry the policy allows)",   \
            shell_cmd_svc                                                                       \
    }

#endif
