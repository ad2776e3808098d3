#!/usr/bin/env bash
# QEMU killed (SIGKILL) at random moments while the x86_64 terminal runs a
# file workload: puts small and large (over one message: streamed in parts),
# appends, copies, moves, removals and garbage collection in /w and /w/s, on one
# disk across FS_KILL_RUNS boots (default 50).  After each kill the host
# checks the disk offline: `zero verify` passes, and the namespace `zero
# fs` reads is the one after every change the console acknowledged
# (`committed #SEQ`), or after one more (the change in flight when QEMU
# died may have reached the disk), with every file's bytes, read through
# verified chunks, equal to the model's.  The next boot recovers from
# that disk and goes on.  The kill delays come from FS_KILL_SEED (printed;
# set it to repeat a run's workload and delays).
source "$(dirname "$0")/../lib/qemu.sh"
zero=build/bin/zero
runs=${FS_KILL_RUNS:-50}
seed=${FS_KILL_SEED:-$(($(date +%s%N) / 1000 % 1000000))}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
disk=$work/disk.img
log=$work/serial.log
echo "# fs_kill: seed $seed, $runs runs (FS_KILL_SEED=$seed FS_KILL_RUNS=$runs $0 repeats them)"
RANDOM=$seed
truncate -s 16M "$disk"
mkdir -p "$work/m"
SIM=$work/m
names=(a b c s_a s_b s_c) # the model's files: /w/a ... /w/s/c as m/a ... m/s_c

zpath() { echo "/w/${1/s_/s/}"; }

# ---- the workload of one run, drawn from the model (globals: OPS_*) ----

# body FILE LINES TAG: LINES lines of text (none of them ".") into FILE.
body() {
    local i
    for ((i = 0; i < $2; i++)); do
        printf '%s line %d %s\n' "$3" "$i" 'the quick brown fox jumps over the lazy dog 0123456789 abcdefghijklm'
    done >"$1"
}

# pick_name WANT: a random name that exists in the simulated model (WANT=1)
# or not (0), in PICK ("" if none).
pick_name() {
    local c=() n
    for n in "${names[@]}"; do
        if { [ -e "$SIM/$n" ] && [ "$1" = 1 ]; } || { [ ! -e "$SIM/$n" ] && [ "$1" = 0 ]; }; then
            c+=("$n")
        fi
    done
    PICK=
    if [ ${#c[@]} -gt 0 ]; then PICK=${c[RANDOM % ${#c[@]}]}; fi
}

# add KIND A B BODY: one more op, applied to the simulated model too.
add() {
    OPS_KIND+=("$1") OPS_A+=("$2") OPS_B+=("$3") OPS_BODY+=("$4")
    apply $((${#OPS_KIND[@]} - 1)) "$SIM"
}

# gen RUN: the ops of a run (OPS_*), drawn against a copy of the model, and
# INPUT, what to type for them.
gen() {
    local r=$1 i k f
    OPS_KIND=() OPS_A=() OPS_B=() OPS_BODY=() INPUT=''
    SIM=$work/sim
    rm -rf "$SIM" && cp -r "$work/m" "$SIM"
    [ -e "$SIM/.w" ] || add mkdir /w '' ''
    [ -e "$SIM/.s" ] || add mkdir /w/s '' ''
    for ((i = 0; i < 6 + RANDOM % 5; i++)); do
        k=$((RANDOM % 100))
        f=$work/b.$r.$i
        if [ $k -lt 35 ]; then
            pick_name $((RANDOM % 2))
            [ -z "$PICK" ] && pick_name 0
            [ -z "$PICK" ] && pick_name 1
            # one in seven larger than one message (about 19 KiB: streamed in parts)
            body "$f" $((RANDOM % 7 == 0 ? 210 : 1 + RANDOM % 6)) "r$r.$i"
            add put "$PICK" '' "$f"
        elif [ $k -lt 50 ]; then
            pick_name 1
            [ -z "$PICK" ] && continue
            body "$f" $((1 + RANDOM % 3)) "r$r.$i+"
            add append "$PICK" '' "$f"
        elif [ $k -lt 77 ]; then
            pick_name 1
            local from=$PICK
            pick_name $((k < 65 ? RANDOM % 2 : 0))
            { [ -z "$from" ] || [ -z "$PICK" ] || [ "$from" = "$PICK" ]; } && continue
            # a copy (a put of the file's bytes; a replacement when it exists) or a move
            add "$([ $k -lt 65 ] && echo cp || echo mv)" "$from" "$PICK" ''
        elif [ $k -lt 88 ]; then
            pick_name 1
            [ -z "$PICK" ] && continue
            add rm "$PICK" '' ''
        else
            add gc '' '' ''
        fi
    done
    for i in "${!OPS_KIND[@]}"; do
        case ${OPS_KIND[$i]} in
        mkdir) INPUT+="mkdir ${OPS_A[$i]}\\r" ;;
        put | append)
            INPUT+="${OPS_KIND[$i]} $(zpath "${OPS_A[$i]}")\\r"
            INPUT+=$(sed 's/$/\\r/' "${OPS_BODY[$i]}" | tr -d '\n')
            INPUT+=".\\r"
            ;;
        mv | cp) INPUT+="${OPS_KIND[$i]} $(zpath "${OPS_A[$i]}") $(zpath "${OPS_B[$i]}")\\r" ;;
        rm) INPUT+="rm $(zpath "${OPS_A[$i]}")\\r" ;;
        gc) INPUT+="fs gc\\r" ;;
        esac
    done
}

# apply I DIR: op I on the model in DIR.
apply() {
    local i=$1 d=$2
    case ${OPS_KIND[$i]} in
    mkdir) if [ "${OPS_A[$i]}" = /w ]; then touch "$d/.w"; else touch "$d/.s"; fi ;;
    put) cp "${OPS_BODY[$i]}" "$d/${OPS_A[$i]}" ;;
    append) cat "${OPS_BODY[$i]}" >>"$d/${OPS_A[$i]}" ;;
    mv) mv "$d/${OPS_A[$i]}" "$d/${OPS_B[$i]}" ;;
    cp) cp "$d/${OPS_A[$i]}" "$d/${OPS_B[$i]}" ;;
    rm) rm "$d/${OPS_A[$i]}" ;;
    esac
}

# ---- one boot, killed ----

# run_killed FROM DELAY_MS: boots on the disk, types INPUT at the prompt,
# and kills QEMU DELAY_MS after it started (FROM=start) or after the
# prompt (FROM=prompt), unless it ended on its own.  TYPED_AT: ms from
# the start to the prompt (0: never came).
run_killed() {
    local fifo=$work/fifo t0 typed=0 deadline=$2
    [ "$1" = prompt ] && deadline=60000
    rm -f "$fifo" && mkfifo "$fifo"
    "${QEMU_BASE[@]}" -m 96M -cpu max -kernel "$KERNEL" -initrd build/x86_64/bin/zero-node \
        -drive "file=$disk,if=none,id=d0,format=raw" -device virtio-blk-pci,drive=d0 \
        <"$fifo" >"$log" 2>&1 &
    local qpid=$!
    exec 3>"$fifo"
    t0=$(date +%s%3N)
    TYPED_AT=0
    while [ $(($(date +%s%3N) - t0)) -lt "$deadline" ] && kill -0 "$qpid" 2>/dev/null; do
        if [ $typed = 0 ] && grep -q 'zero> ' "$log"; then
            printf '%b' "$INPUT" >&3 2>/dev/null
            typed=1
            TYPED_AT=$(($(date +%s%3N) - t0))
            [ "$1" = prompt ] && deadline=$((TYPED_AT + $2))
        fi
        sleep 0.02
    done
    kill -KILL "$qpid" 2>/dev/null
    wait "$qpid" 2>/dev/null
    exec 3>&-
}

# acked: how many ops the console acknowledged (a prefix), in ACKED; FAULT
# is set when the console shows an error or an acknowledgement out of order.
acked() {
    local res
    res=$(tr -d '\r\0' <"$log" | awk '
        /^zero> / { n++ }
        /^committed #[0-9]+ [0-9a-f]+$/ && n > 0 { ack[n] = 1 }
        /^gc: [0-9]+ objects reclaimed$/ && n > 0 { ack[n] = 1 }
        /^(error|denied): / && n > 0 { bad = bad " " n ": " $0 }
        END {
            a = 0; while (ack[a + 1]) a++
            for (i = a + 2; i <= n; i++) if (ack[i]) bad = bad " ack of " i " after a gap"
            print a "|" bad
        }')
    ACKED=${res%%|*}
    FAULT=${res#*|}
}

# ---- the disk against the model ----

# disk_listing: the namespace on the disk as "path kind size" lines (zero fs ls).
disk_listing() {
    local d
    for d in / /w /w/s; do
        "$zero" fs ls "$disk" "$d" 2>/dev/null |
            awk -v d="$d" '{ print (d == "/" ? "" : d) "/" $4, $1, $2 }'
    done | sed 's|/ | |' | sort
}

# model_listing DIR: the same for the model in DIR.
model_listing() {
    local n
    {
        if [ -e "$1/.w" ]; then echo "/w d 0"; fi
        if [ -e "$1/.s" ]; then echo "/w/s d 0"; fi
        for n in "${names[@]}"; do
            if [ -e "$1/$n" ]; then echo "$(zpath "$n") - $(stat -c %s "$1/$n")"; fi
        done
    } | sort
}

# matches DIR: the disk's namespace and every file's verified bytes are the model's.
matches() {
    [ "$(disk_listing)" = "$(model_listing "$1")" ] || return 1
    local n
    for n in "${names[@]}"; do
        [ -e "$1/$n" ] || continue
        [ "$("$zero" fs cat "$disk" "$(zpath "$n")" 2>/dev/null | b3sum --no-names)" = \
            "$(b3sum --no-names <"$1/$n")" ] || return 1
    done
}

total_acked=0 inflight_seen=0 formatted= started=$(date +%s)
for ((run = 1; run <= runs; run++)); do
    gen "$run"
    # the kill: one in eight during the boot (recovery, the banner, the
    # prompt), the others while the workload runs
    if [ $((RANDOM % 8)) = 0 ]; then
        from=start delay=$((200 + RANDOM % 2500))
    else
        from=prompt delay=$((RANDOM % ${FS_KILL_WINDOW_MS:-2000}))
    fi
    run_killed "$from" "$delay"
    acked
    for ((i = 0; i < ACKED; i++)); do apply "$i" "$work/m"; done
    total_acked=$((total_acked + ACKED))
    verdict=acknowledged
    ok=1
    rm -rf "$work/try" && cp -r "$work/m" "$work/try"
    if [ "$ACKED" -lt "${#OPS_KIND[@]}" ]; then apply "$ACKED" "$work/try"; fi
    formatted=$formatted$(tr -d '\r\0' <"$log" | grep -c '^disk disk0 (virtio-blk)')
    if [ "${formatted//0/}" = "" ] && [ "$total_acked" = 0 ]; then
        verdict="killed before the node had formatted the disk" # next boot formats it again
    elif ! "$zero" verify "$disk" >"$work/verify" 2>&1; then
        ok=0 verdict="zero verify failed: $(head -c 300 "$work/verify")"
    elif matches "$work/m"; then
        :
    elif [ "$ACKED" -lt "${#OPS_KIND[@]}" ] && matches "$work/try"; then
        # the change in flight reached the disk before the kill
        rm -rf "$work/m" && mv "$work/try" "$work/m"
        verdict="acknowledged + the one in flight"
        inflight_seen=$((inflight_seen + 1))
    else
        ok=0 verdict="the namespace on the disk is not the acknowledged one"
    fi
    [ -n "$FAULT" ] && ok=0 verdict="$verdict; console:$FAULT"
    tap_check $((1 - ok)) "kill_${run}_${delay}ms_after_${from}_(prompt_at_${TYPED_AT}ms)_${ACKED}_of_${#OPS_KIND[@]}_acknowledged ($verdict)"
    if [ $ok = 0 ]; then
        echo "# seed $seed run $run delay $delay ms: $verdict" >&2
        echo "# disk:" >&2
        disk_listing | sed 's/^/#   /' >&2
        echo "# model (acknowledged):" >&2
        model_listing "$work/m" | sed 's/^/#   /' >&2
        tr -d '\r\0' <"$log" | grep -v '^r[0-9]' | tail -25 | sed 's/^/# /' >&2
        break
    fi
done

# A last boot, not killed: the node starts, its own replay passes, and gc runs.
INPUT='axiom verify\rfs gc\rls /w\rexit\r'
run_killed start 60000
tr -d '\r\0' <"$log" | grep -E '^ok: [0-9]+ entries' >/dev/null && tr -d '\r\0' <"$log" | grep '^gc: ' >/dev/null &&
    matches "$work/m" && "$zero" verify "$disk" >/dev/null 2>&1
tap_check $? "after_${runs}_kills_the_node_boots_verifies_and_collects"
echo "# $total_acked changes acknowledged in $runs killed boots ($inflight_seen in-flight changes found on the disk), $(($(date +%s) - started)) s"
echo "1..$TESTNUM"
