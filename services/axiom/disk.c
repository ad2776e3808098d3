/*
 * Superblock and key slot (docs/formats.md).  Each is the first 512 bytes
 * of its own 4096-byte block, ending in a BLAKE3 checksum of the bytes
 * before it; the rest of the block is zero.
 */
#include "base/errors.h"
#include "base/fmt.h"
#include "base/string.h"
#include "crypto/blake3.h"
#include "crypto/ct.h"
#include "services/axiom/log.h"
#include "services/axiom/internal/disk.h"
#include "services/axiom/internal/log.h"
#include "services/keys/slot.h"

static const uint8_t sb_magic[8] = {'Z', 'E', 'R', 'O', 'O', 'S', 0, 1};
#define SB_SUM_AT 480u

void ax_layout_for(uint64_t disk_size, struct ax_layout *lay)
{
    uint64_t rest;

    memset(lay, 0, sizeof(*lay));
    lay->disk_size = disk_size / AX_BLOCK * AX_BLOCK;
    lay->keyslot_off = AX_BLOCK;
    lay->keyslot_len = AX_BLOCK;
    lay->log_off = 2 * AX_BLOCK;
    rest = lay->disk_size > lay->log_off ? lay->disk_size - lay->log_off : 0;
    lay->log_len = rest / 2 / AX_BLOCK * AX_BLOCK;
    lay->cas_off = lay->log_off + lay->log_len;
    lay->cas_len = (rest - lay->log_len) / 2 / AX_BLOCK * AX_BLOCK;
    lay->fs_off = lay->cas_off + lay->cas_len;
    lay->fs_len = lay->disk_size - lay->fs_off;
    lay->seg_size = ax_segment_default(lay->log_len);
}

uint64_t ax_segment_default(uint64_t log_len)
{
    uint64_t s = AX_SEGMENT;

    if (log_len / s < AX_SEGMENT_MIN_SLOTS) {
        s = log_len / AX_SEGMENT_MIN_SLOTS / AX_BLOCK * AX_BLOCK;
    }
    if (s < 2 * AX_BLOCK) {
        s = 2 * AX_BLOCK; /* only for regions too small to be a disk's */
    }
    if (log_len / s > AX_SEGMENT_FORMAT_SLOTS) {
        s = (log_len / AX_SEGMENT_FORMAT_SLOTS + AX_BLOCK - 1) / AX_BLOCK * AX_BLOCK;
    }
    return s;
}

bool ax_segment_valid(uint64_t s, uint64_t log_len)
{
    return s % AX_BLOCK == 0 && s >= 2 * AX_BLOCK && s <= log_len &&
           log_len / s <= AX_SEGMENT_MAX_SLOTS;
}

static void ax_seal_block(uint8_t *blk)
{
    blake3_hash(blk, SB_SUM_AT, blk + SB_SUM_AT);
}

static bool ax_block_sum_ok(const uint8_t *blk)
{
    uint8_t sum[AX_HASH_LEN];

    blake3_hash(blk, SB_SUM_AT, sum);
    return memcmp(sum, blk + SB_SUM_AT, AX_HASH_LEN) == 0 &&
           axlog_is_zero(blk + 512, AX_BLOCK - 512);
}

void ax_super_encode(const struct ax_layout *lay, uint8_t blk[AX_BLOCK])
{
    const uint64_t f[10] = {
        lay->disk_size, lay->keyslot_off, lay->keyslot_len, lay->log_off, lay->log_len,
        lay->cas_off,   lay->cas_len,     lay->fs_off,      lay->fs_len,  0};

    memset(blk, 0, AX_BLOCK);
    memcpy(blk, sb_magic, 8);
    /* format 1: the log fills its region; format 2: segments of seg_size */
    axlog_le32(blk + 8, lay->seg_size == 0 ? AX_VERSION : AX_DISK_SEGMENTED);
    axlog_le64(blk + 136, lay->seg_size);
    axlog_le32(blk + 12, AX_BLOCK);
    for (int i = 0; i < 9; i++) {
        axlog_le64(blk + 16 + 8 * i, f[i]);
    }
    memcpy(blk + 88, lay->disk_id, 16);
    memcpy(blk + 104, lay->node_pub, ID_PUB_LEN);
    ax_seal_block(blk);
}

void ax_keyslot_encode(const uint8_t root[KEYS_SECRET_LEN], const uint8_t node_pub[ID_PUB_LEN],
                       uint8_t blk[AX_BLOCK])
{
    memset(blk, 0, AX_BLOCK);
    keyslot_encode_plain(root, node_pub, blk);
}

static int ax_super_fail(char *why, size_t cap, const char *what)
{
    if (why != NULL && cap > 0) {
        zfmt_snprintf(why, cap, "%s", what);
    }
    return ZERR_CORRUPT;
}

/* Checks the region table against the device size. */
static bool ax_layout_sane(const struct ax_layout *lay, uint64_t dev_size)
{
    struct ax_layout want;

    ax_layout_for(lay->disk_size, &want);
    return lay->disk_size == want.disk_size && lay->disk_size <= dev_size &&
           lay->disk_size >= AX_MIN_DISK && lay->keyslot_off == want.keyslot_off &&
           lay->keyslot_len == want.keyslot_len && lay->log_off == want.log_off &&
           lay->log_len == want.log_len && lay->cas_off == want.cas_off &&
           lay->cas_len == want.cas_len && lay->fs_off == want.fs_off && lay->fs_len == want.fs_len;
}

static int ax_super_decode(const uint8_t *blk, uint64_t dev_size, struct ax_layout *lay, char *why,
                           size_t cap)
{
    uint64_t *f[9] = {&lay->disk_size, &lay->keyslot_off, &lay->keyslot_len,
                      &lay->log_off,   &lay->log_len,     &lay->cas_off,
                      &lay->cas_len,   &lay->fs_off,      &lay->fs_len};

    if (memcmp(blk, sb_magic, 8) != 0) {
        return ax_super_fail(why, cap, "not a Zero OS disk (no superblock magic)");
    }
    if (!ax_block_sum_ok(blk)) {
        return ax_super_fail(why, cap, "superblock checksum mismatch");
    }
    uint32_t version = axlog_get32(blk + 8);
    lay->seg_size = version == AX_DISK_SEGMENTED ? axlog_get64(blk + 136) : 0;
    if ((version != AX_VERSION && version != AX_DISK_SEGMENTED) ||
        axlog_get32(blk + 12) != AX_BLOCK || !axlog_is_zero(blk + 144, SB_SUM_AT - 144) ||
        (version == AX_VERSION && !axlog_is_zero(blk + 136, 8))) {
        return ax_super_fail(why, cap, "unsupported superblock version or block size");
    }
    for (int i = 0; i < 9; i++) {
        *f[i] = axlog_get64(blk + 16 + 8 * i);
    }
    memcpy(lay->disk_id, blk + 88, 16);
    memcpy(lay->node_pub, blk + 104, ID_PUB_LEN);
    if (!ax_layout_sane(lay, dev_size)) {
        return ax_super_fail(why, cap, "superblock region table does not fit the device");
    }
    if (version == AX_DISK_SEGMENTED && !ax_segment_valid(lay->seg_size, lay->log_len)) {
        return ax_super_fail(why, cap, "superblock log segment size does not fit the log region");
    }
    return 0;
}

int ax_read_super(struct blk *dev, struct ax_layout *lay, uint8_t root_secret[KEYS_SECRET_LEN],
                  char *why, size_t whycap)
{
    uint8_t blk[AX_BLOCK];
    int err;

    if (blk_size(dev) < 2 * AX_BLOCK) {
        return ax_super_fail(why, whycap, "device too small for a Zero OS disk");
    }
    err = blk_read(dev, 0, blk, AX_BLOCK);
    if (err != 0) {
        return err;
    }
    if (axlog_is_zero(blk, AX_BLOCK)) {
        return ZERR_NOENT;
    }
    err = ax_super_decode(blk, blk_size(dev), lay, why, whycap);
    if (err != 0) {
        return err;
    }
    err = blk_read(dev, lay->keyslot_off, blk, AX_BLOCK);
    if (err != 0) {
        return err;
    }
    if (keyslot_check(blk, lay->node_pub) < 0 || !axlog_is_zero(blk + 512, AX_BLOCK - 512)) {
        secure_zero(blk, sizeof(blk));
        return ax_super_fail(why, whycap, "key slot damaged");
    }
    err = root_secret != NULL ? keyslot_open(blk, NULL, 0, root_secret) : 0;
    secure_zero(blk, sizeof(blk));
    if (err == ZERR_PERM) {
        zfmt_snprintf(why, whycap, "%s", "the key slot is sealed: a passphrase is needed");
    }
    return err;
}

int ax_read_keyslot(struct blk *dev, const struct ax_layout *lay, uint8_t slot[KEYSLOT_LEN])
{
    uint8_t blk[AX_BLOCK];
    int err = blk_read(dev, lay->keyslot_off, blk, AX_BLOCK);

    if (err == 0 &&
        (keyslot_check(blk, lay->node_pub) < 0 || !axlog_is_zero(blk + 512, AX_BLOCK - 512))) {
        err = ZERR_CORRUPT;
    }
    if (err == 0) {
        memcpy(slot, blk, KEYSLOT_LEN);
    }
    secure_zero(blk, sizeof(blk));
    return err;
}

int ax_write_keyslot(struct blk *dev, const struct ax_layout *lay, const uint8_t slot[KEYSLOT_LEN])
{
    uint8_t blk[AX_BLOCK];
    int err;

    if (keyslot_check(slot, lay->node_pub) < 0) {
        return ZERR_INVAL;
    }
    memset(blk, 0, sizeof(blk));
    memcpy(blk, slot, KEYSLOT_LEN);
    err = blk_write(dev, lay->keyslot_off, blk, AX_BLOCK);
    if (err != 0) {
        goto wipe_block;
    }
    err = blk_flush(dev);
wipe_block:
    secure_zero(blk, sizeof(blk));
    return err;
}
