/*
 * System calls for user-space device drivers and large user memory
 * (kernel/sysdev.c): port I/O of every width, and anonymous or physically
 * contiguous (DMA) memory mapped without a frame capability per page.
 */
#ifndef ZERO_KERNEL_SYSDEV_H
#define ZERO_KERNEL_SYSDEV_H

#include <stdint.h>

#include "kernel/kernel.h"

/* Largest number of pages one SYS_MEM_MAP maps (bounds time in the kernel). */
#define MEM_MAP_MAX_PAGES 1024u
/* Largest physically contiguous (ZERO_MAP_DMA) request, in pages. */
#define MEM_MAP_DMA_MAX_PAGES 16u

int64_t sys_ioport_in_wide(struct thread *t, struct trap_frame *f);
int64_t sys_ioport_out_wide(struct thread *t, struct trap_frame *f);
int64_t sys_mem_map(struct thread *t, struct trap_frame *f);
int64_t sys_mem_unmap(struct thread *t, struct trap_frame *f);

/* hal/x86_64/ioport.c: port I/O of width 1, 2 or 4 bytes. */
uint32_t arch_io_in(uint16_t port, uint32_t width);
void arch_io_out(uint16_t port, uint32_t width, uint32_t v);

#endif
