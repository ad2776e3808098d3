/*
 * Capability spaces and the derivation tree.  See cap.h for the rules.
 *
 * Each slot links to its parent, its first child and its siblings, so the
 * tree spans cspaces without any allocation.  Revocation walks the subtree
 * iteratively (post-order) and never recurses: its cost is linear in the
 * number of capabilities removed and it uses constant stack.
 */
#include "cap/cap.h"

#include "base/errors.h"
#include "base/string.h"

static bool cap_type_valid(uint32_t type)
{
    return type > CAP_NULL && type < CAP_TYPE_COUNT;
}

bool cap_type_badgeable(uint32_t type)
{
    return type == CAP_ENDPOINT || type == CAP_NOTIFICATION;
}

const char *cap_type_name(uint32_t type)
{
    static const char *const names[CAP_TYPE_COUNT] = {
        "null", "endpoint", "notification", "aspace", "thread", "frame", "irq", "ioport",
    };
    return type < CAP_TYPE_COUNT ? names[type] : "invalid";
}

void cap_space_init(struct cap_space *cs, struct cap_slot *slots, uint32_t nslots, uint32_t owner)
{
    memset(slots, 0, sizeof(*slots) * nslots);
    for (uint32_t i = 0; i < nslots; i++) {
        slots[i].space = cs;
    }
    cs->slots = slots;
    cs->nslots = nslots;
    cs->used = 0;
    cs->next_free = 0;
    cs->owner = owner;
}

static uint32_t slot_index(const struct cap_slot *s)
{
    return (uint32_t)(s - s->space->slots);
}

/* Returns the occupied slot for handle, or NULL. */
static struct cap_slot *slot_get(const struct cap_space *cs, uint32_t handle)
{
    if (handle >= cs->nslots || cs->slots[handle].cap.type == CAP_NULL) {
        return NULL;
    }
    return &cs->slots[handle];
}

/*
 * Chooses the destination slot: handle itself, or the first free slot from
 * the search hint.  Returns the index or a negative ZERR_* code.
 */
static int slot_pick(struct cap_space *cs, uint32_t handle)
{
    if (handle != CAP_SLOT_ANY) {
        if (handle >= cs->nslots) {
            return ZERR_RANGE;
        }
        return cs->slots[handle].cap.type == CAP_NULL ? (int)handle : ZERR_EXIST;
    }
    for (uint32_t n = 0; n < cs->nslots; n++) {
        uint32_t i = (cs->next_free + n) % cs->nslots;
        if (cs->slots[i].cap.type == CAP_NULL) {
            return (int)i;
        }
    }
    return ZERR_FULL;
}

/* Fills the empty slot s with c as a child of parent (NULL: a root). */
static void slot_fill(struct cap_slot *s, const struct cap *c, struct cap_slot *parent)
{
    s->cap = *c;
    s->parent = parent;
    s->first_child = NULL;
    s->prev_sibling = NULL;
    s->next_sibling = NULL;
    s->depth = 0;
    if (parent != NULL) {
        s->depth = parent->depth + 1;
        s->next_sibling = parent->first_child;
        if (parent->first_child != NULL) {
            parent->first_child->prev_sibling = s;
        }
        parent->first_child = s;
    }
    s->space->used++;
    s->space->next_free = slot_index(s) + 1 == s->space->nslots ? 0 : slot_index(s) + 1;
}

int cap_insert(struct cap_space *cs, uint32_t handle, const struct cap *c)
{
    if (!cap_type_valid(c->type) || (c->rights & ~CAP_RIGHTS_ALL) != 0) {
        return ZERR_INVAL;
    }
    if (c->badge != 0 && !cap_type_badgeable(c->type)) {
        return ZERR_INVAL;
    }
    int idx = slot_pick(cs, handle);
    if (idx < 0) {
        return idx;
    }
    slot_fill(&cs->slots[idx], c, NULL);
    return idx;
}

int cap_lookup(const struct cap_space *cs, uint32_t handle, uint32_t want, uint32_t need,
               const struct cap **out)
{
    const struct cap_slot *s = slot_get(cs, handle);
    if (s == NULL || (want != CAP_TYPE_ANY && s->cap.type != want)) {
        return ZERR_BADCAP;
    }
    if ((s->cap.rights & need) != need) {
        return ZERR_PERM;
    }
    if (out != NULL) {
        *out = &s->cap;
    }
    return 0;
}

int cap_derive(struct cap_space *src_cs, uint32_t src, struct cap_space *dst_cs, uint32_t dst,
               uint32_t rights_mask, uint64_t badge)
{
    struct cap_slot *from = slot_get(src_cs, src);
    if (from == NULL) {
        return ZERR_BADCAP;
    }
    if (badge != 0 && !cap_type_badgeable(from->cap.type)) {
        return ZERR_INVAL;
    }
    if (badge != 0 && from->cap.badge != 0) {
        return ZERR_PERM;
    }
    if (from->depth + 1 > CAP_MAX_DEPTH) {
        return ZERR_LIMIT;
    }
    int idx = slot_pick(dst_cs, dst);
    if (idx < 0) {
        return idx;
    }
    struct cap c = from->cap;
    c.rights &= rights_mask;
    if (badge != 0) {
        c.badge = badge;
    }
    slot_fill(&dst_cs->slots[idx], &c, from);
    return idx;
}

/* Takes s out of its parent's child list. */
static void slot_unlink(struct cap_slot *s)
{
    if (s->prev_sibling != NULL) {
        s->prev_sibling->next_sibling = s->next_sibling;
    } else if (s->parent != NULL) {
        s->parent->first_child = s->next_sibling;
    }
    if (s->next_sibling != NULL) {
        s->next_sibling->prev_sibling = s->prev_sibling;
    }
    s->parent = NULL;
    s->prev_sibling = NULL;
    s->next_sibling = NULL;
}

/* Moves every child of s to s's parent (or makes them roots), fixing depths. */
static void slot_adopt_children(struct cap_slot *s)
{
    struct cap_slot *c = s->first_child;
    while (c != NULL) {
        struct cap_slot *next = c->next_sibling;
        c->parent = s->parent;
        c->prev_sibling = NULL;
        c->next_sibling = NULL;
        if (s->parent != NULL) {
            c->next_sibling = s->parent->first_child;
            if (s->parent->first_child != NULL) {
                s->parent->first_child->prev_sibling = c;
            }
            s->parent->first_child = c;
        }
        c = next;
    }
    s->first_child = NULL;
}

/* Empties the (childless, unlinked) slot s and reports it. */
static void slot_clear(struct cap_slot *s, cap_release_fn release, void *arg)
{
    struct cap removed = s->cap;
    memset(&s->cap, 0, sizeof(s->cap));
    s->depth = 0;
    s->space->used--;
    if (release != NULL) {
        release(arg, s->space, slot_index(s), &removed);
    }
}

/*
 * Depths of a moved subtree are not renumbered: depth only bounds how deep a
 * chain can grow, and a moved node's recorded depth is never below its real
 * one, so the bound still holds.
 */
int cap_delete(struct cap_space *cs, uint32_t handle, cap_release_fn release, void *arg)
{
    struct cap_slot *s = slot_get(cs, handle);
    if (s == NULL) {
        return ZERR_BADCAP;
    }
    slot_adopt_children(s);
    slot_unlink(s);
    slot_clear(s, release, arg);
    return 0;
}

int cap_revoke(struct cap_space *cs, uint32_t handle, cap_release_fn release, void *arg)
{
    struct cap_slot *root = slot_get(cs, handle);
    if (root == NULL) {
        return ZERR_BADCAP;
    }
    int removed = 0;
    struct cap_slot *cur = root->first_child;
    while (cur != NULL) {
        while (cur->first_child != NULL) {
            cur = cur->first_child;
        }
        struct cap_slot *parent = cur->parent;
        slot_unlink(cur);
        slot_clear(cur, release, arg);
        removed++;
        if (parent->first_child != NULL) {
            cur = parent->first_child;
        } else {
            cur = parent == root ? NULL : parent;
        }
    }
    return removed;
}

void cap_space_clear(struct cap_space *cs, cap_release_fn release, void *arg)
{
    for (uint32_t i = 0; i < cs->nslots && cs->used > 0; i++) {
        if (cs->slots[i].cap.type != CAP_NULL) {
            (void)cap_delete(cs, i, release, arg);
        }
    }
}

uint32_t cap_descendants(const struct cap_space *cs, uint32_t handle)
{
    const struct cap_slot *root = slot_get(cs, handle);
    if (root == NULL) {
        return 0;
    }
    uint32_t n = 0;
    const struct cap_slot *cur = root->first_child;
    while (cur != NULL) {
        n++;
        if (cur->first_child != NULL) {
            cur = cur->first_child;
            continue;
        }
        while (cur != root && cur->next_sibling == NULL) {
            cur = cur->parent;
        }
        cur = cur == root ? NULL : cur->next_sibling;
    }
    return n;
}
