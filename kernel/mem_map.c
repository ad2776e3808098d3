/*
 * Large user memory without a frame capability per page (see lib/zero/abi.h
 * and docs/kernel.md): SYS_MEM_MAP maps fresh zeroed frames into an address
 * space at once, owned by the mapping (freed with the address space),
 * optionally physically contiguous with the physical address returned, for
 * DMA; SYS_MEM_UNMAP removes them.  Same discipline as kernel/syscall.c:
 * decode everything, then perform.
 */
#include "base/errors.h"
#include "zero/abi.h"
#include "kernel/kernel.h"
#include "kernel/syscall.h"

/*
 * Allocates n physically contiguous frames (n <= MEM_MAP_DMA_MAX_PAGES) into
 * pa[0..n-1] in ascending order.  The free list hands out runs of
 * neighbouring frames (ascending from RAM untouched since boot and after an
 * unmap), so
 * a run shows up among the next few frames unless memory is fragmented; the
 * frames not used go back.  0 or ZERR_NOMEM.
 */
static int frames_contiguous(uint32_t n, uint64_t *pa)
{
    enum { TRIES = 4 * MEM_MAP_DMA_MAX_PAGES };
    uint64_t got[TRIES];
    uint32_t ngot = 0;
    uint32_t down = 0; /* length of the descending run ending at the last frame */
    uint32_t up = 0;   /* length of the ascending run ending at the last frame */
    while (ngot < TRIES && down < n && up < n) {
        uint64_t p = frame_alloc();
        if (p == 0) {
            break;
        }
        down = (ngot > 0 && p + PAGE_SIZE == got[ngot - 1]) ? down + 1 : 1;
        up = (ngot > 0 && p == got[ngot - 1] + PAGE_SIZE) ? up + 1 : 1;
        got[ngot++] = p;
    }
    bool found = down == n || up == n;
    if (found) {
        for (uint32_t i = 0; i < n; i++) {
            pa[i] = down == n ? got[ngot - 1 - i] : got[ngot - n + i];
        }
        ngot -= n;
    }
    for (uint32_t i = 0; i < ngot; i++) {
        frame_put(got[i]);
    }
    return found ? 0 : ZERR_NOMEM;
}

/* Removes n pages mapped at va by SYS_MEM_MAP. */
static void mem_unmap_partial(struct aspace *as, uint64_t va, uint64_t n)
{
    for (uint64_t i = 0; i < n; i++) {
        (void)as_unmap(as, va + i * PAGE_SIZE);
    }
}

/* Maps frame pa at va and hands the allocation's reference to the mapping. */
static int map_owned(struct aspace *as, uint64_t va, uint64_t pa, uint32_t flags)
{
    int r = as_map(as, va, pa, flags);
    frame_put(pa);
    return r;
}

/*
 * (aspace capability, va, npages, ZERO_MAP_WRITE | ZERO_MAP_DMA) -> rdi the
 * physical address of the first page with ZERO_MAP_DMA.  All pages or none
 * are mapped; the range must be free, page aligned and in user space.
 */
int64_t sys_mem_map(struct thread *t, struct trap_frame *f)
{
    const struct cap *asc;
    uint64_t va = frame_arg(f, 1);
    uint64_t n = frame_arg(f, 2);
    uint64_t flags = frame_arg(f, 3);
    bool dma = (flags & ZERO_MAP_DMA) != 0;
    uint64_t max = dma ? MEM_MAP_DMA_MAX_PAGES : MEM_MAP_MAX_PAGES;
    int r = sys_lookup(t, frame_arg(f, 0), CAP_ASPACE, CAP_RIGHT_WRITE, &asc);
    if (r == 0 && (flags & ~(uint64_t)(ZERO_MAP_WRITE | ZERO_MAP_DMA)) != 0) {
        r = ZERR_INVAL;
    }
    if (r == 0 && (n == 0 || n > max)) {
        r = ZERR_RANGE;
    }
    if (r == 0 && ((va & (PAGE_SIZE - 1)) != 0 || va < USER_MIN || va > USER_MAP_MAX ||
                   n * PAGE_SIZE > USER_MAP_MAX - va)) {
        r = ZERR_RANGE;
    }
    struct quota *q = t->proc->quota;
    if (r == 0) {
        r = quota_check(q, QUOTA_FRAMES, n);
    }
    uint64_t dma_pa[MEM_MAP_DMA_MAX_PAGES];
    if (r == 0 && dma) {
        r = frames_contiguous((uint32_t)n, dma_pa);
    }
    if (r != 0) {
        return r;
    }
    struct aspace *as = (struct aspace *)asc->obj;
    uint32_t mflags = MAP_OWNED | ((flags & ZERO_MAP_WRITE) ? MAP_WRITE : 0);
    uint64_t i = 0;
    for (; i < n && r == 0; i++) {
        uint64_t pa = dma ? dma_pa[i] : frame_alloc();
        if (pa != 0) {
            quota_frame_tag(q, pa);
        }
        r = pa == 0 ? ZERR_NOMEM : map_owned(as, va + i * PAGE_SIZE, pa, mflags);
    }
    if (r != 0) {
        mem_unmap_partial(as, va, i - 1);
        for (uint64_t k = i; dma && k < n; k++) {
            frame_put(dma_pa[k]);
        }
    } else if (dma) {
        frame_set_result(f, 0, dma_pa[0]);
    }
    return r;
}

/*
 * (aspace capability, va, npages): removes pages mapped by SYS_MEM_MAP and
 * frees their frames.  Every page in the range must be such a page (a frame
 * capability's mapping is removed through its capability), else nothing is
 * unmapped.
 */
int64_t sys_mem_unmap(struct thread *t, struct trap_frame *f)
{
    const struct cap *asc;
    uint64_t va = frame_arg(f, 1);
    uint64_t n = frame_arg(f, 2);
    int r = sys_lookup(t, frame_arg(f, 0), CAP_ASPACE, CAP_RIGHT_WRITE, &asc);
    if (r == 0 && (n == 0 || n > MEM_MAP_MAX_PAGES || (va & (PAGE_SIZE - 1)) != 0 ||
                   va < USER_MIN || va > USER_MAP_MAX || n * PAGE_SIZE > USER_MAP_MAX - va)) {
        r = ZERR_RANGE;
    }
    struct aspace *as = r == 0 ? (struct aspace *)asc->obj : NULL;
    for (uint64_t i = 0; r == 0 && i < n; i++) {
        r = as_page_owned(as, va + i * PAGE_SIZE) ? 0 : ZERR_NOENT;
    }
    if (r == 0) {
        mem_unmap_partial(as, va, n);
    }
    return r;
}
