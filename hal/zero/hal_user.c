/*
 * hal/hal.h for user programs on the x86_64 kernel: the console through
 * the console capability with a serial line discipline, pages from
 * SYS_MEM_MAP, time from the kernel's timer ticks, entropy from RDRAND.
 * Block devices are in drivers/virtio-blk/hal_blk.c.
 */
#include <stdbool.h>

#include "base/errors.h"
#include "base/string.h"
#include "hal/hal.h"
#include "zero/zero.h"

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
static long com1_read_raw(char *buf, size_t n)
{
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
 * The serial line discipline (what a terminal expects of a tty in cooked
 * mode): typed characters are echoed, CR or LF ends the line (handed on with
 * LF), backspace and DEL erase one character, Ctrl-U the whole line, Ctrl-D
 * on an empty line is end of input.  Control bytes other than these and tab
 * are dropped.  A line longer than the buffer is handed on in pieces.
 */
#define LINE_MAX 1024

struct line_disc {
    char line[LINE_MAX];
    size_t len; /* bytes assembled */
    size_t pos; /* bytes of a finished line handed on so far */
    bool ready; /* line finished: hand it on */
    bool eof;
    bool quiet;   /* echo off: a secret is being typed */
    char raw[64]; /* bytes read from the line, not yet fed */
    size_t raw_len;
    size_t raw_pos;
};

static struct line_disc console_ld;

static void ld_erase(struct line_disc *ld, size_t n)
{
    for (; n > 0 && ld->len > 0; n--) {
        ld->len--;
        if (!ld->quiet) {
            hal_console_write("\b \b", 3);
        }
    }
}

void hal_console_echo(bool on)
{
    console_ld.quiet = !on;
}

/* Feeds one typed byte into the line discipline. */
static void ld_input(struct line_disc *ld, char c)
{
    if (c == '\r' || c == '\n') {
        ld->line[ld->len++] = '\n';
        ld->ready = true;
        if (!ld->quiet) {
            hal_console_write("\n", 1);
        }
    } else if (c == '\b' || c == 0x7f) {
        ld_erase(ld, 1);
    } else if (c == 0x15) {
        ld_erase(ld, ld->len);
    } else if (c == 0x04) {
        ld->eof = ld->len == 0;
        ld->ready = ld->len > 0;
    } else if ((unsigned char)c >= 0x20 || c == '\t') {
        ld->line[ld->len++] = c;
        if (!ld->quiet) {
            hal_console_write(&c, 1);
        }
        ld->ready = ld->len == LINE_MAX - 1;
    }
}

/* Hands on (part of) a finished line; returns the count. */
static long ld_take(struct line_disc *ld, char *buf, size_t n)
{
    size_t k = ld->len - ld->pos < n ? ld->len - ld->pos : n;
    memcpy(buf, ld->line + ld->pos, k);
    ld->pos += k;
    if (ld->pos == ld->len) {
        ld->len = 0;
        ld->pos = 0;
        ld->ready = false;
    }
    return (long)k;
}

long hal_console_read(char *buf, size_t n)
{
    struct line_disc *ld = &console_ld;
    if (n == 0) {
        return 0;
    }
    while (!ld->ready) {
        if (ld->eof) {
            ld->eof = false;
            return 0;
        }
        if (ld->raw_pos == ld->raw_len) {
            long got = com1_read_raw(ld->raw, sizeof(ld->raw));
            if (got < 0) {
                return got;
            }
            ld->raw_len = (size_t)got;
            ld->raw_pos = 0;
        }
        while (ld->raw_pos < ld->raw_len && !ld->ready && !ld->eof) {
            ld_input(ld, ld->raw[ld->raw_pos++]);
        }
    }
    return ld_take(ld, buf, n);
}

/*
 * Pages come from SYS_MEM_MAP: fresh zeroed frames mapped into a
 * bump-allocated heap area, each allocation followed by an unmapped guard
 * page.  Freeing unmaps them (SYS_MEM_UNMAP), so a use after free faults;
 * virtual addresses are not reused.
 */
#define MEM_MAP_CHUNK 1024u /* the kernel's limit per SYS_MEM_MAP */

void *hal_page_alloc(size_t npages)
{
    if (npages == 0 || npages > (1u << 20)) {
        return NULL;
    }
    uint64_t base = heap_next;
    for (size_t done = 0; done < npages;) {
        size_t k = npages - done < MEM_MAP_CHUNK ? npages - done : MEM_MAP_CHUNK;
        if (zsys4(SYS_MEM_MAP, ZERO_SLOT_ASPACE, base + done * HAL_PAGE_SIZE, k, ZERO_MAP_WRITE) !=
            0) {
            hal_page_free((void *)(uintptr_t)base, done);
            return NULL;
        }
        done += k;
    }
    heap_next = base + (npages + 1) * HAL_PAGE_SIZE; /* leave a guard page */
    return (void *)(uintptr_t)base;
}

void hal_page_free(void *p, size_t npages)
{
    uint64_t base = (uint64_t)(uintptr_t)p;
    for (size_t done = 0; p != NULL && done < npages;) {
        size_t k = npages - done < MEM_MAP_CHUNK ? npages - done : MEM_MAP_CHUNK;
        (void)zsys3(SYS_MEM_UNMAP, ZERO_SLOT_ASPACE, base + done * HAL_PAGE_SIZE, k);
        done += k;
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

/* The kernel's CPU index and count (SYS_CPU_INFO); the index may be stale once read. */
unsigned hal_cpu_id(void)
{
    struct zsys r = {SYS_CPU_INFO, 0, 0, 0, 0, 0, 0};
    zsys_raw(&r);
    return (int64_t)r.rax == 0 ? (unsigned)r.rdi : 0;
}

/* None: the kernel switches only the SSE register state (FXSAVE), and the
 * x86_64 build has no vector back ends. */
unsigned hal_cpu_vector_features(void)
{
    return 0;
}

unsigned hal_cpu_count(void)
{
    struct zsys r = {SYS_CPU_INFO, 0, 0, 0, 0, 0, 0};
    zsys_raw(&r);
    return (int64_t)r.rax == 0 && r.rsi > 0 ? (unsigned)r.rsi : 1;
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
