/*
 * The physical frame allocator: a free list threaded through the freed
 * pages (via the direct map), RAM never handed out since boot taken in
 * ascending order from a cursor per RAM range, and, per frame, a 32-bit
 * reference count (mappings plus frame capabilities) and the number of its
 * user mappings that are writable and that are executable (W^X across
 * mappings).
 *
 * Boot touches no free page: under QEMU TCG every guest page's first touch
 * costs the host a page fault and zeroing (on a virtualised host up to
 * 100 us per 4 KiB page), so threading a free list through all of RAM at
 * boot cost 5 to 13 s with 256 MiB (docs/boot.md, "Where boot time goes").
 */
#include "base/assert.h"
#include "base/errors.h"
#include "base/string.h"
#include "bootinfo.h"
#include "x86.h"

extern char _kernel_end_phys[];

static uint64_t free_head;  /* physical address of the first freed frame, 0 if none */
static uint64_t free_count; /* freed frames plus fresh ones */
/* Per boot RAM range, the next page not yet handed out since boot (page-aligned). */
static uint64_t fresh_next[MAX_RAM_RANGES];
static uint32_t fresh_range; /* ranges below it have no fresh page left */
/*
 * Per frame.  refs cannot overflow: mappings need page tables.  Nor can the
 * mapping counts: a frame is mapped once per frame capability (at most 64
 * processes x 256 slots) or once by the loader or MEM_MAP.
 */
struct frame_info {
    uint32_t refs;
    uint16_t writable; /* user mappings with write access */
    uint16_t exec;     /* user mappings with execute access */
    uint16_t quota;    /* index of the quota it is charged to, 0 if none */
};
static struct frame_info *frame_refs;
static uint64_t frame_limit; /* frames at or above are not managed */

/*
 * Reserved range i (rounded out to pages) in *r: low memory, the kernel
 * image, the reference counts (empty until placed), then the modules.
 * False past the last.
 */
static bool reserved_get(uint32_t i, struct mem_range *r)
{
    uint64_t refs_bytes =
        (frame_limit / PAGE_SIZE * sizeof(struct frame_info) + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
    uint64_t refs_pa = frame_refs != NULL ? virt_to_phys(frame_refs) : 0;
    switch (i) {
    case 0:
        *r = (struct mem_range){0, 0x100000};
        return true;
    case 1:
        *r = (struct mem_range){KERNEL_PHYS, (uint64_t)(uintptr_t)_kernel_end_phys};
        break;
    case 2:
        *r = (struct mem_range){refs_pa, frame_refs != NULL ? refs_pa + refs_bytes : 0};
        return true;
    default:
        if (i - 3 >= boot_info.nmodules) {
            return false;
        }
        *r = (struct mem_range){boot_info.modules[i - 3].start, boot_info.modules[i - 3].end};
        break;
    }
    r->base &= ~(PAGE_SIZE - 1);
    r->end = (r->end + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
    return true;
}

/* The first page at or after page-aligned pa that no reserved range holds. */
static uint64_t usable_from(uint64_t pa)
{
    bool moved = true;
    while (moved) {
        moved = false;
        struct mem_range r;
        for (uint32_t i = 0; reserved_get(i, &r); i++) {
            if (pa >= r.base && pa < r.end) {
                pa = r.end;
                moved = true;
            }
        }
    }
    return pa;
}

/* The end of the run of usable pages from usable pa: the next reserved range's start, or limit. */
static uint64_t usable_until(uint64_t pa, uint64_t limit)
{
    struct mem_range r;
    for (uint32_t i = 0; reserved_get(i, &r); i++) {
        if (r.base > pa && r.base < limit) {
            limit = r.base;
        }
    }
    return limit;
}

static bool range_reserved(uint64_t pa)
{
    return pa >= frame_limit || usable_from(pa) != pa;
}

/* Where the pages of boot RAM range i the allocator may use end (page-aligned). */
static uint64_t ram_limit(uint32_t i)
{
    uint64_t end = boot_ram[i].end & ~(PAGE_SIZE - 1);
    return end < frame_limit ? end : frame_limit;
}

static void frame_push(uint64_t pa)
{
    *(uint64_t *)phys_to_virt(pa) = free_head;
    free_head = pa;
    free_count++;
}

/* Places the reference-count array in the first free RAM large enough for it. */
static bool refs_place(uint64_t bytes)
{
    for (uint32_t i = 0; i < boot_nram; i++) {
        uint64_t base = (boot_ram[i].base + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
        while (base + bytes <= boot_ram[i].end && base + bytes <= frame_limit) {
            uint64_t clash = 0;
            for (uint64_t pa = base; pa < base + bytes && clash == 0; pa += PAGE_SIZE) {
                clash = range_reserved(pa) ? pa + PAGE_SIZE : 0;
            }
            if (clash == 0) {
                frame_refs = phys_to_virt(base);
                memset(frame_refs, 0, bytes);
                return true;
            }
            base = clash;
        }
    }
    return false;
}

/*
 * Counts every usable RAM page that holds nothing (not low memory, the
 * image, the modules or the reference counts) as free, without touching it:
 * frame_alloc hands them out in ascending order.
 */
void frames_init(void)
{
    frame_limit = boot_info.mem_top;
    if (frame_limit > ((uint64_t)DIRECT_MAP_GIB << 30)) {
        frame_limit = (uint64_t)DIRECT_MAP_GIB << 30;
    }
    uint64_t nframes = frame_limit / PAGE_SIZE;
    uint64_t bytes = (nframes * sizeof(struct frame_info) + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
    if (!refs_place(bytes)) {
        zpanic("frames: no room for the reference counts (%llu bytes)", (unsigned long long)bytes);
    }
    for (uint32_t i = 0; i < boot_nram; i++) {
        uint64_t pa = (boot_ram[i].base + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
        fresh_next[i] = pa;
        while ((pa = usable_from(pa)) < ram_limit(i)) {
            uint64_t end = usable_until(pa, ram_limit(i));
            free_count += (end - pa) / PAGE_SIZE;
            pa = end;
        }
    }
}

/* The next page never handed out since boot, or 0 if none is left. */
static uint64_t frame_fresh(void)
{
    for (; fresh_range < boot_nram; fresh_range++) {
        uint64_t pa = usable_from(fresh_next[fresh_range]);
        if (pa < ram_limit(fresh_range)) {
            fresh_next[fresh_range] = pa + PAGE_SIZE;
            return pa;
        }
        fresh_next[fresh_range] = pa;
    }
    return 0;
}

/* Zeroes a page a quadword at a time (memset goes byte by byte; MEM_MAP zeroes up to 1024 pages
 * under the kernel lock). */
static void page_zero(void *page)
{
    uint64_t n = PAGE_SIZE / 8;
    __asm__ volatile("rep stosq" : "+D"(page), "+c"(n) : "a"(0ull) : "memory");
}

/* Takes a free frame, zeroes it and gives it one reference.  Returns 0 if none. */
uint64_t frame_alloc(void)
{
    uint64_t pa = free_head;
    if (pa != 0) {
        free_head = *(uint64_t *)phys_to_virt(pa);
    } else {
        pa = frame_fresh();
        if (pa == 0) {
            return 0;
        }
    }
    free_count--;
    page_zero(phys_to_virt(pa));
    frame_refs[pa / PAGE_SIZE] = (struct frame_info){.refs = 1};
    return pa;
}

/* Adds a reference to an allocated frame (not RAM: ignored). */
void frame_ref(uint64_t pa)
{
    if (pa < frame_limit) {
        ZASSERT(frame_refs[pa / PAGE_SIZE].refs != 0, "referenced frame is allocated");
        frame_refs[pa / PAGE_SIZE].refs++;
    }
}

/* Drops a reference; the frame is free again when none is left. */
void frame_put(uint64_t pa)
{
    if (pa >= frame_limit) {
        return;
    }
    struct frame_info *fi = &frame_refs[pa / PAGE_SIZE];
    ZASSERT(fi->refs != 0, "released frame is allocated");
    if (--fi->refs == 0) {
        ZASSERT(fi->writable == 0 && fi->exec == 0, "a freed frame is mapped nowhere");
        uint32_t q = fi->quota;
        fi->quota = 0;
        frame_push(pa);
        if (q != 0) {
            quota_frame_freed(q);
        }
    }
}

void frame_charge(uint64_t pa, uint32_t id)
{
    if (pa < frame_limit) {
        frame_refs[pa / PAGE_SIZE].quota = (uint16_t)id;
    }
}

/*
 * Counts a new user mapping of pa with MAP_WRITE / MAP_EXEC flags, or
 * refuses it with ZERR_PERM when it would make pa writable through one
 * mapping and executable through another (anywhere, in any address space).
 * Frames outside RAM are not counted.
 */
int frame_map_count(uint64_t pa, uint32_t flags)
{
    if (pa >= frame_limit) {
        return 0;
    }
    struct frame_info *fi = &frame_refs[pa / PAGE_SIZE];
    if (((flags & MAP_WRITE) && fi->exec != 0) || ((flags & MAP_EXEC) && fi->writable != 0)) {
        return ZERR_PERM;
    }
    fi->writable += (flags & MAP_WRITE) ? 1 : 0;
    fi->exec += (flags & MAP_EXEC) ? 1 : 0;
    return 0;
}

/* Forgets a user mapping of pa counted by frame_map_count with the same flags. */
void frame_map_uncount(uint64_t pa, uint32_t flags)
{
    if (pa >= frame_limit) {
        return;
    }
    struct frame_info *fi = &frame_refs[pa / PAGE_SIZE];
    ZASSERT(!(flags & MAP_WRITE) || fi->writable != 0, "a writable mapping was counted");
    ZASSERT(!(flags & MAP_EXEC) || fi->exec != 0, "an executable mapping was counted");
    fi->writable -= (flags & MAP_WRITE) ? 1 : 0;
    fi->exec -= (flags & MAP_EXEC) ? 1 : 0;
}

uint64_t frame_free_count(void)
{
    return free_count;
}
