/* Usable RAM ranges found by bootinfo_parse (bootinfo.c). */
#ifndef ZERO_HAL_X86_64_BOOTINFO_H
#define ZERO_HAL_X86_64_BOOTINFO_H

#include <stdint.h>

#define MAX_RAM_RANGES 32

struct mem_range {
    uint64_t base;
    uint64_t end;
};

extern struct mem_range boot_ram[MAX_RAM_RANGES];
extern uint32_t boot_nram;

#endif
