/*
 * Frame transports for running lib/net as a Linux process: a TAP device
 * (raw Ethernet frames to and from the Linux kernel) or any file
 * descriptor that carries one frame per message (one end of a
 * socketpair(AF_UNIX, SOCK_DGRAM), linking two stacks).
 */
#ifndef ZERO_NET_TRANSPORT_H
#define ZERO_NET_TRANSPORT_H

#include <stddef.h>
#include <stdint.h>

struct net_transport {
    int fd;
};

/*
 * Attaches to the TAP device name (created if it does not exist; the
 * caller's network namespace decides where).  Returns 0, ZERR_UNSUPPORTED
 * when /dev/net/tun is missing, or ZERR_IO.
 */
int net_transport_tap(struct net_transport *t, const char *name);

/* Uses fd, which delivers one frame per read. */
void net_transport_fd(struct net_transport *t, int fd);

/* Sends one frame; a full queue drops it, as a wire would. */
void net_transport_send(struct net_transport *t, const uint8_t *frame, size_t len);

/* Reads one frame if one is waiting: its length, 0 when none, or ZERR_IO. */
long net_transport_recv(struct net_transport *t, uint8_t *buf, size_t cap);

#endif
