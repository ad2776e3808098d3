#!/usr/bin/env bash
# Zero OS on x86_64 as a whole: the node (services and terminal) boots on the
# kernel with its disk on virtio-blk; scripted terminal sessions over the
# serial console commit, deny, change policy and verify; the disk survives
# power-off, passes the host's zero verify, and disks move between
# zero-hosted and x86_64 both ways.  Bad disks are refused with a reason.
source "$(dirname "$0")/../lib/qemu.sh"
zero=build/bin/zero
zh=build/bin/zero-hosted
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
disk=$work/disk.img
log=$work/serial.log

has() { tr -d '\r\0' <"$log" | grep -E -- "$1" >/dev/null; }
# boot DISK-OR-NONE LINE...: boots the node on DISK, types the lines, then
# exit.  QEMU_EXTRA adds QEMU arguments.
boot() {
    local d=$1 input=''
    shift
    for l in "$@" exit; do input+="$l\\r"; done
    local drive=()
    if [ "$d" != none ]; then
        drive=(-drive "file=$d,if=none,id=d0,format=raw" -device virtio-blk-pci,drive=d0)
    fi
    # shellcheck disable=SC2086
    qemu_run_input "$log" 120 'zero> ' "$input" -cpu max -kernel "$KERNEL" \
        -initrd build/x86_64/bin/zero-node "${drive[@]}" ${QEMU_EXTRA:-}
}

truncate -s 16M "$disk"
# Each `as` commits its act_as entry first: 6 entries in all.
boot "$disk" 'id create alice' 'as alice id create bot --kind agent' \
    'policy allow kind:user id.create * if resource.kind == agent and resource.parent == proposer' \
    'as alice id create bot --kind agent' 'policy show' 'axiom verify'
has 'disk disk0 \(virtio-blk\) \(new, formatted\): 1 entries, node root'
tap_check $? "x86_64_node_formats_blank_virtio_disk"
has '^zero-node: key service in its own process'
tap_check $? "x86_64_key_service_runs_in_its_own_process"
has '^zero-node: virtio-blk driver in its own process'
tap_check $? "x86_64_disk_driver_runs_in_its_own_process"
has '^(zero> )?id create alice$' && has 'committed #1 [0-9a-f]{64}$'
tap_check $? "x86_64_terminal_commits_over_serial"
has 'denied: no rule allows alice id.create bot \(default deny\)'
tap_check $? "x86_64_policy_denies_by_default"
has 'committed #3 ' && has 'committed #5 ' && has '#2 +allow kind:user id.create'
tap_check $? "x86_64_policy_change_commits_and_allows"
has '^ok: 6 entries in 6 batches replayed from the disk; state root [0-9a-f]{64} matches'
tap_check $? "x86_64_axiom_verify_replays_the_disk"
[ "$QEMU_STATUS" = 1 ] && has 'every process has exited \(last status 0\)'
tap_check $? "x86_64_exit_powers_off_cleanly (qemu status $QEMU_STATUS)"

out=$("$zero" verify "$disk" 2>&1)
grep -q '^ok: disk .*: 6 entries in 6 batches verified' <<<"$out"
tap_check $? "host_zero_verify_accepts_x86_64_disk"

boot "$disk" 'id list' 'id create carol --kind service' 'axiom head'
has 'disk disk0 \(virtio-blk\): 6 entries, node root' && has 'alice +user +root +0 active' &&
    has 'bot +agent +alice'
tap_check $? "x86_64_disk_survives_power_off"
has 'committed #6 ' && has 'sequence +#6 \(7 entries\)'
tap_check $? "x86_64_restart_continues_sequence"

out=$(printf '%s\n' 'id list' 'id create dave' | "$zh" --disk "$disk" 2>&1)
grep -qE 'carol +service' <<<"$out" && grep -q 'committed #7 ' <<<"$out"
tap_check $? "hosted_continues_an_x86_64_disk"

hdisk=$work/hosted.img
printf '%s\n' 'id create erin' | "$zh" --disk "$hdisk" --size 8 >/dev/null 2>&1
boot "$hdisk" 'id list' 'id create frank' 'axiom verify'
has 'disk disk0 \(virtio-blk\): 2 entries' && has 'erin +user +root' && has 'committed #2 ' &&
    has '^ok: 3 entries'
tap_check $? "x86_64_boots_and_continues_a_hosted_disk"
"$zero" verify "$hdisk" >/dev/null 2>&1
tap_check $? "host_zero_verify_accepts_the_continued_disk"

head -c 1M /dev/urandom >"$work/garbage.img"
truncate -s 16M "$work/garbage.img"
qemu_run "$log" 120 -cpu max -kernel "$KERNEL" -initrd build/x86_64/bin/zero-node \
    -drive "file=$work/garbage.img,if=none,id=d0,format=raw" -device virtio-blk-pci,drive=d0
has "zero-node: cannot start on disk0 \\(virtio-blk\\): not a Zero OS disk" && [ "$QEMU_STATUS" -gt 1 ]
tap_check $? "x86_64_refuses_a_garbage_disk_with_a_reason (qemu status $QEMU_STATUS)"

boot none 'id create gina'
has 'no disk0 \(ZERR_NOENT\): running on a memory disk' && has 'committed #1 '
tap_check $? "x86_64_without_disk_runs_on_memory_and_says_so"
sdisk=$work/smp.img
truncate -s 16M "$sdisk"
cmds=()
for i in $(seq 40); do cmds+=("note n$i"); done
QEMU_EXTRA='-smp 2' boot "$sdisk" "${cmds[@]}" 'axiom verify'
seen=""
has 'cpus: 2 online' || seen+=" no 'cpus: 2 online';"
has 'committed #40 ' || seen+=" no 'committed #40';"
has '^ok: 41 entries' || seen+=" no 'ok: 41 entries';"
[ -z "$seen" ] && [ "$QEMU_STATUS" = 1 ]
r=$?
tap_check $r "x86_64_node_and_key_process_on_two_cpus (qemu status $QEMU_STATUS;${seen:- all seen})"
[ $r = 0 ] || { head -15 "$log"; echo ...; tr -d '\0' <"$log" | grep -av '^committed #\|^zero> note' | tail -20; } | sed 's/^/# /' >&2
"$zero" verify "$sdisk" >/dev/null 2>&1
tap_check $? "host_zero_verify_accepts_the_two_cpu_disk"

# Power cut: QEMU killed while commits stream in.  Every entry acknowledged
# before the cut must be there at the next boot, and the disk must verify.
cdisk=$work/cut.img
truncate -s 16M "$cdisk"
fifo=$work/cutfifo
mkfifo "$fifo"
"${QEMU_BASE[@]}" -cpu max -kernel "$KERNEL" -initrd build/x86_64/bin/zero-node \
    -drive "file=$cdisk,if=none,id=d0,format=raw" -device virtio-blk-pci,drive=d0 \
    <"$fifo" >"$log" 2>&1 &
qpid=$!
exec 5>"$fifo"
rm -f "$fifo"
for _ in $(seq 600); do grep -q 'zero> ' "$log" 2>/dev/null && break; sleep 0.1; done
for i in $(seq 400); do printf 'note cut%d\r' "$i" >&5; done
for _ in $(seq 600); do
    [ "$(grep -ac '^committed #' "$log")" -ge 20 ] && break
    sleep 0.05
done
kill -9 "$qpid" 2>/dev/null
wait "$qpid" 2>/dev/null
exec 5>&-
acked=$(grep -ac '^committed #' "$log")
boot "$cdisk" 'axiom head'
got=$(tr -d '\r\0' <"$log" | sed -n 's/^sequence *#[0-9]* (\([0-9]*\) entries).*/\1/p')
[ "$acked" -ge 20 ] && [ -n "$got" ] && [ "$got" -ge $((acked + 1)) ]
tap_check $? "x86_64_power_cut_keeps_every_acknowledged_entry (acked $acked, found $((${got:-1} - 1)))"
"$zero" verify "$cdisk" >/dev/null 2>&1
tap_check $? "host_zero_verify_accepts_the_disk_after_a_power_cut"

# make run's script: makes the disk on first run, keeps it on the next.
rdisk=$work/run/zero-disk.img
run_script() {
    local fifo=$work/fifo
    mkfifo "$fifo"
    timeout 120 tools/run-qemu.sh --disk "$rdisk" --size 8 <"$fifo" >"$log" 2>&1 &
    local pid=$!
    exec 4>"$fifo"
    rm -f "$fifo"
    for _ in $(seq 1200); do
        grep -q 'zero> ' "$log" 2>/dev/null && break
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    printf '%b' "$1" >&4
    wait "$pid"
    RUN_STATUS=$?
    exec 4>&-
}
run_script 'id create hana\rexit\r'
has 'new disk .*zero-disk.img \(8 MiB\)' && has "axiom: boot #1 recorded as entry 1 \\(2 cpus, $(grep -c '^program ' kernel/arch/x86_64/iso/manifest.spec) images\\)" &&
    has 'committed #[0-9]+ ' && [ "$RUN_STATUS" = 0 ]
tap_check $? "run_script_makes_a_disk_and_powers_off_cleanly (status $RUN_STATUS)"
run_script 'id list\rexit\r'
! has 'new disk' && has 'hana +user' && has 'axiom: boot #2 recorded as entry 3' && [ "$RUN_STATUS" = 0 ]
tap_check $? "run_script_keeps_its_disk_between_runs"
echo "1..$TESTNUM"
