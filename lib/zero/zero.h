/*
 * The Zero OS user runtime for x86_64: system-call stubs (see lib/zero/abi.h
 * for the calls and registers) and console output through the console
 * capability.  A program defines int zero_main(uint64_t arg).
 */
#ifndef ZERO_LIB_ZERO_ZERO_H
#define ZERO_LIB_ZERO_ZERO_H

#include <stdint.h>

#include "zero/abi.h"

/* Registers in and out of one system call. */
struct zsys {
    uint64_t rax, rdi, rsi, rdx, r10, r8, r9;
};

static inline void zsys_raw(struct zsys *r)
{
    register uint64_t r10 __asm__("r10") = r->r10;
    register uint64_t r8 __asm__("r8") = r->r8;
    register uint64_t r9 __asm__("r9") = r->r9;
    __asm__ volatile("syscall"
                     : "+a"(r->rax), "+D"(r->rdi), "+S"(r->rsi), "+d"(r->rdx), "+r"(r10), "+r"(r8),
                       "+r"(r9)
                     :
                     : "rcx", "r11", "memory");
    r->r10 = r10;
    r->r8 = r8;
    r->r9 = r9;
}

static inline int64_t zsys3(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2)
{
    struct zsys r = {nr, a0, a1, a2, 0, 0, 0};
    zsys_raw(&r);
    return (int64_t)r.rax;
}

static inline int64_t zsys4(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
    struct zsys r = {nr, a0, a1, a2, a3, 0, 0};
    zsys_raw(&r);
    return (int64_t)r.rax;
}

/* An IPC message: badge and transferred capability on receipt, four words. */
struct zmsg {
    uint64_t badge;
    uint32_t cap;
    uint64_t w[4];
};

static inline int64_t zipc(uint64_t nr, uint64_t ep, uint64_t cap, struct zmsg *m)
{
    struct zsys r = {nr, ep, cap, m->w[0], m->w[1], m->w[2], m->w[3]};
    zsys_raw(&r);
    m->badge = r.rdi;
    m->cap = (uint32_t)r.rsi;
    m->w[0] = r.rdx;
    m->w[1] = r.r10;
    m->w[2] = r.r8;
    m->w[3] = r.r9;
    return (int64_t)r.rax;
}

static inline int64_t zero_call(uint64_t ep, uint64_t cap, struct zmsg *m)
{
    return zipc(SYS_CALL, ep, cap, m);
}

static inline int64_t zero_send(uint64_t ep, uint64_t cap, struct zmsg *m)
{
    return zipc(SYS_SEND, ep, cap, m);
}

static inline int64_t zero_recv(uint64_t ep, struct zmsg *m)
{
    return zipc(SYS_RECV, ep, 0, m);
}

static inline int64_t zero_reply_recv(uint64_t ep, struct zmsg *m)
{
    return zipc(SYS_REPLY_RECV, ep, 0, m);
}

static inline int64_t zero_signal(uint64_t ntfn)
{
    return zsys3(SYS_SIGNAL, ntfn, 0, 0);
}

/* Waits on (or polls) a notification; stores the bits in *bits. */
static inline int64_t zero_wait(uint64_t ntfn, uint64_t *bits, int block)
{
    struct zsys r = {block ? SYS_WAIT : SYS_POLL, ntfn, 0, 0, 0, 0, 0};
    zsys_raw(&r);
    *bits = r.rdi;
    return (int64_t)r.rax;
}

static inline void zero_yield(void)
{
    zsys3(SYS_YIELD, 0, 0, 0);
}

static inline _Noreturn void zero_exit(int status)
{
    zsys3(SYS_EXIT, (uint64_t)(int64_t)status, 0, 0);
    __builtin_unreachable();
}

/* Frames the kernel has free (SYS_INFO). */
static inline uint64_t zero_free_frames(void)
{
    struct zsys r = {SYS_INFO, 0, 0, 0, 0, 0, 0};
    zsys_raw(&r);
    return r.rdi;
}

/* Timer ticks since boot (10 ms each). */
static inline uint64_t zero_ticks(void)
{
    struct zsys r = {SYS_INFO, 0, 0, 0, 0, 0, 0};
    zsys_raw(&r);
    return r.rdx;
}

static inline uint64_t zero_rdtsc(void)
{
    uint32_t lo;
    uint32_t hi;
    __asm__ volatile("lfence; rdtsc; lfence" : "=a"(lo), "=d"(hi) : : "memory");
    return ((uint64_t)hi << 32) | lo;
}

/* Writes n bytes to the console (capability ZERO_SLOT_CONSOLE). */
int64_t zero_write(const char *s, uint64_t n);

/* Formats like printf (base/fmt.h conversions) to the console. */
void zprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * The value of word KEY=VALUE on the kernel's command line (SYS_BOOT_ARGS)
 * into out (NUL-terminated, cap bytes): its length, or ZERR_NOENT when no
 * word starts with KEY=, ZERR_RANGE when the value does not fit.
 */
int zero_boot_arg(const char *key, char *out, uint64_t cap);

int zero_main(uint64_t arg);

#endif
