/*
 * Kernel start-up after the architecture layer is up: the console printer
 * and the first process (boot module 0, "init"), which receives the
 * capabilities the kernel hands out at boot.
 */
#include <stdarg.h>

#include "base/fmt.h"
#include "base/string.h"
#include "hal/hal.h"
#include "zero/abi.h"
#include "kernel/kernel.h"
#include "kernel/lockstat.h"

#define COM1_BASE 0x3f8
#define PIT_BASE 0x40
#define DEBUG_EXIT_PORT 0xf4
#define COM1_IRQ 4
#define COM2_BASE 0x2f8
#define COM2_IRQ 3
#define PCI_CFG_BASE 0xcf8
#define PCI_IO_BASE 0x1000
#define PCI_IO_COUNT 0xf000

/* Formats (base/fmt.h) to the kernel console; lines longer than 255 bytes are cut. */
void kprintf(const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    int n = zfmt_vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    if (n > (int)sizeof(buf) - 1) {
        n = (int)sizeof(buf) - 1;
    }
    if (n > 0) {
        console_write(buf, (size_t)n);
    }
}

static void grant(struct proc *p, uint32_t slot, uint32_t type, uint64_t obj)
{
    struct cap c = {.type = type, .rights = CAP_RIGHTS_ALL, .badge = 0, .obj = (uintptr_t)obj};
    if (cap_install(&p->cspace, slot, &c) < 0) {
        kprintf("kernel: cannot grant %s capability to init\n", cap_type_name(type));
    }
}

/* True if the boot command line contains word. */
static bool cmdline_has(const char *word)
{
    size_t n = strlen(word);
    for (const char *p = boot_info.cmdline; *p != 0; p++) {
        if (strncmp(p, word, n) == 0 && (p[n] == 0 || p[n] == ' ')) {
            return true;
        }
    }
    return false;
}

static uint64_t recurse(uint64_t depth)
{
    volatile uint8_t pad[512];
    pad[0] = (uint8_t)depth;
    if (depth > (1u << 24)) {
        return pad[0];
    }
    return recurse(depth + 1) + pad[0];
}

/*
 * Boot-time self tests of the kernel's own fault handling, chosen on the
 * command line: a wild kernel write, and a kernel stack overflow into the
 * guard page.  Both must end in a diagnostic, never in silence.
 */
static void kernel_self_test(void)
{
    if (cmdline_has("test=kernel-fault")) {
        kprintf("kernel: self test: writing through a wild pointer\n");
        *(volatile uint64_t *)(uintptr_t)0xdead000ull = 1;
    }
    if (cmdline_has("test=stack-overflow")) {
        kprintf("kernel: self test: overflowing the kernel stack\n");
        recurse(0);
    }
}

/* Starts boot module 0 as init with the boot capabilities and schedules. */
_Noreturn void kernel_main(void)
{
    console_share();
    kernel_self_test();
    spin_lock(&kernel_lock);
    kernel_lock.site = LOCK_SITE_OTHER;
    if (boot_info.nmodules == 0) {
        kprintf("kernel: no boot modules, nothing to run\n");
        hal_exit(0);
    }
    struct proc *init = NULL;
    int r = proc_spawn_module(0, 0, PRIO_DEFAULT, quota_root(), &init);
    if (r != 0) {
        kprintf("kernel: cannot start init from module 0 (%s): error %d\n",
                boot_info.modules[0].name, r);
        hal_exit(2);
    }
    grant(init, ZERO_SLOT_CONSOLE, CAP_IOPORT, ioport_pack(COM1_BASE, 8));
    grant(init, ZERO_SLOT_PIT, CAP_IOPORT, ioport_pack(PIT_BASE, 4));
    grant(init, ZERO_SLOT_IRQ0, CAP_IRQ, 0);
    grant(init, ZERO_SLOT_EXIT, CAP_IOPORT, ioport_pack(DEBUG_EXIT_PORT, 4));
    grant(init, ZERO_SLOT_COM1_IRQ, CAP_IRQ, COM1_IRQ);
    grant(init, ZERO_SLOT_PCI_CFG, CAP_IOPORT, ioport_pack(PCI_CFG_BASE, 8));
    grant(init, ZERO_SLOT_PCI_IO, CAP_IOPORT, ioport_pack(PCI_IO_BASE, PCI_IO_COUNT));
    grant(init, ZERO_SLOT_COM2, CAP_IOPORT, ioport_pack(COM2_BASE, 8));
    grant(init, ZERO_SLOT_COM2_IRQ, CAP_IRQ, COM2_IRQ);
    kprintf("kernel: init is pid %u (%s); %llu free frames\n", init->pid, boot_info.modules[0].name,
            (unsigned long long)frame_free_count());
    kernel_lock.held_since = arch_cycles(); /* boot's own hold is not a system call's */
    sched_run();
}
