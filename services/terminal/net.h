/*
 * The terminal's network commands (services/terminal/net.c): net, ping,
 * fetch, httpd and nc.  The terminal commits the authorization (net.connect,
 * net.listen) to the Axiom, then asks the network service to act, through
 * a backend the platform attaches (x86_64: the net process); without one
 * the commands say there is no network.
 */
#ifndef ZERO_SERVICES_TERMINAL_NET_H
#define ZERO_SERVICES_TERMINAL_NET_H

#include <stddef.h>
#include <stdint.h>

#include "services/terminal/shell.h"

/* A call to the network service (services/net/netsvc.h); 0 or its error. */
struct shell_net_backend {
    void *ctx;
    int (*call)(void *ctx, uint32_t op, uint64_t a0, uint64_t a1, const void *in, size_t in_len,
                void *out, size_t cap, size_t *out_len);
};

/* Attaches the network service (the platform's start-up calls it once). */
void shell_net_attach(const struct shell_net_backend *b);

int shell_cmd_net(struct term *t, int argc, char **argv);

#endif
