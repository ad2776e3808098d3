#!/usr/bin/env bash
# zero hash prints exactly what b3sum prints for the same arguments.
cd "$(dirname "$0")/../.."
zero=build/bin/zero
if ! command -v b3sum >/dev/null; then
    echo "1..0 # SKIP b3sum not installed"
    exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
. tests/lib/tap.sh
same() { # compares the stdout of zero hash ARGS with b3sum ARGS
    cmp -s <(cd "$work" && "$OLDPWD/$zero" hash "$@" 2>/dev/null) <(cd "$work" && b3sum --num-threads 1 "$@" 2>/dev/null)
}

for size in 0 1 64 1023 1024 1025 4096 65537 1048576 3000001; do
    head -c "$size" /dev/urandom >"$work/f$size"
done
printf 'x' >"$work/back\\slash"
printf 'y' >"$work/new
line"
key=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
printf '%s' "$key" | xxd -r -p >"$work/key.bin"

for size in 2097152 4194305 9437184; do
    head -c "$size" /dev/urandom >"$work/f$size"
done
check "zero_hash_matches_b3sum_on_sizes_0_to_3MB" same f0 f1 f64 f1023 f1024 f1025 f4096 f65537 f1048576 f3000001
# Files of 2 MiB and more hash in 1 MiB pieces on several threads: two
# pieces exactly (the root is their parent), pieces and a tail, an odd
# number of pieces; on one thread and on three.
for n in 1 3; do
    check "zero_hash_${n}_threads_match_b3sum_on_2_4_9MB" \
        cmp -s <(cd "$work" && "$OLDPWD/$zero" hash --num-threads $n f2097152 f4194305 f9437184) \
            <(cd "$work" && b3sum f2097152 f4194305 f9437184)
done
check "zero_hash_threads_keyed_matches_b3sum_keyed" \
    cmp -s <(cd "$work" && "$OLDPWD/$zero" hash --num-threads 2 --keyed "$key" f4194305) \
        <(cd "$work" && b3sum --keyed f4194305 <key.bin)
"$zero" hash --num-threads 0 "$work/f0" >/dev/null 2>"$work/err"
rc=$?
check "zero_hash_zero_threads_exits_2_with_message" bash -c "test $rc -eq 2 && grep -q 'num-threads' '$work/err'"
check "zero_hash_matches_b3sum_with_length_0_1_and_200" \
    bash -c "$(declare -f same); zero=$zero work=$work; same --length 0 f1025 && same --length 1 f1025 && same --length 200 f3000001"
check "zero_hash_reads_stdin_for_dash" \
    cmp -s <("$zero" hash - <"$work/f4096") <(b3sum - <"$work/f4096")
check "zero_hash_reads_stdin_without_files" \
    cmp -s <("$zero" hash <"$work/f65537") <(b3sum <"$work/f65537")
check "zero_hash_escapes_names_like_b3sum" same "back\\slash" "new
line"
check "zero_hash_no_names_matches_b3sum" same --no-names f1 f1025
check "zero_hash_accepts_options_after_files_like_b3sum" same f1 f64 --length 9 --no-names
check "zero_hash_keyed_matches_b3sum_keyed" \
    cmp -s <(cd "$work" && "$OLDPWD/$zero" hash --keyed "$key" f1025 f3000001) \
        <(cd "$work" && b3sum --keyed f1025 f3000001 <key.bin)
check "zero_hash_derive_key_matches_b3sum" same --derive-key "Zero OS 2026 test context" --length 64 f1024 f0
"$zero" hash "$work/missing" >/dev/null 2>&1
check "zero_hash_missing_file_exits_2" test $? -eq 2
"$zero" hash --keyed 0011 "$work/f0" >/dev/null 2>"$work/err"
rc=$?
check "zero_hash_short_key_exits_2_with_message" bash -c "test $rc -eq 2 && grep -q '64 hex digits' '$work/err'"
"$zero" hash --length x "$work/f0" >/dev/null 2>&1
check "zero_hash_bad_length_exits_2" test $? -eq 2
"$zero" hash --keyed "$key" --derive-key ctx "$work/f0" >/dev/null 2>&1
check "zero_hash_keyed_with_derive_key_exits_2" test $? -eq 2
check "zero_hash_help_exits_0" bash -c "'$zero' hash --help | grep -q 'usage: zero hash'"
# The WebAssembly build of the tool (read(), no mmap) gives the same lines.
if [ -x build/bin/zero-wasm ] && [ -f build/wasm/bin/zero ]; then
    check "zero_hash_wasm_matches_b3sum" \
        cmp -s <(cd "$work" && "$OLDPWD/build/bin/zero-wasm" hash f0 f1025 f65537 f3000001) \
            <(cd "$work" && b3sum f0 f1025 f65537 f3000001)
    check "zero_hash_wasm_keyed_length_matches_b3sum" \
        cmp -s <(cd "$work" && "$OLDPWD/build/bin/zero-wasm" hash --keyed "$key" --length 77 f4096) \
            <(cd "$work" && b3sum --keyed --length 77 f4096 <key.bin)
fi
tap_done
