/*
 * The Zero OS system-call interface (x86_64): numbers, argument registers
 * and result registers.  Shared by the kernel and the user runtime.
 *
 * A call puts its number in rax and arguments in rdi, rsi, rdx, r10, r8, r9,
 * then executes `syscall`.  On return rax holds 0 or a positive value on
 * success, or a negative ZERR_* code; calls that return more use rdi, rsi
 * and the message registers.  rcx and r11 are clobbered.
 *
 * IPC messages are MSG_WORDS (4) words carried in rdx, r10, r8, r9 in both
 * directions.  A receive returns the sender's badge in rdi and the handle
 * of a transferred capability in rsi (ZERO_CAP_NONE if none).
 */
#ifndef ZERO_LIB_ZERO_ABI_H
#define ZERO_LIB_ZERO_ABI_H

#include "cap/cap.h" /* CAP_* types and rights */

#define ZERO_CAP_NONE 0xffffffffu
#define ZERO_SLOT_ANY 0xffffffffu

enum zero_sys {
    SYS_DEBUG_WRITE = 0,      /* (console ioport cap, buf, len) -> bytes written (<= 256) */
    SYS_YIELD = 1,            /* () */
    SYS_EXIT = 2,             /* (status): ends the calling process */
    SYS_SEND = 3,             /* (ep, cap or NONE, m0..m3) */
    SYS_CALL = 4,             /* (ep, cap or NONE, m0..m3) -> reply in m0..m3 */
    SYS_RECV = 5,             /* (ep) -> badge, cap, m0..m3 */
    SYS_REPLY_RECV = 6,       /* (ep, -, reply m0..m3) -> badge, cap, m0..m3 */
    SYS_REPLY = 7,            /* (-, -, m0..m3) */
    SYS_SIGNAL = 8,           /* (ntfn): ORs the capability's badge (1 if none) */
    SYS_WAIT = 9,             /* (ntfn) -> rdi bits (blocks while zero) */
    SYS_POLL = 10,            /* (ntfn) -> rdi bits (never blocks) */
    SYS_CAP_DERIVE = 11,      /* (src, dst slot or ANY, rights mask, badge) -> handle */
    SYS_CAP_DELETE = 12,      /* (handle) */
    SYS_CAP_REVOKE = 13,      /* (handle) -> number removed */
    SYS_CAP_INFO = 14,        /* (handle) -> rdi type, rsi rights, rdx badge; thread: r10
                                 state, r8 exit status once dead, r9 its process id */
    SYS_ENDPOINT_CREATE = 15, /* () -> handle */
    SYS_NTFN_CREATE = 16,     /* () -> handle */
    SYS_FRAME_ALLOC = 17,     /* () -> handle of a zeroed 4 KiB frame */
    SYS_MAP = 18,             /* (aspace cap, frame cap, vaddr, ZERO_MAP_* flags); once per cap */
    SYS_UNMAP = 19,           /* (frame cap): removes the mapping made with it */
    SYS_THREAD_CREATE = 20,   /* (entry, stack top, arg, priority) -> thread cap */
    SYS_THREAD_KILL = 21,     /* (thread cap) */
    SYS_SPAWN = 22,           /* (module, arg, ep cap or NONE, exit ntfn or NONE) -> thread cap */
    SYS_IRQ_BIND = 23,        /* (irq cap, ntfn cap) */
    SYS_IRQ_ACK = 24,         /* (irq cap): unmask after handling */
    SYS_IOPORT_OUT = 25,      /* (ioport cap, port, byte) */
    SYS_IOPORT_IN = 26,       /* (ioport cap, port) -> rdi byte */
    SYS_INFO = 27,            /* () -> rdi free frames, rsi used slots, rdx timer ticks */
    SYS_NULL = 28,            /* () -> 0: the cheapest round trip into the kernel */
    SYS_TIMER = 29,           /* (ntfn, ns): signals it once, at least ns from now */
    SYS_THREAD_AFFINITY = 30, /* (thread cap or ZERO_CAP_NONE for the caller, CPU mask) */
    SYS_CPU_INFO = 31,        /* () -> rdi this CPU, rsi CPUs online, rdx kernel-lock
                                 acquisitions, r10 contended ones, r8 spins waiting,
                                 r9 longest kernel-lock hold since init started: TSC
                                 cycles << 8 | its site (a syscall number, or
                                 SYS_COUNT + 0..3: bad number, user trap, idle, boot) */
    SYS_IOPORT_IN_WIDE = 32,  /* (ioport cap, port, width 1|2|4) -> rdi value */
    SYS_IOPORT_OUT_WIDE = 33, /* (ioport cap, port, width 1|2|4, value) */
    SYS_MEM_MAP = 34,         /* (aspace cap, vaddr, npages, ZERO_MAP_WRITE|DMA) -> rdi phys
                                 (DMA): fresh frames owned by the mapping */
    SYS_MEM_UNMAP = 35,       /* (aspace cap, vaddr, npages): undoes SYS_MEM_MAP pages */
    SYS_MODULE_INFO = 36,     /* (module, name buf, buf size) -> rdi size; the name copied */
    SYS_MODULE_READ = 37,     /* (module, offset, buf, len) -> bytes copied (<= 64 KiB) */
    SYS_SPAWN_LIMITED = 38,   /* (module, arg, ep or NONE, exit ntfn or NONE, frames,
                                 threads | slots << 32) -> thread cap; the child gets a quota
                                 of its own with these limits, reserved out of the caller's */
    SYS_QUOTA_INFO = 39,      /* (thread cap or NONE: caller) -> rdi frames used, rsi frames
                                 limit, rdx threads used | limit << 32, r10 slots used |
                                 limit << 32, r8 its process's CPU ticks, r9 its pid */
    SYS_IRQ_PCI = 42,         /* (PCI configuration ioport cap, bus << 8 | device << 3 |
                                 function) -> IRQ cap for the function's interrupt line as
                                 the firmware routed it, delivered level-triggered */
    SYS_CAP_LIST = 43,        /* (thread cap with READ, first slot) -> the first occupied slot
                                 >= it in that thread's process; rdi type, rsi rights, rdx
                                 badge, r10 what it reaches (I/O ports: base | count << 32;
                                 IRQ: its number; else 0); ZERR_NOENT past the last */
    SYS_THREAD_FAULT = 44,    /* (thread cap) -> rdi vector, rsi address of the exception that
                                 ended its process; ZERR_NOENT: it ended otherwise */
    SYS_BOOT_ARGS = 47,       /* (buf, size) -> rdi the boot command line's length; the line
                                 copied NUL-terminated, cut to fit (size 0: none copied) */
    SYS_PROC_KILL = 48,       /* (thread cap): ends that live thread's process, every thread;
                                 ZERR_NOENT: the thread is dead, ZERR_INVAL: the caller's own */
    SYS_COUNT
};

#define ZERO_MAP_WRITE 0x1u
#define ZERO_MAP_EXEC 0x2u
#define ZERO_MAP_DMA 0x4u /* SYS_MEM_MAP: physically contiguous, address returned */

/* Capabilities every process starts with. */
#define ZERO_SLOT_CONSOLE 0   /* ioport capability for COM1 (if the parent had one) */
#define ZERO_SLOT_ASPACE 1    /* the process's own address space */
#define ZERO_SLOT_EP 2        /* endpoint given by the parent at spawn */
#define ZERO_SLOT_PIT 3       /* init only: ioport capability for the PIT */
#define ZERO_SLOT_IRQ0 4      /* init only: IRQ capability for ISA IRQ 0 */
#define ZERO_SLOT_EXIT 5      /* init only: ioport capability for QEMU's isa-debug-exit (0xf4) */
#define ZERO_SLOT_COM1_IRQ 6  /* init only: IRQ capability for ISA IRQ 4 (COM1 input) */
#define ZERO_SLOT_PCI_CFG 7   /* init only: ioport capability for PCI configuration (0xcf8) */
#define ZERO_SLOT_PCI_IO 8    /* init only: ioport capability for PCI I/O space (0x1000..) */
#define ZERO_SLOT_COM2 9      /* init only: ioport capability for COM2 (0x2f8, 8 ports) */
#define ZERO_SLOT_COM2_IRQ 10 /* init only: IRQ capability for ISA IRQ 3 (COM2 input) */

#define ZERO_THREAD_DEAD 7 /* SYS_CAP_INFO state of a stopped thread */

#endif
