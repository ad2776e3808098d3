/*
 * The parts of hal/hal.h that the kernel itself uses (console, panic, exit);
 * user programs get theirs from hal/zero/.
 */
#include "base/errors.h"
#include "base/string.h"
#include "hal/hal.h"
#include "x86.h"

#define DEBUG_EXIT_PORT 0xf4

void hal_console_write(const char *s, size_t n)
{
    serial_write(s, n);
}

void arch_console_write(const char *s, size_t n)
{
    serial_write(s, n);
}

long hal_console_read(char *buf, size_t n)
{
    (void)buf;
    (void)n;
    return ZERR_UNSUPPORTED;
}

void arch_outb(uint16_t port, uint8_t v)
{
    outb(port, v);
}

uint8_t arch_inb(uint16_t port)
{
    return inb(port);
}

_Noreturn void arch_halt(void)
{
    for (;;) {
        __asm__ volatile("cli; hlt");
    }
}

/* Under QEMU with isa-debug-exit the exit code becomes (status << 1) | 1. */
_Noreturn void hal_exit(int status)
{
    __asm__ volatile("outl %0, %1" : : "a"((uint32_t)status), "Nd"((uint16_t)DEBUG_EXIT_PORT));
    arch_halt();
}

_Noreturn void hal_panic(const char *msg)
{
    static const char head[] = "\nkernel panic: ";
    serial_write(head, sizeof(head) - 1);
    serial_write(msg, strlen(msg));
    serial_write("\n", 1);
    hal_exit(3);
}

unsigned hal_cpu_id(void)
{
    return arch_cpu()->id;
}

/* None: the kernel is built without SSE (-mgeneral-regs-only). */
unsigned hal_cpu_vector_features(void)
{
    return 0;
}

unsigned hal_cpu_count(void)
{
    return arch_cpu_count();
}
