#!/usr/bin/env bash
# Applies (fix) or checks (check) .clang-format over every C source in the
# tree.  Test data and generated files are not formatted.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(git ls-files --cached --others --exclude-standard -- '*.c' '*.h' |
    grep -v -E '^(tests/data|build)/' | while read -r f; do [ -f "$f" ] && echo "$f"; done)
[ ${#files[@]} -eq 0 ] && exit 0
case "${1:-check}" in
fix) clang-format -i "${files[@]}" ;;
check)
    log=$(mktemp "${TMPDIR:-/tmp}/zero-format.XXXXXX")
    trap 'rm -f "$log"' EXIT
    if ! clang-format --dry-run --Werror "${files[@]}" 2>"$log"; then
        grep -E '^[^ ].*error:' "$log" | cut -d: -f1 | sort -u | sed 's/^/format: needs clang-format: /' >&2
        echo "format: run 'make format' to fix" >&2
        exit 1
    fi
    ;;
*) echo "usage: tools/format.sh fix|check" >&2; exit 2 ;;
esac
