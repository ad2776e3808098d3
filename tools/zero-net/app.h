/*
 * zero-net: lib/net as a Linux process over a frame transport, with small
 * applications on its sockets.  Each application is a step function the
 * event loop calls after every batch of frames and timers; it never blocks.
 */
#ifndef ZERO_NET_APP_H
#define ZERO_NET_APP_H

#include <stdbool.h>
#include <stdint.h>

#include "net/net.h"
#include "transport.h"

struct node {
    net_stack *s;
    struct net_transport tr;
    bool deny_connect; /* the authorization hook refuses every connect */
    uint64_t now;
};

enum { APP_RUNNING = 1, APP_DONE = 0 };

/* Milliseconds of the monotonic clock. */
uint64_t node_clock_ms(void);

/*
 * Each application: init parses its arguments (returns 0 or prints usage
 * and returns ZERR_INVAL), step runs it and returns APP_RUNNING, APP_DONE
 * or a negative error (the exit status then is 1).
 */
int httpd_init(struct node *n, int argc, char **argv);
int httpd_step(struct node *n);

int echo_init(struct node *n, int argc, char **argv);
int echo_step(struct node *n);

int nc_init(struct node *n, int argc, char **argv);
int nc_step(struct node *n);

int fetch_init(struct node *n, int argc, char **argv);
int fetch_step(struct node *n);

int sink_init(struct node *n, int argc, char **argv);
int sink_step(struct node *n);

int source_init(struct node *n, int argc, char **argv);
int source_step(struct node *n);

int ping_init(struct node *n, int argc, char **argv);
int ping_step(struct node *n);

int resolve_init(struct node *n, int argc, char **argv);
int resolve_step(struct node *n);

int dhcp_init(struct node *n, int argc, char **argv);
int dhcp_step(struct node *n);

/* Parses "A.B.C.D" or fails with a message naming what. */
int node_parse_ip(const char *text, const char *what, uint32_t *ip);
/* Parses a port 1..65535 or fails with a message. */
int node_parse_port(const char *text, uint16_t *port);

#endif
