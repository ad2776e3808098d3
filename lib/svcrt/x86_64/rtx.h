/*
 * The service runtime's x86_64 back end: a service in another process,
 * reached by kernel IPC through an endpoint capability.
 *
 * A call carries an operation and two argument words in registers and its
 * request bytes in a buffer of frames shared by both processes (mapped at
 * the same address on both sides for simplicity, not necessity); the reply
 * carries a result and a length in registers and its bytes in the same
 * buffer.  The kernel delivers the badge of the caller's endpoint
 * capability, which is what the server's handler sees: the check is the
 * kernel's, not the caller's.
 *
 *   w0 op, w1 request length, w2 a0, w3 a1  ->  w0 result, w1 reply length
 *
 * A server has up to RTX_MAX_CHANS clients, each with a buffer of its own:
 * bits 32..39 of the badge name the client's channel (RTX_BADGE), which
 * the kernel delivers, so one client can never reach another's buffer.
 * The low 32 bits are the service's own badge bits, all its handler sees.
 *
 * Service messages (svcrt/runtime.h: an operation and bytes) travel with
 * a0 = the room the caller has for the reply; rtx_forward is the client
 * side for any service and rtx_dispatch / rtx_serve_rt the server side.
 *
 * One call at a time per channel (the buffer is the channel's).
 */
#ifndef ZERO_SVCRT_X86_64_RTX_H
#define ZERO_SVCRT_X86_64_RTX_H

#include <stddef.h>
#include <stdint.h>

#include "svcrt/runtime.h"

#define RTX_PAGES 4u
#define RTX_BUF_LEN (RTX_PAGES * 4096u)
#define RTX_OP_SHARE 0xfff0u /* setup: w2 page index, the frame capability transferred */
#define RTX_MAX_CHANS 8u
#define RTX_BADGE(chan, bits) (((uint64_t)(chan) << 32) | (uint64_t)(bits))
#define RTX_BADGE_CHAN(badge) ((uint32_t)((badge) >> 32))
#define RTX_BADGE_BITS(badge) ((badge)&0xffffffffull)
/* A server's address space for its clients' buffers: RTX_MAX_CHANS x RTX_BUF_LEN. */
#define RTX_SERVER_SPAN ((uint64_t)RTX_MAX_CHANS * RTX_BUF_LEN)

struct rtx_chan {
    uint64_t ep;  /* endpoint capability (WRITE, GRANT) used for setup */
    uint8_t *buf; /* the shared buffer, RTX_BUF_LEN bytes */
    uint64_t frame[RTX_PAGES];
};

/*
 * Makes the shared buffer at va (RTX_PAGES frames) and hands one
 * capability per frame to the server behind ep.  0 or a ZERR_* code.
 */
int rtx_open(struct rtx_chan *c, uint64_t ep, uint64_t va);

/*
 * Calls through endpoint capability ep (its badge names the caller) with
 * op, a0, a1 and in_len request bytes already in c->buf.  Stores the reply
 * length (at most RTX_BUF_LEN) in *out_len.  Returns the server's result,
 * or the kernel's error if the call could not be made.
 */
int rtx_call(struct rtx_chan *c, uint64_t ep, uint32_t op, uint64_t a0, uint64_t a1, size_t in_len,
             size_t *out_len);

/* One request as the server sees it. */
struct rtx_req {
    uint64_t badge; /* from the caller's capability, set by the kernel */
    uint32_t op;
    uint64_t a0, a1;
    uint8_t *buf; /* shared: copy out before checking, the client can change it */
    size_t in_len;
    size_t out_len; /* set by the handler: reply bytes written to buf */
    int stop;       /* set by the handler: reply, then leave rtx_serve */
};

typedef int (*rtx_handler)(void *self, struct rtx_req *rq);

/*
 * Serves endpoint ep until a handler sets stop: maps the frames client
 * channel c shares at va + c * RTX_BUF_LEN, hands every other request to
 * handle.  Returns 0 after a stop, or the kernel's error.
 */
int rtx_serve(uint64_t ep, uint64_t va, rtx_handler handle, void *self);

/*
 * The server side of a service message: copies the request out of the
 * shared buffer, runs the service's handler with the badge's service bits,
 * copies the reply (at most a0 bytes) back.  The handler's result.
 */
int rtx_dispatch(struct rtx_req *rq, rt_handler handle, void *self);

/* Serves a service on ep: every request through rtx_dispatch.  Returns the kernel's error. */
int rtx_serve_rt(uint64_t ep, uint64_t va, rt_handler handle, void *self);

/*
 * The client side for any service: register a struct rtx_proxy with
 * rtx_forward as its handler (rt_register), and rt_call reaches the
 * service behind ep over chan.  The runtime badge is not used: the kernel
 * delivers ep's.
 */
struct rtx_proxy {
    struct rtx_chan *chan;
    uint64_t ep;
};

int rtx_forward(void *self, uint64_t badge, struct rt_msg *m);

#endif
