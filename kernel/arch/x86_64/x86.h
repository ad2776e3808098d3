/* x86_64 instructions and constants used by the architecture layer. */
#ifndef ZERO_HAL_X86_64_X86_H
#define ZERO_HAL_X86_64_X86_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/kernel.h"

#define KERNEL_PHYS 0x200000ull /* where the kernel image is loaded */
#define DIRECT_MAP_GIB 4        /* physical memory the direct map covers (PHYS_MAP) */

#define MSR_EFER 0xC0000080u
#define MSR_STAR 0xC0000081u
#define MSR_LSTAR 0xC0000082u
#define MSR_FMASK 0xC0000084u
#define MSR_GS_BASE 0xC0000101u
#define MSR_KERNEL_GS_BASE 0xC0000102u
#define MSR_APIC_BASE 0x1Bu

#define KERNEL_CS 0x08
#define KERNEL_DS 0x10
#define USER_DS 0x1b
#define USER_CS 0x23
#define TSS_SEL 0x28

#define PTE_P (1ull << 0)
#define PTE_W (1ull << 1)
#define PTE_U (1ull << 2)
#define PTE_PWT (1ull << 3)
#define PTE_PCD (1ull << 4)
#define PTE_PS (1ull << 7)
#define PTE_G (1ull << 8)
#define PTE_NX (1ull << 63)
#define PTE_OWNED (1ull << 9) /* available to software: mapped by SYS_MEM_MAP */
#define PTE_EXEC (1ull << 10) /* available to software: mapped with MAP_EXEC (NX or not) */
#define PTE_ADDR 0x000ffffffffff000ull

#define VEC_TIMER 32
#define VEC_IRQ0 33
#define VEC_RESCHED 58 /* IPI: enter the scheduler */
#define VEC_TLB 59     /* IPI: TLB shootdown (served without the kernel lock) */
#define VEC_SPURIOUS 255

static inline void outb(uint16_t port, uint8_t v)
{
    __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
    uint8_t v;
    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static inline uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo;
    uint32_t hi;
    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
    __asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

static inline void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
    __asm__ volatile("cpuid"
                     : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
                     : "a"(leaf), "c"(sub));
}

static inline uint64_t read_cr2(void)
{
    uint64_t v;
    __asm__ volatile("mov %%cr2, %0" : "=r"(v));
    return v;
}

static inline uint64_t read_cr3(void)
{
    uint64_t v;
    __asm__ volatile("mov %%cr3, %0" : "=r"(v));
    return v;
}

static inline void write_cr3(uint64_t v)
{
    __asm__ volatile("mov %0, %%cr3" : : "r"(v) : "memory");
}

static inline uint64_t read_cr0(void)
{
    uint64_t v;
    __asm__ volatile("mov %%cr0, %0" : "=r"(v));
    return v;
}

static inline void write_cr0(uint64_t v)
{
    __asm__ volatile("mov %0, %%cr0" : : "r"(v));
}

static inline uint64_t read_cr4(void)
{
    uint64_t v;
    __asm__ volatile("mov %%cr4, %0" : "=r"(v));
    return v;
}

static inline void write_cr4(uint64_t v)
{
    __asm__ volatile("mov %0, %%cr4" : : "r"(v));
}

static inline uint64_t rdtsc(void)
{
    uint32_t lo;
    uint32_t hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

/* The calling CPU's state, from the GS base (arch_cpu, inline for the arch layer's hot paths). */
static inline struct cpu *cpu_self(void)
{
    struct cpu *c;
    __asm__ volatile("mov %%gs:0, %0" : "=r"(c));
    return c;
}

static inline void invlpg(uint64_t va)
{
    __asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

/* Set by cpu_init: SMAP is on, so user copies bracket with stac/clac. */
extern bool cpu_has_smap;
extern bool cpu_has_nx;

/* serial.c */
void serial_init(void);
void serial_write(const char *s, size_t n);

/* cpu.c */
void cpu_init_bsp(void);
uint64_t cpu_prepare(uint32_t id);
void cpu_set_online(uint32_t id);

/* smp.c */
void smp_start_aps(void);
void tlb_service(void);
void tlb_shootdown(const struct aspace *as, uint64_t va);

/* mmu.c */
void mmu_init(void);
void frames_init(void);
uint64_t mmu_kernel_pml4(void);
uint64_t mmu_alloc_stack(uint32_t pages); /* returns top; a guard page lies below */
uint64_t mmu_trampoline_tables(void);     /* identity 0-2 MiB plus the kernel half */
void mmu_trampoline_tables_free(uint64_t pml4);

/* apic.c */
void acpi_init(void);
void apic_init(void);
void apic_eoi(void);
/* Scheduler ticks since the boot CPU's timer started, by the time stamp counter (0: not
 * calibrated). */
uint64_t apic_ticks_by_tsc(void);
uint32_t apic_id(void);
uint32_t acpi_cpu_count(void);
uint32_t acpi_cpu_apic_id(uint32_t i);
void apic_init_ap(void);
void apic_send_ipi(uint32_t dest, uint32_t icr_lo);
void pit_delay_us(uint32_t us);

/* bootinfo.c */
void bootinfo_parse(uint32_t magic, uint64_t info_pa);
#endif
