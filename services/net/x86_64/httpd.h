/*
 * The network service's HTTP/1.1 server (x86_64): GET and HEAD, persistent
 * connections, pipelined requests answered in order, Content-Length on
 * every response, 404 for what is not a file, 400 for a target that is no
 * filesystem path, 501 for other methods.  It serves a directory of the
 * filesystem read-only (reads through the Axiom process, which holds the
 * store: a capability with the read badge only), or without a directory
 * one fixed page.  Bodies are streamed: one read of the filesystem per
 * HTTPD_CHUNK bytes, taken only when the connection's send buffer has room.
 */
#ifndef ZERO_SERVICES_NET_X86_64_HTTPD_H
#define ZERO_SERVICES_NET_X86_64_HTTPD_H

#include <stdbool.h>
#include <stdint.h>

#include "net/net.h"
#include "services/axiom/service.h"
#include "services/fs/fs.h"
#include "svcrt/runtime.h"
#include "svcrt/x86_64/rtx.h"

#define HTTPD_CONNS 8
#define HTTPD_REQ_MAX 2048
#define HTTPD_CHUNK 12288u /* bytes of one filesystem read (fits the channel's buffer) */

struct httpd_conn {
    int sock;
    bool close_after;   /* "Connection: close": end once the response is queued */
    uint64_t off, left; /* the body still to send: file offset and bytes */
    char path[FS_PATH_MAX + 1];
    size_t pend_off, pend_len; /* read from the file, not yet taken by TCP */
    uint8_t pend[HTTPD_CHUNK];
    size_t req_len;
    char req[HTTPD_REQ_MAX];
};

/* The filesystem as the server reads it: the Axiom's endpoint (read badge). */
struct httpd_fs {
    struct rt rt;
    struct rtx_chan chan;
    struct rtx_proxy px;
    uint32_t me, h_axiom, h_fs;
    bool ready;
};

/* A connection the server's listener accepted, waiting for its net.accept record. */
struct httpd_accept {
    int sock;
    uint32_t ip;
    uint16_t port;
};

struct httpd {
    net_stack *s;
    int listener;
    uint16_t port;
    char owner[ID_NAME_MAX + 1]; /* who started the server: its net.accept records' principal */
    struct httpd_accept rec[NET_MAX_TCP];
    unsigned nrec;
    uint64_t recorded, refused;
    bool files;                 /* serving a directory (else the fixed page) */
    char root[FS_PATH_MAX + 1]; /* the directory, without a trailing '/' ("" for "/") */
    struct httpd_conn conn[HTTPD_CONNS];
    struct httpd_fs fs;
};

/*
 * Prepares h on stack s; axiom is the Axiom process's endpoint (read badge)
 * or ZERO_CAP_NONE, its channel buffer mapped at va.  0 or ZERR_*.
 */
int httpd_init(struct httpd *h, net_stack *s, uint64_t axiom, uint64_t va);

/*
 * Opens the listener on port, serving the directory root ("" : the fixed
 * page) for principal owner, as whom the accepted connections are
 * recorded.  The listen must be authorized already (the caller's policy hook
 * grants it).  ZERR_EXIST when a server runs, ZERR_UNSUPPORTED for a
 * directory without a filesystem, ZERR_NOENT / ZERR_PERM when root is no
 * directory, else the stack's error.
 */
int httpd_listen(struct httpd *h, uint16_t port, const char *root, const char *owner);

/*
 * The stack's record_accept hook for the server's listener: queues a
 * net.accept record for connection sock from ip:port.
 */
void httpd_accepted(struct httpd *h, int sock, uint32_t ip, uint16_t port);

/*
 * Commits the queued records (httpd_record.c): one net.accept proposal
 * each, as the server's owner, through the Axiom capability with the
 * net.accept badge, then one commit for them all (group commit); a
 * connection whose record the Axiom refuses is reset.  Runs before
 * httpd_step, so no connection is served before its record is durable.
 * Returns how many were recorded.
 */
unsigned httpd_record(struct httpd *h, uint64_t now);

/* Accepts, reads requests and streams responses; runs once per loop turn. */
void httpd_step(struct httpd *h, uint64_t now);

#endif
