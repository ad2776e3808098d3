/* The protocol's framing on a stream without connections (see frame.h). */
#include "services/listen/frame.h"

#include "base/errors.h"
#include "base/string.h"

void lsn_rx_init(struct lsn_rx *rx)
{
    rx->hdr_len = 0;
    rx->len = 0;
    rx->body_len = 0;
    rx->discarding = false;
}

static uint32_t lsn_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

enum lsn_event lsn_feed(struct lsn_rx *rx, uint8_t byte)
{
    if (rx->discarding) {
        return LSN_MORE;
    }
    if (rx->hdr_len < 4) {
        rx->hdr[rx->hdr_len++] = byte;
        if (rx->hdr_len < 4) {
            return LSN_MORE;
        }
        rx->len = lsn_le32(rx->hdr);
        if (rx->len == 0 || rx->len > LSN_MSG_MAX) {
            rx->discarding = true; /* the framing is lost: wait for a quiet line */
            rx->hdr_len = 0;
            return LSN_BAD_LEN;
        }
        rx->body_len = 0;
        return LSN_MORE;
    }
    rx->body[rx->body_len++] = byte;
    if (rx->body_len < rx->len) {
        return LSN_MORE;
    }
    rx->hdr_len = 0; /* whole: the next byte starts the next header */
    return LSN_MSG;
}

size_t lsn_idle(struct lsn_rx *rx)
{
    size_t dropped = rx->discarding ? 0 : rx->hdr_len + (rx->hdr_len == 4 ? rx->body_len : 0);
    lsn_rx_init(rx);
    return dropped;
}

bool lsn_busy(const struct lsn_rx *rx)
{
    return rx->discarding || rx->hdr_len != 0;
}

static uint64_t lsn_le64(const uint8_t *p)
{
    return (uint64_t)lsn_le32(p) | (uint64_t)lsn_le32(p + 4) << 32;
}

/* Type 5: name NUL signature (see frame.h). */
static int lsn_login_decode(const uint8_t *body, size_t len, struct lsn_req *req)
{
    if (len < 1 + 2 + LSN_SIG_LEN || len > 1 + LSN_NAME_MAX + 1 + LSN_SIG_LEN) {
        return ZERR_INVAL;
    }
    size_t n = len - 1 - 1 - LSN_SIG_LEN;
    for (size_t i = 0; i <= n; i++) {
        if ((body[1 + i] == 0) != (i == n)) {
            return ZERR_INVAL; /* the name is NUL-free and ends in one */
        }
    }
    memcpy(req->name, body + 1, n);
    req->name[n] = '\0';
    req->sig = body + 1 + n + 1;
    return 0;
}

int lsn_req_decode(const uint8_t *body, size_t len, struct lsn_req *req)
{
    memset(req, 0, sizeof(*req));
    if (len == 0 || len > LSN_MSG_MAX) {
        return ZERR_INVAL;
    }
    req->type = (enum lsn_type)body[0];
    switch (body[0]) {
    case LSN_PROPOSAL:
        req->proposal = body + 1;
        req->proposal_len = len - 1;
        return len > 1 ? 0 : ZERR_INVAL;
    case LSN_HEAD:
        return len == 1 ? 0 : ZERR_INVAL;
    case LSN_ENTRY:
    case LSN_RECEIPT:
        if (len != 9) {
            return ZERR_INVAL;
        }
        req->seq = lsn_le64(body + 1);
        return 0;
    case LSN_LOGIN:
        return lsn_login_decode(body, len, req);
    default:
        return ZERR_INVAL;
    }
}

size_t lsn_answer_frame(const char *text, size_t len, uint8_t *out, size_t cap)
{
    if (cap < 4 || len > cap - 4) {
        return 0;
    }
    for (int i = 0; i < 4; i++) {
        out[i] = (uint8_t)(len >> (8 * i));
    }
    memcpy(out + 4, text, len);
    return len + 4;
}
