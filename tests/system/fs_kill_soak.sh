#!/usr/bin/env bash
# fs_kill_soak.sh [--help]: tests/system/fs_kill.t for longer (make soak):
# FS_KILL_SOAK_RUNS killed boots (default 500) on one disk, a new seed
# each time unless FS_KILL_SEED is set.  Exits non-zero on a failing run,
# with its output (the seed to repeat it is in the first line).
if [ "${1:-}" = "--help" ]; then
    sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//'
    exit 0
fi
cd "$(dirname "$0")/../.." || exit 2
[ -x build/x86_64/bin/zero-node ] || make --no-print-directory PLATFORM=x86_64 all >&2 || exit 2
out=$(mktemp)
trap 'rm -f "$out"' EXIT
FS_KILL_RUNS=${FS_KILL_SOAK_RUNS:-500} tests/system/fs_kill.t >"$out" 2>&1
if grep -aq '^not ok' "$out" || ! grep -aq '^1\.\.' "$out"; then
    echo "fs_kill_soak: a run failed:" >&2
    grep -av '^ok ' "$out" >&2
    exit 1
fi
grep -a '^# .*changes acknowledged' "$out" | sed 's/^# /fs_kill_soak: /'
