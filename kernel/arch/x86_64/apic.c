/*
 * ACPI (RSDP, RSDT/XSDT, MADT), the local APIC timer calibrated against the
 * PIT, and IOAPIC routing of ISA interrupts to vectors VEC_IRQ0 + irq.
 */
#include "base/errors.h"
#include "base/string.h"
#include "x86.h"

#define LAPIC_ID 0x20
#define LAPIC_EOI 0xb0
#define LAPIC_SVR 0xf0
#define LAPIC_ICR_LO 0x300
#define LAPIC_ICR_HI 0x310
#define ICR_PENDING (1u << 12)
#define LAPIC_LVT_TIMER 0x320
#define LAPIC_TIMER_INIT 0x380
#define LAPIC_TIMER_CUR 0x390
#define LAPIC_TIMER_DIV 0x3e0
#define TIMER_HZ 100
#define PIT_HZ 1193182u

static uint64_t lapic_pa = 0xfee00000;
static uint64_t ioapic_pa = 0xfec00000;
static uint32_t ioapic_gsi_base;
static uint32_t ncpus;
static uint32_t cpu_apic_ids[MAX_CPUS];
static uint32_t timer_per_tick;
static uint64_t tsc_per_tick; /* time stamp counter cycles per scheduler tick, 0 if unknown */
static uint64_t tsc_at_start; /* when the boot CPU's timer started */
static uint32_t boot_apic_id;
static uint32_t irq_gsi[MAX_IRQS];
static uint16_t irq_flags[MAX_IRQS];

static volatile uint32_t *lapic_reg(uint32_t off)
{
    return (volatile uint32_t *)phys_to_virt(lapic_pa + off);
}

static uint32_t lapic_read(uint32_t off)
{
    return *lapic_reg(off);
}

static void lapic_write(uint32_t off, uint32_t v)
{
    *lapic_reg(off) = v;
}

static void ioapic_write(uint32_t reg, uint32_t v)
{
    volatile uint32_t *base = phys_to_virt(ioapic_pa);
    base[0] = reg;
    base[4] = v;
}

static uint32_t ioapic_read(uint32_t reg)
{
    volatile uint32_t *base = phys_to_virt(ioapic_pa);
    base[0] = reg;
    return base[4];
}

static bool checksum_ok(const uint8_t *p, uint32_t n)
{
    uint8_t sum = 0;
    for (uint32_t i = 0; i < n; i++) {
        sum = (uint8_t)(sum + p[i]);
    }
    return sum == 0;
}

/* Reads CPUs, the LAPIC and IOAPIC addresses and ISA overrides from the MADT. */
static void madt_parse(const uint8_t *madt, uint32_t len)
{
    uint32_t lapic32;
    memcpy(&lapic32, madt + 36, 4);
    lapic_pa = lapic32;
    for (uint32_t off = 44; off + 2 <= len;) {
        uint8_t type = madt[off];
        uint8_t elen = madt[off + 1];
        if (elen < 2 || off + elen > len) {
            break;
        }
        const uint8_t *e = madt + off;
        if (type == 0 && (e[4] & 1) && ncpus < MAX_CPUS) {
            cpu_apic_ids[ncpus++] = e[3];
        } else if (type == 1) {
            uint32_t a;
            memcpy(&a, e + 4, 4);
            memcpy(&ioapic_gsi_base, e + 8, 4);
            ioapic_pa = a;
        } else if (type == 2 && e[3] < MAX_IRQS) {
            memcpy(&irq_gsi[e[3]], e + 4, 4);
            memcpy(&irq_flags[e[3]], e + 8, 2);
        }
        off += elen;
    }
}

/* Finds the table with signature sig through the RSDT or XSDT. */
static const uint8_t *acpi_find(const uint8_t *rsdp, const char *sig)
{
    bool xsdt = rsdp[15] >= 2;
    uint64_t root;
    if (xsdt) {
        memcpy(&root, rsdp + 24, 8);
    } else {
        uint32_t r32;
        memcpy(&r32, rsdp + 16, 4);
        root = r32;
    }
    const uint8_t *hdr = phys_to_virt(root);
    uint32_t len;
    memcpy(&len, hdr + 4, 4);
    uint32_t esize = xsdt ? 8 : 4;
    for (uint32_t off = 36; off + esize <= len; off += esize) {
        uint64_t pa = 0;
        memcpy(&pa, hdr + off, esize);
        const uint8_t *t = phys_to_virt(pa);
        if (memcmp(t, sig, 4) == 0) {
            return t;
        }
    }
    return NULL;
}

/*
 * Finds the MADT through the RSDP and records the interrupt topology; without
 * ACPI, assumes one CPU and the default APIC addresses.
 */
void acpi_init(void)
{
    for (uint32_t i = 0; i < MAX_IRQS; i++) {
        irq_gsi[i] = i;
    }
    if (boot_info.rsdp == 0) {
        kprintf("acpi: no RSDP, assuming one CPU and default APIC addresses\n");
        ncpus = 1;
        return;
    }
    const uint8_t *rsdp = phys_to_virt(boot_info.rsdp);
    if (!checksum_ok(rsdp, 20)) {
        kprintf("acpi: RSDP checksum bad\n");
        ncpus = 1;
        return;
    }
    const uint8_t *madt = acpi_find(rsdp, "APIC");
    if (madt != NULL) {
        uint32_t len;
        memcpy(&len, madt + 4, 4);
        madt_parse(madt, len);
    }
    if (ncpus == 0) {
        ncpus = 1;
    }
    kprintf("acpi: rsdp at 0x%llx rev %u, %u cpus, lapic 0x%llx ioapic 0x%llx\n",
            (unsigned long long)boot_info.rsdp, rsdp[15], ncpus, (unsigned long long)lapic_pa,
            (unsigned long long)ioapic_pa);
}

uint32_t acpi_cpu_count(void)
{
    return ncpus;
}

/* The APIC id of the i-th enabled CPU of the MADT (i < acpi_cpu_count()). */
uint32_t acpi_cpu_apic_id(uint32_t i)
{
    return cpu_apic_ids[i];
}

uint32_t apic_id(void)
{
    return lapic_read(LAPIC_ID) >> 24;
}

void apic_eoi(void)
{
    lapic_write(LAPIC_EOI, 0);
}

/* Arms PIT channel 2 as a one-shot of us microseconds (at most 50 ms). */
static void pit_arm(uint32_t us)
{
    uint32_t pit_count = (uint32_t)((uint64_t)PIT_HZ * us / 1000000u);
    outb(0x61, (uint8_t)((inb(0x61) & ~0x02) | 0x01));
    outb(0x43, 0xb0);
    outb(0x42, (uint8_t)pit_count);
    outb(0x42, (uint8_t)(pit_count >> 8));
    uint8_t gate = inb(0x61);
    outb(0x61, (uint8_t)(gate & ~0x01));
    outb(0x61, (uint8_t)(gate | 0x01));
}

/* Waits until the one-shot of pit_arm has run out. */
static void pit_wait(void)
{
    for (uint32_t spin = 0; spin < 100000000u && (inb(0x61) & 0x20) == 0; spin++) {
        __asm__ volatile("pause");
    }
}

/* Busy-waits us microseconds (at most 50 ms) on PIT channel 2.  Boot CPU only. */
void pit_delay_us(uint32_t us)
{
    pit_arm(us);
    pit_wait();
}

/*
 * Counts LAPIC timer ticks (divide by 16) during 10 ms of PIT channel 2, and
 * the time stamp counter's cycles per scheduler tick (tsc_per_tick).
 */
static uint32_t timer_calibrate(void)
{
    lapic_write(LAPIC_TIMER_DIV, 0x3);
    lapic_write(LAPIC_LVT_TIMER, 1u << 16);
    pit_arm(10000);
    lapic_write(LAPIC_TIMER_INIT, 0xffffffffu);
    uint64_t tsc = rdtsc();
    pit_wait();
    tsc_per_tick = (rdtsc() - tsc) * 100 / TIMER_HZ;
    uint32_t elapsed = 0xffffffffu - lapic_read(LAPIC_TIMER_CUR);
    lapic_write(LAPIC_TIMER_INIT, 0);
    return elapsed;
}

uint64_t apic_ticks_by_tsc(void)
{
    return tsc_per_tick != 0 ? (rdtsc() - tsc_at_start) / tsc_per_tick : 0;
}

/* Starts this CPU's LAPIC timer, periodic at TIMER_HZ (calibrated by apic_init). */
static void timer_start(void)
{
    lapic_write(LAPIC_TIMER_DIV, 0x3);
    lapic_write(LAPIC_LVT_TIMER, VEC_TIMER | (1u << 17)); /* periodic */
    lapic_write(LAPIC_TIMER_INIT, timer_per_tick);
}

/* Enables an application processor's LAPIC and starts its timer. */
void apic_init_ap(void)
{
    wrmsr(MSR_APIC_BASE, rdmsr(MSR_APIC_BASE) | (1u << 11));
    lapic_write(LAPIC_SVR, 0x100 | VEC_SPURIOUS);
    arch_cpu()->apic_id = apic_id();
    timer_start();
}

/*
 * Sends an interprocessor interrupt: icr_lo is the ICR command (vector,
 * delivery mode, level) for the CPU with APIC id dest.  Waits until the
 * LAPIC has accepted the previous one.  Interrupts must be disabled.
 */
void apic_send_ipi(uint32_t dest, uint32_t icr_lo)
{
    while (lapic_read(LAPIC_ICR_LO) & ICR_PENDING) {
        __asm__ volatile("pause");
    }
    lapic_write(LAPIC_ICR_HI, dest << 24);
    lapic_write(LAPIC_ICR_LO, icr_lo);
}

/* Remaps the legacy PIC away from the exception vectors, then masks it. */
static void pic_disable(void)
{
    static const uint8_t init[][2] = {
        {0x20, 0x11}, {0xa0, 0x11}, {0x21, 0xf0}, {0xa1, 0xf8}, {0x21, 0x04},
        {0xa1, 0x02}, {0x21, 0x01}, {0xa1, 0x01}, {0x21, 0xff}, {0xa1, 0xff},
    };
    for (size_t i = 0; i < sizeof(init) / sizeof(init[0]); i++) {
        outb(init[i][0], init[i][1]);
    }
}

/*
 * Masks the legacy PIC and every IOAPIC pin, enables the LAPIC and starts its
 * periodic timer (TIMER_HZ), calibrated against the PIT.
 */
void apic_init(void)
{
    pic_disable();
    wrmsr(MSR_APIC_BASE, rdmsr(MSR_APIC_BASE) | (1u << 11));
    lapic_write(LAPIC_SVR, 0x100 | VEC_SPURIOUS);
    arch_cpu()->apic_id = apic_id();
    boot_apic_id = arch_cpu()->apic_id;
    uint32_t per_10ms = timer_calibrate();
    uint32_t per_tick = per_10ms * 100 / TIMER_HZ;
    if (per_tick == 0) {
        per_tick = 100000;
    }
    uint32_t nirq = ((ioapic_read(1) >> 16) & 0xff) + 1;
    for (uint32_t i = 0; i < nirq; i++) {
        ioapic_write(0x10 + 2 * i, 1u << 16);
    }
    timer_per_tick = per_tick;
    tsc_at_start = rdtsc();
    timer_start();
    kprintf("apic: cpu 0 apic id %u, timer %u Hz (%u LAPIC ticks per 10 ms), ioapic %u pins\n",
            arch_cpu()->apic_id, TIMER_HZ, per_10ms, nirq);
}

/* Routes ISA irq (through its MADT override) to vector VEC_IRQ0 + irq on the boot CPU. */
static void ioapic_route(uint32_t irq, bool masked)
{
    if (irq >= MAX_IRQS) {
        return;
    }
    uint32_t pin = irq_gsi[irq] - ioapic_gsi_base;
    uint32_t lo = VEC_IRQ0 + irq;
    uint16_t fl = irq_flags[irq];
    if ((fl & 3) == 3) {
        lo |= 1u << 13; /* active low */
    }
    if (((fl >> 2) & 3) == 3) {
        lo |= 1u << 15; /* level triggered */
    }
    if (masked) {
        lo |= 1u << 16;
    }
    ioapic_write(0x11 + 2 * pin, boot_apic_id << 24);
    ioapic_write(0x10 + 2 * pin, lo);
}

/* Lets ISA irq reach vector VEC_IRQ0 + irq (after IRQ_BIND or IRQ_ACK). */
void arch_irq_unmask(uint32_t irq)
{
    ioapic_route(irq, false);
}

/*
 * The interrupt line of PCI function bdf (bus << 8 | device << 3 | function)
 * as the firmware routed it (configuration offset 0x3c), for SYS_IRQ_PCI:
 * from now on routed level-triggered, active high (a PCI line through the
 * chipset's PIRQ links, as QEMU's ACPI tables describe them).  ZERR_NOENT
 * when no function is there or it has no interrupt, ZERR_PERM for a line
 * the kernel keeps for ISA devices (0-4, 8).  The caller's address in the
 * configuration port is put back, so a driver's read in progress is kept.
 */
int arch_irq_pci(uint32_t bdf, uint32_t *irq)
{
    uint32_t saved = arch_io_in(PCI_CONFIG_PORT, 4);
    arch_io_out(PCI_CONFIG_PORT, 4, 0x80000000u | bdf << 8);
    uint32_t id = arch_io_in(PCI_CONFIG_PORT + 4, 4);
    arch_io_out(PCI_CONFIG_PORT, 4, 0x80000000u | bdf << 8 | 0x3c);
    uint32_t v = arch_io_in(PCI_CONFIG_PORT + 4, 4);
    arch_io_out(PCI_CONFIG_PORT, 4, saved);
    uint32_t line = v & 0xff, pin = (v >> 8) & 0xff;
    if ((id & 0xffff) == 0xffff || pin == 0 || line == 0xff) {
        return ZERR_NOENT;
    }
    if (line >= MAX_IRQS || line <= 4 || line == 8) {
        return ZERR_PERM;
    }
    irq_flags[line] = 1u | 3u << 2; /* active high, level */
    *irq = line;
    return 0;
}

/* Holds ISA irq back until the holder of its capability acknowledges it. */
void arch_irq_mask(uint32_t irq)
{
    ioapic_route(irq, true);
}
