#!/usr/bin/env bash
# Structural checks of make static-check:
#  - the portable kernel names no machine register (it reads and writes a
#    thread's saved state through kernel/arch/*/frame.h);
#  - every #include points down the layer table (docs/README.md): libraries
#    (lib/) include nothing above them, the kernel includes no service or
#    driver, and the platform ports (hal/) no driver or service.
set -uo pipefail
cd "$(dirname "$0")/.."
status=0

regs=$(grep -rn 'f->r[a-z0-9]' kernel/ --include='*.c' --include='*.h' | grep -v '^kernel/arch/')
if [ -n "$regs" ]; then
    echo "$regs" | sed 's/^/layers: register named outside kernel\/arch: /' >&2
    status=1
fi

# up_includes DIR TOPS...: includes in DIR's C files whose first path
# component is one of TOPS (the folders above DIR's layer).
up_includes() {
    local dir=$1
    shift
    local tops
    tops=$(IFS='|'; echo "$*")
    grep -rnE "^[[:space:]]*#[[:space:]]*include[[:space:]]+\"($tops)/" "$dir" \
        --include='*.c' --include='*.h' --include='*.S'
}
check() {
    local what=$1
    shift
    local hits
    hits=$(up_includes "$@")
    if [ -n "$hits" ]; then
        echo "$hits" | sed "s/^/layers: $what includes a layer above it: /" >&2
        status=1
    fi
}
check "a library" lib kernel services drivers apps tools user tests bench fuzz web
check "the kernel" kernel services drivers apps tools user
check "a platform port" hal services drivers apps tools

exit $status
