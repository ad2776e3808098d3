/*
 * libFuzzer target: the UDP parser (with the pseudo-header checksum) on any bytes.
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
    struct net_udp u;
    uint32_t src = 0x0a000002, dst = 0x0a000001;
    if (net_udp_parse(data, size, src, dst, &u) == 0) {
        ZASSERT(inside(data, size, u.payload, u.len), "UDP payload inside the datagram");
    }
    return 0;
}
