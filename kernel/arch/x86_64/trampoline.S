/*
 * Application processor start-up code.  smp_start_aps (kernel/arch/x86_64/smp.c)
 * copies the bytes between ap_trampoline and ap_trampoline_end to physical
 * AP_TRAMPOLINE_PA (0x8000) and fills the parameter block at its end; the
 * startup IPI (vector 0x08) starts the AP there in real mode, CS 0x0800.
 *
 * The AP goes from real mode straight to long mode (PE and PG together):
 * PAE, the parameter block's page tables (identity map of the first 2 MiB
 * plus the kernel half), EFER.LME/NXE, then a far jump into 64-bit code,
 * which loads the AP's kernel stack and jumps to ap_entry(cpu) in the
 * higher half.  ap_entry then moves to the kernel's own page tables.
 */
#define AP_TRAMPOLINE_PA 0x8000
#define REL(x) ((x) - ap_trampoline)
#define ABS(x) (AP_TRAMPOLINE_PA + (x) - ap_trampoline)

    .section .rodata
    .align 16
    .global ap_trampoline, ap_trampoline_end, ap_trampoline_params
    .code16
ap_trampoline:
    cli
    cld
    mov %cs, %ax
    mov %ax, %ds
    lgdtl REL(tr_gdt_ptr)
    mov %cr4, %eax
    or $(1 << 5), %eax /* PAE */
    mov %eax, %cr4
    movl REL(tr_cr3), %eax
    mov %eax, %cr3
    mov $0xC0000080, %ecx /* EFER */
    rdmsr
    orl REL(tr_efer), %eax /* LME, and NXE when the CPU has it */
    wrmsr
    mov %cr0, %eax
    or $0x80010001, %eax /* PG, WP, PE */
    mov %eax, %cr0
    ljmpl $0x08, $ABS(tr_long)

    .code64
tr_long:
    mov $0x10, %eax
    mov %eax, %ds
    mov %eax, %es
    mov %eax, %ss
    xor %eax, %eax
    mov %eax, %fs
    mov %eax, %gs
    mov ABS(tr_stack), %rsp
    mov ABS(tr_cpu), %rdi
    mov ABS(tr_entry), %rax
    call *%rax
1:  cli
    hlt
    jmp 1b

    .align 8
tr_gdt:
    .quad 0
    .quad 0x00af9a000000ffff /* 64-bit code */
    .quad 0x00cf92000000ffff /* data */
tr_gdt_ptr:
    .short tr_gdt_ptr - tr_gdt - 1
    .long ABS(tr_gdt)

    .align 8
ap_trampoline_params: /* struct ap_params (smp.c) */
tr_cr3:
    .quad 0
tr_efer:
    .quad 0
tr_stack:
    .quad 0
tr_cpu:
    .quad 0
tr_entry:
    .quad 0
ap_trampoline_end:

    .section .note.GNU-stack, "", @progbits
