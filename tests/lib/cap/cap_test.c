/* Hosted unit tests of the portable capability rules (lib/cap). */
#include <string.h>

#include "base/errors.h"
#include "cap/cap.h"
#include "tap.h"

#define NSLOTS 16

struct space {
    struct cap_space cs;
    struct cap_slot slots[NSLOTS];
};

struct released {
    int count;
    uint32_t owners[64];
    uint32_t handles[64];
};

static void note_release(void *arg, struct cap_space *cs, uint32_t handle, const struct cap *c)
{
    struct released *r = arg;
    if (r->count < 64 && c->type != CAP_NULL) {
        r->owners[r->count] = cs->owner;
        r->handles[r->count] = handle;
    }
    r->count++;
}

static void space_init(struct space *s, uint32_t owner)
{
    cap_space_init(&s->cs, s->slots, NSLOTS, owner);
}

static struct cap endpoint_cap(uintptr_t obj)
{
    struct cap c = {.type = CAP_ENDPOINT, .rights = CAP_RIGHTS_ALL, .badge = 0, .obj = obj};
    return c;
}

static void test_insert_and_lookup(void)
{
    struct space a;
    space_init(&a, 1);
    struct cap c = endpoint_cap(0x1000);
    int h = cap_insert(&a.cs, CAP_SLOT_ANY, &c);
    ok(h >= 0, "cap_insert_picks_a_free_slot");
    const struct cap *got = NULL;
    is_int(cap_lookup(&a.cs, (uint32_t)h, CAP_ENDPOINT, CAP_RIGHT_WRITE, &got), 0,
           "cap_lookup_finds_inserted_endpoint");
    ok(got != NULL && got->obj == 0x1000, "cap_lookup_returns_the_object");
    is_int(cap_lookup(&a.cs, (uint32_t)h, CAP_TYPE_ANY, 0, NULL), 0, "cap_lookup_accepts_any");
    is_int(cap_lookup(&a.cs, (uint32_t)h, CAP_FRAME, 0, NULL), ZERR_BADCAP,
           "cap_lookup_rejects_wrong_type");
    is_int(cap_lookup(&a.cs, 5, CAP_TYPE_ANY, 0, NULL), ZERR_BADCAP,
           "cap_lookup_rejects_empty_slot");
    is_int(cap_lookup(&a.cs, NSLOTS, CAP_TYPE_ANY, 0, NULL), ZERR_BADCAP,
           "cap_lookup_rejects_handle_past_end");
    is_int(cap_lookup(&a.cs, UINT32_MAX, CAP_TYPE_ANY, 0, NULL), ZERR_BADCAP,
           "cap_lookup_rejects_huge_handle");
    is_int(cap_insert(&a.cs, (uint32_t)h, &c), ZERR_EXIST, "cap_insert_rejects_taken_slot");
    is_int(cap_insert(&a.cs, NSLOTS, &c), ZERR_RANGE, "cap_insert_rejects_slot_past_end");
    struct cap bad = c;
    bad.type = CAP_TYPE_COUNT;
    is_int(cap_insert(&a.cs, 3, &bad), ZERR_INVAL, "cap_insert_rejects_unknown_type");
    bad = c;
    bad.rights = 0x100;
    is_int(cap_insert(&a.cs, 3, &bad), ZERR_INVAL, "cap_insert_rejects_unknown_rights");
    bad = c;
    bad.type = CAP_FRAME;
    bad.badge = 7;
    is_int(cap_insert(&a.cs, 3, &bad), ZERR_INVAL, "cap_insert_rejects_badge_on_frame");
    is_int(a.cs.used, 1, "cap_space_counts_used_slots");
}

static void test_full_space(void)
{
    struct space a;
    space_init(&a, 1);
    struct cap c = endpoint_cap(1);
    int last = 0;
    for (int i = 0; i < NSLOTS; i++) {
        last = cap_insert(&a.cs, CAP_SLOT_ANY, &c);
    }
    ok(last >= 0, "cap_insert_fills_every_slot");
    is_int(cap_insert(&a.cs, CAP_SLOT_ANY, &c), ZERR_FULL, "cap_insert_reports_full_space");
    is_int(cap_derive(&a.cs, 0, &a.cs, CAP_SLOT_ANY, CAP_RIGHTS_ALL, 0), ZERR_FULL,
           "cap_derive_reports_full_space");
    is_int(cap_delete(&a.cs, 4, NULL, NULL), 0, "cap_delete_frees_a_slot");
    is_int(cap_insert(&a.cs, CAP_SLOT_ANY, &c), 4, "cap_insert_reuses_freed_slot");
}

static void test_rights_only_shrink(void)
{
    struct space a;
    struct space b;
    space_init(&a, 1);
    space_init(&b, 2);
    struct cap c = endpoint_cap(0x2000);
    c.rights = CAP_RIGHT_READ | CAP_RIGHT_WRITE;
    int h = cap_insert(&a.cs, 0, &c);
    int d =
        cap_derive(&a.cs, (uint32_t)h, &b.cs, CAP_SLOT_ANY, CAP_RIGHT_WRITE | CAP_RIGHT_GRANT, 0);
    ok(d >= 0, "cap_derive_into_other_space");
    const struct cap *got = NULL;
    is_int(cap_lookup(&b.cs, (uint32_t)d, CAP_ENDPOINT, CAP_RIGHT_WRITE, &got), 0,
           "derived_cap_keeps_requested_right");
    is_int(cap_lookup(&b.cs, (uint32_t)d, CAP_ENDPOINT, CAP_RIGHT_GRANT, NULL), ZERR_PERM,
           "derived_cap_cannot_gain_rights");
    is_int(cap_lookup(&b.cs, (uint32_t)d, CAP_ENDPOINT, CAP_RIGHT_READ, NULL), ZERR_PERM,
           "derived_cap_drops_masked_rights");
    int d2 = cap_derive(&b.cs, (uint32_t)d, &a.cs, CAP_SLOT_ANY, CAP_RIGHTS_ALL, 0);
    is_int(cap_lookup(&a.cs, (uint32_t)d2, CAP_ENDPOINT, CAP_RIGHT_READ, NULL), ZERR_PERM,
           "rederiving_with_all_rights_does_not_restore_them");
    ok(got != NULL && got->obj == 0x2000, "derived_cap_names_same_object");
    is_int(cap_derive(&a.cs, 9, &b.cs, CAP_SLOT_ANY, CAP_RIGHTS_ALL, 0), ZERR_BADCAP,
           "cap_derive_rejects_empty_source");
}

static void test_badges(void)
{
    struct space a;
    space_init(&a, 1);
    struct cap c = endpoint_cap(0x3000);
    int h = cap_insert(&a.cs, CAP_SLOT_ANY, &c);
    int b1 = cap_derive(&a.cs, (uint32_t)h, &a.cs, CAP_SLOT_ANY, CAP_RIGHTS_ALL, 42);
    const struct cap *got = NULL;
    cap_lookup(&a.cs, (uint32_t)b1, CAP_ENDPOINT, 0, &got);
    ok(got != NULL && got->badge == 42, "cap_derive_sets_badge_on_unbadged_endpoint");
    is_int(cap_derive(&a.cs, (uint32_t)b1, &a.cs, CAP_SLOT_ANY, CAP_RIGHTS_ALL, 43), ZERR_PERM,
           "cap_derive_refuses_to_rebadge");
    int b2 = cap_derive(&a.cs, (uint32_t)b1, &a.cs, CAP_SLOT_ANY, CAP_RIGHT_WRITE, 0);
    got = NULL;
    cap_lookup(&a.cs, (uint32_t)b2, CAP_ENDPOINT, 0, &got);
    ok(got != NULL && got->badge == 42, "badge_survives_further_derivation");
    struct cap f = {.type = CAP_FRAME, .rights = CAP_RIGHTS_ALL, .badge = 0, .obj = 5};
    int fh = cap_insert(&a.cs, CAP_SLOT_ANY, &f);
    is_int(cap_derive(&a.cs, (uint32_t)fh, &a.cs, CAP_SLOT_ANY, CAP_RIGHTS_ALL, 1), ZERR_INVAL,
           "cap_derive_refuses_badge_on_frame");
    struct cap n = {.type = CAP_NOTIFICATION, .rights = CAP_RIGHTS_ALL, .badge = 0, .obj = 6};
    int nh = cap_insert(&a.cs, CAP_SLOT_ANY, &n);
    ok(cap_derive(&a.cs, (uint32_t)nh, &a.cs, CAP_SLOT_ANY, CAP_RIGHTS_ALL, 1) >= 0,
       "cap_derive_badges_notification");
}

/* Builds root(a0) -> {a1 -> {b0 -> c0}, c1} across three spaces, plus an unrelated a5. */
static void test_revoke_tree(void)
{
    struct space a;
    struct space b;
    struct space c;
    space_init(&a, 1);
    space_init(&b, 2);
    space_init(&c, 3);
    struct cap e = endpoint_cap(0x4000);
    cap_insert(&a.cs, 0, &e);
    cap_insert(&a.cs, 5, &e);
    is_int(cap_derive(&a.cs, 0, &a.cs, 1, CAP_RIGHTS_ALL, 0), 1, "derive_to_named_slot");
    cap_derive(&a.cs, 1, &b.cs, 0, CAP_RIGHT_WRITE, 7);
    cap_derive(&b.cs, 0, &c.cs, 0, CAP_RIGHT_WRITE, 0);
    cap_derive(&a.cs, 0, &c.cs, 1, CAP_RIGHT_READ, 0);
    is_int(cap_descendants(&a.cs, 0), 4, "cap_descendants_counts_whole_subtree");
    is_int(cap_descendants(&a.cs, 1), 2, "cap_descendants_counts_inner_subtree");

    struct released r;
    memset(&r, 0, sizeof(r));
    is_int(cap_revoke(&a.cs, 1, note_release, &r), 2, "cap_revoke_removes_inner_subtree");
    is_int(r.count, 2, "cap_revoke_reports_each_removed_cap");
    ok(r.owners[0] == 3 && r.owners[1] == 2, "cap_revoke_removes_leaves_first");
    is_int(cap_lookup(&b.cs, 0, CAP_TYPE_ANY, 0, NULL), ZERR_BADCAP, "revoked_child_is_gone");
    is_int(cap_lookup(&c.cs, 0, CAP_TYPE_ANY, 0, NULL), ZERR_BADCAP, "revoked_grandchild_gone");
    is_int(cap_lookup(&a.cs, 1, CAP_TYPE_ANY, 0, NULL), 0, "cap_revoke_keeps_named_cap");
    is_int(cap_lookup(&c.cs, 1, CAP_TYPE_ANY, 0, NULL), 0, "cap_revoke_spares_sibling_subtree");

    is_int(cap_revoke(&a.cs, 0, NULL, NULL), 2, "cap_revoke_removes_rest_of_tree");
    is_int(cap_lookup(&c.cs, 1, CAP_TYPE_ANY, 0, NULL), ZERR_BADCAP, "revoke_reaches_other_space");
    is_int(cap_lookup(&a.cs, 5, CAP_TYPE_ANY, 0, NULL), 0, "revoke_spares_unrelated_original");
    is_int(a.cs.used + b.cs.used + c.cs.used, 2, "revoke_returns_slots");
    is_int(cap_revoke(&a.cs, 9, NULL, NULL), ZERR_BADCAP, "cap_revoke_rejects_empty_slot");
}

static void test_delete_reparents(void)
{
    struct space a;
    struct space b;
    space_init(&a, 1);
    space_init(&b, 2);
    struct cap e = endpoint_cap(0x5000);
    cap_insert(&a.cs, 0, &e);
    cap_derive(&a.cs, 0, &a.cs, 1, CAP_RIGHTS_ALL, 0);
    cap_derive(&a.cs, 1, &b.cs, 0, CAP_RIGHTS_ALL, 0);
    cap_derive(&a.cs, 1, &b.cs, 1, CAP_RIGHTS_ALL, 0);
    struct released r;
    memset(&r, 0, sizeof(r));
    is_int(cap_delete(&a.cs, 1, note_release, &r), 0, "cap_delete_middle_of_tree");
    ok(r.count == 1 && r.handles[0] == 1, "cap_delete_reports_only_the_deleted_cap");
    is_int(cap_lookup(&b.cs, 0, CAP_ENDPOINT, 0, NULL), 0, "cap_delete_keeps_children");
    is_int(cap_descendants(&a.cs, 0), 2, "children_of_deleted_cap_move_to_its_parent");
    is_int(cap_revoke(&a.cs, 0, NULL, NULL), 2, "revoking_grandparent_reaches_orphans");
    is_int(b.cs.used, 0, "orphans_are_gone");
    is_int(cap_delete(&a.cs, 1, NULL, NULL), ZERR_BADCAP, "cap_delete_rejects_empty_slot");

    /* Deleting a root makes its children roots. */
    cap_derive(&a.cs, 0, &b.cs, 0, CAP_RIGHTS_ALL, 0);
    cap_derive(&b.cs, 0, &b.cs, 1, CAP_RIGHTS_ALL, 0);
    cap_delete(&a.cs, 0, NULL, NULL);
    is_int(cap_descendants(&b.cs, 0), 1, "child_of_deleted_root_keeps_its_subtree");
    is_int(cap_revoke(&b.cs, 0, NULL, NULL), 1, "new_root_can_revoke");
}

static void test_depth_limit(void)
{
    struct cap_slot slots[CAP_MAX_DEPTH + 4];
    struct cap_space cs;
    cap_space_init(&cs, slots, CAP_MAX_DEPTH + 4, 1);
    struct cap e = endpoint_cap(1);
    cap_insert(&cs, 0, &e);
    int last = 0;
    for (uint32_t i = 0; i < CAP_MAX_DEPTH; i++) {
        last = cap_derive(&cs, i, &cs, i + 1, CAP_RIGHTS_ALL, 0);
    }
    is_int(last, CAP_MAX_DEPTH, "derivation_chain_up_to_limit");
    is_int(cap_derive(&cs, CAP_MAX_DEPTH, &cs, CAP_SLOT_ANY, CAP_RIGHTS_ALL, 0), ZERR_LIMIT,
           "derivation_beyond_depth_limit_refused");
    is_int(cap_revoke(&cs, 0, NULL, NULL), CAP_MAX_DEPTH, "revoke_removes_deep_chain");
    is_int(cs.used, 1, "deep_chain_slots_returned");
}

static void test_space_clear(void)
{
    struct space a;
    struct space b;
    space_init(&a, 1);
    space_init(&b, 2);
    struct cap e = endpoint_cap(1);
    cap_insert(&a.cs, 0, &e);
    cap_derive(&a.cs, 0, &b.cs, 0, CAP_RIGHTS_ALL, 0);
    cap_derive(&b.cs, 0, &a.cs, 1, CAP_RIGHTS_ALL, 0);
    cap_derive(&b.cs, 0, &b.cs, 1, CAP_RIGHTS_ALL, 0);
    struct released r;
    memset(&r, 0, sizeof(r));
    cap_space_clear(&b.cs, note_release, &r);
    is_int(b.cs.used, 0, "cap_space_clear_empties_space");
    is_int(r.count, 2, "cap_space_clear_reports_each_cap");
    is_int(cap_descendants(&a.cs, 0), 1, "caps_derived_from_cleared_space_survive");
    is_int(cap_revoke(&a.cs, 0, NULL, NULL), 1, "survivors_still_revocable");
    is_str(cap_type_name(CAP_IOPORT), "ioport", "cap_type_name_names_types");
    is_str(cap_type_name(99), "invalid", "cap_type_name_rejects_unknown");
}

int main(void)
{
    tap_no_plan();
    test_insert_and_lookup();
    test_full_space();
    test_rights_only_shrink();
    test_badges();
    test_revoke_tree();
    test_delete_reparents();
    test_depth_limit();
    test_space_clear();
    return tap_done();
}
