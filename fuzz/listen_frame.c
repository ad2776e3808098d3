/*
 * libFuzzer target: the COM2 framing (services/listen/frame.h) over any
 * byte stream, a 0xff byte in the input standing for a quiet line
 * (lsn_idle).  Every whole request it hands on has a length of 1 to
 * LSN_MSG_MAX and decodes or is refused; an idle always leaves it clean.
 */
#include <stddef.h>
#include <stdint.h>

#include "base/assert.h"
#include "base/errors.h"
#include "base/string.h"
#include "services/listen/frame.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct lsn_rx rx;
    struct lsn_req req;
    uint8_t out[64];
    lsn_rx_init(&rx);
    for (size_t i = 0; i < size; i++) {
        if (data[i] == 0xff && i + 1 < size && data[i + 1] == 0xfe) {
            lsn_idle(&rx);
            ZASSERT(!lsn_busy(&rx), "a quiet line leaves the framing clean");
            i++;
            continue;
        }
        enum lsn_event ev = lsn_feed(&rx, data[i]);
        ZASSERT(ev == LSN_MORE || ev == LSN_MSG || ev == LSN_BAD_LEN, "a known event");
        if (ev == LSN_MSG) {
            ZASSERT(rx.len >= 1 && rx.len <= LSN_MSG_MAX, "a whole request is 1 to 2048 bytes");
            int err = lsn_req_decode(rx.body, rx.len, &req);
            ZASSERT(err == 0 || err == ZERR_INVAL, "a request decodes or is refused");
            ZASSERT(err != 0 || req.type != LSN_PROPOSAL || req.proposal_len == rx.len - 1,
                    "a proposal is the rest of the body");
            ZASSERT(err != 0 || req.type != LSN_LOGIN ||
                        (req.name[0] != '\0' && strlen(req.name) <= LSN_NAME_MAX &&
                         req.sig == rx.body + rx.len - LSN_SIG_LEN),
                    "a log-in answer is a name and the last 64 bytes");
        }
        if (ev == LSN_BAD_LEN) {
            ZASSERT(lsn_busy(&rx), "a bad length discards until the line is quiet");
        }
    }
    size_t n = lsn_answer_frame((const char *)data, size, out, sizeof(out));
    ZASSERT(n == 0 || n == size + 4, "an answer frame is its text and four bytes");
    return 0;
}
