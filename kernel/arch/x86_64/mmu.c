/*
 * 4-level paging (the frames the tables and mappings use come from
 * frames.c).
 *
 * Kernel half (shared by every address space through PML4 entries 256..511,
 * all created here before the first process):
 *   PML4[256]  direct map of physical 0..4 GiB, 2 MiB pages, RW+NX
 *   PML4[510]  kernel stacks, 4 KiB pages, each with an unmapped guard page below
 *   PML4[511]  kernel image: text RX, rodata R+NX, data and bss RW+NX
 * User half: PML4 entries 0..255, per address space.
 * */
#include "base/assert.h"
#include "base/check.h"
#include "base/errors.h"
#include "base/string.h"
#include "bootinfo.h"
#include "x86.h"

#define KERNEL_PTS 16 /* 32 MiB of kernel image */
#define STACK_AREA 0xffffff0000000000ull

extern char _text_start[], _text_end[], _rodata_end[], _bss_end[];

static uint64_t kernel_pml4[512] __attribute__((aligned(4096)));
static uint64_t dm_pdpt[512] __attribute__((aligned(4096)));
static uint64_t dm_pd[DIRECT_MAP_GIB][512] __attribute__((aligned(4096)));
static uint64_t dm_pt_image[512] __attribute__((aligned(4096)));
static uint64_t k_pdpt[512] __attribute__((aligned(4096)));
static uint64_t k_pd[512] __attribute__((aligned(4096)));
static uint64_t k_pt[KERNEL_PTS][512] __attribute__((aligned(4096)));
static uint64_t stack_pdpt[512] __attribute__((aligned(4096)));

static uint64_t stack_next = STACK_AREA;

static uint64_t kpa(const void *p)
{
    return (uint64_t)(uintptr_t)p - KERNEL_VMA;
}

uint64_t mmu_kernel_pml4(void)
{
    return kpa(kernel_pml4);
}

/* Builds and loads the kernel's own page tables (no allocation needed). */
void mmu_init(void)
{
    uint64_t nx = cpu_has_nx ? PTE_NX : 0;
    for (uint64_t g = 0; g < DIRECT_MAP_GIB; g++) {
        for (uint64_t i = 0; i < 512; i++) {
            uint64_t pa = (g << 30) | (i << 21);
            uint64_t cache = g == 3 ? PTE_PCD | PTE_PWT : 0; /* MMIO lives in the top GiB */
            dm_pd[g][i] = pa | PTE_P | PTE_W | PTE_PS | PTE_G | cache | nx;
        }
        dm_pdpt[g] = kpa(dm_pd[g]) | PTE_P | PTE_W;
    }
    /* No writable alias of kernel code: the direct map of text and rodata is read-only. */
    uint64_t ro_end = (uint64_t)(uintptr_t)_rodata_end - KERNEL_VMA;
    ZASSERT(ro_end <= KERNEL_PHYS + (2ull << 20), "kernel text and rodata fit in 2 MiB");
    for (uint64_t j = 0; j < 512; j++) {
        uint64_t pa = KERNEL_PHYS + j * PAGE_SIZE;
        dm_pt_image[j] = pa | PTE_P | PTE_G | nx | (pa < ro_end ? 0 : PTE_W);
    }
    dm_pd[0][KERNEL_PHYS >> 21] = kpa(dm_pt_image) | PTE_P | PTE_W;
    kernel_pml4[256] = kpa(dm_pdpt) | PTE_P | PTE_W;

    uint64_t start = (uint64_t)(uintptr_t)_text_start;
    uint64_t end = (uint64_t)(uintptr_t)_bss_end;
    ZASSERT(end - KERNEL_VMA <= (uint64_t)KERNEL_PTS << 21, "kernel image fits its page tables");
    for (uint64_t va = start; va < end; va += PAGE_SIZE) {
        uint64_t pa = va - KERNEL_VMA;
        uint64_t flags = PTE_P | PTE_G;
        if (va >= (uint64_t)(uintptr_t)_text_end) {
            flags |= nx;
        }
        if (va >= (uint64_t)(uintptr_t)_rodata_end) {
            flags |= PTE_W;
        }
        k_pt[pa >> 21][(pa >> 12) & 511] = pa | flags;
    }
    for (uint64_t i = 0; i < KERNEL_PTS; i++) {
        k_pd[i] = kpa(k_pt[i]) | PTE_P | PTE_W;
    }
    k_pdpt[510] = kpa(k_pd) | PTE_P | PTE_W;
    kernel_pml4[511] = kpa(k_pdpt) | PTE_P | PTE_W;
    kernel_pml4[510] = kpa(stack_pdpt) | PTE_P | PTE_W;
    write_cr3(kpa(kernel_pml4));
}

/* ---- kernel stacks ------------------------------------------------------- */

/* Walks (creating) the tables for va under root; returns the PTE or NULL. */
static uint64_t *pte_walk(uint64_t *root, uint64_t va, bool create, uint64_t table_flags)
{
    uint64_t *table = root;
    for (int shift = 39; shift > 12; shift -= 9) {
        uint64_t *e = &table[(va >> shift) & 511];
        if ((*e & PTE_P) == 0) {
            if (!create) {
                return NULL;
            }
            uint64_t pa = frame_alloc();
            if (pa == 0) {
                return NULL;
            }
            *e = pa | table_flags;
        } else if (*e & PTE_PS) {
            return NULL;
        }
        table = phys_to_virt(*e & PTE_ADDR);
    }
    return &table[(va >> 12) & 511];
}

/* Maps pages of kernel stack with an unmapped guard page below; returns the top. */
uint64_t mmu_alloc_stack(uint32_t pages)
{
    uint64_t base = stack_next + PAGE_SIZE; /* the guard page stays unmapped */
    stack_next = base + (uint64_t)pages * PAGE_SIZE;
    for (uint32_t i = 0; i < pages; i++) {
        uint64_t pa = frame_alloc();
        uint64_t *pte =
            pa == 0 ? NULL : pte_walk(kernel_pml4, base + i * PAGE_SIZE, true, PTE_P | PTE_W);
        if (pte == NULL) {
            zpanic("kernel stack: out of memory");
        }
        *pte = pa | PTE_P | PTE_W | PTE_G | (cpu_has_nx ? PTE_NX : 0);
    }
    return stack_next;
}

/* ---- address spaces ------------------------------------------------------ */

int as_create(struct aspace *as)
{
    uint64_t pa = frame_alloc();
    if (pa == 0) {
        return ZERR_NOMEM;
    }
    uint64_t *pml4 = phys_to_virt(pa);
    for (int i = 256; i < 512; i++) {
        pml4[i] = kernel_pml4[i];
    }
    as->pml4 = pa;
    return 0;
}

/* The MAP_WRITE / MAP_EXEC flags a user page-table entry was made with. */
static uint32_t pte_map_flags(uint64_t pte)
{
    return ((pte & PTE_W) ? MAP_WRITE : 0) | ((pte & PTE_EXEC) ? MAP_EXEC : 0);
}

/* Frees the user half below table (level 4 = PML4), dropping frame references. */
static void table_free(uint64_t pa, int level)
{
    uint64_t *t = phys_to_virt(pa);
    int n = level == 4 ? 256 : 512;
    for (int i = 0; i < n; i++) {
        if ((t[i] & PTE_P) == 0) {
            continue;
        }
        if (level == 1) {
            frame_map_uncount(t[i] & PTE_ADDR, pte_map_flags(t[i]));
            frame_put(t[i] & PTE_ADDR);
        } else {
            table_free(t[i] & PTE_ADDR, level - 1);
        }
    }
    frame_put(pa);
}

/* Frees as's page tables and drops its mappings' frame references. */
void as_destroy(struct aspace *as)
{
    if (as->pml4 == 0) {
        return;
    }
    if (read_cr3() == as->pml4) {
        write_cr3(kpa(kernel_pml4));
    }
    table_free(as->pml4, 4);
    as->pml4 = 0;
}

/*
 * Maps frame pa at user address va (page aligned, below USER_MAP_MAX) with
 * MAP_* flags; never writable and executable, neither in this mapping nor
 * across mappings (frame_map_count).  0, ZERR_RANGE, ZERR_PERM, ZERR_EXIST
 * or ZERR_NOMEM.
 */
int as_map(struct aspace *as, uint64_t va, uint64_t pa, uint32_t flags)
{
    if ((va & (PAGE_SIZE - 1)) != 0 || va < USER_MIN || va >= USER_MAP_MAX) {
        return ZERR_RANGE;
    }
    if ((flags & MAP_WRITE) && (flags & MAP_EXEC)) {
        return ZERR_PERM; /* W^X */
    }
    uint64_t *pte = pte_walk(phys_to_virt(as->pml4), va, true, PTE_P | PTE_W | PTE_U);
    if (pte == NULL) {
        return ZERR_NOMEM;
    }
    if (*pte & PTE_P) {
        return ZERR_EXIST;
    }
    if (frame_map_count(pa, flags) != 0) {
        return ZERR_PERM; /* W^X across mappings */
    }
    uint64_t e = pa | PTE_P | PTE_U;
    if (flags & MAP_WRITE) {
        e |= PTE_W;
    }
    if (!(flags & MAP_EXEC) && cpu_has_nx) {
        e |= PTE_NX;
    }
    if (flags & MAP_EXEC) {
        e |= PTE_EXEC;
    }
    if (flags & MAP_OWNED) {
        e |= PTE_OWNED;
    }
    frame_ref(pa);
    *pte = e;
    return 0;
}

/*
 * Removes the mapping at va and drops its frame reference.  0, ZERR_RANGE or
 * ZERR_NOENT.
 */
int as_unmap(struct aspace *as, uint64_t va)
{
    if ((va & (PAGE_SIZE - 1)) != 0 || va < USER_MIN || va >= USER_MAX) {
        return ZERR_RANGE;
    }
    uint64_t *pte = pte_walk(phys_to_virt(as->pml4), va, false, 0);
    if (pte == NULL || (*pte & PTE_P) == 0) {
        return ZERR_NOENT;
    }
    uint64_t pa = *pte & PTE_ADDR;
    uint32_t flags = pte_map_flags(*pte);
    *pte = 0;
    tlb_shootdown(as, va); /* before the frame can be reused */
    frame_map_uncount(pa, flags);
    frame_put(pa);
    return 0;
}

/* True if va is mapped in as by SYS_MEM_MAP (MAP_OWNED), not by a frame capability. */
bool as_page_owned(struct aspace *as, uint64_t va)
{
    if ((va & (PAGE_SIZE - 1)) != 0 || va < USER_MIN || va >= USER_MAX) {
        return false;
    }
    const uint64_t *pte = pte_walk(phys_to_virt(as->pml4), va, false, 0);
    return pte != NULL && (*pte & (PTE_P | PTE_OWNED)) == (PTE_P | PTE_OWNED);
}

/*
 * Loads to (NULL: the kernel's tables) into this CPU's CR3 in place of
 * from, and moves this CPU's bit between their cpu_masks (the shootdown
 * targets).  Kernel lock held, or held shared by the IPC fast path: two
 * CPUs may then move their bits in one mask at once.
 */
void as_switch(struct aspace *from, struct aspace *to)
{
    uint32_t bit = 1u << cpu_self()->id;
    if (from != NULL) {
        __atomic_and_fetch(&from->cpu_mask, ~bit, __ATOMIC_RELAXED);
    }
    if (to != NULL) {
        __atomic_or_fetch(&to->cpu_mask, bit, __ATOMIC_RELAXED);
    }
    uint64_t target = to != NULL && to->pml4 != 0 ? to->pml4 : kpa(kernel_pml4);
    if (read_cr3() != target) {
        write_cr3(target);
    }
}

/*
 * Page tables an application processor starts with: the first 2 MiB
 * identity-mapped and executable (the trampoline), plus the kernel half.
 * Returns the PML4's physical address (below 4 GiB).
 */
uint64_t mmu_trampoline_tables(void)
{
    uint64_t pml4 = frame_alloc();
    uint64_t pdpt = frame_alloc();
    uint64_t pd = frame_alloc();
    if (pml4 == 0 || pdpt == 0 || pd == 0) {
        zpanic("smp: no memory for the trampoline page tables");
    }
    uint64_t *t = phys_to_virt(pml4);
    for (int i = 256; i < 512; i++) {
        t[i] = kernel_pml4[i];
    }
    t[0] = pdpt | PTE_P | PTE_W;
    *(uint64_t *)phys_to_virt(pdpt) = pd | PTE_P | PTE_W;
    *(uint64_t *)phys_to_virt(pd) = PTE_P | PTE_W | PTE_PS;
    return pml4;
}

/* Frees the tables of mmu_trampoline_tables once every AP has left them. */
void mmu_trampoline_tables_free(uint64_t pml4)
{
    uint64_t pdpt = ((uint64_t *)phys_to_virt(pml4))[0] & PTE_ADDR;
    uint64_t pd = ((uint64_t *)phys_to_virt(pdpt))[0] & PTE_ADDR;
    frame_put(pd);
    frame_put(pdpt);
    frame_put(pml4);
}

/* ---- user copies --------------------------------------------------------- */

int arch_copy_user(void *dst, const void *src, size_t n);

static bool user_range_ok(uint64_t uaddr, size_t n)
{
    uint64_t end;
    return !zck_add_u64(uaddr, n, &end) && uaddr >= USER_MIN && end <= USER_MAX;
}

int copy_from_user(void *dst, uint64_t usrc, size_t n)
{
    if (!user_range_ok(usrc, n)) {
        return ZERR_FAULT;
    }
    if (cpu_has_smap) {
        __asm__ volatile("stac" ::: "memory");
    }
    int r = arch_copy_user(dst, (const void *)(uintptr_t)usrc, n);
    if (cpu_has_smap) {
        __asm__ volatile("clac" ::: "memory");
    }
    return r;
}

int copy_to_user(uint64_t udst, const void *src, size_t n)
{
    if (!user_range_ok(udst, n)) {
        return ZERR_FAULT;
    }
    if (cpu_has_smap) {
        __asm__ volatile("stac" ::: "memory");
    }
    int r = arch_copy_user((void *)(uintptr_t)udst, src, n);
    if (cpu_has_smap) {
        __asm__ volatile("clac" ::: "memory");
    }
    return r;
}
