/*
 * libFuzzer target: the Ethernet header parser on any bytes.
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
    struct net_eth e;
    if (net_eth_parse(data, size, &e) == 0) {
        ZASSERT(inside(data, size, e.payload, e.len) && e.len + NET_ETH_HLEN == size,
                "Ethernet payload is the rest of the frame");
    }
    return 0;
}
