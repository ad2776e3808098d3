/*
 * Kernel start-up after the architecture layer is up: the console printer
 * and the first process (boot module 0, "init"), which receives the
 * capabilities the kernel hands out at boot.
 */
#include <stdarg.h>

#include "base/fmt.h"
#include "hal/hal.h"
#include "kernel/abi.h"
#include "kernel/kernel.h"

#define COM1_BASE 0x3f8
#define PIT_BASE 0x40
#define DEBUG_EXIT_PORT 0xf4

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
        arch_console_write(buf, (size_t)n);
    }
}

static void grant(struct proc *p, uint32_t slot, uint32_t type, uint64_t obj)
{
    struct cap c = {.type = type, .rights = CAP_RIGHTS_ALL, .badge = 0, .obj = (uintptr_t)obj};
    if (cap_insert(&p->cspace, slot, &c) < 0) {
        kprintf("kernel: cannot grant %s capability to init\n", cap_type_name(type));
    }
}

_Noreturn void kernel_main(void)
{
    spin_lock(&kernel_lock);
    if (boot_info.nmodules == 0) {
        kprintf("kernel: no boot modules, nothing to run\n");
        hal_exit(0);
    }
    struct proc *init = NULL;
    int r = proc_spawn_module(0, 0, PRIO_DEFAULT, &init);
    if (r != 0) {
        kprintf("kernel: cannot start init from module 0 (%s): error %d\n",
                boot_info.modules[0].name, r);
        hal_exit(2);
    }
    grant(init, ZERO_SLOT_CONSOLE, CAP_IOPORT, ((uint64_t)COM1_BASE << 16) | 8);
    grant(init, ZERO_SLOT_PIT, CAP_IOPORT, ((uint64_t)PIT_BASE << 16) | 4);
    grant(init, ZERO_SLOT_IRQ0, CAP_IRQ, 0);
    grant(init, ZERO_SLOT_EXIT, CAP_IOPORT, ((uint64_t)DEBUG_EXIT_PORT << 16) | 4);
    kprintf("kernel: init is pid %u (%s); %llu free frames\n", init->pid, boot_info.modules[0].name,
            (unsigned long long)frame_free_count());
    sched_run();
}
