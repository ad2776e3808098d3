# TAP for shell tests.  Source it from the repository root, call
# `check NAME COMMAND...` for each assertion (the command's success is the
# pass), and end with `tap_done`, which prints the plan.
tap_n=0
tap_failed=0

check() {
    local name=$1
    shift
    tap_n=$((tap_n + 1))
    if "$@"; then
        echo "ok $tap_n - $name"
    else
        echo "not ok $tap_n - $name"
        tap_failed=$((tap_failed + 1))
    fi
}

tap_done() {
    echo "1..$tap_n"
    [ "$tap_failed" -eq 0 ]
}

# flip FILE OFFSET [MASK]: XORs the byte at OFFSET with MASK (default 1), so
# it always changes, whatever it held.
flip() {
    local v
    v=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
    printf "\\x$(printf %02x $((v ^ ${3:-1})))" | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}
