/*
 * The network service's messages (x86_64: the net process, reached by the
 * terminal over the service runtime's channel, svcrt/x86_64/rtx.h).  The
 * terminal commits net.connect / net.listen through the Axiom before it
 * asks the service to connect or listen, and commits the net.accept records
 * the service hands back.  The service starts nothing on its own.
 *
 *   NETSVC_OP_STATUS                     -> text: address, gateway, DNS, counters
 *   NETSVC_OP_PING    a0 ip              -> 8 bytes: round trip in ms
 *   NETSVC_OP_LISTEN  a0 port, buffer: DIR NUL PRINCIPAL
 *                                        serves HTTP/1.1 on port: the directory DIR
 *                                        of the filesystem read-only ("": a fixed page);
 *                                        each connection is recorded as a net.accept
 *                                        of PRINCIPAL before it is served
 *   NETSVC_OP_FETCH   a0 ip, a1 port, buffer: path NUL host
 *                                        -> struct netsvc_fetch; the body's first
 *                                           NETSVC_FETCH_MAX bytes are kept
 *   NETSVC_OP_FETCH_READ a0 offset       -> bytes of the kept body from offset
 *   NETSVC_OP_RESOLVE buffer: host name  -> 4 bytes: IPv4 address (DNS, or a dotted quad)
 *   NETSVC_OP_ACCEPTS                    -> struct netsvc_accept[]: connections
 *                                           accepted since the last call (not the
 *                                           HTTP server's: the service records those)
 *   NETSVC_OP_STOP                       ends the service (all its threads)
 *
 * Sockets: a connection or listener is named by the stack's handle (an int
 * with a generation, so a stale one is refused, docs/net.md).
 *   NETSVC_OP_SOCK_CONNECT  a0 ip, a1 port -> int handle, once established
 *                                             (ZERR_TIMEOUT after 15 s, ZERR_IO refused)
 *   NETSVC_OP_SOCK_LISTEN   a0 port        -> int handle of the listener
 *   NETSVC_OP_SOCK_ACCEPT   a0 listener, a1 wait ms -> int handle, or ZERR_TIMEOUT
 *   NETSVC_OP_SOCK_SEND     a0 handle, buffer: bytes (all queued before the reply)
 *   NETSVC_OP_SOCK_RECV     a0 handle, a1 wait ms, buffer: [u32 room]
 *                                          -> at most room (else RTX_BUF_LEN) bytes
 *                                             (none: the peer closed), or
 *                                             ZERR_TIMEOUT when nothing came
 *   NETSVC_OP_SOCK_SHUTDOWN a0 handle      sends FIN after the queued bytes
 *   NETSVC_OP_SOCK_CLOSE    a0 handle      releases the handle
 * Connect and listen are granted only for the address or port of the call
 * itself, which the caller has committed as net.connect / net.listen.
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
    NETSVC_OP_FETCH_READ = 7,
    NETSVC_OP_RESOLVE = 8,
    NETSVC_OP_SOCK_CONNECT = 9,
    NETSVC_OP_SOCK_LISTEN = 10,
    NETSVC_OP_SOCK_ACCEPT = 11,
    NETSVC_OP_SOCK_SEND = 12,
    NETSVC_OP_SOCK_RECV = 13,
    NETSVC_OP_SOCK_SHUTDOWN = 14,
    NETSVC_OP_SOCK_CLOSE = 15,
};

#define NETSVC_PATH_MAX 767                    /* a path and a host name */
#define NETSVC_FETCH_MAX (16u * 1024u * 1024u) /* body bytes a fetch keeps for storing */

struct netsvc_fetch {
    uint32_t status; /* HTTP status */
    uint64_t bytes;  /* body length */
    uint64_t kept;   /* of it kept for NETSVC_OP_FETCH_READ (at most NETSVC_FETCH_MAX) */
    uint8_t blake3[32];
};

struct netsvc_accept {
    uint32_t ip;
    uint16_t port, local_port;
};

#endif
