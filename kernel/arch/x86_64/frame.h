/*
 * The x86_64 saved user state and the only code outside kernel/arch that
 * reads or writes it: the system-call registers by role (lib/zero/abi.h has
 * the convention).  The portable kernel asks for "argument i", "message word
 * i", "the badge", never for a register.
 */
#ifndef ZERO_KERNEL_ARCH_FRAME_H
#define ZERO_KERNEL_ARCH_FRAME_H

#include <stddef.h>
#include <stdint.h>

/*
 * Register state of a thread while it is not running in user mode.  The
 * layout is shared with entry.S: interrupts and syscalls from user mode push
 * directly into the current thread's frame.  Its size is a multiple of 16 so
 * that the end of the frame can serve as the TSS stack pointer.
 */
struct trap_frame {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t pad;
    uint64_t kind; /* FRAME_SYSCALL: may return with sysret */
    uint64_t vector, error;
    uint64_t rip, cs, rflags, rsp, ss;
};

_Static_assert(sizeof(struct trap_frame) == 192, "entry.S: FRAME_SIZE");
_Static_assert(offsetof(struct trap_frame, cs) == 160, "entry.S: FRAME_CS");

#define FRAME_INTERRUPT 0
#define FRAME_SYSCALL 1

/* Number of system-call argument (and extra result) registers. */
#define SYSCALL_ARGS 6

/* The system-call number. */
static inline uint64_t frame_syscall_nr(const struct trap_frame *f)
{
    return f->rax;
}

/* Argument i (0..5): rdi, rsi, rdx, r10, r8, r9. */
static inline uint64_t frame_arg(const struct trap_frame *f, unsigned i)
{
    switch (i) {
    case 0:
        return f->rdi;
    case 1:
        return f->rsi;
    case 2:
        return f->rdx;
    case 3:
        return f->r10;
    case 4:
        return f->r8;
    default:
        return f->r9;
    }
}

/* Result i besides the status (0..5): returned in argument register i. */
static inline void frame_set_result(struct trap_frame *f, unsigned i, uint64_t v)
{
    switch (i) {
    case 0:
        f->rdi = v;
        break;
    case 1:
        f->rsi = v;
        break;
    case 2:
        f->rdx = v;
        break;
    case 3:
        f->r10 = v;
        break;
    case 4:
        f->r8 = v;
        break;
    default:
        f->r9 = v;
        break;
    }
}

/* The status: 0 or a positive value, or a negative ZERR_* code. */
static inline void frame_set_return(struct trap_frame *f, int64_t v)
{
    f->rax = (uint64_t)v;
}

/* IPC message word i (0..MSG_WORDS-1): arguments 2..5 in both directions. */
static inline uint64_t frame_msg(const struct trap_frame *f, unsigned i)
{
    return frame_arg(f, 2 + i);
}

static inline void frame_set_msg(struct trap_frame *f, unsigned i, uint64_t v)
{
    frame_set_result(f, 2 + i, v);
}

/* A receive's sender badge (or a wait's bits): result 0. */
static inline void frame_set_badge(struct trap_frame *f, uint64_t v)
{
    f->rdi = v;
}

/* A receive's transferred capability handle: result 1. */
static inline void frame_set_cap(struct trap_frame *f, uint64_t handle)
{
    f->rsi = handle;
}

/* The user instruction pointer (fault reports). */
static inline uint64_t frame_pc(const struct trap_frame *f)
{
    return f->rip;
}

#endif
