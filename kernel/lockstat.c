/*
 * Kernel-lock statistics: acquisitions and waits by the site that took the
 * lock (system calls by number, user traps, the idle loop), and the report
 * printed when the machine stops.
 */
#include "kernel/lockstat.h"

#include "zero/abi.h"

uint64_t lock_taken[LOCK_SITES];
uint64_t lock_waited[LOCK_SITES];
uint64_t lock_longest[LOCK_SITES + 1];

/* Names a site in the report. */
static void print_site(int i)
{
    if (i < SYS_COUNT) {
        kprintf(" syscall %d", i);
    } else if (i == SYS_COUNT) {
        kprintf(" bad-syscall");
    } else if (i == SYS_COUNT + LOCK_USER_TRAP) {
        kprintf(" user-trap");
    } else if (i == SYS_COUNT + LOCK_IDLE) {
        kprintf(" idle-irq");
    } else {
        kprintf(" other");
    }
}

/* Prints the three sites (and what of them) that are largest in v (n sites). */
static void print_top3(const uint64_t *v, int n, const char *unit)
{
    bool shown[LOCK_SITES + 1] = {false};
    for (int k = 0; k < 3; k++) {
        int best = -1;
        for (int i = 0; i < n; i++) {
            if (!shown[i] && v[i] > 0 && (best < 0 || v[i] > v[best])) {
                best = i;
            }
        }
        if (best < 0) {
            return;
        }
        shown[best] = true;
        print_site(best);
        kprintf(" %llu%s", (unsigned long long)v[best], unit);
    }
}

/*
 * Prints the kernel lock's contention: totals, the three sites (system
 * calls by number, user traps, idle interrupts) that waited most, and the
 * three that held it longest.
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
        print_site(best);
        kprintf(" %llu/%llu", (unsigned long long)lock_waited[best],
                (unsigned long long)lock_taken[best]);
    }
    uint64_t shared = 0;
    for (uint32_t i = 0; i < arch_cpu_count(); i++) {
        shared += arch_cpu_by_id(i)->ipc_shared;
    }
    kprintf("\nkernel lock: %llu IPC fast paths held it shared", (unsigned long long)shared);
    kprintf("\nkernel lock: longest holds (each the longest so far when it ended):");
    print_top3(lock_longest, LOCK_SITES + 1, " cycles");
    kprintf("\n");
}
