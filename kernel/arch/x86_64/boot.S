/*
 * Boot stub: Multiboot 1 (QEMU -kernel) and Multiboot 2 (GRUB, BIOS and
 * UEFI) headers, then the 32-bit entry that enters long mode and jumps to
 * the higher-half kernel.
 *
 * Both headers use the "address" form (Multiboot 1 a.out kludge, Multiboot 2
 * address tag) so that a loader copies the flat image zero-kernel.bin to
 * KERNEL_PHYS without parsing ELF64.  Boot page tables map the first 1 GiB
 * both at 0 (identity, for this stub) and at KERNEL_VMA with 2 MiB pages;
 * arch_boot() replaces them with the final tables.
 */
#define KERNEL_VMA 0xffffffff80000000
#define MB1_MAGIC 0x1BADB002
#define MB1_FLAGS 0x00010003 /* page-aligned modules, memory info, address fields */
#define MB2_MAGIC 0xE85250D6

    .section .multiboot, "a"
    .align 4
mb1_header:
    .long MB1_MAGIC
    .long MB1_FLAGS
    .long -(MB1_MAGIC + MB1_FLAGS)
    .long mb1_header
    .long _load_start
    .long _load_end_phys
    .long _bss_end_phys
    .long _start32

    .align 8
mb2_header:
    .long MB2_MAGIC
    .long 0
    .long mb2_end - mb2_header
    .long -(MB2_MAGIC + (mb2_end - mb2_header))
    /* address tag */
    .align 8
    .short 2, 0
    .long 24
    .long mb2_header
    .long _load_start
    .long _load_end_phys
    .long _bss_end_phys
    /* entry address tag */
    .align 8
    .short 3, 0
    .long 12
    .long _start32
    /* module alignment tag: modules on page boundaries */
    .align 8
    .short 6, 0
    .long 8
    /* end tag */
    .align 8
    .short 0, 0
    .long 8
mb2_end:

    .section .boot.text, "ax"
    .code32
    .global _start32
_start32:
    cli
    cld
    mov %eax, %edi /* loader magic */
    mov %ebx, %esi /* boot information (physical) */
    mov $(boot_stack_top - KERNEL_VMA), %esp

    /* Zero the bss (boot page tables and this stack). */
    mov %edi, %edx
    mov $_bss_start_phys, %edi
    mov $_bss_end_phys, %ecx
    sub %edi, %ecx
    shr $2, %ecx
    xor %eax, %eax
    rep stosl
    mov %edx, %edi

    /* Require long mode; halt (nothing to print with yet) if absent. */
    mov $0x80000000, %eax
    cpuid
    cmp $0x80000001, %eax
    jb no_long_mode
    mov $0x80000001, %eax
    cpuid
    bt $29, %edx
    jnc no_long_mode
    mov %edx, %ebp /* bit 20: NX */

    /* PML4[0] and PML4[511] -> PDPT; PDPT[0] and PDPT[510] -> PD (1 GiB of 2 MiB pages). */
    mov $(boot_pdpt - KERNEL_VMA + 3), %eax
    mov %eax, (boot_pml4 - KERNEL_VMA)
    mov %eax, (boot_pml4 - KERNEL_VMA + 511 * 8)
    mov $(boot_pd - KERNEL_VMA + 3), %eax
    mov %eax, (boot_pdpt - KERNEL_VMA)
    mov %eax, (boot_pdpt - KERNEL_VMA + 510 * 8)
    mov $(boot_pd - KERNEL_VMA), %ebx
    mov $0x83, %eax /* present, writable, 2 MiB */
    mov $512, %ecx
1:  mov %eax, (%ebx)
    add $0x200000, %eax
    add $8, %ebx
    loop 1b

    mov %cr4, %eax
    or $(1 << 5), %eax /* PAE */
    mov %eax, %cr4
    mov $(boot_pml4 - KERNEL_VMA), %eax
    mov %eax, %cr3
    mov $0xC0000080, %ecx /* EFER */
    rdmsr
    or $(1 << 8), %eax /* LME */
    bt $20, %ebp
    jnc 2f
    or $(1 << 11), %eax /* NXE */
2:  wrmsr
    mov %cr0, %eax
    or $((1 << 31) | (1 << 16) | 1), %eax /* PG, WP, PE */
    mov %eax, %cr0
    lgdt boot_gdt_ptr
    ljmp $0x08, $long_entry

no_long_mode:
    hlt
    jmp no_long_mode

    .code64
long_entry:
    mov $0x10, %ax
    mov %ax, %ds
    mov %ax, %es
    mov %ax, %ss
    xor %eax, %eax
    mov %ax, %fs
    mov %ax, %gs
    movabs $boot_stack_top, %rsp
    mov %edi, %edi
    mov %esi, %esi
    movabs $arch_boot, %rax
    call *%rax
3:  hlt
    jmp 3b

    .section .boot.data, "a"
    .align 16
boot_gdt:
    .quad 0
    .quad 0x00af9a000000ffff /* 64-bit code */
    .quad 0x00cf92000000ffff /* data */
boot_gdt_end:
boot_gdt_ptr:
    .short boot_gdt_end - boot_gdt - 1
    .long boot_gdt

    .section .bss
    .align 4096
    .global boot_pml4
boot_pml4:
    .skip 4096
boot_pdpt:
    .skip 4096
boot_pd:
    .skip 4096
    .global boot_stack_top
boot_stack:
    .skip 16384
boot_stack_top:

    .section .note.GNU-stack, "", @progbits
