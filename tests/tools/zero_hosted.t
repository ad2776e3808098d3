#!/usr/bin/env bash
# Scripted terminal sessions against zero-hosted through a pipe: commit,
# deny, revoke, policy change, restart and continue, recovery of a torn
# tail, refusal of corruption, and bad input.
cd "$(dirname "$0")/../.."
zh=${ZERO_HOSTED:-build/bin/zero-hosted}  # tests/tools/zero_hosted_on_wasm.t runs this on wasm
zero=build/bin/zero
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
disk=$work/disk.img
n=0
check() {
    local name=$1
    shift
    n=$((n + 1))
    if "$@"; then echo "ok $n - $name"; else echo "not ok $n - $name"; fi
}
has() { grep -qE -- "$2" <<<"$1"; }
session() { printf '%s\n' "$@" | "$zh" --disk "$disk" --size 4 2>&1; }
entries() { session 'axiom head' | sed -n 's/.*(\([0-9]*\) entries).*/\1/p'; }
# flip DISK OFFSET: inverts one byte in place
flip() {
    local v
    v=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
    printf "\\x$(printf %02x $((v ^ 255)))" | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}

out=$(session 'id create alice')
check "hosted_formats_new_disk_and_says_so" has "$out" 'disk .*\(new, formatted\): 1 entries, node root'
check "hosted_commit_prints_sequence_and_hash" has "$out" 'committed #1 [0-9a-f]{64}$'
check "hosted_prompt_is_zero" has "$out" '^zero> '

before=$(entries)
out=$(session 'as alice id create bot --kind agent')
check "hosted_policy_denial_prints_denied_reason" has "$out" 'denied: no rule allows alice id.create bot \(default deny\)'
# Only the act_as entry of `as` (root may act as alice) is committed.
check "hosted_denied_action_commits_nothing" test "$(entries)" = "$((before + 1))"

out=$(session 'policy allow kind:user id.create * if resource.kind == agent and resource.parent == proposer' 'as alice id create bot --kind agent' 'policy show')
check "hosted_policy_change_commits" has "$out" 'committed #3 '
check "hosted_new_rule_allows_agent" has "$out" 'committed #5 '
check "hosted_policy_show_lists_rule_with_id" has "$out" '#2 +allow kind:user id.create'

out=$(session 'policy deny root * *' 'policy remove 1' 'policy deny * policy.remove *')
check "hosted_rule_locking_out_root_refused" has "$out" 'denied: this rule would lock root out of changing the policy'
check "hosted_removing_roots_rule_refused" has "$out" 'denied: removing rule #1 would lock root out of changing the policy'
check "hosted_lockout_guard_sees_wildcards" bash -c "[[ \$(grep -c 'would lock root out' <<<'$out') -eq 3 ]]"
out=$(session 'as nobody note hi')
check "hosted_unknown_principal_refused" has "$out" 'error: act_as nobody: no principal nobody'
out=$(session 'as alice policy allow * * *')
check "hosted_policy_change_needs_policy" has "$out" 'denied: no rule allows alice policy.add policy'

out=$(session 'id revoke alice' 'as bot note hi' 'id list' 'id revoke alice' 'id rotate bot')
check "hosted_revoke_commits" has "$out" 'committed #7 '
check "hosted_revoked_agent_cannot_act" has "$out" 'denied: act_as bot: bot is revoked'
check "hosted_id_list_shows_revoked" has "$out" 'alice +user +root +0 revoked'
check "hosted_revoking_twice_says_already_revoked" has "$out" 'denied: id.revoke alice: alice is revoked'
check "hosted_rotating_revoked_says_revoked" has "$out" 'denied: id.rotate bot: bot is revoked'

out=$(session 'axiom head' 'id create carol --kind service' 'axiom log 2' 'axiom verify')
check "hosted_restart_keeps_every_entry" has "$out" 'sequence +#7 \(8 entries\)'
check "hosted_restart_continues_sequence" has "$out" 'committed #8 '
check "hosted_axiom_log_shows_latest" has "$out" '#8 +[0-9a-f]{16} root +id.create +carol \(service\)'
check "hosted_axiom_verify_replays_disk" has "$out" 'ok: 9 entries in 9 batches replayed'

long=$(head -c 5000 /dev/zero | tr '\0' 'x')
out=$(session "$long" 'whoami')
check "hosted_oversized_line_refused" has "$out" 'error: line longer than 4096 bytes ignored'
check "hosted_works_after_oversized_line" has "$out" 'zero> root'
out=$(session 'id create Bad' 'policy allow just two' 'policy remove 99' 'frobnicate')
check "hosted_invalid_name_is_an_error" has "$out" "error: invalid name 'Bad'"
check "hosted_bad_rule_is_an_error" has "$out" 'error: bad rule'
check "hosted_unknown_rule_is_an_error" has "$out" 'error: policy.remove #99: no such rule'
check "hosted_unknown_command_is_an_error" has "$out" "error: unknown command 'frobnicate'"
check "hosted_bad_input_commits_nothing" test "$(entries)" = 9

# A torn tail after the last batch is cut back on start, nothing acknowledged lost.
# The log's bytes start at 8704: segment 0 sits in the first slot of the log
# region (8192), after its 512-byte header (docs/formats.md "Log segments").
bytes=$("$zero" export "$disk" "$work/x.log" | sed -n 's/.*(\([0-9]*\) bytes of log).*/\1/p')
head -c 700 /dev/urandom | dd of="$disk" bs=1 seek=$((8704 + bytes)) conv=notrunc 2>/dev/null
"$zero" verify "$disk" >"$work/v" 2>&1
check "verify_reports_torn_tail_and_passes" bash -c "grep -q 'torn tail of' '$work/v'"
out=$(session 'axiom head')
check "hosted_recovery_cuts_torn_tail" has "$out" 'recovery: cut [0-9]+ bytes of torn tail after entry #8'
check "hosted_recovery_keeps_acknowledged_entries" has "$out" '\(9 entries\)'
out=$(session 'axiom head')
check "hosted_second_start_is_clean" bash -c "! grep -q recovery <<<'$out'"

# Corruption in the middle is refused with a report, never skipped.
cp "$disk" "$work/good.img"
flip "$disk" $((8704 + 512 + 100))
out=$(session 'axiom head')
rc=$?
check "hosted_refuses_mid_log_corruption" has "$out" 'cannot start on .*later entries follow'
"$zero" verify "$disk" >"$work/v" 2>&1
check "verify_names_first_bad_entry" bash -c "test $? -eq 1 && grep -q 'FAILED: .*entry #1 at log offset 512' '$work/v'"
cp "$work/good.img" "$disk"

# Garbage and truncated disks.
head -c 1048576 /dev/urandom >"$work/garbage.img"
"$zh" --disk "$work/garbage.img" </dev/null >"$work/o" 2>&1
check "hosted_garbage_disk_refused_exit_2" bash -c "test $? -eq 2 && grep -q 'not a Zero OS disk' '$work/o'"
head -c 1048576 "$disk" >"$work/short.img"
"$zh" --disk "$work/short.img" </dev/null >"$work/o" 2>&1
check "hosted_truncated_disk_refused_exit_2" bash -c "test $? -eq 2 && grep -q 'does not fit the device' '$work/o'"
"$zh" --disk "$work/none/x.img" </dev/null >"$work/o" 2>&1
check "hosted_unopenable_disk_exit_2" test $? -eq 2
out=$(printf 'id create m\nid list\n' | "$zh" 2>&1)
check "hosted_runs_on_memory_disk_without_disk_option" has "$out" 'disk \(memory\) \(new, formatted\)'
# A state condition: users may revoke what they issued, directly or not.
disk=$work/under.img
out=$(session 'id create ann' 'id create zed' 'policy allow kind:user id.create * if resource.kind == agent' \
    'as ann id create a1 --kind agent' 'policy allow kind:user id.revoke * if resource.under == proposer and resource != proposer' \
    'as zed id revoke a1' 'as ann id revoke a1' 'as ann id revoke ann')
check "hosted_under_condition_denies_other_users" has "$out" 'denied: no rule allows zed id.revoke a1'
check "hosted_under_condition_allows_issuer" has "$out" 'committed #9 '
check "hosted_under_condition_excludes_self" has "$out" 'denied: no rule allows ann id.revoke ann'

# The node key rotates; the log still verifies from its genesis key.
disk=$work/rot.img
session 'note before' >/dev/null
gkey=$("$zero" verify "$disk" | sed -n 's/.* key \([0-9a-f]\{64\}\)$/\1/p')
out=$(session 'id rotate root' 'note after rotation')
check "hosted_node_key_rotation_commits" has "$out" 'committed #3 '
out=$(session 'note after restart')
check "hosted_restart_after_node_rotation" has "$out" 'committed #4 '
out=$("$zero" verify "$disk" --key "$gkey")
check "verify_rotated_node_key_chains_from_genesis_key" has "$out" "^ok: .*key $gkey \(rotated 1 times, now [0-9a-f]{64}\)"

# time COMMAND: runs the command and says how long it took (ns on hosted).
disk=$work/time.img
out=$(session 'time note timed' 'time' 'time time note x' 'time nosuch')
check "time_runs_the_command_and_prints_its_duration" \
    bash -c 'grep -q "committed #1 " <<<"$1" && grep -qE "time: [0-9]+ ns$" <<<"$1"' _ "$out"
check "time_without_a_command_or_of_time_is_refused" \
    bash -c 'grep -q "usage: time COMMAND" <<<"$1" && grep -q "error: .time. cannot be timed" <<<"$1" &&
        grep -q "error: .nosuch. cannot be timed" <<<"$1"' _ "$out"
echo "1..$n"
