#!/usr/bin/env bash
# Structural checks of make static-check: the portable kernel names no
# machine register (it reads and writes a thread's saved state through
# kernel/arch/*/frame.h).
set -uo pipefail
cd "$(dirname "$0")/.."
status=0

regs=$(grep -rn 'f->r[a-z0-9]' kernel/ --include='*.c' --include='*.h' | grep -v '^kernel/arch/')
if [ -n "$regs" ]; then
    echo "$regs" | sed 's/^/layers: register named outside kernel\/arch: /' >&2
    status=1
fi

exit $status
