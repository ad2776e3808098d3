/*
 * tap-relay TAP_A TAP_B: copies Ethernet frames between two TAP devices,
 * one read and one write per frame, as QEMU does for a guest NIC.  It
 * gives a Linux network namespace the same path to the wire that zero-net
 * has (TAP, a user process, TAP), so the network benchmark can compare
 * Zero's stack with Linux's over the same setup.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <unistd.h>

#include "../transport.h"

int main(int argc, char **argv)
{
    struct net_transport t[2];
    if (argc != 3) {
        fprintf(stderr, "usage: tap-relay TAP_A TAP_B\n");
        return 2;
    }
    for (int i = 0; i < 2; i++) {
        if (net_transport_tap(&t[i], argv[1 + i]) != 0) {
            fprintf(stderr, "tap-relay: cannot open TAP device %s\n", argv[1 + i]);
            return 1;
        }
    }
    static uint8_t frame[65536];
    for (;;) {
        struct pollfd p[2] = {{.fd = t[0].fd, .events = POLLIN}, {.fd = t[1].fd, .events = POLLIN}};
        if (poll(p, 2, -1) < 0 && errno != EINTR) {
            return 1;
        }
        for (int i = 0; i < 2; i++) {
            long n;
            while ((n = net_transport_recv(&t[i], frame, sizeof(frame))) > 0) {
                net_transport_send(&t[1 - i], frame, (size_t)n);
            }
            if (n < 0) {
                return 1;
            }
        }
    }
}
