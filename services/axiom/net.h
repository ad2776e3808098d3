/*
 * The network's Axiom entries (docs/formats.md, "Network entries"):
 * net.connect (remote address and port), net.listen (port) and net.accept
 * (local port, peer address and port).  Their payload codec, shape checks
 * and policy resource names live here, hooked into entry.c and state.c by
 * one call each.  They change no state but the count of entries applied.
 */
#ifndef ZERO_SERVICES_AXIOM_NET_H
#define ZERO_SERVICES_AXIOM_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cbor/cbor.h"
#include "services/axiom/entry.h"

/* Longest policy resource name of a network entry: "255.255.255.255:65535". */
#define AX_NET_RESOURCE_MAX 22

/* True for AX_NET_CONNECT, AX_NET_LISTEN and AX_NET_ACCEPT. */
bool ax_net_kind(uint8_t kind);

/*
 * Fills a (zeroed first) as a network proposal by proposer: for connect and
 * accept, ip (host order) and port are the remote end; for listen and
 * accept, local_port is ours.  Returns 0 or ZERR_INVAL (bad kind, port 0,
 * proposer name too long).
 */
int ax_net_action(struct ax_action *a, uint8_t kind, const char *proposer, uint32_t ip,
                  uint16_t port, uint16_t local_port);

/* The payload map of a network entry. */
void ax_net_put_payload(cbor_enc *e, const struct ax_action *a);

/* Decodes a network entry's payload map of n keys (already read) into a. */
int ax_net_decode_payload(cbor_dec *d, struct ax_action *a, uint64_t n);

/* 0 if a's ports are valid (1..65535), else ZERR_INVAL. */
int ax_net_check(const struct ax_action *a);

/*
 * The policy resource name (docs/policy.md): "A.B.C.D:PORT" of the remote
 * end for net.connect and net.accept, the decimal port for net.listen.
 * buf holds AX_NET_RESOURCE_MAX + 1 bytes.
 */
void ax_net_resource(const struct ax_action *a, char *buf, size_t cap);

/* One line for the log: "10.0.2.2:80", "port 80", "10.0.2.2:40000 on port 80". */
void ax_net_describe(const struct ax_action *a, char *out, size_t cap);

#endif
