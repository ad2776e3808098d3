/*
 * libFuzzer target: the TCP header and option parsers on any bytes.
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
    struct net_tcp_opts o;
    if (net_tcp_parse_options(data, size, &o) == 0 && o.has_ws) {
        ZASSERT(o.wscale <= 14, "window scale is clamped to 14");
    }
    struct net_tcp_seg seg;
    if (net_tcp_parse(data, size, 0x0a000002, 0x0a000001, &seg) == 0) {
        ZASSERT(inside(data, size, seg.opts, seg.optlen), "TCP options inside the segment");
        ZASSERT(inside(data, size, seg.payload, seg.len), "TCP payload inside the segment");
        (void)net_tcp_parse_options(seg.opts, seg.optlen, &o);
    }
    return 0;
}
