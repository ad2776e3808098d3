/*
 * libFuzzer target: the ARP parser on any bytes.
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
    struct net_arp a;
    if (net_arp_parse(data, size, &a) == 0) {
        ZASSERT(size >= 28 && (a.op == NET_ARP_REQUEST || a.op == NET_ARP_REPLY),
                "accepted ARP is whole and a request or reply");
    }
    (void)inside;
    return 0;
}
