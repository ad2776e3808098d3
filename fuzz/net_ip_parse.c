/*
 * libFuzzer target: the dotted-quad parser, net_ip_parse (lib/net), which
 * reads the addresses of boot arguments (net.ip), `ping`, `nc` and
 * `fetch` and of policy resources.  Nothing may crash or read past the
 * NUL; an accepted text is exactly four dot-separated decimal parts of 1
 * to 3 digits, each at most 255, and the address printed back parses to
 * the same address.
 */
#include <stddef.h>
#include <stdint.h>

#include "base/assert.h"
#include "base/fmt.h"
#include "base/string.h"
#include "net/net.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* True if text is four dot-separated decimal parts of 1-3 digits, each at most 255. */
static bool fuzz_dotted_quad(const char *text, uint32_t *ip)
{
    uint32_t v = 0;
    for (int part = 0; part < 4; part++) {
        unsigned x = 0, digits = 0;
        for (; text[digits] >= '0' && text[digits] <= '9'; digits++) {
            if (digits == 3) {
                return false;
            }
            x = x * 10 + (unsigned)(text[digits] - '0');
        }
        if (digits == 0 || x > 255) {
            return false;
        }
        text += digits;
        if (*text != (part == 3 ? '\0' : '.')) {
            return false;
        }
        text += part == 3 ? 0 : 1;
        v = v << 8 | x;
    }
    *ip = v;
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char text[64];
    char back[20];
    uint32_t ip = 0, want = 0, again = 0;

    if (size >= sizeof(text)) {
        return 0;
    }
    memcpy(text, data, size);
    text[size] = '\0';
    int err = net_ip_parse(text, &ip);
    bool ok = fuzz_dotted_quad(text, &want);
    ZASSERT((err == 0) == ok, "net_ip_parse accepts exactly the dotted quads");
    if (ok) {
        ZASSERT(ip == want, "the address the parts say");
        zfmt_snprintf(back, sizeof(back), "%u.%u.%u.%u", (unsigned)(ip >> 24),
                      (unsigned)(ip >> 16 & 255), (unsigned)(ip >> 8 & 255), (unsigned)(ip & 255));
        ZASSERT(net_ip_parse(back, &again) == 0 && again == ip, "the printed address parses back");
    }
    return 0;
}
