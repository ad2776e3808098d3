/*
 * libFuzzer target: the kernel's Multiboot 2 information parser
 * (kernel/arch/x86_64/bootinfo.c), which gives the kernel its command line
 * (what SYS_BOOT_ARGS hands to programs), boot modules, RAM ranges and
 * ACPI RSDP.  The input is the information block as the loader leaves it
 * (its total size, the first 4 bytes, is set to the input's length: the
 * loader's block is whole); physical memory is modelled as that block at
 * FUZZ_INFO_PA and the zeroed BIOS areas below 1 MiB, which the RSDP scan
 * reads.  Nothing may crash or read outside the block; the command line is
 * NUL-terminated within its buffer, modules and RAM ranges are within their
 * tables, and a RAM range never ends before it starts unless it wrapped
 * past 2^64 (the loader's numbers are taken as they are).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "base/assert.h"
#include "base/string.h"
#include "kernel/kernel.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_INFO_PA 0x400000ull
#define FUZZ_BIOS_END 0x100000ull

static uint8_t *fuzz_info;
static size_t fuzz_info_len;
static uint8_t fuzz_bios[FUZZ_BIOS_END];

/* The direct map of the model: the information block and the BIOS areas. */
static void *fuzz_phys_to_virt(uint64_t pa)
{
    if (pa >= FUZZ_INFO_PA && pa - FUZZ_INFO_PA <= fuzz_info_len) {
        return fuzz_info + (pa - FUZZ_INFO_PA);
    }
    ZASSERT(pa < FUZZ_BIOS_END, "the parser reads only the information block and the BIOS areas");
    return fuzz_bios + pa;
}

#define phys_to_virt fuzz_phys_to_virt
#include "kernel/arch/x86_64/bootinfo.c"
#undef phys_to_virt

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 8 || size > 64 * 1024) {
        return 0;
    }
    /* exactly the block's bytes, so a read past it is an ASan report */
    fuzz_info = malloc(size);
    ZASSERT(fuzz_info != NULL, "the block fits in memory");
    memcpy(fuzz_info, data, size);
    uint32_t total = (uint32_t)size;
    memcpy(fuzz_info, &total, 4);
    fuzz_info_len = size;
    memset(&boot_info, 0, sizeof(boot_info));
    boot_nram = 0;

    bootinfo_parse(MB2_MAGIC, FUZZ_INFO_PA);

    ZASSERT(strnlen(boot_info.cmdline, sizeof(boot_info.cmdline)) < sizeof(boot_info.cmdline),
            "the command line is NUL-terminated within its buffer");
    ZASSERT(boot_info.nmodules <= MAX_MODULES, "modules within their table");
    ZASSERT(boot_nram <= MAX_RAM_RANGES, "RAM ranges within their table");
    for (uint32_t i = 0; i < boot_info.nmodules; i++) {
        const struct boot_module *m = &boot_info.modules[i];
        ZASSERT(m->end >= m->start, "a module ends after it starts");
        ZASSERT(strnlen(m->name, sizeof(m->name)) < sizeof(m->name), "a module name is a string");
    }
    free(fuzz_info);
    fuzz_info = NULL;
    return 0;
}
