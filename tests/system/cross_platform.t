#!/usr/bin/env bash
# One disk through all three platforms (issue: one process per service,
# "a disk moves between all three platforms and replays to the same state
# root"): x86_64 formats it and commits, the wasm build under Node
# continues it, zero-hosted continues it, x86_64 boots it again and
# replays it from genesis.  The state root x86_64 reports at the end is
# the one zero verify, zero-wasm's axiom head and the JavaScript verifier
# compute from the same bytes.
source "$(dirname "$0")/../lib/qemu.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
disk=$work/disk.img
log=$work/serial.log
wasm=build/bin/zero-wasm
truncate -s 16M "$disk"

x86() {
    local input=''
    for l in "$@" exit; do input+="$l\\r"; done
    qemu_run_input "$log" 120 'zero> ' "$input" -cpu max -kernel "$KERNEL" \
        -initrd build/x86_64/bin/zero-node \
        -drive "file=$disk,if=none,id=d0,format=raw" -device virtio-blk-pci,drive=d0
}
# root_of TEXT: the state root of an `axiom head` answer.
root_of() { tr -d '\r\0' | sed -n 's/^ *state root *\([0-9a-f]\{64\}\).*/\1/p' | tail -1; }

x86 'id create alice' 'note made on x86_64'
tr -d '\r\0' <"$log" | grep 'committed #2 ' >/dev/null
tap_check $? "x86_64_formats_and_commits"
next=3 # the next entry's sequence number

if [ -x build/wasm/bin/zero-hosted ] && command -v node >/dev/null; then
    out=$(printf '%s\n' 'id list' 'note continued on wasm' | "$wasm" --disk "$disk" 2>&1)
    grep -q 'alice' <<<"$out" && grep -q "committed #$next " <<<"$out"
    tap_check $? "wasm_continues_the_x86_64_disk"
    next=$((next + 1))
else
    echo "ok $((TESTNUM += 1)) - wasm_continues_the_x86_64_disk # SKIP no wasm build or no node"
fi

out=$(printf '%s\n' 'note continued on hosted' | build/bin/zero-hosted --disk "$disk" 2>&1)
grep -q "committed #$next " <<<"$out"
tap_check $? "hosted_continues_the_disk"

x86 'axiom verify' 'axiom head'
tr -d '\r\0' <"$log" | grep "^ok: $((next + 1)) entries in $((next + 1)) batches replayed from the disk" >/dev/null
tap_check $? "x86_64_replays_the_disk_of_three_platforms"
want=$(root_of <"$log")
[ -n "$want" ]
tap_check $? "x86_64_reports_a_state_root ($want)"

got=$(build/bin/zero verify "$disk" 2>&1 | sed -n 's/.*state root \([0-9a-f]\{64\}\).*/\1/p')
[ -n "$want" ] && [ "$got" = "$want" ]
tap_check $? "zero_verify_computes_the_same_state_root"
if [ -x build/wasm/bin/zero-hosted ] && command -v node >/dev/null; then
    got=$(printf '%s\n' 'axiom head' | "$wasm" --disk "$disk" 2>&1 | root_of)
    [ -n "$want" ] && [ "$got" = "$want" ]
    tap_check $? "wasm_reports_the_same_state_root"
    got=$(node tools/verify-js/zero-verify.js "$disk" | sed -n 's/^ok: .* state root \([0-9a-f]*\).*/\1/p')
    [ -n "$want" ] && [ "$got" = "$want" ]
    tap_check $? "js_verifier_computes_the_same_state_root"
fi
echo "1..$TESTNUM"
