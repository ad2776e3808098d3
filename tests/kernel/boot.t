#!/usr/bin/env bash
# Boot tests: direct -kernel (Multiboot 1) with and without modules, console
# input, the kernel's fault self tests, and the GRUB ISO (Multiboot 2, init
# is Zero OS's node, which needs RDRAND: -cpu max) under BIOS and UEFI (OVMF).
source "$(dirname "$0")/../lib/qemu.sh"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
PROMPT='type a line'
# typed CMD: the terminal echoed CMD, after its prompt or, when another
# process printed a line after the prompt, at the start of a line.
typed() { tr -d '\r\0' <"$log" | grep -E "^(zero> )?$1\$" >/dev/null; }

qemu_run "$log" 20 -kernel "$KERNEL"
head -1 "$log" | grep 'Zero OS' >/dev/null
tap_check $? "kernel_first_line_names_zero_os"
grep -q 'acpi: rsdp at' "$log"
tap_check $? "multiboot1_boot_finds_acpi_rsdp"
[ "$QEMU_STATUS" = 1 ] && grep -q 'no boot modules' "$log"
tap_check $? "kernel_without_modules_stops_cleanly"

qemu_run "$log" 20 -kernel "$KERNEL" -initrd build/x86_64/bin/hello
grep -q 'hello from user space' "$log" && [ "$QEMU_STATUS" = 1 ]
tap_check $? "multiboot1_runs_hello_in_user_space"

qemu_run_input "$log" 30 "$PROMPT" 'hello zero\rquit\r' -kernel "$KERNEL" \
    -initrd build/x86_64/bin/echo
grep -q 'echo: hello zero (10 bytes)' "$log" && grep -q 'echo: bye' "$log" && [ "$QEMU_STATUS" = 1 ]
tap_check $? "console_input_reaches_user_space_through_irq_notification"

qemu_run "$log" 120 -kernel "$KERNEL" -initrd build/x86_64/bin/usertests
grep -q 'smap 0' "$log" && ! grep -q '^not ok' "$log" && [ "$QEMU_STATUS" = 1 ]
tap_check $? "usertests_pass_on_a_cpu_without_smep_and_smap"

qemu_run "$log" 20 -kernel "$KERNEL" -append test=kernel-fault
grep -q 'KERNEL FAULT: page fault' "$log" && grep -q 'cr2 000000000dead000' "$log" &&
    [ "$QEMU_STATUS" = 7 ]
tap_check $? "kernel_fault_prints_diagnostic_and_halts"

qemu_run "$log" 20 -kernel "$KERNEL" -append test=stack-overflow
grep -q 'KERNEL FAULT: double fault' "$log" && [ "$QEMU_STATUS" = 7 ]
tap_check $? "kernel_stack_overflow_hits_guard_page_and_is_reported"

qemu_run_input "$log" 90 'zero> ' 'exit\r' -cpu max -cdrom build/zero.iso
grep -q 'Zero OS [0-9.]* x86_64 kernel' "$log" && grep -q 'boot: multiboot2' "$log" &&
    typed exit && [ "$QEMU_STATUS" = 1 ]
r=$?
tap_check $r "grub_iso_boots_under_bios (qemu status $QEMU_STATUS)"
[ "$r" = 0 ] || diag_log "$log"
grep -q 'acpi: rsdp at' "$log"
tap_check $? "grub_bios_passes_acpi_rsdp"

OVMF=/usr/share/OVMF/OVMF_CODE.fd
if [ -r "$OVMF" ]; then
    qemu_run_input "$log" 120 'zero> ' 'exit\r' -cpu max -bios "$OVMF" -cdrom build/zero.iso
    grep -q 'Zero OS [0-9.]* x86_64 kernel' "$log" && typed exit &&
        [ "$QEMU_STATUS" = 1 ]
    r=$?
    tap_check $r "grub_iso_boots_under_uefi (qemu status $QEMU_STATUS)"
    grep -q 'acpi: rsdp at .* rev 2' "$log"
    tap_check $? "uefi_boot_passes_acpi_2_rsdp"
    [ "$r" = 0 ] || diag_log "$log"
else
    TESTNUM=$((TESTNUM + 2))
    echo "ok $((TESTNUM - 1)) # SKIP no OVMF firmware at $OVMF"
    echo "ok $TESTNUM # SKIP no OVMF firmware at $OVMF"
fi
echo "1..$TESTNUM"
