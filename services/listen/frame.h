/*
 * The signed-proposal protocol's framing on a byte stream that has no
 * connections (docs/formats.md, "Socket protocol" and "Over a serial
 * port"): a request is a 4-byte little-endian length N (1 to
 * LSN_MSG_MAX) and N bytes.  A Unix socket can close a connection after
 * garbage; a serial line cannot, so here a bad length throws the stream
 * into discarding, and a quiet line (lsn_idle, the caller's timer) ends
 * both a discard and a half message: the next client starts clean.
 *
 * Portable and free of I/O: the COM2 process (services/listen/x86_64)
 * feeds it bytes; the fuzz target fuzz/listen_frame.c feeds it anything.
 */
#ifndef ZERO_SERVICES_LISTEN_FRAME_H
#define ZERO_SERVICES_LISTEN_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LSN_MSG_MAX 2048u /* largest request body, as on the socket */

/* Request types, the body's first byte. */
enum lsn_type { LSN_PROPOSAL = 1, LSN_HEAD = 2, LSN_ENTRY = 3, LSN_RECEIPT = 4, LSN_LOGIN = 5 };

#define LSN_NAME_MAX 32 /* a principal's name (services/identity) */
#define LSN_SIG_LEN 64  /* an Ed25519 signature */

/*
 * On x86_64 the COM2 server hands a log-in answer (type 5) to the
 * terminal's process: operation LSN_TERM_OP_LOGIN on the terminal's
 * endpoint through a capability badged LSN_TERM_BADGE_LOGIN, in: the
 * request's body, out: the answer's text.
 */
#define LSN_TERM_OP_LOGIN 1u
#define LSN_TERM_BADGE_LOGIN 0x1u

/* What one byte did to the stream. */
enum lsn_event {
    LSN_MORE = 0, /* nothing whole yet */
    LSN_MSG,      /* a whole request: rx->body, rx->len */
    LSN_BAD_LEN,  /* a length of 0 or above LSN_MSG_MAX: now discarding until idle */
};

struct lsn_rx {
    uint8_t hdr[4];
    size_t hdr_len;
    uint32_t len; /* the body's length, once the header is whole */
    size_t body_len;
    bool discarding;
    uint8_t body[LSN_MSG_MAX];
};

/* A request decoded from a body: its type and, for an entry or a receipt, the sequence. */
struct lsn_req {
    enum lsn_type type;
    const uint8_t *proposal; /* LSN_PROPOSAL: the signed proposal's bytes */
    size_t proposal_len;
    uint64_t seq; /* LSN_ENTRY, LSN_RECEIPT */
    /* LSN_LOGIN: the principal and its signature over the terminal's challenge */
    char name[LSN_NAME_MAX + 1];
    const uint8_t *sig;
};

void lsn_rx_init(struct lsn_rx *rx);

/*
 * Feeds one byte.  After LSN_MSG the request is rx->body[0..rx->len) until
 * the next call.  While discarding every byte is dropped (LSN_MORE).
 */
enum lsn_event lsn_feed(struct lsn_rx *rx, uint8_t byte);

/*
 * The line has been quiet for the idle time: a half request is dropped and
 * a discard ends.  Returns the bytes of a half request dropped (0 if none).
 */
size_t lsn_idle(struct lsn_rx *rx);

/* True while a request is half read or the stream is discarding. */
bool lsn_busy(const struct lsn_rx *rx);

/*
 * Decodes a whole body: type 1 and the proposal's bytes (at least one),
 * type 2 alone, types 3 and 4 with an 8-byte little-endian sequence,
 * type 5 with a name (1 to LSN_NAME_MAX bytes, none of them NUL), a NUL
 * and a 64-byte signature.  0, or ZERR_INVAL for anything else (an
 * unknown type, a wrong length).  The name's characters are the
 * caller's to check.
 */
int lsn_req_decode(const uint8_t *body, size_t len, struct lsn_req *req);

/*
 * Frames an answer: a 4-byte little-endian length and the text of len
 * bytes into out (cap bytes); returns the frame's length, 0 if it does not fit.
 */
size_t lsn_answer_frame(const char *text, size_t len, uint8_t *out, size_t cap);

#endif
