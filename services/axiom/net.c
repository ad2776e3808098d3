/*
 * Network entries: net.connect {0: address, 1: port}, net.listen {0: port},
 * net.accept {0: local port, 1: peer address, 2: peer port}; an address is
 * 4 bytes in network order, a port an unsigned integer 1..65535
 * (docs/formats.md).
 */
#include "services/axiom/net.h"

#include "base/errors.h"
#include "base/fmt.h"
#include "base/string.h"
#include "services/axiom/internal/codec.h"

bool ax_net_kind(uint8_t kind)
{
    return kind == AX_NET_CONNECT || kind == AX_NET_LISTEN || kind == AX_NET_ACCEPT;
}

int ax_net_action(struct ax_action *a, uint8_t kind, const char *proposer, uint32_t ip,
                  uint16_t port, uint16_t local_port)
{
    size_t n = strlen(proposer);

    memset(a, 0, sizeof(*a));
    if (!ax_net_kind(kind) || n > ID_NAME_MAX) {
        return ZERR_INVAL;
    }
    a->kind = kind;
    memcpy(a->proposer, proposer, n + 1);
    a->net.ip = kind == AX_NET_LISTEN ? 0 : ip;
    a->net.port = kind == AX_NET_LISTEN ? 0 : port;
    a->net.local_port = kind == AX_NET_CONNECT ? 0 : local_port;
    return ax_net_check(a);
}

static void ax_net_put_addr(cbor_enc *e, uint32_t ip)
{
    const uint8_t b[4] = {(uint8_t)(ip >> 24), (uint8_t)(ip >> 16), (uint8_t)(ip >> 8),
                          (uint8_t)ip};
    cbor_put_bytes(e, b, sizeof(b));
}

void ax_net_put_payload(cbor_enc *e, const struct ax_action *a)
{
    switch (a->kind) {
    case AX_NET_CONNECT:
        cbor_put_map(e, 2);
        cbor_put_uint(e, 0);
        ax_net_put_addr(e, a->net.ip);
        cbor_put_uint(e, 1);
        cbor_put_uint(e, a->net.port);
        break;
    case AX_NET_LISTEN:
        cbor_put_map(e, 1);
        cbor_put_uint(e, 0);
        cbor_put_uint(e, a->net.local_port);
        break;
    default: /* AX_NET_ACCEPT */
        cbor_put_map(e, 3);
        cbor_put_uint(e, 0);
        cbor_put_uint(e, a->net.local_port);
        cbor_put_uint(e, 1);
        ax_net_put_addr(e, a->net.ip);
        cbor_put_uint(e, 2);
        cbor_put_uint(e, a->net.port);
        break;
    }
}

/* Reads key, then a port: 1..65535. */
static int ax_net_get_port(cbor_dec *d, uint64_t key, uint16_t *port)
{
    uint64_t v = 0;
    int err = ax_get_key(d, key);

    err = err != 0 ? err : cbor_get_uint(d, &v);
    if (err != 0) {
        return err;
    }
    if (v == 0 || v > 65535) {
        return ZERR_CORRUPT;
    }
    *port = (uint16_t)v;
    return 0;
}

/* Reads key, then an IPv4 address: 4 bytes. */
static int ax_net_get_addr(cbor_dec *d, uint64_t key, uint32_t *ip)
{
    uint8_t b[4];
    int err = ax_get_fixed_field(d, key, b, sizeof(b));

    if (err == 0) {
        *ip = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
    }
    return err;
}

int ax_net_decode_payload(cbor_dec *d, struct ax_action *a, uint64_t n)
{
    int err;

    switch (a->kind) {
    case AX_NET_CONNECT:
        if (n != 2) {
            return ZERR_CORRUPT;
        }
        err = ax_net_get_addr(d, 0, &a->net.ip);
        return err != 0 ? err : ax_net_get_port(d, 1, &a->net.port);
    case AX_NET_LISTEN:
        return n != 1 ? ZERR_CORRUPT : ax_net_get_port(d, 0, &a->net.local_port);
    default: /* AX_NET_ACCEPT */
        if (n != 3) {
            return ZERR_CORRUPT;
        }
        err = ax_net_get_port(d, 0, &a->net.local_port);
        err = err != 0 ? err : ax_net_get_addr(d, 1, &a->net.ip);
        return err != 0 ? err : ax_net_get_port(d, 2, &a->net.port);
    }
}

int ax_net_check(const struct ax_action *a)
{
    bool remote = a->kind == AX_NET_CONNECT || a->kind == AX_NET_ACCEPT;
    bool local = a->kind == AX_NET_LISTEN || a->kind == AX_NET_ACCEPT;

    if ((remote && a->net.port == 0) || (local && a->net.local_port == 0)) {
        return ZERR_INVAL;
    }
    return 0;
}

static void ax_net_fmt_end(char *buf, size_t cap, uint32_t ip, uint16_t port)
{
    zfmt_snprintf(buf, cap, "%u.%u.%u.%u:%u", (unsigned)(ip >> 24), (unsigned)(ip >> 16) & 255u,
                  (unsigned)(ip >> 8) & 255u, (unsigned)ip & 255u, (unsigned)port);
}

void ax_net_resource(const struct ax_action *a, char *buf, size_t cap)
{
    if (a->kind == AX_NET_LISTEN) {
        zfmt_snprintf(buf, cap, "%u", (unsigned)a->net.local_port);
    } else {
        ax_net_fmt_end(buf, cap, a->net.ip, a->net.port);
    }
}

void ax_net_describe(const struct ax_action *a, char *out, size_t cap)
{
    char end[AX_NET_RESOURCE_MAX + 1];

    ax_net_fmt_end(end, sizeof(end), a->net.ip, a->net.port);
    if (a->kind == AX_NET_CONNECT) {
        zfmt_snprintf(out, cap, "%s", end);
    } else if (a->kind == AX_NET_LISTEN) {
        zfmt_snprintf(out, cap, "port %u", (unsigned)a->net.local_port);
    } else {
        zfmt_snprintf(out, cap, "%s on port %u", end, (unsigned)a->net.local_port);
    }
}
