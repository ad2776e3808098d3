#!/usr/bin/env bash
# The filesystem on x86_64 with every service in its own process: the
# terminal's file commands over the serial console read the namespace by
# query messages to the Axiom's process and the content from the file
# store in that process (docs/services.md); the disk then passes the
# host's zero verify and zero-hosted reads the same files.
source "$(dirname "$0")/../lib/qemu.sh"
zero=build/bin/zero
zh=build/bin/zero-hosted
work=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] && cp "$log" "$KEEP"; rm -rf "$work"' EXIT
disk=$work/disk.img
log=$work/serial.log

# The console's text, one line per line.  The first command of a boot may
# follow another process's line instead of the prompt (the COM2 process
# reports its capabilities as the terminal starts).
text() { tr -d '\r\0' <"$log"; }
has() { text | grep -E -- "$1" >/dev/null; }
boot() {
    local input=''
    for l in "$@" exit; do input+="$l\\r"; done
    qemu_run_input "$log" 120 'zero> ' "$input" -cpu max -kernel "$KERNEL" \
        -initrd build/x86_64/bin/zero-node \
        -drive "file=$disk,if=none,id=d0,format=raw" -device virtio-blk-pci,drive=d0
}

truncate -s 16M "$disk"
boot 'mkdir /docs' 'put /docs/hello.txt' 'hello from x86_64' 'second line' '.' \
    'ls /docs' 'cat /docs/hello.txt' 'stat /docs/hello.txt' 'ls /' 'ls /nope' \
    'cat /docs' 'put /docs/gone.txt' 'bye' '.' 'rm /docs/gone.txt' 'ls /docs' 'df' 'fs gc' \
    'axiom verify'
! has 'the Axiom is not reachable'
tap_check $? "x86_64_fs_commands_reach_the_axiom"
has '^(zero> )?mkdir /docs$' && has 'committed #1 [0-9a-f]{64}$' && has 'committed #2 '
tap_check $? "x86_64_mkdir_and_put_commit"
text | grep -A3 '^zero> ls /docs$' | grep -E '^- +30 root +hello\.txt$' >/dev/null
tap_check $? "x86_64_ls_lists_the_file_with_its_size"
text | grep -A2 '^zero> cat /docs/hello.txt$' | tr '\n' '|' | grep 'hello from x86_64|second line|' >/dev/null
tap_check $? "x86_64_cat_prints_the_content"
hash=$(printf 'hello from x86_64\nsecond line\n' | b3sum --no-names)
has '^path  /docs/hello.txt$' && has '^kind  file$' && has '^size  30$' && has "^hash  $hash\$"
tap_check $? "x86_64_stat_shows_the_blake3_of_the_content"
has '^entry #2$'
tap_check $? "x86_64_stat_names_the_entry_that_wrote_it"
text | grep -A2 '^zero> ls /$' | grep -E '^d +0 root +docs/$' >/dev/null
tap_check $? "x86_64_ls_root_lists_the_directory"
has '^error: /nope: no such file or directory$' && has '^error: /docs: is a directory$' &&
    ! has 'service is gone'
tap_check $? "x86_64_fs_errors_name_the_path"
has 'committed #4 ' && text | sed -n '/^zero> rm \/docs\/gone.txt$/,$p' |
    grep -A3 '^zero> ls /docs$' | grep 'hello.txt' >/dev/null &&
    ! text | sed -n '/^zero> rm \/docs\/gone.txt$/,$p' | grep -A3 '^zero> ls /docs$' | grep gone >/dev/null
tap_check $? "x86_64_rm_removes_the_file"
has '^store [0-9]+ KiB, [0-9]+ KiB used, [0-9]+ objects; 1 files \(30 bytes\), 1 directories$' &&
    has '^gc: [0-9]+ objects reclaimed$'
tap_check $? "x86_64_df_and_gc_count_the_namespace"
has '^ok: 5 entries in 5 batches replayed from the disk'
tap_check $? "x86_64_axiom_verify_after_file_changes"

"$zero" verify "$disk" >/dev/null 2>&1
tap_check $? "host_zero_verify_accepts_the_x86_64_files"
out=$(printf '%s\n' 'cat /docs/hello.txt' | "$zh" --disk "$disk" 2>&1)
grep -q 'hello from x86_64$' <<<"$out" && grep -q '^second line$' <<<"$out"
tap_check $? "hosted_reads_a_file_written_on_x86_64"

# A file over 1 MiB: brought in on hosted, copied on x86_64 (read back in
# 16 KiB messages, every chunk verified, then put in parts through the
# shared frames and committed as one entry), appended to; the copies'
# hashes are b3sum's of the same bytes.
big=$work/big.bin
head -c 1572864 /dev/urandom >"$big"
"$zh" --disk "$disk" --import "$big:/docs/big.bin" </dev/null >/dev/null 2>&1
boot 'cp /docs/big.bin /docs/copy.bin' 'hash /docs/copy.bin' 'append /docs/copy.bin' 'tail' '.' \
    'stat /docs/copy.bin'
want=$(b3sum --no-names "$big")
has "^$want  /docs/copy.bin\$" && text | grep -A1 -E '^(zero> )?cp /docs/big.bin' | grep '^committed #' >/dev/null
tap_check $? "x86_64_cp_of_a_1536KiB_file_commits_its_b3sum"
want2=$( (cat "$big"; echo tail) | b3sum --no-names)
has '^size  1572869$' && has "^hash  $want2\$"
tap_check $? "x86_64_append_to_it_names_the_blake3_of_the_whole_content"
"$zero" fs get "$disk" /docs/copy.bin "$work/back" >/dev/null 2>&1 &&
    [ "$(b3sum --no-names "$work/back")" = "$want2" ] && "$zero" verify "$disk" >/dev/null 2>&1
tap_check $? "host_reads_the_large_x86_64_file_back_with_the_same_b3sum"
echo "1..$TESTNUM"
