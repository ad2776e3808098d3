/*
 * zero-net --axiom DISK: a Zero OS node on DISK (formatted if blank) whose
 * Axiom answers the stack's policy hook (services/net/auth.h): every
 * connect and listen is a net.connect / net.listen proposal committed
 * before its first frame, every accepted connection a net.accept record.
 */
#ifndef ZERO_NET_AXIOM_H
#define ZERO_NET_AXIOM_H

#include <stdbool.h>
#include <stdint.h>

#include "net/net.h"

/* Starts the node on path as principal as; 0 or a ZERR_* code (message printed). */
int zaxiom_open(const char *path, const char *as);

/* True once zaxiom_open succeeded. */
bool zaxiom_on(void);

/* The policy hook: 0 when committed, ZERR_DENIED (reason printed) otherwise. */
int zaxiom_authorize(enum net_auth kind, uint32_t ip, uint16_t port);

/* The accept hook: queues the record. */
void zaxiom_accepted(const net_stack *s, int listener, int sock, uint32_t ip, uint16_t port);

/* Commits queued accept records (after each batch of frames). */
void zaxiom_flush(net_stack *s, uint64_t now);

/* Stops the node. */
void zaxiom_close(void);

#endif
