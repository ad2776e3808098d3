/*
 * libFuzzer target: the IPv4 header parser on any bytes.
 *
 * Properties: the parser never reads outside the input, and what it
 * accepts is consistent: payload pointers and lengths lie inside the input.
 */
#include <stddef.h>
#include <stdint.h>

#include "base/assert.h"
#include "net/wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* True when [p, p + n) lies inside the input. */
static int inside(const uint8_t *data, size_t size, const uint8_t *p, size_t n)
{
    return p >= data && (size_t)(p - data) <= size && n <= size - (size_t)(p - data);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct net_ipv4 ip;
    if (net_ipv4_parse(data, size, &ip) == 0) {
        ZASSERT(inside(data, size, ip.payload, ip.len), "IPv4 payload inside the packet");
        ZASSERT(ip.payload >= data + NET_IP_HLEN, "IPv4 header is at least 20 bytes");
        ZASSERT(net_csum_fold(net_csum_add(0, data, (size_t)(ip.payload - data))) == 0,
                "accepted IPv4 headers have a valid checksum");
    }
    return 0;
}
