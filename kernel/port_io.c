/*
 * I/O-port capabilities: port I/O of every width (SYS_IOPORT_IN/OUT, 8-bit;
 * SYS_IOPORT_IN_WIDE/OUT_WIDE, 8-, 16- and 32-bit) through a capability that
 * covers every byte accessed.  Same discipline as kernel/syscall.c: decode
 * everything, then perform.
 */
#include "base/errors.h"
#include "zero/abi.h"
#include "kernel/kernel.h"
#include "kernel/syscall.h"

/* True if I/O-port capability c covers ports port .. port+width-1. */
bool ioport_covers(const struct cap *c, uint64_t port, uint64_t width)
{
    uint32_t base;
    uint32_t count;
    ioport_unpack(c->obj, &base, &count);
    return port >= base && port + width <= (uint64_t)base + count;
}

/*
 * A write-only capability covering the console's UART is an output channel
 * (SYS_DEBUG_WRITE), not the device: programming the UART's registers
 * (loopback through MCR, the divisor latch through LCR) needs READ too, the
 * right of whoever drives the device (init).
 */
static bool console_channel_only(const struct cap *c)
{
    return (c->rights & CAP_RIGHT_READ) == 0 && ioport_covers(c, CONSOLE_PORT, 1);
}

int64_t sys_ioport_out(struct thread *t, struct trap_frame *f)
{
    const struct cap *c;
    int r = sys_lookup(t, frame_arg(f, 0), CAP_IOPORT, CAP_RIGHT_WRITE, &c);
    if (r == 0 && (!ioport_covers(c, frame_arg(f, 1), 1) || console_channel_only(c))) {
        r = ZERR_PERM;
    }
    if (r == 0) {
        arch_outb((uint16_t)frame_arg(f, 1), (uint8_t)frame_arg(f, 2));
    }
    return r;
}

int64_t sys_ioport_in(struct thread *t, struct trap_frame *f)
{
    const struct cap *c;
    int r = sys_lookup(t, frame_arg(f, 0), CAP_IOPORT, CAP_RIGHT_READ, &c);
    if (r == 0 && !ioport_covers(c, frame_arg(f, 1), 1)) {
        r = ZERR_PERM;
    }
    if (r == 0) {
        frame_set_result(f, 0, arch_inb((uint16_t)frame_arg(f, 1)));
    }
    return r;
}

/* Decodes (port capability, port, width): the capability must cover port..port+width-1. */
static int port_decode(struct thread *t, struct trap_frame *f, uint32_t need)
{
    const struct cap *c;
    int r = sys_lookup(t, frame_arg(f, 0), CAP_IOPORT, need, &c);
    if (r != 0) {
        return r;
    }
    if (need == CAP_RIGHT_WRITE && console_channel_only(c)) {
        return ZERR_PERM;
    }
    uint64_t port = frame_arg(f, 1);
    uint64_t width = frame_arg(f, 2);
    if (width != 1 && width != 2 && width != 4) {
        return ZERR_INVAL;
    }
    if (port > 0xffff || !ioport_covers(c, port, width)) {
        return ZERR_PERM;
    }
    return 0;
}

int64_t sys_ioport_in_wide(struct thread *t, struct trap_frame *f)
{
    int r = port_decode(t, f, CAP_RIGHT_READ);
    if (r == 0) {
        frame_set_result(f, 0, arch_io_in((uint16_t)frame_arg(f, 1), (uint32_t)frame_arg(f, 2)));
    }
    return r;
}

int64_t sys_ioport_out_wide(struct thread *t, struct trap_frame *f)
{
    int r = port_decode(t, f, CAP_RIGHT_WRITE);
    if (r == 0) {
        arch_io_out((uint16_t)frame_arg(f, 1), (uint32_t)frame_arg(f, 2),
                    (uint32_t)frame_arg(f, 3));
    }
    return r;
}
