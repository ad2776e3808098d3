/*
 * The sealed key slot: sealing round trip, a wrong passphrase refused,
 * every byte of a sealed slot altered (with and without its checksum
 * recomputed) refused, parameter limits, and a node on a sealed disk:
 * refused without or with a wrong passphrase (disk unchanged), started
 * with the right one under the same node key.
 */
#include <stdlib.h>
#include <string.h>

#include "base/errors.h"
#include "crypto/blake3.h"
#include "services/keys/slot.h"
#include "services/init/node.h"
#include "tap.h"

#define DISK (2u * 1024u * 1024u)

/* Cheap parameters for the tests; the defaults are measured by make bench. */
static const struct keyslot_kdf fast = {1, 64, 1};

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++) {
        p[i] = (uint8_t)(v >> (8 * i));
    }
}

/* True if needle (n bytes) occurs anywhere in hay (len bytes). */
static bool contains(const uint8_t *hay, size_t len, const uint8_t *needle, size_t n)
{
    for (size_t i = 0; i + n <= len; i++) {
        if (memcmp(hay + i, needle, n) == 0) {
            return true;
        }
    }
    return false;
}

static void resum(uint8_t slot[KEYSLOT_LEN])
{
    blake3_hash(slot, KEYSLOT_SUM_AT, slot + KEYSLOT_SUM_AT);
}

static void test_round_trip(void)
{
    uint8_t root[32], pub[32], slot[KEYSLOT_LEN], got[32];
    memset(root, 0x5a, sizeof(root));
    memset(pub, 0x11, sizeof(pub));
    is_int(keyslot_seal(root, pub, "horse", 5, &fast, slot), 0, "keyslot_seal_succeeds");
    ok(!contains(slot, KEYSLOT_LEN, root, 32), "keyslot_sealed_slot_holds_no_plain_secret");
    is_int(keyslot_check(slot, pub), KEYSLOT_PASSPHRASE, "keyslot_check_sees_sealed_slot");
    is_int(keyslot_open(slot, "horse", 5, got), 0, "keyslot_open_right_passphrase");
    is_mem(got, root, 32, "keyslot_open_recovers_root_secret");
    is_int(keyslot_open(slot, "horsf", 5, got), ZERR_BADSIG,
           "keyslot_open_wrong_passphrase_badsig");
    is_int(keyslot_open(slot, "horse", 4, got), ZERR_BADSIG,
           "keyslot_open_prefix_passphrase_badsig");
    is_int(keyslot_open(slot, NULL, 0, got), ZERR_PERM, "keyslot_open_without_passphrase_perm");
    uint8_t other[32];
    memset(other, 0x22, sizeof(other));
    is_int(keyslot_check(slot, other), ZERR_CORRUPT, "keyslot_check_refuses_other_node_key");

    uint8_t slot2[KEYSLOT_LEN];
    keyslot_seal(root, pub, "horse", 5, &fast, slot2);
    ok(memcmp(slot + 16, slot2 + 16, 32) != 0, "keyslot_two_seals_differ_salt_and_nonce");

    uint8_t plain[KEYSLOT_LEN];
    keyslot_encode_plain(root, pub, plain);
    is_int(keyslot_check(plain, pub), KEYSLOT_PLAIN, "keyslot_check_sees_plain_slot");
    is_int(keyslot_open(plain, NULL, 0, got), 0, "keyslot_open_plain_needs_no_passphrase");
    is_mem(got, root, 32, "keyslot_open_plain_gives_secret");

    is_int(keyslot_seal(root, pub, "", 0, &fast, slot2), ZERR_INVAL, "keyslot_seal_refuses_empty");
    struct keyslot_kdf big = {1, KEYSLOT_M_KIB_MAX + 1, 1};
    is_int(keyslot_seal(root, pub, "x", 1, &big, slot2), ZERR_INVAL,
           "keyslot_seal_refuses_memory_over_limit");
}

/* Every byte of a sealed slot changed: without the checksum fixed, the
 * check refuses it; with it fixed, check or open refuses it, and no change
 * ever yields a secret. */
static void test_every_byte(void)
{
    uint8_t root[32], pub[32], slot[KEYSLOT_LEN], bad[KEYSLOT_LEN], got[32];
    memset(root, 0x77, sizeof(root));
    memset(pub, 0x33, sizeof(pub));
    keyslot_seal(root, pub, "pw", 2, &fast, slot);
    int raw_refused = 1, fixed_refused = 1;
    for (size_t i = 0; i < KEYSLOT_LEN; i++) {
        memcpy(bad, slot, KEYSLOT_LEN);
        bad[i] ^= 0x01;
        raw_refused &= keyslot_check(bad, pub) == ZERR_CORRUPT;
        if (i >= KEYSLOT_SUM_AT) {
            continue;
        }
        resum(bad);
        int c = keyslot_check(bad, pub);
        if (c == KEYSLOT_PASSPHRASE) {
            c = keyslot_open(bad, "pw", 2, got);
            fixed_refused &= c == ZERR_BADSIG;
        } else if (c == KEYSLOT_PLAIN) {
            fixed_refused = 0; /* a sealed slot turned plain would leak ciphertext as a secret */
        } else {
            fixed_refused &= c == ZERR_CORRUPT;
        }
    }
    ok(raw_refused, "keyslot_every_flipped_byte_fails_check");
    ok(fixed_refused, "keyslot_every_flipped_byte_with_checksum_refused");

    memcpy(bad, slot, KEYSLOT_LEN);
    put32(bad + 140, KEYSLOT_M_KIB_MAX + 1);
    resum(bad);
    is_int(keyslot_check(bad, pub), ZERR_CORRUPT, "keyslot_check_refuses_memory_over_limit");
    memcpy(bad, slot, KEYSLOT_LEN);
    put32(bad + 136, 0);
    resum(bad);
    is_int(keyslot_check(bad, pub), ZERR_CORRUPT, "keyslot_check_refuses_zero_passes");
    memcpy(bad, slot, KEYSLOT_LEN);
    put32(bad + 12, 2);
    resum(bad);
    is_int(keyslot_check(bad, pub), ZERR_CORRUPT, "keyslot_check_refuses_unknown_protection");
}

struct answer {
    const char *pass;
    int asked;
};

static long answer(void *ctx, bool is_new, char *buf, size_t cap)
{
    struct answer *a = ctx;
    (void)is_new;
    a->asked++;
    if (a->pass == NULL) {
        return ZERR_UNSUPPORTED;
    }
    size_t n = strlen(a->pass);
    memcpy(buf, a->pass, n < cap ? n : cap);
    return (long)n;
}

static void test_node(void)
{
    static struct node node;
    uint8_t *mem = calloc(1, DISK), *copy = malloc(DISK);
    struct blk dev;
    char why[200];
    struct answer a = {"open sesame", 0};
    struct node_unlock u = {answer, &a, true, &fast};
    blk_open_mem(&dev, mem, NULL, DISK);

    is_int(node_start_unlock(&node, &dev, "root", NULL, &u, why, sizeof(why)), 0,
           "node_formats_sealed_disk");
    ok(node.formatted && node.sealed && a.asked == 1, "node_asked_once_for_new_passphrase");
    uint8_t node_pub[32];
    memcpy(node_pub, id_find(&node.axiom.ax.st->ids, "root")->pub, 32);
    node_stop(&node);

    memcpy(copy, mem, DISK);
    a.pass = "open sesamE";
    u.seal_new = false;
    is_int(node_start_unlock(&node, &dev, "root", NULL, &u, why, sizeof(why)), ZERR_BADSIG,
           "node_refuses_wrong_passphrase");
    ok(strstr(why, "wrong passphrase") != NULL, "node_wrong_passphrase_says_so");
    ok(memcmp(copy, mem, DISK) == 0, "node_wrong_passphrase_changes_nothing");
    is_int(node_start(&node, &dev, "root", why, sizeof(why)), ZERR_PERM,
           "node_refuses_sealed_disk_without_passphrase");
    ok(strstr(why, "sealed") != NULL, "node_sealed_refusal_says_so");
    a.pass = NULL;
    is_int(node_start_unlock(&node, &dev, "root", NULL, &u, why, sizeof(why)), ZERR_PERM,
           "node_refuses_when_no_passphrase_is_given");
    ok(memcmp(copy, mem, DISK) == 0, "node_refusals_change_nothing");

    a.pass = "open sesame";
    is_int(node_start_unlock(&node, &dev, "root", NULL, &u, why, sizeof(why)), 0,
           "node_opens_with_right_passphrase");
    ok(!node.formatted && node.sealed, "node_reports_sealed_disk");
    is_mem(id_find(&node.axiom.ax.st->ids, "root")->pub, node_pub, 32,
           "node_key_unchanged_after_unlock");
    node_stop(&node);

    /* A damaged slot: one byte of the ciphertext flipped on the disk. */
    mem[4096 + 20] ^= 0x40;
    is_int(node_start_unlock(&node, &dev, "root", NULL, &u, why, sizeof(why)), ZERR_CORRUPT,
           "node_detects_damaged_sealed_slot");
    ok(strstr(why, "key slot damaged") != NULL, "node_damaged_slot_says_so");
    free(copy);
    free(mem);
}

int main(void)
{
    tap_no_plan();
    test_round_trip();
    test_every_byte();
    test_node();
    return tap_done();
}
