/*
 * The kernel console: the UART under a lock of its own.  DEBUG_WRITE copies
 * a process's bytes into its CPU's buffer under the kernel lock and writes
 * them here after releasing it (kernel/entry.c), so a slow UART holds up
 * only other console output, never another CPU's system calls.  The
 * kernel's own messages (kprintf) come here too, with the kernel lock held:
 * the lock order is the kernel lock, then the console lock.
 */
#include "kernel/kernel.h"

struct spinlock console_lock;
static bool console_shared; /* more than the boot CPU may write (console_share) */

void console_share(void)
{
    console_shared = true;
}

/*
 * Writes s to the UART under the console lock.  Interrupts must be off.
 * Before console_share (the boot CPU alone, possibly before its per-CPU
 * data exists), and on a CPU that already holds the lock (a kernel fault in
 * the middle of a write), it writes without the lock, so early messages
 * and fault reports always show.
 */
void console_write(const char *s, size_t n)
{
    bool nested = !console_shared || console_lock.owner_cpu == arch_cpu()->id + 1;
    if (!nested) {
        spin_lock(&console_lock);
    }
    arch_console_write(s, n);
    if (!nested) {
        spin_unlock(&console_lock);
    }
}
