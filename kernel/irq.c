/*
 * Interrupt delivery: an IRQ bound to a notification signals it (with the
 * binding's bits) each time it fires; the IRQ stays masked until the
 * driver acknowledges it (SYS_IRQ_ACK).
 */
#include "base/errors.h"
#include "kernel/kernel.h"

static struct notification *irq_ntfn[MAX_IRQS];
static uint64_t irq_bits[MAX_IRQS];

/* Routes irq to n (bits on each interrupt) and unmasks it. */
int irq_bind(uint32_t irq, struct notification *n, uint64_t bits)
{
    if (irq >= MAX_IRQS) {
        return ZERR_RANGE;
    }
    if (irq_ntfn[irq] != NULL) {
        notification_put(irq_ntfn[irq]);
    }
    notification_get(n);
    irq_ntfn[irq] = n;
    irq_bits[irq] = bits;
    arch_irq_unmask(irq);
    return 0;
}

/* An interrupt arrived on irq (now masked): signals its notification. */
void irq_dispatch(uint32_t irq)
{
    if (irq < MAX_IRQS && irq_ntfn[irq] != NULL) {
        notification_signal(irq_ntfn[irq], irq_bits[irq]);
    }
}

/* Unbinds every IRQ bound to n (its last reference is going). */
void irq_forget(const struct notification *n)
{
    for (int i = 0; i < MAX_IRQS; i++) {
        if (irq_ntfn[i] == n) {
            irq_ntfn[i] = NULL;
        }
    }
}
