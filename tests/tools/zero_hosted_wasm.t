#!/usr/bin/env bash
# The same services built for wasm32 (run under Node's WASI) and for the
# hosted platform read each other's disks: a log written on one platform
# replays on the other to the bit-identical state root.
cd "$(dirname "$0")/../.."
zw=build/bin/zero-wasm
zh=build/bin/zero-hosted
zero=build/bin/zero
if [ ! -x "$zw" ] || [ ! -e build/wasm/bin/zero-hosted ] || ! command -v node >/dev/null; then
    echo "1..0 # SKIP wasm build or node missing"
    exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
. tests/lib/tap.sh
script=('id create alice' 'policy allow kind:user note *' 'as alice note from wasm' 'id revoke alice')
out=$(printf '%s\n' "${script[@]}" | "$zw" --disk "$work/w.img" --size 2 2>&1)
check "wasm_node_commits" grep -q 'committed #5 ' <<<"$out"
w_on_h=$("$zero" verify "$work/w.img")
w_on_w=$("$zw" verify "$work/w.img")
check "wasm_disk_verifies_on_hosted" test "${w_on_h:0:3}" = "ok:"
check "hosted_and_wasm_replays_give_identical_state_roots" test "$w_on_h" = "$w_on_w"
printf '%s\n' "${script[@]}" | "$zh" --disk "$work/h.img" --size 2 >/dev/null 2>&1
out=$(printf 'as root note from wasm again\naxiom verify\n' | "$zw" --disk "$work/h.img" 2>&1)
check "wasm_continues_a_hosted_disk" grep -q 'committed #7 ' <<<"$out"
check "wasm_axiom_verify_of_hosted_disk" grep -q 'ok: 8 entries' <<<"$out"
check "hosted_and_wasm_json_logs_identical" test "$("$zero" log --json "$work/h.img")" = "$("$zw" log --json "$work/h.img")"
tap_done
