/*
 * libFuzzer target: the kernel's ELF64 loader (kernel/elf.c) on any bytes
 * taken as a boot module.  Frames come from a small pool and mappings are
 * recorded, as in tests/kernel/elf_test.c.  Nothing may crash, and an image
 * that loads must have mapped only user pages, none both writable and
 * executable, each at most once, with its entry point in the user half.
 */
#include <stddef.h>
#include <stdint.h>

#include "base/assert.h"
#include "base/errors.h"
#include "base/string.h"
#include "kernel/kernel.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define POOL 64
#define IMAGE_MAX (64 * 1024)

static uint8_t pool[POOL][PAGE_SIZE] __attribute__((aligned(4096)));
static int pool_used;
static uint64_t mapped_va[POOL];
static int nmapped;

uint64_t frame_alloc(void)
{
    if (pool_used >= POOL) {
        return 0;
    }
    memset(pool[pool_used], 0, PAGE_SIZE);
    return (uint64_t)(uintptr_t)pool[pool_used++] - PHYS_MAP;
}

/* The loader charges its frames to a quota; these tests have none. */
int quota_frame_alloc(struct quota *q, uint64_t *pa)
{
    (void)q;
    *pa = frame_alloc();
    return *pa == 0 ? ZERR_NOMEM : 0;
}

void frame_put(uint64_t pa)
{
    (void)pa;
}

int as_map(struct aspace *as, uint64_t va, uint64_t pa, uint32_t flags)
{
    (void)as;
    (void)pa;
    ZASSERT(va % PAGE_SIZE == 0 && va < USER_MAX, "the loader maps only user pages");
    ZASSERT((flags & (MAP_WRITE | MAP_EXEC)) != (MAP_WRITE | MAP_EXEC), "W^X holds");
    for (int i = 0; i < nmapped; i++) {
        if (mapped_va[i] == va) {
            return ZERR_EXIST;
        }
    }
    mapped_va[nmapped++] = va;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t image[IMAGE_MAX] __attribute__((aligned(4096)));
    struct aspace as;
    uint64_t entry = 0;

    if (size > IMAGE_MAX) {
        return 0;
    }
    memcpy(image, data, size); /* boot modules are page aligned */
    memset(&as, 0, sizeof(as));
    pool_used = 0;
    nmapped = 0;
    if (elf_load(&as, NULL, image, size, &entry) == 0) {
        ZASSERT(entry < USER_MAX, "a loaded image enters in the user half");
    }
    return 0;
}
