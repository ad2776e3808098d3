#!/usr/bin/env bash
# WebAssembly engine benchmark: CPU-bound C programs compiled with
# clang --target=wasm32, run on Zero's engine (zero wasm run), on wabt's
# wasm-interp and natively (gcc -O2).  Each figure is the CPU time (user +
# sys) of one process running the program's run() once; the native program
# runs it REPS times and its time is divided by REPS.  Every figure is the
# best of three runs, to damp the noise of a shared machine.  The checksums
# of the three programs must agree.  A cost: ratio below 1 means Zero is
# cheaper.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=build/bench-wasm
zero=build/bin/zero
mkdir -p "$out"
TIMEFORMAT='%3U %3S'

# cpu_time FILE-FOR-STDOUT COMMAND...: prints the least user+sys seconds of
# three runs of COMMAND
cpu_time() {
    local res=$1
    shift
    local t all=""
    for _ in 1 2 3; do
        t=$({ time "$@" >"$res" 2>/dev/null; } 2>&1)
        all="$all $(awk '{ printf "%.3f", $1 + $2 }' <<<"$t")"
    done
    tr ' ' '\n' <<<"$all" | grep . | sort -n | head -1
}

ratio() {
    awk -v a="$1" -v b="$2" 'BEGIN { if (b <= 0) b = 0.001; printf "%.2f", a / b }'
}

status=0
for spec in blake3:40 sort:10 interp:10 matmul:40; do
    prog=${spec%%:*}
    reps=${spec##*:}
    src=bench/wasm/$prog.c
    clang --target=wasm32 -nostdlib -O2 -Wl,--no-entry -Wl,--export=run -o "$out/$prog.wasm" "$src"
    gcc -std=c11 -O2 -DREPS="$reps" -o "$out/$prog-native" "$src"
    tz=$(cpu_time "$out/$prog.zero" "$zero" wasm run "$out/$prog.wasm" --invoke run)
    tn=$(cpu_time "$out/$prog.native" "$out/$prog-native")
    tn=$(awk -v t="$tn" -v r="$reps" 'BEGIN { printf "%.4f", t / r }')
    want=$(cat "$out/$prog.native")
    got=$(sed 's/^i32://' "$out/$prog.zero")
    if [ "$(( got & 0xffffffff ))" != "$want" ]; then
        echo "bench: wasm_$prog checksum mismatch: zero $got native $want" >&2
        status=1
    fi
    echo "bench: wasm_${prog}_cpu $tz s vs native $tn ratio $(ratio "$tz" "$tn")"
    if command -v wasm-interp >/dev/null; then
        ti=$(cpu_time "$out/$prog.interp" wasm-interp "$out/$prog.wasm" --run-all-exports)
        if ! grep -q ":$want\$" "$out/$prog.interp"; then
            echo "bench: wasm_$prog checksum mismatch: wasm-interp $(cat "$out/$prog.interp")" >&2
            status=1
        fi
        echo "bench: wasm_${prog}_cpu $tz s vs wasm-interp $ti ratio $(ratio "$tz" "$ti")"
    fi
done
exit $status
