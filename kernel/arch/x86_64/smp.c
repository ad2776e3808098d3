/*
 * Application processors (started from the MADT's CPU list with
 * INIT-SIPI-SIPI and the real-mode trampoline of trampoline.S) and TLB
 * shootdown between CPUs.
 *
 * CPU ids are dense (0 is the boot CPU, then APs in MADT order as each
 * comes online); a CPU that does not answer ends the start-up, so ids stay
 * contiguous.
 *
 * Shootdown: the CPU that removes a mapping holds the kernel lock, flushes
 * its own TLB and sends VEC_TLB to every other CPU that has the address
 * space loaded (aspace.cpu_mask, kept under the kernel lock by as_switch),
 * then waits until each has flushed.  Targets serve the request without
 * the lock: in the interrupt handler (user mode or idle), or while
 * spinning for the lock (spin_lock), so the waiting sender cannot
 * deadlock with them.
 */
#include "base/assert.h"
#include "base/string.h"
#include "x86.h"

#define AP_TRAMPOLINE_PA 0x8000ull
#define ICR_INIT 0x4500    /* INIT, level assert */
#define ICR_STARTUP 0x4600 /* start-up IPI; vector = page of the entry point */
#define EFER_LME (1u << 8)
#define EFER_NXE (1u << 11)

/* The parameter block at the end of the trampoline (trampoline.S). */
struct ap_params {
    uint64_t cr3;
    uint64_t efer;
    uint64_t stack;
    uint64_t cpu;
    uint64_t entry;
};

extern const char ap_trampoline[], ap_trampoline_end[], ap_trampoline_params[];
_Noreturn void ap_entry(struct cpu *c);

static struct {
    uint64_t pml4;
    uint64_t va;
} tlb_req;
static uint64_t tlb_gen;
static volatile uint64_t tlb_want[MAX_CPUS];
static volatile uint64_t tlb_done[MAX_CPUS];

/* Polls up to ms milliseconds for CPU id to come online. */
static bool wait_online(uint32_t id, uint32_t ms)
{
    for (uint32_t i = 0; i < ms; i++) {
        if (arch_cpu_count() > id) {
            return true;
        }
        pit_delay_us(1000);
    }
    return arch_cpu_count() > id;
}

/*
 * Starts the CPU with APIC id apic as CPU id through the trampoline whose
 * parameter block is prm.  True once it reported itself online.
 */
static bool ap_start(uint32_t id, uint32_t apic, struct ap_params *prm)
{
    prm->stack = cpu_prepare(id);
    prm->cpu = (uint64_t)(uintptr_t)arch_cpu_by_id(id);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    apic_send_ipi(apic, ICR_INIT);
    pit_delay_us(10000);
    apic_send_ipi(apic, ICR_STARTUP | (uint32_t)(AP_TRAMPOLINE_PA >> 12));
    if (wait_online(id, 10)) {
        return true;
    }
    apic_send_ipi(apic, ICR_STARTUP | (uint32_t)(AP_TRAMPOLINE_PA >> 12));
    return wait_online(id, 2000);
}

/*
 * Starts every enabled CPU of the MADT other than the boot CPU, one at a
 * time, and prints each one's APIC id and the number online.
 */
void smp_start_aps(void)
{
    /* The trampoline borrows its low page: a loader may have put a boot
     * module there (GRUB under UEFI loads modules from address 0), so the
     * page's bytes are kept and put back once every CPU is past it. */
    static uint8_t borrowed[PAGE_SIZE];
    uint64_t tables = mmu_trampoline_tables();
    size_t len = (size_t)(ap_trampoline_end - ap_trampoline);
    uint8_t *low = phys_to_virt(AP_TRAMPOLINE_PA);
    ZASSERT(len <= sizeof(borrowed), "the AP trampoline fits one page");
    memcpy(borrowed, low, len);
    memcpy(low, ap_trampoline, len);
    struct ap_params *prm = (struct ap_params *)(low + (ap_trampoline_params - ap_trampoline));
    prm->cr3 = tables;
    prm->efer = EFER_LME | (cpu_has_nx ? EFER_NXE : 0);
    prm->entry = (uint64_t)(uintptr_t)ap_entry;
    uint32_t boot_apic = arch_cpu()->apic_id;
    kprintf("smp: cpu 0 apic id %u online\n", boot_apic);
    uint32_t next = 1;
    for (uint32_t i = 0; i < acpi_cpu_count() && next < MAX_CPUS; i++) {
        uint32_t apic = acpi_cpu_apic_id(i);
        if (apic == boot_apic) {
            continue;
        }
        if (!ap_start(next, apic, prm)) {
            kprintf("smp: cpu with apic id %u did not start; using %u cpus\n", apic, next);
            break;
        }
        kprintf("smp: cpu %u apic id %u online\n", next, arch_cpu_by_id(next)->apic_id);
        next++;
    }
    mmu_trampoline_tables_free(tables);
    memcpy(low, borrowed, len);
    kprintf("cpus: %u online\n", arch_cpu_count());
}

/*
 * Serves this CPU's pending shootdown request, if any.  Needs no lock, and
 * is safe before the per-CPU data exists (no request is made before then:
 * the console's wait for the UART calls it from the first message on).
 */
void tlb_service(void)
{
    if (__atomic_load_n(&tlb_gen, __ATOMIC_RELAXED) == 0) {
        return;
    }
    uint32_t id = arch_cpu()->id;
    uint64_t want = __atomic_load_n(&tlb_want[id], __ATOMIC_ACQUIRE);
    if (want == tlb_done[id]) {
        return;
    }
    if (read_cr3() == tlb_req.pml4) {
        invlpg(tlb_req.va);
    }
    __atomic_store_n(&tlb_done[id], want, __ATOMIC_RELEASE);
}

/*
 * Removes the translation of va in as from every CPU's TLB; returns once
 * no CPU can use it.  Kernel lock held; interrupts disabled.
 */
void tlb_shootdown(const struct aspace *as, uint64_t va)
{
    uint32_t self = arch_cpu()->id;
    if (read_cr3() == as->pml4) {
        invlpg(va);
    }
    uint32_t targets = as->cpu_mask & ~(1u << self);
    if (targets == 0) {
        return;
    }
    tlb_req.pml4 = as->pml4;
    tlb_req.va = va;
    tlb_gen++;
    for (uint32_t i = 0; i < MAX_CPUS; i++) {
        if (targets & (1u << i)) {
            __atomic_store_n(&tlb_want[i], tlb_gen, __ATOMIC_RELEASE);
            apic_send_ipi(arch_cpu_by_id(i)->apic_id, VEC_TLB);
        }
    }
    for (uint32_t i = 0; i < MAX_CPUS; i++) {
        while ((targets & (1u << i)) &&
               __atomic_load_n(&tlb_done[i], __ATOMIC_ACQUIRE) != tlb_gen) {
            __asm__ volatile("pause");
        }
    }
}
