/*
 * The physical frame allocator: a free list threaded through the free pages
 * (via the direct map) and a 32-bit reference count per frame (mappings
 * plus frame capabilities).
 */
#include "base/assert.h"
#include "base/string.h"
#include "bootinfo.h"
#include "x86.h"

extern char _kernel_end_phys[];

static uint64_t free_head; /* physical address of the first free frame, 0 if none */
static uint64_t free_count;
static uint32_t *frame_refs; /* cannot overflow: mappings need page tables */
static uint64_t frame_limit; /* frames at or above are not managed */

static bool range_reserved(uint64_t pa)
{
    if (pa < 0x100000 || pa >= frame_limit) {
        return true;
    }
    if (pa >= KERNEL_PHYS && pa < (uint64_t)(uintptr_t)_kernel_end_phys) {
        return true;
    }
    for (uint32_t i = 0; i < boot_info.nmodules; i++) {
        const struct boot_module *m = &boot_info.modules[i];
        if (pa + PAGE_SIZE > (m->start & ~(PAGE_SIZE - 1)) && pa < m->end) {
            return true;
        }
    }
    return false;
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
 * Puts every usable RAM page that holds nothing (not low memory, the image,
 * the modules or the reference counts) on the free list.
 */
void frames_init(void)
{
    frame_limit = boot_info.mem_top;
    if (frame_limit > ((uint64_t)DIRECT_MAP_GIB << 30)) {
        frame_limit = (uint64_t)DIRECT_MAP_GIB << 30;
    }
    uint64_t nframes = frame_limit / PAGE_SIZE;
    uint64_t bytes = (nframes * sizeof(uint32_t) + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
    if (!refs_place(bytes)) {
        zpanic("frames: no room for the reference counts (%llu bytes)", (unsigned long long)bytes);
    }
    uint64_t refs_pa = virt_to_phys(frame_refs);
    for (uint32_t i = 0; i < boot_nram; i++) {
        uint64_t pa = (boot_ram[i].base + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
        for (; pa + PAGE_SIZE <= boot_ram[i].end; pa += PAGE_SIZE) {
            if (!range_reserved(pa) && (pa < refs_pa || pa >= refs_pa + bytes)) {
                frame_push(pa);
            }
        }
    }
}

/* Takes a free frame, zeroes it and gives it one reference.  Returns 0 if none. */
uint64_t frame_alloc(void)
{
    if (free_head == 0) {
        return 0;
    }
    uint64_t pa = free_head;
    free_head = *(uint64_t *)phys_to_virt(pa);
    free_count--;
    memset(phys_to_virt(pa), 0, PAGE_SIZE);
    frame_refs[pa / PAGE_SIZE] = 1;
    return pa;
}

/* Adds a reference to an allocated frame (not RAM: ignored). */
void frame_ref(uint64_t pa)
{
    if (pa < frame_limit) {
        ZASSERT(frame_refs[pa / PAGE_SIZE] != 0, "referenced frame is allocated");
        frame_refs[pa / PAGE_SIZE]++;
    }
}

/* Drops a reference; the frame is free again when none is left. */
void frame_put(uint64_t pa)
{
    if (pa >= frame_limit) {
        return;
    }
    ZASSERT(frame_refs[pa / PAGE_SIZE] != 0, "released frame is allocated");
    if (--frame_refs[pa / PAGE_SIZE] == 0) {
        frame_push(pa);
    }
}

uint64_t frame_free_count(void)
{
    return free_count;
}
