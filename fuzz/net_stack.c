/*
 * libFuzzer target: the whole stack on a stream of frames.  The input is a
 * sequence of (2-byte length, frame) records, each delivered to a stack
 * with an open listener, a connection attempt and a UDP socket, and the
 * clock moves on between frames so timers run too.
 *
 * Properties: no out-of-bounds access, no assertion (the TCP send
 * variables stay ordered), every frame the stack sends fits an Ethernet
 * frame.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "base/assert.h"
#include "base/string.h"
#include "net/net.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void send_frame(void *ctx, const uint8_t *frame, size_t len)
{
    (void)ctx;
    (void)frame;
    ZASSERT(len <= NET_FRAME_MAX, "sent frames fit an Ethernet frame");
}

static int allow(void *ctx, enum net_auth kind, uint32_t ip, uint16_t port, int sock)
{
    (void)ctx;
    (void)kind;
    (void)ip;
    (void)port;
    (void)sock;
    return 0;
}

static void rnd(void *ctx, void *buf, size_t n)
{
    (void)ctx;
    memset(buf, 0x5a, n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static net_stack *s;
    if (s == NULL) {
        s = malloc(sizeof(*s));
    }
    static const struct net_ops ops = {.send_frame = send_frame, .authorize = allow, .random = rnd};
    struct net_config cfg = {
        .mac = {{2, 0, 0, 0, 0, 1}},
        .ip = 0x0a000001,
        .netmask = 0xffffff00u,
        .gateway = 0x0a0000fe,
        .dns = 0x0a0000fe,
    };
    uint64_t now = 1000;
    net_init(s, &cfg, &ops, NULL, now);
    int l = net_tcp_listen(s, 80, 4);
    net_tcp_connect(s, 0x0a000002, 80, now);
    int u = net_udp_open(s, 53);
    net_dns_resolve(s, "zero.test", now);
    uint8_t buf[2048];
    size_t off = 0;
    while (off + 2 <= size) {
        size_t len = (size_t)(data[off] << 8 | data[off + 1]) % 1600;
        off += 2;
        if (len > size - off) {
            len = size - off;
        }
        net_input(s, data + off, len, now);
        off += len;
        now += 250;
        net_poll(s, now);
        int c = net_tcp_accept(s, l);
        if (c > 0) {
            net_tcp_send(s, c, "hello", 5, now);
            net_tcp_recv(s, c, buf, sizeof(buf), now);
        }
        uint32_t ip;
        uint16_t port;
        net_udp_recvfrom(s, u, buf, sizeof(buf), &ip, &port);
    }
    return 0;
}
