/* Port I/O of every width for the kernel's port capabilities (kernel/port_io.c). */
#include "kernel/kernel.h"

/* Reads width (1, 2 or 4) bytes from port. */
uint32_t arch_io_in(uint16_t port, uint32_t width)
{
    if (width == 4) {
        uint32_t v;
        __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
        return v;
    }
    if (width == 2) {
        uint16_t v;
        __asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
        return v;
    }
    uint8_t v;
    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

/* Writes the low width (1, 2 or 4) bytes of v to port. */
void arch_io_out(uint16_t port, uint32_t width, uint32_t v)
{
    if (width == 4) {
        __asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
    } else if (width == 2) {
        __asm__ volatile("outw %0, %1" : : "a"((uint16_t)v), "Nd"(port));
    } else {
        __asm__ volatile("outb %0, %1" : : "a"((uint8_t)v), "Nd"(port));
    }
}
