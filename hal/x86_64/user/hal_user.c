/*
 * hal/hal.h for user programs on the x86_64 kernel: console through the
 * console capability, pages from frame capabilities mapped into the
 * program's own address space, time from the kernel's timer ticks.
 */
#include <stdbool.h>

#include "base/errors.h"
#include "base/string.h"
#include "hal/hal.h"
#include "user/zero.h"

#define HEAP_BASE 0x0000100000000000ull
#define TICK_NS 10000000ull

static uint64_t heap_next = HEAP_BASE;

void hal_page_free(void *p, size_t npages);

void hal_console_write(const char *s, size_t n)
{
    zero_write(s, n);
}

#define COM1 0x3f8
#define COM1_IER (COM1 + 1)
#define COM1_MCR (COM1 + 4)
#define COM1_LSR (COM1 + 5)

static int64_t console_ntfn = -1; /* bound to COM1's IRQ; ZERR_* if unavailable */

static int64_t com1_in(uint64_t port)
{
    struct zsys r = {SYS_IOPORT_IN, ZERO_SLOT_CONSOLE, port, 0, 0, 0, 0};
    zsys_raw(&r);
    return (int64_t)r.rax == 0 ? (int64_t)r.rdi : (int64_t)r.rax;
}

/*
 * Takes COM1 input interrupts through the IRQ capability (init holds it):
 * receive interrupts on, OUT2 routes them.  Without the capability, input is
 * polled between yields.
 */
static void console_input_setup(void)
{
    int64_t n = zsys3(SYS_NTFN_CREATE, 0, 0, 0);
    if (n >= 0 && zsys3(SYS_IRQ_BIND, ZERO_SLOT_COM1_IRQ, (uint64_t)n, 0) == 0) {
        zsys3(SYS_IOPORT_OUT, ZERO_SLOT_CONSOLE, COM1_IER, 0x01);
        zsys3(SYS_IOPORT_OUT, ZERO_SLOT_CONSOLE, COM1_MCR, 0x0b);
        console_ntfn = n;
        return;
    }
    if (n >= 0) {
        zsys3(SYS_CAP_DELETE, (uint64_t)n, 0, 0);
    }
    console_ntfn = ZERR_UNSUPPORTED;
}

/* Reads what COM1 holds (at least one byte), waiting for its interrupt. */
long hal_console_read(char *buf, size_t n)
{
    if (n == 0) {
        return 0;
    }
    if (console_ntfn == -1) {
        console_input_setup();
    }
    for (;;) {
        size_t got = 0;
        int64_t lsr = 0;
        while (got < n && (lsr = com1_in(COM1_LSR)) >= 0 && (lsr & 1) != 0) {
            int64_t c = com1_in(COM1);
            if (c < 0) {
                return (long)c;
            }
            buf[got++] = (char)c;
        }
        if (got > 0) {
            return (long)got;
        }
        if (lsr < 0) {
            return (long)lsr; /* no right to read the console */
        }
        if (console_ntfn >= 0) {
            uint64_t bits;
            zero_wait((uint64_t)console_ntfn, &bits, 1);
            zsys3(SYS_IRQ_ACK, ZERO_SLOT_COM1_IRQ, 0, 0);
        } else {
            zero_yield();
        }
    }
}

/*
 * Pages come from fresh frame capabilities mapped into a bump-allocated heap
 * area; freeing deletes the capabilities, which unmaps the pages.  Virtual
 * addresses are not reused.
 */
#define HEAP_PAGES 8192

static uint16_t heap_caps[HEAP_PAGES]; /* frame capability handle + 1, 0 if none */

void *hal_page_alloc(size_t npages)
{
    uint64_t base = heap_next;
    uint64_t first = (base - HEAP_BASE) / HAL_PAGE_SIZE;
    if (npages == 0 || npages > HEAP_PAGES || first > HEAP_PAGES - npages) {
        return NULL;
    }
    for (size_t i = 0; i < npages; i++) {
        int64_t h = zsys3(SYS_FRAME_ALLOC, 0, 0, 0);
        if (h < 0 || zsys4(SYS_MAP, ZERO_SLOT_ASPACE, (uint64_t)h, base + i * HAL_PAGE_SIZE,
                           ZERO_MAP_WRITE) != 0) {
            hal_page_free((void *)(uintptr_t)base, i);
            if (h >= 0) {
                zsys3(SYS_CAP_DELETE, (uint64_t)h, 0, 0);
            }
            return NULL;
        }
        heap_caps[first + i] = (uint16_t)(h + 1);
    }
    heap_next = base + (npages + 1) * HAL_PAGE_SIZE; /* leave a guard page */
    return (void *)(uintptr_t)base;
}

void hal_page_free(void *p, size_t npages)
{
    uint64_t first = ((uint64_t)(uintptr_t)p - HEAP_BASE) / HAL_PAGE_SIZE;
    for (size_t i = 0; i < npages && first + i < HEAP_PAGES; i++) {
        if (heap_caps[first + i] != 0) {
            zsys3(SYS_CAP_DELETE, heap_caps[first + i] - 1u, 0, 0);
            heap_caps[first + i] = 0;
        }
    }
}

uint64_t hal_clock_ns(void)
{
    struct zsys r = {SYS_INFO, 0, 0, 0, 0, 0, 0};
    zsys_raw(&r);
    return r.rdx * TICK_NS;
}

static int64_t sleep_ntfn = -1;

/* Sleeps on a kernel timer notification; yields in a loop if none can be had. */
void hal_wait_until(uint64_t deadline_ns)
{
    if (sleep_ntfn < 0) {
        sleep_ntfn = zsys3(SYS_NTFN_CREATE, 0, 0, 0);
    }
    uint64_t now;
    while ((now = hal_clock_ns()) < deadline_ns) {
        uint64_t bits;
        if (sleep_ntfn < 0 || zsys3(SYS_TIMER, (uint64_t)sleep_ntfn, deadline_ns - now, 0) != 0) {
            zero_yield();
        } else {
            zero_wait((uint64_t)sleep_ntfn, &bits, 1);
        }
    }
}

static bool rdrand64(uint64_t *v)
{
    unsigned char ok;
    __asm__ volatile("rdrand %0; setc %1" : "=r"(*v), "=qm"(ok) : : "cc");
    return ok != 0;
}

/*
 * The CPU's RDRAND generator (a conditioned hardware source), retried a few
 * times per word as Intel advises.  ZERR_UNSUPPORTED without RDRAND, ZERR_IO
 * if it keeps failing: callers must then refuse to make keys.
 */
int hal_entropy(void *buf, size_t n)
{
    uint32_t a;
    uint32_t b;
    uint32_t c;
    uint32_t d;
    __asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1), "c"(0));
    if ((c & (1u << 30)) == 0) {
        return ZERR_UNSUPPORTED;
    }
    uint8_t *out = buf;
    while (n > 0) {
        uint64_t v = 0;
        int tries = 0;
        while (!rdrand64(&v)) {
            if (++tries == 10) {
                return ZERR_IO;
            }
        }
        size_t k = n < sizeof(v) ? n : sizeof(v);
        memcpy(out, &v, k);
        out += k;
        n -= k;
    }
    return 0;
}

int hal_blk_open(const char *name, uint64_t create_bytes, struct hal_blk **out)
{
    (void)name;
    (void)create_bytes;
    (void)out;
    return ZERR_NOENT;
}

uint64_t hal_blk_size(const struct hal_blk *b)
{
    (void)b;
    return 0;
}

int hal_blk_read(struct hal_blk *b, uint64_t off, void *buf, size_t n)
{
    (void)b;
    (void)off;
    (void)buf;
    (void)n;
    return ZERR_IO;
}

int hal_blk_write(struct hal_blk *b, uint64_t off, const void *buf, size_t n)
{
    (void)b;
    (void)off;
    (void)buf;
    (void)n;
    return ZERR_IO;
}

int hal_blk_flush(struct hal_blk *b)
{
    (void)b;
    return ZERR_IO;
}

void hal_blk_close(struct hal_blk *b)
{
    (void)b;
}

unsigned hal_cpu_id(void)
{
    return 0;
}

unsigned hal_cpu_count(void)
{
    return 1;
}

_Noreturn void hal_exit(int status)
{
    zero_exit(status);
}

_Noreturn void hal_panic(const char *msg)
{
    zprintf("panic: %s\n", msg);
    zero_exit(ZERR_TRAP);
}
