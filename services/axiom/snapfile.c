/*
 * Snapshot files (docs/formats.md "Snapshot file"): a snapshot with the
 * signed checkpoint it matches, the key that signed it and the log offset
 * of the next batch, so that a verifier told to trust that key can start
 * there instead of at genesis.
 */
#include "base/errors.h"
#include "base/fmt.h"
#include "base/string.h"
#include "crypto/ed25519.h"
#include "services/axiom/internal/log.h"
#include "services/axiom/snapshot.h"

int ax_snapfile_write(const struct ax_replay *r, uint8_t *buf, size_t cap, size_t *len)
{
    size_t cp_len = 0, snap_len = 0;

    if (cap < AX_SNAPFILE_HEADER + AXLOG_CP_MAX) {
        return ZERR_FULL;
    }
    memset(buf, 0, AX_SNAPFILE_HEADER);
    int err = ax_checkpoint_encode(&r->last_cp, buf + AX_SNAPFILE_HEADER, AXLOG_CP_MAX, &cp_len);
    if (err != 0) {
        return err;
    }
    size_t at = AX_SNAPFILE_HEADER + cp_len;
    err = ax_snap_encode(r, buf + at, cap - at, &snap_len);
    if (err != 0) {
        return err;
    }
    for (size_t i = 0; i < 8; i++) {
        buf[i] = (uint8_t)AX_SNAPFILE_MAGIC[i];
    }
    axlog_le64(buf + 8, r->off);
    axlog_le32(buf + 16, (uint32_t)cp_len);
    axlog_le32(buf + 20, (uint32_t)snap_len);
    memcpy(buf + 24, r->last_cp_key, ID_PUB_LEN);
    *len = at + snap_len;
    return 0;
}

int ax_snapfile_parse(const uint8_t *buf, size_t size, struct ax_snapfile *f)
{
    if (size < AX_SNAPFILE_HEADER || memcmp(buf, AX_SNAPFILE_MAGIC, 8) != 0 ||
        !axlog_is_zero(buf + 56, AX_SNAPFILE_HEADER - 56)) {
        return ZERR_CORRUPT;
    }
    f->log_off = axlog_get64(buf + 8);
    f->cp_len = axlog_get32(buf + 16);
    f->snap_len = axlog_get32(buf + 20);
    memcpy(f->key, buf + 24, ID_PUB_LEN);
    if (f->cp_len == 0 || f->cp_len > AXLOG_CP_MAX || f->snap_len > AX_SNAP_MAX ||
        size - AX_SNAPFILE_HEADER != f->cp_len + f->snap_len || f->log_off % HAL_BLK_SECTOR != 0) {
        return ZERR_CORRUPT;
    }
    f->cp = buf + AX_SNAPFILE_HEADER;
    f->snap = f->cp + f->cp_len;
    return 0;
}

static int snapfile_fail(struct ax_replay *r, int err, const char *what)
{
    r->bad_seq = AX_NO_ENTRY;
    zfmt_snprintf(r->why, sizeof(r->why), "snapshot file: %s", what);
    return err;
}

/* Decodes the file's checkpoint into *c and checks its signature. */
static int snapfile_checkpoint(const struct ax_snapfile *f, const uint8_t *key,
                               struct ax_checkpoint *c, struct ax_replay *r)
{
    uint8_t msg[AXLOG_CP_MAX + 32];
    size_t len = 0;

    if (key != NULL && memcmp(key, f->key, ID_PUB_LEN) != 0) {
        return snapfile_fail(r, ZERR_PERM, "signed by another key than the one trusted");
    }
    if (ax_checkpoint_decode(f->cp, f->cp_len, c) != 0) {
        return snapfile_fail(r, ZERR_CORRUPT, "the checkpoint does not decode");
    }
    if (ax_checkpoint_message(c, msg, sizeof(msg), &len) != 0 ||
        ed25519_verify(c->sig, msg, len, f->key) != 0) {
        return snapfile_fail(r, ZERR_BADSIG, "the checkpoint's signature is not the key's");
    }
    return 0;
}

int ax_snapfile_load(const uint8_t *buf, size_t size, const uint8_t *key, struct ax_replay *r)
{
    struct ax_snapfile f;
    struct ax_checkpoint c;

    if (ax_snapfile_parse(buf, size, &f) != 0) {
        return snapfile_fail(r, ZERR_CORRUPT, "bad header or length");
    }
    int err = snapfile_checkpoint(&f, key, &c, r);
    if (err == 0) {
        err = ax_snap_decode(f.snap, f.snap_len, r);
    }
    if (err == 0) {
        err = ax_snap_check(r, &c);
    }
    if (err != 0) {
        return err;
    }
    r->off = f.log_off;
    r->checkpoints = 1;
    r->snap_size = c.size;
    r->last_cp = c;
    memcpy(r->last_cp_key, f.key, ID_PUB_LEN);
    return 0;
}
