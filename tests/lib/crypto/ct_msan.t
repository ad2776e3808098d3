#!/usr/bin/env bash
# Constant-time check of the secret-handling code with MemorySanitizer (see
# tests/lib/crypto/ct_msan_check.c), for both Ed25519 field representations,
# plus a negative control that must be caught.
cd "$(dirname "$0")/../../.."
if ! command -v clang >/dev/null; then
    echo "1..0 # SKIP clang not installed"
    exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo 'int main(void) { return 0; }' >"$work/probe.c"
if ! clang -fsanitize=memory "$work/probe.c" -o "$work/probe" 2>/dev/null; then
    echo "1..0 # SKIP clang cannot link MemorySanitizer programs (libclang-rt-14-dev)"
    exit 0
fi
srcs="lib/crypto/ed25519.c lib/crypto/ed25519_sc.c lib/crypto/sha512.c lib/crypto/ct.c
      lib/crypto/blake3.c lib/crypto/blake3_portable.c lib/crypto/blake3_dispatch.c"
build() { # output, extra flags
    local out=$1
    shift
    # shellcheck disable=SC2086
    clang -std=c11 -O1 -g -fsanitize=memory -I lib -I . "$@" tests/lib/crypto/ct_msan_check.c \
        $srcs -o "$work/$out" 2>"$work/$out.log"
}
echo "1..3"
n=0
for variant in radix51 radix25; do
    n=$((n + 1))
    flags=()
    [ $variant = radix25 ] && flags=(-DZERO_ED25519_FE32)
    if build "$variant" "${flags[@]}" && "$work/$variant" >"$work/$variant.out" 2>&1; then
        echo "ok $n - ct_secrets_never_reach_branches_or_addresses_$variant"
    else
        echo "not ok $n - ct_secrets_never_reach_branches_or_addresses_$variant"
        sed 's/^/# /' "$work/$variant.log" "$work/$variant.out" 2>/dev/null | head -20
    fi
done
if build negative -DCT_NEGATIVE_CONTROL && ! "$work/negative" >"$work/negative.out" 2>&1 &&
    grep -q "use-of-uninitialized-value" "$work/negative.out"; then
    echo "ok 3 - ct_check_catches_a_branch_on_a_secret"
else
    echo "not ok 3 - ct_check_catches_a_branch_on_a_secret"
fi
