/*
 * CPU set-up and trap handling: GDT, TSS with IST stacks, IDT, per-CPU data
 * (GS base), syscall MSRs, SMEP/SMAP/NX/FPU enablement, thread switching and
 * the C side of every interrupt, exception and fault.
 */
#include "base/assert.h"
#include "base/string.h"
#include "bootinfo.h"
#include "hal/hal.h"
#include "kernel/lockstat.h"
#include "x86.h"

#define KSTACK_PAGES 4
#define IST_PAGES 2

struct tss {
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iomap_base;
} __attribute__((packed));

struct idt_entry {
    uint16_t off_lo;
    uint16_t sel;
    uint8_t ist;
    uint8_t type;
    uint16_t off_mid;
    uint32_t off_hi;
    uint32_t zero;
} __attribute__((packed));

struct desc_ptr {
    uint16_t limit;
    uint64_t base;
} __attribute__((packed));

struct cpu_arch {
    uint64_t gdt[7];
    struct tss tss;
};

bool cpu_has_smap;
bool cpu_has_nx;

static struct cpu cpus[MAX_CPUS];
static struct cpu_arch cpu_arch[MAX_CPUS];
static uint32_t cpus_online = 1;
static volatile uint64_t kernel_ticks; /* the boot CPU's timer ticks */
static struct idt_entry idt[256] __attribute__((aligned(16)));
static uint8_t fpu_initial[512] __attribute__((aligned(16)));

extern const uint64_t isr_table[64];
extern const uint64_t isr_spurious;
extern char copy_user_insn[], copy_user_fixup[];
void syscall_entry(void);

/*
 * Waits until l looks free and no other CPU is starving for it, serving
 * TLB shootdowns; counts the iterations in *spins and marks this CPU
 * starving after LOCK_STARVE_SPINS of them (if no other CPU is).
 */
static void spin_wait_while(struct spinlock *l, uint32_t self, uint64_t *spins)
{
    for (;;) {
        uint32_t starving = __atomic_load_n(&l->starving, __ATOMIC_RELAXED);
        bool mine = starving == 0 || starving == self;
        if (mine && __atomic_load_n(&l->locked, __ATOMIC_RELAXED) == 0) {
            return;
        }
        tlb_service();
        __asm__ volatile("pause");
        ++*spins;
        if (*spins == LOCK_STARVE_SPINS) {
            uint32_t none = 0;
            __atomic_compare_exchange_n(&l->starving, &none, self, false, __ATOMIC_RELAXED,
                                        __ATOMIC_RELAXED);
        }
    }
}

/*
 * spin_lock's slow path: waits until it takes l (unless taken already), then
 * until no CPU holds it shared, clears this CPU's starving mark and counts
 * the wait.  Then as spin_lock.
 */
static __attribute__((noinline)) void spin_lock_wait(struct spinlock *l, uint32_t self, bool taken)
{
    uint64_t spins = 1;
    while (!taken) {
        spin_wait_while(l, self, &spins);
        taken = __atomic_exchange_n(&l->locked, 1, __ATOMIC_SEQ_CST) == 0;
    }
    while (__atomic_load_n(&l->shared, __ATOMIC_SEQ_CST) != 0) {
        tlb_service(); /* shared holders finish without waiting for anything */
        __asm__ volatile("pause");
        spins++;
    }
    if (__atomic_load_n(&l->starving, __ATOMIC_RELAXED) == self) {
        __atomic_store_n(&l->starving, 0, __ATOMIC_RELAXED);
    }
    l->acquired++;
    l->last_waited = true;
    l->contended++;
    l->spins += spins;
    l->owner_cpu = self;
    l->held_since = rdtsc();
}

static __attribute__((noinline, noreturn)) void spin_lock_twice(uint32_t self, void *from)
{
    zpanic("spinlock taken twice by cpu %u from %p", self - 1, from);
}

/*
 * Spins until l is free, then holds it.  Interrupts must be disabled.
 * Test-and-test-and-set: waiters only read until the lock looks free, and
 * whichever waiter runs takes it, except that a waiter that has spun
 * LOCK_STARVE_SPINS times marks itself starving and every other CPU lets it
 * go first: a CPU that releases the lock and re-enters at once cannot keep
 * winning it.  (A ticket lock, tried first, collapsed when virtual CPUs
 * outnumber host cores: every hand-over waits for one particular, possibly
 * preempted, waiter; here only the starving one is waited for.)  While
 * waiting, serves TLB shootdown requests: the holder may be waiting for
 * this CPU to flush (tlb_service, smp.c).  Having taken it, waits until
 * no CPU holds it shared (spin_share, kernel.h).  The uncontended path has
 * no stack frame: everything about waiting is in spin_lock_wait.
 */
void spin_lock(struct spinlock *l)
{
    uint32_t self = cpu_self()->id + 1;
    if (l->owner_cpu == self) {
        spin_lock_twice(self, __builtin_return_address(0));
    }
    if (__atomic_load_n(&l->starving, __ATOMIC_RELAXED) != 0 ||
        __atomic_exchange_n(&l->locked, 1, __ATOMIC_SEQ_CST) != 0) {
        spin_lock_wait(l, self, false);
        return;
    }
    if (__atomic_load_n(&l->shared, __ATOMIC_SEQ_CST) != 0) {
        spin_lock_wait(l, self, true);
        return;
    }
    l->acquired++;
    l->last_waited = false;
    l->owner_cpu = self;
    l->held_since = rdtsc();
}

/* A hold of l longer than any before: kept, for the kernel lock with its site. */
static __attribute__((noinline)) void spin_record_hold(struct spinlock *l, uint64_t held)
{
    l->max_hold = held;
    l->max_site = l->site;
    if (l == &kernel_lock) {
        lock_hold(held);
    }
}

/* Releases l (held by the caller), keeping its longest hold. */
void spin_unlock(struct spinlock *l)
{
    uint64_t held = rdtsc() - l->held_since;
    if (held > l->max_hold) {
        spin_record_hold(l, held);
    }
    l->owner_cpu = 0;
    __atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

struct cpu *arch_cpu_by_id(uint32_t id)
{
    return &cpus[id];
}

uint32_t arch_cpu_count(void)
{
    return __atomic_load_n(&cpus_online, __ATOMIC_ACQUIRE);
}

/* Counts CPU id as online (the AP start-up sequence, one CPU at a time). */
void cpu_set_online(uint32_t id)
{
    __atomic_store_n(&cpus_online, id + 1, __ATOMIC_RELEASE);
}

/* The calling CPU's state, from the GS base (valid in kernel mode only). */
struct cpu *arch_cpu(void)
{
    return cpu_self();
}

/* Installs handler for vec as a DPL 0 interrupt gate on IST stack ist (0: none). */
static void idt_set(int vec, uint64_t handler, uint8_t ist)
{
    struct idt_entry *e = &idt[vec];
    e->off_lo = (uint16_t)handler;
    e->sel = KERNEL_CS;
    e->ist = ist;
    e->type = 0x8e; /* present, DPL 0, interrupt gate */
    e->off_mid = (uint16_t)(handler >> 16);
    e->off_hi = (uint32_t)(handler >> 32);
    e->zero = 0;
}

/* Builds a CPU's GDT (kernel and user segments, its TSS), loads it and the TSS. */
static void gdt_load(struct cpu_arch *a)
{
    a->gdt[0] = 0;
    a->gdt[1] = 0x00af9a000000ffffull; /* kernel code */
    a->gdt[2] = 0x00cf92000000ffffull; /* kernel data */
    a->gdt[3] = 0x00cff2000000ffffull; /* user data */
    a->gdt[4] = 0x00affa000000ffffull; /* user code */
    uint64_t base = (uint64_t)(uintptr_t)&a->tss;
    uint64_t limit = sizeof(a->tss) - 1;
    a->gdt[5] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ull << 40) |
                (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
    a->gdt[6] = base >> 32;
    struct desc_ptr p = {sizeof(a->gdt) - 1, (uint64_t)(uintptr_t)a->gdt};
    __asm__ volatile("lgdt %0\n\t"
                     "mov %1, %%ds\n\t"
                     "mov %1, %%es\n\t"
                     "mov %1, %%ss\n\t"
                     "pushq %2\n\t"
                     "leaq 1f(%%rip), %%rax\n\t"
                     "pushq %%rax\n\t"
                     "lretq\n"
                     "1:\n\t"
                     "ltr %w3"
                     :
                     : "m"(p), "r"((uint64_t)KERNEL_DS), "i"(KERNEL_CS), "r"(TSS_SEL)
                     : "rax", "memory");
}

/*
 * Turns on SSE state saving, SMEP, SMAP, UMIP and global pages where present,
 * and records the initial FPU state that new threads start from.
 */
static void features_enable(bool boot_cpu)
{
    uint32_t r[4];
    cpuid(7, 0, r);
    uint64_t cr4 = read_cr4();
    cr4 |= (1u << 9) | (1u << 10); /* OSFXSR, OSXMMEXCPT */
    if (r[1] & (1u << 7)) {
        cr4 |= 1u << 20; /* SMEP */
    }
    if (r[1] & (1u << 20)) {
        cr4 |= 1u << 21; /* SMAP */
        cpu_has_smap = true;
    }
    if (r[2] & (1u << 2)) {
        cr4 |= 1u << 11; /* UMIP */
    }
    cr4 |= 1u << 7; /* PGE */
    write_cr4(cr4);
    uint64_t cr0 = read_cr0();
    cr0 &= ~(1ull << 2);              /* EM */
    cr0 |= (1ull << 1) | (1ull << 5); /* MP, NE */
    write_cr0(cr0);
    __asm__ volatile("fninit");
    uint32_t mxcsr = 0x1f80;
    __asm__ volatile("ldmxcsr %0" : : "m"(mxcsr));
    if (boot_cpu) {
        __asm__ volatile("fxsave %0" : "=m"(fpu_initial));
    }
}

/* Detects NX before paging is rebuilt (the boot stub enabled it if present). */
static void nx_detect(void)
{
    uint32_t r[4];
    cpuid(0x80000001u, 0, r);
    cpu_has_nx = (r[3] & (1u << 20)) != 0;
}

/* Enables syscall/sysret: kernel CS 0x08, user base 0x10 (CS 0x23, SS 0x1b). */
static void syscall_init(void)
{
    wrmsr(MSR_EFER, rdmsr(MSR_EFER) | 1); /* SCE */
    wrmsr(MSR_STAR, ((uint64_t)0x10 << 48) | ((uint64_t)KERNEL_CS << 32));
    wrmsr(MSR_LSTAR, (uint64_t)(uintptr_t)syscall_entry);
    wrmsr(MSR_FMASK, 0x47700); /* IF, TF, DF, NT, AC cleared on entry */
}

/*
 * Gives CPU id its per-CPU data and stacks (kernel stack, IST1 for double
 * faults, IST2 for NMI and machine checks, each above a guard page).
 * Returns the kernel stack top.  Boot CPU, before CPU id starts.
 */
uint64_t cpu_prepare(uint32_t id)
{
    struct cpu *c = &cpus[id];
    struct cpu_arch *a = &cpu_arch[id];
    c->self = c;
    c->id = id;
    c->kstack_top = mmu_alloc_stack(KSTACK_PAGES);
    a->tss.ist[0] = mmu_alloc_stack(IST_PAGES);
    a->tss.ist[1] = mmu_alloc_stack(IST_PAGES);
    a->tss.rsp[0] = c->kstack_top;
    a->tss.iomap_base = sizeof(struct tss);
    return c->kstack_top;
}

/*
 * Loads the calling CPU's descriptor tables (its own GDT and TSS, the
 * shared IDT, which never changes after boot), GS base, syscall MSRs and
 * features.
 */
static void cpu_load(struct cpu *c, bool boot_cpu)
{
    gdt_load(&cpu_arch[c->id]);
    struct desc_ptr p = {sizeof(idt) - 1, (uint64_t)(uintptr_t)idt};
    __asm__ volatile("lidt %0" : : "m"(p));
    wrmsr(MSR_GS_BASE, (uint64_t)(uintptr_t)c);
    wrmsr(MSR_KERNEL_GS_BASE, 0);
    syscall_init();
    features_enable(boot_cpu);
}

/* Sets up the boot CPU: descriptor tables, stacks, GS, syscalls, features. */
void cpu_init_bsp(void)
{
    cpu_prepare(0);
    for (int v = 0; v < 64; v++) {
        idt_set(v, isr_table[v], 0);
    }
    idt_set(8, isr_table[8], 1);
    idt_set(2, isr_table[2], 2);
    idt_set(18, isr_table[18], 2);
    idt_set(VEC_SPURIOUS, isr_spurious, 0);
    idt_set(0xf7, isr_spurious, 0); /* spurious IRQ 7 of the remapped, masked PIC */
    cpu_load(&cpus[0], true);
}

/*
 * C entry of an application processor (from the trampoline, on its kernel
 * stack): kernel page tables, descriptor tables, LAPIC and timer; reports
 * itself online and enters the scheduler's idle loop.
 */
_Noreturn void ap_entry(struct cpu *c);

_Noreturn void ap_entry(struct cpu *c)
{
    write_cr3(mmu_kernel_pml4());
    cpu_load(c, false);
    apic_init_ap();
    cpu_set_online(c->id);
    kernel_cpu_start();
}

/*
 * Points interrupt entry (TSS.rsp0) and syscall entry at the end of the
 * frame of the thread about to run on c.
 */
static inline void kernel_stack_set(struct cpu *c, uint64_t frame_end)
{
    c->frame_end = frame_end;
    cpu_arch[c->id].tss.rsp[0] = frame_end;
}

/* Takes t off CPU c: its FPU state goes back into the thread. */
static inline void switch_out(struct cpu *c, struct thread *t)
{
    if (t->state != TS_FREE) {
        __asm__ volatile("fxsave %0" : "=m"(t->fpu));
    }
    t->on_cpu = false;
    if (c->current == t) {
        c->current = NULL;
    }
}

/*
 * Makes next the current thread of this CPU: saves prev's FPU state, loads
 * next's, and its frame as the entry stack.  The caller (sched_switch) has
 * already set both threads' states and loaded next's address space.
 */
void arch_switch_to(struct thread *prev, struct thread *next)
{
    struct cpu *c = cpu_self();
    if (prev == next) {
        return; /* its FPU state is still in the registers */
    }
    if (prev != NULL) {
        switch_out(c, prev);
    }
    __asm__ volatile("fxrstor %0" : : "m"(next->fpu));
    c->current = next;
    next->on_cpu = true;
    next->cpu = c->id;
    kernel_stack_set(c, (uint64_t)(uintptr_t)(&next->frame + 1));
}

/*
 * Takes t (the current thread) off this CPU: its FPU state goes back into
 * the thread, so that any CPU may run it next.
 */
void arch_switch_out(struct thread *t)
{
    switch_out(cpu_self(), t);
}

/* Sets up t to enter user mode at entry with stack and arg (in rdi). */
void arch_thread_init(struct thread *t, uint64_t entry, uint64_t stack, uint64_t arg)
{
    memset(&t->frame, 0, sizeof(t->frame));
    t->frame.rip = entry;
    t->frame.rsp = stack;
    t->frame.rdi = arg;
    t->frame.cs = USER_CS;
    t->frame.ss = USER_DS;
    t->frame.rflags = 0x202;
    t->frame.kind = FRAME_INTERRUPT;
    memcpy(t->fpu, fpu_initial, sizeof(t->fpu));
}

uint64_t arch_cycles(void)
{
    return rdtsc();
}

uint64_t arch_time_ticks(void)
{
    return kernel_ticks;
}

/* Asks CPU c to reschedule (it sets need_resched itself on VEC_RESCHED). */
void arch_resched_ipi(const struct cpu *c)
{
    if (c != arch_cpu()) {
        apic_send_ipi(c->apic_id, VEC_RESCHED);
    }
}

/* ---- traps ----------------------------------------------------------------- */

static const char *const exc_names[32] = {
    "divide error",
    "debug",
    "NMI",
    "breakpoint",
    "overflow",
    "bound range",
    "invalid opcode",
    "device not available",
    "double fault",
    "coprocessor overrun",
    "invalid TSS",
    "segment not present",
    "stack fault",
    "general protection",
    "page fault",
    "reserved",
    "x87 error",
    "alignment check",
    "machine check",
    "SIMD error",
    "virtualization",
    "control protection",
    "reserved",
    "reserved",
    "reserved",
    "reserved",
    "reserved",
    "reserved",
    "hypervisor injection",
    "VMM communication",
    "security",
    "reserved",
};

const char *arch_exception_name(uint64_t vector)
{
    return vector < 32 ? exc_names[vector] : "interrupt";
}

/* Prints everything known about a kernel fault and stops the machine. */
static _Noreturn void kernel_fault(const struct trap_frame *f)
{
    kprintf("\nKERNEL FAULT: %s (vector %llu) error 0x%llx\n", arch_exception_name(f->vector),
            (unsigned long long)f->vector, (unsigned long long)f->error);
    kprintf("  rip %016llx cs %llx rflags %llx rsp %016llx cr2 %016llx cr3 %llx\n",
            (unsigned long long)f->rip, (unsigned long long)f->cs, (unsigned long long)f->rflags,
            (unsigned long long)f->rsp, (unsigned long long)read_cr2(),
            (unsigned long long)read_cr3());
    kprintf("  rax %016llx rbx %016llx rcx %016llx rdx %016llx\n", (unsigned long long)f->rax,
            (unsigned long long)f->rbx, (unsigned long long)f->rcx, (unsigned long long)f->rdx);
    kprintf("  rsi %016llx rdi %016llx rbp %016llx r8  %016llx\n", (unsigned long long)f->rsi,
            (unsigned long long)f->rdi, (unsigned long long)f->rbp, (unsigned long long)f->r8);
    kprintf("  r9  %016llx r10 %016llx r11 %016llx r12 %016llx\n", (unsigned long long)f->r9,
            (unsigned long long)f->r10, (unsigned long long)f->r11, (unsigned long long)f->r12);
    kprintf("  r13 %016llx r14 %016llx r15 %016llx\n", (unsigned long long)f->r13,
            (unsigned long long)f->r14, (unsigned long long)f->r15);
    hal_panic("kernel fault");
}

/*
 * An interrupt (vector >= 32): acknowledged (a device IRQ masked first, its
 * driver unmasks it) and handed to the kernel's entry points.
 */
static void handle_irq(uint64_t vector)
{
    if (vector == VEC_TIMER) {
        apic_eoi();
        if (arch_cpu()->id == 0) {
            /* Ticks missed while interrupts were off are caught up by the TSC. */
            uint64_t by_tsc = apic_ticks_by_tsc();
            kernel_ticks = by_tsc > kernel_ticks ? by_tsc : kernel_ticks + 1;
        }
        kernel_tick();
    } else if (vector == VEC_RESCHED) {
        apic_eoi();
        kernel_resched();
    } else if (vector >= VEC_IRQ0 && vector < VEC_IRQ0 + MAX_IRQS) {
        arch_irq_mask((uint32_t)(vector - VEC_IRQ0));
        apic_eoi();
        kernel_irq((uint32_t)(vector - VEC_IRQ0));
    }
}

/*
 * Trap from kernel mode: the user-copy fault fixup, a TLB shootdown or an
 * interrupt in the idle loop, or a bug.
 */
void trap_from_kernel(struct trap_frame *f)
{
    if (f->vector == 14 && f->rip == (uint64_t)(uintptr_t)copy_user_insn) {
        f->rip = (uint64_t)(uintptr_t)copy_user_fixup;
        return;
    }
    if (f->vector == VEC_TLB) {
        tlb_service();
        apic_eoi();
        return;
    }
    if (f->vector >= 32) {
        handle_irq(f->vector);
        return;
    }
    kernel_fault(f);
}

/*
 * Trap from user mode: f is the current thread's frame.  A TLB shootdown
 * is served without the kernel lock (its sender holds it); NMI, double
 * fault and machine check stop the machine; other exceptions end the
 * faulting process (kernel_trap).
 */
void trap_from_user(struct trap_frame *f)
{
    if (f->vector == VEC_TLB) {
        tlb_service();
        apic_eoi();
        return;
    }
    if (f->vector == 2 || f->vector == 8 || f->vector == 18) {
        kernel_fault(f);
    }
    if (f->vector < 32) {
        kernel_trap(f->vector, f->vector == 14 ? read_cr2() : f->rip, f->error);
    }
    handle_irq(f->vector);
}

/* Waits for an interrupt with interrupts enabled (the idle loop, kernel_idle). */
void arch_wait_for_interrupt(void)
{
    __asm__ volatile("sti; hlt; cli" ::: "memory");
}

/* C entry from boot.S, on the boot stack, with the boot page tables. */
_Noreturn void arch_boot(uint32_t magic, uint32_t info_pa);

_Noreturn void arch_boot(uint32_t magic, uint32_t info_pa)
{
    uint64_t entered = rdtsc(); /* firmware and loader time, for bench/boot.sh */
    serial_init();
    kprintf("Zero OS %s x86_64 kernel (entered at tsc %llu)\n", ZERO_VERSION,
            (unsigned long long)entered);
    nx_detect();
    mmu_init();
    bootinfo_parse(magic, info_pa);
    kprintf("boot: %s, %llu MiB RAM, %u modules, cmdline \"%s\"\n", boot_info.loader,
            (unsigned long long)(boot_info.mem_top >> 20), boot_info.nmodules, boot_info.cmdline);
    for (uint32_t i = 0; i < boot_info.nmodules; i++) {
        kprintf("boot: module %u: %s (%llu bytes)\n", i, boot_info.modules[i].name,
                (unsigned long long)(boot_info.modules[i].end - boot_info.modules[i].start));
    }
    frames_init();
    cpu_init_bsp();
    kprintf("cpu: nx %d smap %d, %llu free frames\n", cpu_has_nx, cpu_has_smap,
            (unsigned long long)frame_free_count());
    acpi_init();
    apic_init();
    smp_start_aps();
    /* Leave the boot stack for this CPU's kernel stack (guard page below). */
    __asm__ volatile("mov %0, %%rsp\n\t"
                     "call kernel_main" ::"r"(arch_cpu()->kstack_top)
                     : "memory");
    __builtin_unreachable();
}
