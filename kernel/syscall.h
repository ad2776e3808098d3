/*
 * The system-call table (kernel/syscall.c), indexed by kernel/entry.c.
 */
#ifndef ZERO_KERNEL_SYSCALL_H
#define ZERO_KERNEL_SYSCALL_H

#include <stdint.h>

#include "base/errors.h"
#include "kernel/abi.h"
#include "kernel/kernel.h"

/*
 * A handler returns the caller's status (kernel/abi.h), which kernel_syscall
 * writes.  A caller that blocked gets its status written again by whatever
 * wakes it (kernel/ipc.c), so IPC handlers return 0.
 */
typedef int64_t (*sys_fn)(struct thread *t, struct trap_frame *f);

extern const sys_fn sys_table[SYS_COUNT];

/* Runs system call nr for t (f: its saved state); ZERR_INVAL for an unknown nr. */
static inline int64_t syscall_handle(struct thread *t, uint64_t nr, struct trap_frame *f)
{
    return nr < SYS_COUNT ? sys_table[nr](t, f) : ZERR_INVAL;
}

#endif
