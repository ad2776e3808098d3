/* The terminal's channel to the network service (see net_client.h). */
#include "services/init/x86_64/net_client.h"

#include "base/errors.h"
#include "base/string.h"
#include "services/net/netsvc.h"
#include "services/terminal/net.h"
#include "svcrt/x86_64/rtx.h"
#include "zero/zero.h"

#define NET_CLIENT_VA 0x0000520000000000ull /* the shared buffer with the network service */

struct net_remote {
    uint64_t ep;
    struct rtx_chan chan;
    bool open;
};

static struct net_remote net_remote = {ZERO_CAP_NONE, {0}, false};

static int net_remote_call(void *ctx, uint32_t op, uint64_t a0, uint64_t a1, const void *in,
                           size_t in_len, void *out, size_t cap, size_t *out_len)
{
    struct net_remote *nr = ctx;
    size_t got = 0;
    int err = nr->open ? 0 : rtx_open(&nr->chan, nr->ep, NET_CLIENT_VA);
    nr->open = err == 0;
    if (err != 0 || in_len > RTX_BUF_LEN) {
        return err != 0 ? err : ZERR_RANGE;
    }
    memcpy(nr->chan.buf, in, in_len);
    err = rtx_call(&nr->chan, nr->ep, op, a0, a1, in_len, &got);
    got = got < cap ? got : cap;
    if (out != NULL) {
        memcpy(out, nr->chan.buf, got);
    }
    if (out_len != NULL) {
        *out_len = got;
    }
    return err;
}

void net_client_attach(uint64_t ep)
{
    static const struct shell_net_backend backend = {&net_remote, net_remote_call};
    if (ep != ZERO_CAP_NONE) {
        net_remote.ep = ep;
        shell_net_attach(&backend);
    }
}

void net_client_stop(void)
{
    if (net_remote.ep != ZERO_CAP_NONE) {
        (void)net_remote_call(&net_remote, NETSVC_OP_STOP, 0, 0, NULL, 0, NULL, 0, NULL);
    }
}
