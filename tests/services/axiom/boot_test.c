/*
 * The boot entry (services/axiom/boot.h): its payload codec round-trips
 * and refuses non-canonical bytes; only the node may record a boot, with
 * the next number and no signature; a boot changes the state root (key 8)
 * and survives a reopen (replay).
 */
#include <stdlib.h>
#include <string.h>

#include "base/errors.h"
#include "services/axiom/axiom.h"
#include "tap.h"
#include "world.h"

static uint8_t root_secret[32] = {3, 1, 4, 1, 5, 9, 2, 6};
static uint8_t disk_id[16] = {7};

static void sample(struct ax_boot *b, uint64_t number)
{
    memset(b, 0, sizeof(*b));
    b->number = number;
    b->cpus = 2;
    memset(b->kernel, 0x4b, 32);
    memset(b->manifest, 0x6d, 32);
    b->nimages = 2;
    strcpy(b->images[0].name, "keys");
    memset(b->images[0].hash, 1, 32);
    strcpy(b->images[1].name, "node");
    memset(b->images[1].hash, 2, 32);
}

static void test_codec(void)
{
    struct ax_boot b, back;
    uint8_t buf[AX_BOOT_PAYLOAD_MAX];
    size_t len = 0;

    sample(&b, 1);
    is_int(ax_boot_encode(&b, buf, sizeof(buf), &len), 0, "boot_payload_encodes");
    is_int(ax_boot_decode(buf, len, &back), 0, "boot_payload_decodes");
    ok(back.number == 1 && back.cpus == 2 && back.nimages == 2 &&
           strcmp(back.images[1].name, "node") == 0 &&
           memcmp(&back.images[1].hash, b.images[1].hash, 32) == 0,
       "boot_payload_round_trips");
    is_int(ax_boot_decode(buf, len - 1, &back), ZERR_TRUNCATED, "truncated_boot_payload_refused");
    b.number = 0;
    is_int(ax_boot_encode(&b, buf, sizeof(buf), &len), ZERR_INVAL, "boot_number_0_not_encoded");
    sample(&b, 1);
    strcpy(b.images[0].name, "Keys");
    is_int(ax_boot_encode(&b, buf, sizeof(buf), &len), ZERR_INVAL, "upper_case_image_name_refused");
}

static int propose(struct ax_world *w, const struct ax_boot *b, const char *by, char *why)
{
    static uint8_t payload[AX_BOOT_PAYLOAD_MAX];
    struct ax_action a;
    struct policy_decision d;
    uint64_t seq;
    uint8_t hash[32];
    int err = ax_boot_action(b, by, payload, sizeof(payload), &a);

    return err != 0 ? err : axiom_propose(&w->ax, &a, &d, &seq, hash, why, 160);
}

static void test_entries(void)
{
    struct ax_world w;
    struct ax_boot b;
    char why[160] = "";
    uint8_t before[32], after[32];

    (void)ax_world_make(&w, root_secret, disk_id);
    is_int(ax_world_open(&w), 0, "axiom_opens");
    memcpy(before, w.ax.st->root, 32);
    sample(&b, 2);
    is_int(propose(&w, &b, "root", why), ZERR_INVAL, "boot_number_must_be_the_next");
    sample(&b, 1);
    is_int(propose(&w, &b, "nobody", why), ZERR_NOPRINCIPAL, "boot_by_unknown_principal_refused");
    is_int(propose(&w, &b, "root", why), 0, "node_records_boot_1");
    memcpy(after, w.ax.st->root, 32);
    ok(memcmp(before, after, 32) != 0 && w.ax.st->boots.count == 1,
       "a_boot_changes_the_state_root_and_counts");
    is_int(propose(&w, &b, "root", why), ZERR_INVAL, "boot_1_again_refused");
    is_int(axiom_commit(&w.ax), 0, "boot_entry_commits");
    axiom_close(&w.ax);
    is_int(ax_world_open(&w), 0, "axiom_reopens_with_a_boot_entry");
    ok(w.ax.st->boots.count == 1 && memcmp(w.ax.st->root, after, 32) == 0,
       "replay_reaches_the_same_boot_count_and_root");
    sample(&b, 2);
    is_int(propose(&w, &b, "root", why), 0, "boot_2_after_reopen");
    axiom_close(&w.ax);
    free(w.mem);
}

int main(void)
{
    tap_plan(16);
    test_codec();
    test_entries();
    return tap_done();
}
