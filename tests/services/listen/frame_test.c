/*
 * The COM2 framing (services/listen/frame.h): whole requests in pieces and
 * back to back, a bad length discarding until the line is quiet, a half
 * request dropped by a quiet line, and the request decoder's refusals.
 */
#include <string.h>

#include "base/errors.h"
#include "services/listen/frame.h"
#include "tap.h"

/* Feeds n bytes; returns how many whole requests came out, the last one's body in last. */
static int feed(struct lsn_rx *rx, const uint8_t *p, size_t n, int *bad, uint8_t *last)
{
    int msgs = 0;
    for (size_t i = 0; i < n; i++) {
        enum lsn_event ev = lsn_feed(rx, p[i]);
        if (ev == LSN_MSG) {
            msgs++;
            last[0] = rx->body[0];
        }
        *bad += ev == LSN_BAD_LEN;
    }
    return msgs;
}

int main(void)
{
    static struct lsn_rx rx;
    struct lsn_req req;
    uint8_t last[1] = {0};
    int bad = 0;
    const uint8_t head[] = {1, 0, 0, 0, 2};
    const uint8_t two[] = {1, 0, 0, 0, 2, 9, 0, 0, 0, 3, 7, 0, 0, 0, 0, 0, 0, 0};

    tap_plan(16);
    lsn_rx_init(&rx);
    ok(feed(&rx, head, 3, &bad, last) == 0 && lsn_busy(&rx), "listen_half_header_waits");
    ok(feed(&rx, head + 3, 2, &bad, last) == 1 && last[0] == 2 && !lsn_busy(&rx),
       "listen_request_in_pieces_is_whole");
    ok(feed(&rx, two, sizeof(two), &bad, last) == 2 && last[0] == 3,
       "listen_requests_back_to_back");
    ok(lsn_req_decode(rx.body, rx.len, &req) == 0 && req.type == LSN_ENTRY && req.seq == 7,
       "listen_entry_request_decodes_its_sequence");

    const uint8_t big[] = {0x01, 0x08, 0, 0, 2, 2, 2, 2};
    ok(feed(&rx, big, sizeof(big), &bad, last) == 0 && bad == 1, "listen_oversized_length_refused");
    ok(feed(&rx, head, sizeof(head), &bad, last) == 0, "listen_discards_until_quiet");
    is_int(lsn_idle(&rx), 0, "listen_idle_ends_a_discard");
    ok(feed(&rx, head, sizeof(head), &bad, last) == 1, "listen_clean_after_quiet_line");
    const uint8_t zero[] = {0, 0, 0, 0};
    feed(&rx, zero, sizeof(zero), &bad, last);
    ok(bad == 2 && lsn_busy(&rx), "listen_zero_length_refused");
    lsn_idle(&rx);

    const uint8_t half[] = {10, 0, 0, 0, 1, 2, 3};
    ok(feed(&rx, half, sizeof(half), &bad, last) == 0, "listen_half_request_waits");
    is_int(lsn_idle(&rx), 7, "listen_quiet_line_drops_half_request");
    ok(feed(&rx, head, sizeof(head), &bad, last) == 1, "listen_next_client_starts_clean");

    const uint8_t unknown[] = {9}, shorthead[] = {2, 0}, shortent[] = {3, 1, 2}, bare[] = {1};
    ok(lsn_req_decode(unknown, 1, &req) == ZERR_INVAL && lsn_req_decode(shorthead, 2, &req) != 0 &&
           lsn_req_decode(shortent, 3, &req) != 0 && lsn_req_decode(bare, 1, &req) != 0,
       "listen_malformed_requests_refused");
    const uint8_t prop[] = {1, 0xa6, 0};
    ok(lsn_req_decode(prop, 3, &req) == 0 && req.proposal_len == 2 && req.proposal == prop + 1,
       "listen_proposal_is_the_rest");

    uint8_t out[16];
    ok(lsn_answer_frame("ok\n", 3, out, sizeof(out)) == 7 && out[0] == 3 && out[4] == 'o',
       "listen_answer_framed");
    is_int(lsn_answer_frame("0123456789abcdef", 16, out, sizeof(out)), 0,
           "listen_answer_too_long_refused");
    return tap_done();
}
