/*
 * The terminal process's way to the network service process on x86_64:
 * attaches the terminal's network commands (services/terminal/net.h) to
 * the service's endpoint, and stops the service when the terminal ends.
 */
#ifndef ZERO_SERVICES_INIT_X86_64_NET_CLIENT_H
#define ZERO_SERVICES_INIT_X86_64_NET_CLIENT_H

#include <stdint.h>

/* Attaches the network service behind endpoint ep (ZERO_CAP_NONE: none). */
void net_client_attach(uint64_t ep);

/* Asks the network service to end its process (the node is stopping). */
void net_client_stop(void);

#endif
