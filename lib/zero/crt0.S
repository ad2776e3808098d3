/*
 * User program start: the kernel enters _start with the spawn argument in
 * rdi and the stack top in rsp.  Calls zero_main(arg) and exits with its
 * result.
 */
    .section .text.start, "ax"
    .global _start
_start:
    and $-16, %rsp
    xor %ebp, %ebp
    call zero_main
    mov %eax, %edi
    mov $2, %eax /* SYS_EXIT */
    syscall
    ud2

    .section .note.GNU-stack, "", @progbits
