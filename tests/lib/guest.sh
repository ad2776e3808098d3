#!/usr/bin/env bash
# Zero OS nodes under QEMU with a terminal the test types into (sourced
# after tests/lib/qemu.sh by tests/system/net_*.t).  A guest is named by a
# word; its serial console goes to $GUEST_DIR/NAME.log and its input comes
# from a FIFO held open on a file descriptor of this shell.
#   guest_start NAME SECS QEMU-ARGS...   boots it (kernel and node added)
#   guest_type NAME LINE PATTERN [SECS]  types LINE, waits for PATTERN in
#                                        what follows (ERE); 1 on timeout
#   guest_has NAME PATTERN               PATTERN anywhere in its log so far
#   guest_wait NAME PATTERN [SECS]       waits for PATTERN anywhere
#   guest_stop NAME                      types exit, waits; sets GUEST_STATUS
# GUEST_DIR must be set (a directory the caller removes).
declare -A GUEST_PID GUEST_FD

guest_start() {
    local name=$1 secs=$2 fd
    shift 2
    local fifo=$GUEST_DIR/$name.in log=$GUEST_DIR/$name.log
    mkfifo "$fifo"
    timeout "$secs" "${QEMU_BASE[@]}" -cpu max -kernel "$KERNEL" \
        -initrd build/x86_64/bin/zero-node "$@" <"$fifo" >"$log" 2>&1 &
    GUEST_PID[$name]=$!
    exec {fd}>"$fifo"
    GUEST_FD[$name]=$fd
    guest_wait "$name" 'zero> ' 60
}

guest_has() {
    tr -d '\r\0' <"$GUEST_DIR/$1.log" | grep -E -- "$2" >/dev/null
}

guest_wait() {
    for _ in $(seq $((${3:-30} * 10))); do
        guest_has "$1" "$2" && return 0
        kill -0 "${GUEST_PID[$1]}" 2>/dev/null || return 1
        sleep 0.1
    done
    return 1
}

guest_type() {
    local log=$GUEST_DIR/$1.log from
    from=$(stat -c %s "$log")
    printf '%s\r' "$2" >&"${GUEST_FD[$1]}"
    for _ in $(seq $((${4:-30} * 10))); do
        tail -c +$((from + 1)) "$log" | tr -d '\r\0' | grep -E -- "$3" >/dev/null && return 0
        kill -0 "${GUEST_PID[$1]}" 2>/dev/null || return 1
        sleep 0.1
    done
    return 1
}

guest_stop() {
    printf 'exit\r' >&"${GUEST_FD[$1]}"
    wait "${GUEST_PID[$1]}"
    GUEST_STATUS=$?
    exec {GUEST_FD[$1]}>&-
}

# guest_kill_all: ends every guest still running (for an EXIT trap).
guest_kill_all() {
    for p in "${GUEST_PID[@]}"; do kill "$p" 2>/dev/null; done
}
