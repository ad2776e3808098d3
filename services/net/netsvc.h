/*
 * The network service's messages (x86_64: the net process, reached by the
 * terminal over the service runtime's channel, svcrt/x86_64/rtx.h).  The
 * terminal commits net.connect / net.listen through the Axiom before it
 * asks the service to connect or listen, and commits the net.accept records
 * the service hands back.  The service starts nothing on its own.
 *
 *   NETSVC_OP_STATUS                     -> text: address, gateway, DNS, counters
 *   NETSVC_OP_PING    a0 ip              -> 8 bytes: round trip in ms
 *   NETSVC_OP_LISTEN  a0 port            serves HTTP/1.1 on port (fixed page)
 *   NETSVC_OP_FETCH   a0 ip, a1 port, buffer: path
 *                                        -> struct netsvc_fetch
 *   NETSVC_OP_ACCEPTS                    -> struct netsvc_accept[]: connections
 *                                           accepted since the last call
 *   NETSVC_OP_STOP                       ends the service (all its threads)
 */
#ifndef ZERO_SERVICES_NET_NETSVC_H
#define ZERO_SERVICES_NET_NETSVC_H

#include <stdint.h>

enum netsvc_op {
    NETSVC_OP_STATUS = 1,
    NETSVC_OP_PING = 2,
    NETSVC_OP_LISTEN = 3,
    NETSVC_OP_FETCH = 4,
    NETSVC_OP_ACCEPTS = 5,
    NETSVC_OP_STOP = 6, /* the node is stopping: the service ends its process */
};

#define NETSVC_PATH_MAX 200

struct netsvc_fetch {
    uint32_t status; /* HTTP status */
    uint64_t bytes;  /* body length */
    uint8_t blake3[32];
};

struct netsvc_accept {
    uint32_t ip;
    uint16_t port, local_port;
};

#endif
