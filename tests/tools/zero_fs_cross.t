#!/usr/bin/env bash
# Files cross platforms: a file written by the hosted build reads back
# identically on the wasm build under Node, and one written on wasm reads
# back identically on hosted, in its terminal and offline with zero fs get.
cd "$(dirname "$0")/../.."
zh=build/bin/zero-hosted
zw=build/bin/zero-wasm
zero=build/bin/zero
if [ ! -x "$zw" ] || ! command -v node >/dev/null; then
    echo "1..0 # SKIP the wasm build or node is missing"
    exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
disk=$work/disk.img
. tests/lib/tap.sh
awk 'BEGIN { srand(3); for (i = 0; i < 120; i++) { s = ""; for (j = 0; j < 400; j++) s = s sprintf("%c", 65 + int(rand() * 58)); print s } }' | tr -d '\\' >"$work/a"
awk 'BEGIN { srand(4); for (i = 0; i < 90; i++) { s = ""; for (j = 0; j < 300; j++) s = s sprintf("%c", 97 + int(rand() * 26)); print s } }' >"$work/b"
want_a=$(b3sum --no-names "$work/a")
want_b=$(b3sum --no-names "$work/b")

{ echo 'put /a'; cat "$work/a"; echo '.'; } | "$zh" --disk "$disk" --size 16 >/dev/null 2>&1
out=$({ echo 'hash /a'; echo 'put /b'; cat "$work/b"; echo '.'; } | "$zw" --disk "$disk" --size 16 2>&1)
check "wasm_reads_the_hosted_file_with_its_hash" grep -q "$want_a  /a" <<<"$out"
check "wasm_commits_a_file" grep -qE 'committed #[0-9]+ [0-9a-f]{64}' <<<"$out"
out=$(echo 'cat /a' | "$zw" --disk "$disk" --size 16 2>&1)
got=$(sed -n '3,122p' <<<"$out" | sed '1s/^zero> //' | b3sum --no-names)
check "wasm_cat_of_the_hosted_file_is_byte_identical" test "$got" = "$want_a"
out=$(echo 'hash /b' | "$zh" --disk "$disk" --size 16 2>&1)
check "hosted_reads_the_wasm_file_with_its_hash" grep -q "$want_b  /b" <<<"$out"
"$zero" fs get "$disk" /b "$work/b.out"
check "zero_fs_get_of_the_wasm_file_equals_b3sum" test "$(b3sum --no-names "$work/b.out")" = "$want_b"
verifies() { "$zero" verify "$disk" >/dev/null 2>&1; }
check "zero_verify_accepts_the_disk" verifies
tap_done
