/*
 * Kernel-lock statistics: acquisitions and waits by the site that took the
 * lock (system calls by number, user traps, the idle loop), and the report
 * printed when the machine stops.
 */
#include "kernel/lockstat.h"

#include "zero/abi.h"

uint64_t lock_taken[LOCK_SITES];
uint64_t lock_waited[LOCK_SITES];

/*
 * Prints the kernel lock's contention: totals, then the three sites (system
 * calls by number, user traps, idle interrupts) that waited most.
 */
void lock_report(void)
{
    kprintf("kernel lock: %llu acquisitions, %llu waited, %llu spins; most waits:",
            (unsigned long long)kernel_lock.acquired, (unsigned long long)kernel_lock.contended,
            (unsigned long long)kernel_lock.spins);
    bool shown[LOCK_SITES] = {false};
    for (int k = 0; k < 3; k++) {
        int best = -1;
        for (int i = 0; i < LOCK_SITES; i++) {
            if (!shown[i] && lock_waited[i] > 0 &&
                (best < 0 || lock_waited[i] > lock_waited[best])) {
                best = i;
            }
        }
        if (best < 0) {
            break;
        }
        shown[best] = true;
        if (best < SYS_COUNT) {
            kprintf(" syscall %d", best);
        } else {
            kprintf(" %s", best == SYS_COUNT + LOCK_USER_TRAP ? "user-trap" : "idle-irq");
        }
        kprintf(" %llu/%llu", (unsigned long long)lock_waited[best],
                (unsigned long long)lock_taken[best]);
    }
    kprintf("\n");
}
