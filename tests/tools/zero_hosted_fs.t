#!/usr/bin/env bash
# Scripted terminal sessions with files: put, cat, append, hash (= b3sum),
# ls, stat, mv, rm, mkdir, rmdir, quota, df, fs gc; bad paths, policy
# denials and quotas commit nothing; files survive a restart; zero verify and
# the JavaScript verifier agree on the disk; a damaged data block fails the
# read that touches it, naming the file and the chunk, and no other.
cd "$(dirname "$0")/../.."
zh=${ZERO_HOSTED:-build/bin/zero-hosted}
zero=build/bin/zero
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
disk=$work/disk.img
. tests/lib/tap.sh
has() { grep -qE -- "$2" <<<"$1"; }
q() { "$@" >/dev/null 2>&1; }
skip() { tap_n=$((tap_n + 1)); echo "ok $tap_n - $1 # SKIP $2"; }
hasnt() { ! grep -qE -- "$2" <<<"$1"; }
session() { printf '%s\n' "$@" | "$zh" --disk "$disk" --size 16 2>&1; }
entries() { session 'axiom head' | sed -n 's/.*(\([0-9]*\) entries).*/\1/p'; }
printf 'hello world\nsecond line\n' >"$work/hello"
want=$(b3sum --no-names "$work/hello" 2>/dev/null)
out=$(session 'mkdir /home' 'put /home/hello.txt' 'hello world' 'second line' '.' \
    'ls /home' 'cat /home/hello.txt' 'hash /home/hello.txt' 'stat /home/hello.txt')
check "fs_mkdir_and_put_commit" test "$(grep -cE 'committed #[0-9]+ [0-9a-f]{64}' <<<"$out")" -eq 2
check "fs_ls_lists_the_file_with_size_and_owner" has "$out" '^zero> - +24 root +hello.txt$'
check "fs_cat_prints_the_lines_put" has "$out" 'hello world'
if [ -n "$want" ]; then
    check "fs_hash_equals_b3sum" has "$out" "$want  /home/hello.txt"
else
    skip "fs_hash_equals_b3sum" "b3sum not installed"
fi
check "fs_stat_names_size_owner_and_hash" has "$out" 'size  24'
put_seq=$(sed -n 's/.*committed #\([0-9]*\) .*/\1/p' <<<"$out" | tail -1)
check "fs_stat_names_the_entry_that_wrote_it" has "$out" "^entry #$put_seq\$"

out=$(session 'append /home/hello.txt' 'third' '.' 'cat /home/hello.txt' 'mv /home/hello.txt /home/h' \
    'cat /home/h' 'cat /home/hello.txt' 'stat /home/h')
mv_seq=$(sed -n 's/.*committed #\([0-9]*\) .*/\1/p' <<<"$out" | tail -1)
check "fs_stat_names_the_entry_that_moved_it" has "$out" "^entry #$mv_seq\$"
check "fs_append_adds_to_the_end" has "$out" 'third'
check "fs_mv_moves" has "$out" 'error: /home/hello.txt: no such file'

before=$(entries)
out=$(session 'put /home/../etc' 'x' '.' 'put /home//x' 'y' '.' 'put relative' 'z' '.' \
    'put /nodir/f' 'a' '.' 'rm /home' 'rmdir /home' 'mkdir /home')
check "fs_dotdot_refused_with_reason" has "$out" "error: /home/../etc: '.' and '..' are not allowed"
check "fs_empty_component_refused" has "$out" 'error: /home//x: empty path component'
check "fs_relative_path_refused" has "$out" 'error: relative: path must start with /'
check "fs_body_of_a_refused_put_is_not_run" hasnt "$out" "unknown command"
check "fs_missing_parent_refused" has "$out" 'fs.put /nodir/f: no such file'
check "fs_rm_of_a_directory_refused" has "$out" 'fs.rm /home: a directory'
check "fs_rmdir_of_a_full_directory_refused" has "$out" 'fs.rmdir /home: not an empty directory'
check "fs_refusals_commit_nothing" test "$(entries)" = "$before"

out=$(session 'id create alice' 'mkdir /home/alice' 'as alice put /home/alice/a' 'x' '.')
check "fs_policy_denies_unruled_write" has "$out" 'denied: no rule allows alice fs.write /home/alice/a \(default deny\)'
out=$(session 'policy allow alice fs.write /home/alice/*' 'as alice put /home/alice/a' 'abc' '.' \
    'as alice put /home/b' 'x' '.' 'quota alice 10' 'as alice put /home/alice/big' '0123456789' '.' \
    'as alice append /home/alice/a' 'de' '.' 'stat /home/alice/a')
check "fs_rule_on_a_path_allows_its_writes" has "$out" 'committed #[0-9]+ .*'
check "fs_rule_does_not_reach_beside_the_path" has "$out" 'denied: no rule allows alice fs.write /home/b'
check "fs_quota_refuses_a_write_past_it" has "$out" 'quota of alice exceeded'
check "fs_quota_lets_a_write_within_it" has "$out" 'owner alice'

# A file of several chunks (FastCDC: 16 KiB minimum), and one beside it.
awk 'BEGIN { srand(7); for (i = 0; i < 200; i++) { s = ""; for (j = 0; j < 300; j++) s = s sprintf("%c", 97 + int(rand() * 26)); print s } }' >"$work/big"
{ echo 'put /home/big'; cat "$work/big"; echo '.'; echo 'hash /home/big'; } | "$zh" --disk "$disk" --size 16 >"$work/out" 2>&1
bigsum=$(b3sum --no-names "$work/big" 2>/dev/null)
check "fs_large_put_commits" grep -qE 'committed #' "$work/out"
[ -n "$bigsum" ] && check "fs_large_hash_equals_b3sum" grep -q "$bigsum  /home/big" "$work/out"
out=$(session 'cat /home/big')
got=$(sed -n '3,202p' <<<"$out" | sed '1s/^zero> //' | b3sum --no-names 2>/dev/null)
check "fs_large_file_reads_back_after_restart" test "$got" = "$bigsum"

verifies() { "$zero" verify "$disk" >/dev/null 2>&1; }
check "fs_zero_verify_accepts_the_disk" verifies
if command -v node >/dev/null; then
    c=$("$zero" verify "$disk" | sed -n 's/.*state root \([0-9a-f]\{64\}\).*/\1/p')
    j=$(node tools/verify-js/zero-verify.js "$disk" | sed -n 's/.*state root \([0-9a-f]\{64\}\).*/\1/p')
    check "fs_js_verifier_reaches_the_same_state_root" test -n "$c" -a "$c" = "$j"
else
    skip "fs_js_verifier_reaches_the_same_state_root" "node not installed"
fi

# Damage one byte of the big file's data on the disk.
off=$(grep -obUaF "$(sed -n 100p "$work/big")" "$disk" | head -1 | cut -d: -f1)
flip "$disk" $((off + 10)) 255
out=$(session 'cat /home/big' 'cat /home/h' 'hash /home/big')
check "fs_damaged_chunk_names_file_and_chunk" has "$out" 'error: /home/big: chunk [0-9]+ at offset [0-9]+ \([0-9a-f]+.*\) is damaged'
check "fs_other_files_still_read" has "$out" 'hello world'
check "fs_zero_verify_still_accepts_the_log" verifies

out=$("$zero" fs get "$disk" /home/big "$work/got" 2>&1)
check "fs_offline_get_reports_the_damaged_chunk" has "$out" 'zero fs: /home/big: chunk [0-9]+ at offset [0-9]+ .* is damaged'
check "fs_offline_get_leaves_no_partial_output" test ! -e "$work/got"

out=$(session 'df' 'rm /home/big' 'df' 'fs gc')
objs=$(sed -n 's/.* KiB used, \([0-9]*\) objects.*/\1/p' <<<"$out" | tr '\n' ' ')
set -- $objs
check "fs_rm_reclaims_the_content_after_its_commit" test "${1:-0}" -gt "${2:-0}"
check "fs_gc_then_finds_nothing_more" has "$out" 'gc: 0 objects reclaimed'
# Host files in, and back out offline, byte for byte.
mkdir -p "$work/tree/sub"
head -c 600000 /dev/urandom >"$work/tree/rand.bin"
echo 'nested' >"$work/tree/sub/n.txt"
disk2=$work/disk2.img
out=$(echo 'ls /imp' | "$zh" --disk "$disk2" --size 32 --import "$work/tree:/imp" --import "$work/hello:/hello" 2>&1)
check "fs_import_prints_one_commit_per_change" test "$(grep -cE '^committed #[0-9]+ [0-9a-f]{64}$' <<<"$out")" -eq 5
check "fs_import_files_are_listed" has "$out" 'rand.bin'
hello_seq=$(sed -n 's/^committed #\([0-9]*\) .*/\1/p' <<<"$out" | tail -1)
out=$("$zh" --disk "$disk2" --import "$work/nothere:/x" </dev/null 2>&1)
check "fs_import_of_a_missing_host_file_fails" has "$out" 'error: cannot read'
"$zero" fs get "$disk2" /imp/rand.bin "$work/rand.out"
check "fs_zero_fs_get_equals_b3sum_of_the_original" test "$(b3sum --no-names "$work/rand.out")" = "$(b3sum --no-names "$work/tree/rand.bin")"
check "fs_zero_fs_cat" test "$("$zero" fs cat "$disk2" /imp/sub/n.txt)" = nested
check "fs_zero_fs_ls" has "$("$zero" fs ls "$disk2" /imp)" '^d +0 root +sub/$'
check "fs_zero_fs_stat_hash_is_b3sum" has "$("$zero" fs stat "$disk2" /hello)" "hash  $want"
check "fs_zero_fs_stat_names_the_entry" has "$("$zero" fs stat "$disk2" /hello)" "^entry #$hello_seq\$"
out=$("$zero" fs prove "$disk2" /imp/rand.bin -o "$work/proof")
check "fs_prove_names_the_signed_checkpoint" has "$out" 'in the checkpoint of batch [0-9]+'
key=$(sed -n 's/.*signed by \([0-9a-f]\{64\}\).*/\1/p' <<<"$out")
check "fs_check_accepts_the_proof" q "$zero" fs check "$work/proof" --key "$key"
check "fs_check_refuses_another_key" bash -c "! '$zero' fs check '$work/proof' --key $(printf '%064d' 0) >/dev/null"
bad=0
size=$(stat -c %s "$work/proof")
for off in $(seq 0 7 $((size - 1))); do
    cp "$work/proof" "$work/p2"
    flip "$work/p2" "$off" 255
    "$zero" fs check "$work/p2" --key "$key" >/dev/null 2>&1 && bad=$((bad + 1))
done
check "fs_check_refuses_every_altered_byte_tried" test "$bad" -eq 0
tap_done
