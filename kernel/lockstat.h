/*
 * Kernel-lock statistics (kernel/lockstat.c): where the kernel lock is taken
 * and how often it had to wait there, for the contention report printed
 * when the machine stops.
 */
#ifndef ZERO_KERNEL_LOCKSTAT_H
#define ZERO_KERNEL_LOCKSTAT_H

#include <stdint.h>

#include "zero/abi.h"
#include "kernel/kernel.h"

/*
 * Where the kernel lock is taken: a system call (by number), an interrupt
 * or fault from user mode, an interrupt in the idle loop.
 */
enum lock_site {
    LOCK_SYSCALL,
    LOCK_USER_TRAP,
    LOCK_IDLE,
};

/* Counters by site: system calls by number (SYS_COUNT: bad numbers), then the others. */
#define LOCK_SITES (SYS_COUNT + 3)
#define LOCK_SITE_OTHER LOCK_SITES /* taken without lock_account: boot, a CPU starting */
extern uint64_t lock_taken[LOCK_SITES];
extern uint64_t lock_waited[LOCK_SITES];
/*
 * Longest hold by site (and LOCK_SITE_OTHER), time stamp counter cycles,
 * among the holds that were the longest so far of any site when they
 * ended (spin_unlock keeps one maximum on its fast path).
 */
extern uint64_t lock_longest[LOCK_SITES + 1];

/* Counts one acquisition of the kernel lock at site (nr: syscall number), right after it. */
static inline void lock_account(enum lock_site site, uint64_t nr)
{
    uint64_t i = site == LOCK_SYSCALL ? (nr < SYS_COUNT ? nr : SYS_COUNT) : SYS_COUNT + site;
    lock_taken[i]++;
    kernel_lock.site = (uint32_t)i;
    lock_waited[i] += kernel_lock.last_waited ? 1 : 0;
}

/* Records a longest-so-far hold of the kernel lock (spin_unlock, with the lock still held). */
static inline void lock_hold(uint64_t cycles)
{
    if (cycles > lock_longest[kernel_lock.site]) {
        lock_longest[kernel_lock.site] = cycles;
    }
}

void lock_report(void);

#endif
