/*
 * Kernel entry and exit: interrupt and exception stubs, the syscall entry,
 * the return to user mode, and the fault-recovering user copy.
 *
 * From user mode the CPU (TSS.rsp0) and the syscall entry push the user
 * state straight into the current thread's struct trap_frame (kernel.h);
 * the C handlers then run on the per-CPU kernel stack.  Returning to user
 * mode restores whichever thread is current by then, with sysret when its
 * frame came from a syscall and iretq otherwise.
 *
 * Per-CPU fields (GS base, struct cpu): 8 kernel stack top, 16 user rsp
 * scratch, 24 end of the current thread's frame.
 */
#define FRAME_SIZE 192
#define FRAME_CS 160
#define USER_CS 0x23
#define USER_DS 0x1b

.macro PUSH_GPRS
    push %rax
    push %rbx
    push %rcx
    push %rdx
    push %rsi
    push %rdi
    push %rbp
    push %r8
    push %r9
    push %r10
    push %r11
    push %r12
    push %r13
    push %r14
    push %r15
.endm

.macro POP_GPRS
    pop %r15
    pop %r14
    pop %r13
    pop %r12
    pop %r11
    pop %r10
    pop %r9
    pop %r8
    pop %rbp
    pop %rdi
    pop %rsi
    pop %rdx
    pop %rcx
    pop %rbx
    pop %rax
.endm

    .text

.macro ISR_NOERR vec
    .align 16
isr_\vec:
    pushq $0
    pushq $\vec
    jmp isr_common
.endm

.macro ISR_ERR vec
    .align 16
isr_\vec:
    pushq $\vec
    jmp isr_common
.endm

isr_common:
    pushq $0 /* kind: interrupt */
    pushq $0 /* pad */
    PUSH_GPRS
    testb $3, FRAME_CS(%rsp)
    jz 1f
    swapgs
    mov %rsp, %rdi
    mov %gs:8, %rsp
    pushq $2
    popfq /* clear AC (SMAP on) and DF */
    call trap_from_user
    jmp arch_return_to_user
1:  cld
    mov %rsp, %rdi
    call trap_from_kernel
    POP_GPRS
    add $32, %rsp
    iretq

    .global arch_return_to_user
arch_return_to_user:
    mov %gs:24, %rsp
    sub $FRAME_SIZE, %rsp
    POP_GPRS
    add $8, %rsp /* pad */
    cmpq $1, (%rsp)
    je 2f
    add $24, %rsp /* kind, vector, error */
    swapgs
    iretq
2:  mov 24(%rsp), %rcx /* rip */
    mov 40(%rsp), %r11 /* rflags */
    mov 48(%rsp), %rsp /* user rsp */
    swapgs
    sysretq

    .global syscall_entry
syscall_entry:
    swapgs
    mov %rsp, %gs:16
    mov %gs:24, %rsp
    pushq $USER_DS
    pushq %gs:16
    push %r11
    pushq $USER_CS
    push %rcx
    pushq $0 /* error */
    pushq $0 /* vector */
    pushq $1 /* kind: syscall */
    pushq $0 /* pad */
    PUSH_GPRS
    mov %rsp, %rdi
    mov %gs:8, %rsp
    call kernel_syscall
    jmp arch_return_to_user

/*
 * int arch_copy_user(void *dst, const void *src, size_t n): the one place
 * that touches user memory.  A fault at copy_user_insn resumes at
 * copy_user_fixup (see trap_from_kernel) and returns ZERR_FAULT (-14).
 */
    .global arch_copy_user, copy_user_insn, copy_user_fixup
arch_copy_user:
    mov %rdx, %rcx
copy_user_insn:
    rep movsb
    xor %eax, %eax
    ret
copy_user_fixup:
    mov $-14, %eax
    ret

/* Vector stubs and their table (read by cpu.c to build the IDT). */
ISR_NOERR 0
ISR_NOERR 1
ISR_NOERR 2
ISR_NOERR 3
ISR_NOERR 4
ISR_NOERR 5
ISR_NOERR 6
ISR_NOERR 7
ISR_ERR 8
ISR_NOERR 9
ISR_ERR 10
ISR_ERR 11
ISR_ERR 12
ISR_ERR 13
ISR_ERR 14
ISR_NOERR 15
ISR_NOERR 16
ISR_ERR 17
ISR_NOERR 18
ISR_NOERR 19
ISR_NOERR 20
ISR_ERR 21
ISR_NOERR 22
ISR_NOERR 23
ISR_NOERR 24
ISR_NOERR 25
ISR_NOERR 26
ISR_NOERR 27
ISR_NOERR 28
ISR_ERR 29
ISR_ERR 30
ISR_NOERR 31
.irp v, 32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63
ISR_NOERR \v
.endr
ISR_NOERR 255

    .section .rodata
    .align 8
    .global isr_table
isr_table:
.irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    .quad isr_\v
.endr
.irp v, 32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63
    .quad isr_\v
.endr
    .global isr_spurious
isr_spurious:
    .quad isr_255

    .section .note.GNU-stack, "", @progbits
