/* COM1 serial console: 115200 8N1, polled, CR added before each LF. */
#include "x86.h"

#define COM1 0x3f8

void serial_init(void)
{
    outb(COM1 + 1, 0x00); /* no interrupts */
    outb(COM1 + 3, 0x80); /* divisor latch */
    outb(COM1 + 0, 0x01); /* 115200 baud */
    outb(COM1 + 1, 0x00);
    outb(COM1 + 3, 0x03); /* 8N1 */
    outb(COM1 + 2, 0xc7); /* FIFO on, cleared */
    outb(COM1 + 4, 0x03); /* DTR, RTS */
}

/*
 * Waits for room in the transmitter, then sends c.  While waiting it serves
 * TLB shootdown requests (tlb_service): a CPU writing DEBUG_WRITE's bytes
 * has interrupts off but not the kernel lock, and the lock's holder may be
 * waiting for it to flush.
 */
static void serial_putc(char c)
{
    for (int spin = 0; spin < 100000 && (inb(COM1 + 5) & 0x20) == 0; spin++) {
        tlb_service();
        __asm__ volatile("pause");
    }
    outb(COM1, (uint8_t)c);
}

/* Writes n bytes to COM1, polling; gives up on a byte after a bounded wait. */
void serial_write(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n') {
            serial_putc('\r');
        }
        serial_putc(s[i]);
    }
}
