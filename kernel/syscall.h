/*
 * The system-call table (kernel/syscall.c, indexed by kernel/entry.c), the
 * handlers that live beside their objects, and what decoders share.
 */
#ifndef ZERO_KERNEL_SYSCALL_H
#define ZERO_KERNEL_SYSCALL_H

#include <stdint.h>

#include "base/errors.h"
#include "zero/abi.h"
#include "kernel/kernel.h"

/*
 * A handler returns the caller's status (lib/zero/abi.h), which kernel_syscall
 * writes.  A caller that blocked gets its status written again by whatever
 * wakes it (kernel/endpoint.c, kernel/notification.c), so IPC handlers return 0.
 */
typedef int64_t (*sys_fn)(struct thread *t, struct trap_frame *f);

extern const sys_fn sys_table[SYS_COUNT];

/* Looks up handle (which must fit 32 bits) in t's capability space with type and rights. */
static inline int sys_lookup(struct thread *t, uint64_t handle, uint32_t type, uint32_t need,
                             const struct cap **out)
{
    if (handle > UINT32_MAX) {
        return ZERR_BADCAP;
    }
    return cap_lookup(&t->proc->cspace, (uint32_t)handle, type, need, out);
}

/* kernel/port_io.c: I/O-port capabilities. */
bool ioport_covers(const struct cap *c, uint64_t port, uint64_t width);
#define CONSOLE_PORT 0x3f8 /* COM1: the console (SYS_DEBUG_WRITE) */
int64_t sys_ioport_in(struct thread *t, struct trap_frame *f);
int64_t sys_ioport_out(struct thread *t, struct trap_frame *f);
int64_t sys_ioport_in_wide(struct thread *t, struct trap_frame *f);
int64_t sys_ioport_out_wide(struct thread *t, struct trap_frame *f);

/* kernel/mem_map.c: user memory owned by its mapping. */
#define MEM_MAP_MAX_PAGES 1024u   /* largest SYS_MEM_MAP (bounds time in the kernel) */
#define MEM_MAP_DMA_MAX_PAGES 16u /* largest physically contiguous (ZERO_MAP_DMA) request */
int64_t sys_mem_map(struct thread *t, struct trap_frame *f);
int64_t sys_mem_unmap(struct thread *t, struct trap_frame *f);

/* kernel/bootmod.c: boot modules as read-only data. */
#define MODULE_READ_MAX (64u * 1024u) /* largest SYS_MODULE_READ (bounds time in the kernel) */
int64_t sys_module_info(struct thread *t, struct trap_frame *f);
int64_t sys_module_read(struct thread *t, struct trap_frame *f);
int64_t sys_boot_args(struct thread *t, struct trap_frame *f);

bool syscall_ipc_shared(struct thread *t, struct trap_frame *f, uint64_t nr);

/* Runs system call nr for t (f: its saved state); ZERR_INVAL for an unknown nr. */
static inline int64_t syscall_handle(struct thread *t, uint64_t nr, struct trap_frame *f)
{
    return nr < SYS_COUNT && sys_table[nr] != NULL ? sys_table[nr](t, f) : ZERR_INVAL;
}

#endif
