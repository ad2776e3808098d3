/*
 * Quotas: limits on the frames, threads and capability slots a group of
 * processes may hold, charged when one is taken and refunded when it goes
 * (see docs/kernel.md, "Quotas").
 *
 * Every process is charged to one quota.  Init's is the root, whose limits
 * are the machine's.  A process spawned with SYS_SPAWN shares its parent's
 * quota; one spawned with SYS_SPAWN_LIMITED gets a new quota whose limits
 * are reserved out of its parent's: the parent's usage grows by the child's
 * limits at once, so a parent can hand out at most what it has left, and
 * the reservation comes back only when the child's quota is empty (its
 * processes have ended and every frame charged to it is free).
 *
 * A frame is charged to the quota that allocated it and tagged with it
 * (frame_charge); it is refunded when its last reference goes, wherever
 * that happens.  Page-table frames are not charged.
 */
#include "base/assert.h"
#include "base/errors.h"
#include "base/string.h"
#include "kernel/kernel.h"

struct quota quotas[MAX_QUOTAS];

uint32_t quota_id(const struct quota *q)
{
    return (uint32_t)(q - quotas);
}

/* Sets up the root quota (index 1) with the machine's limits; before init exists. */
struct quota *quota_root(void)
{
    struct quota *q = &quotas[QUOTA_ROOT];
    memset(q, 0, sizeof(*q));
    q->live = true;
    q->parent = 0;
    q->limit[QUOTA_FRAMES] = frame_free_count();
    q->limit[QUOTA_THREADS] = MAX_THREADS;
    q->limit[QUOTA_SLOTS] = (uint64_t)MAX_PROCS * PROC_CSLOTS;
    return q;
}

/* 0 if q may take n more of kind, else ZERR_LIMIT. */
int quota_check(const struct quota *q, enum quota_kind kind, uint64_t n)
{
    return q->used[kind] <= q->limit[kind] && n <= q->limit[kind] - q->used[kind] ? 0 : ZERR_LIMIT;
}

/* Takes n of kind from q; the caller checked quota_check first. */
void quota_charge(struct quota *q, enum quota_kind kind, uint64_t n)
{
    ZASSERT(quota_check(q, kind, n) == 0, "a quota is charged only within its limit");
    q->used[kind] += n;
}

/*
 * Frees q once nothing is charged to it and no process uses it; its
 * reservation goes back to its parent (which may then be freed in turn).
 */
void quota_release(struct quota *q)
{
    while (q != NULL && q->live && q->nprocs == 0 && q->used[QUOTA_FRAMES] == 0 &&
           q->used[QUOTA_THREADS] == 0 && q->used[QUOTA_SLOTS] == 0 && quota_id(q) != QUOTA_ROOT) {
        q->live = false;
        struct quota *parent = &quotas[q->parent];
        ZASSERT(parent->live, "a parent quota outlives its children");
        for (int k = 0; k < QUOTA_KINDS; k++) {
            ZASSERT(parent->used[k] >= q->limit[k], "a child's reservation is in its parent's use");
            parent->used[k] -= q->limit[k];
        }
        q = parent;
    }
}

/* Gives back n of kind to q (charged earlier). */
void quota_refund(struct quota *q, enum quota_kind kind, uint64_t n)
{
    ZASSERT(q->used[kind] >= n, "a quota is refunded only what was charged");
    q->used[kind] -= n;
    quota_release(q);
}

/* frames.c: the last reference to a frame tagged with quota id went. */
void quota_frame_freed(uint32_t id)
{
    ZASSERT(id > 0 && id < MAX_QUOTAS && quotas[id].live, "a charged frame's quota is live");
    quota_refund(&quotas[id], QUOTA_FRAMES, 1);
}

/*
 * A fresh zeroed frame charged to q in *pa: 0, ZERR_LIMIT when q has no
 * frame left, or ZERR_NOMEM when the machine has none.
 */
int quota_frame_alloc(struct quota *q, uint64_t *pa)
{
    int r = quota_check(q, QUOTA_FRAMES, 1);
    if (r != 0) {
        return r;
    }
    *pa = frame_alloc();
    if (*pa == 0) {
        return ZERR_NOMEM;
    }
    quota_frame_tag(q, *pa);
    return 0;
}

/* Charges frame pa (just allocated, one reference) to q; q was checked. */
void quota_frame_tag(struct quota *q, uint64_t pa)
{
    quota_charge(q, QUOTA_FRAMES, 1);
    frame_charge(pa, quota_id(q));
}

/*
 * A new quota with limits lim reserved out of parent's, or ZERR_LIMIT when
 * parent has not that much left in any kind, or when no quota is free.
 */
int quota_create(struct quota *parent, const uint64_t lim[QUOTA_KINDS], struct quota **out)
{
    for (int k = 0; k < QUOTA_KINDS; k++) {
        if (quota_check(parent, (enum quota_kind)k, lim[k]) != 0) {
            return ZERR_LIMIT;
        }
    }
    for (uint32_t i = QUOTA_ROOT + 1; i < MAX_QUOTAS; i++) {
        struct quota *q = &quotas[i];
        if (q->live) {
            continue;
        }
        memset(q, 0, sizeof(*q));
        q->live = true;
        q->parent = quota_id(parent);
        for (int k = 0; k < QUOTA_KINDS; k++) {
            q->limit[k] = lim[k];
            parent->used[k] += lim[k];
        }
        *out = q;
        return 0;
    }
    return ZERR_LIMIT;
}

/* A process starts being charged to q. */
void quota_attach(struct quota *q)
{
    ZASSERT(q->live, "a process is charged to a live quota");
    q->nprocs++;
}

/* A process charged to q has ended (its capabilities and threads are gone). */
void quota_detach(struct quota *q)
{
    ZASSERT(q->nprocs > 0, "a quota is detached once per process");
    q->nprocs--;
    quota_release(q);
}
