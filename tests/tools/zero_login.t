#!/usr/bin/env bash
# Who the console acts as: `as` is an act_as entry the policy allows or
# refuses (and refused for a principal holding its own key); `login NAME`
# proves a derived-key principal with the operator's passphrase (a sealed
# key slot) and an own-key principal with a signature over a fresh
# challenge (zero login); wrong answers are refused.  Both verifiers
# accept the log.
cd "$(dirname "$0")/../.."
zh=build/bin/zero-hosted
zero=build/bin/zero
work=$(mktemp -d)
. tests/lib/tap.sh
disk=$work/d.img
pid=
trap 'exec 3>&- 2>/dev/null; [ -n "$pid" ] && kill $pid 2>/dev/null; [ -n "${KEEP:-}" ] && echo "# kept $work" || rm -rf "$work"' EXIT
has() { grep -qE -- "$2" <<<"$1"; }

"$zero" key gen "$work/alice.key"
"$zero" key gen "$work/other.key"
apub=$("$zero" key pub "$work/alice.key")

# --- as: an act_as entry, policy-checked, recorded -------------------------
out=$(printf '%s\n' 'id create bob' "id create alice --kind user --pubkey $apub" \
    'as alice note x' 'as bob whoami' 'as ghost note x' 'login bob' 'axiom log 3' 'whoami' |
    "$zh" --disk "$disk" --size 8 2>&1)
check "as_refused_for_own_key_principal" has "$out" 'denied: act_as alice: alice holds its own key: the node cannot act for it'
check "as_runs_the_command_as_the_principal" has "$out" '^zero> bob$'
check "as_unknown_principal_refused" has "$out" 'error: act_as ghost: no principal ghost'
check "as_is_recorded_as_act_as_entry" has "$out" '^#3 +[0-9a-f]{16} root +act_as +bob +\[rule #1\]$'
check "as_of_refused_target_commits_nothing" bash -c "! grep -q '^#4 ' <<<'$out'"
check "login_needs_a_sealed_slot_for_derived_keys" has "$out" 'denied: the key slot is not sealed'
check "console_without_login_acts_as_node" has "$out" '^zero> root$'

# --- login by passphrase on a sealed disk ----------------------------------
printf 'pass-word\n' >"$work/pass"
"$zero" key seal "$disk" --passphrase-fd 4 --kdf 1,64,1 4<"$work/pass" >/dev/null 2>&1
check "disk_sealed_with_small_kdf" test $? -eq 0
out=$(printf '%s\n' 'whoami' 'note nobody' 'login bob' 'wrong' 'whoami' 'login bob' 'pass-word' \
    'whoami' 'as root note x' 'login root' 'pass-word' 'id create carol' \
    'policy allow bob act_as carol' 'login bob' 'pass-word' 'as carol whoami' 'axiom log 1' 'logout' \
    'whoami' | "$zh" --disk "$disk" --login --passphrase-fd 4 4<"$work/pass" 2>&1)
check "login_option_asks_who_you_are" has "$out" '^who are you\? log in with: login NAME$'
check "login_option_starts_as_nobody" has "$out" '^zero> nobody \(login NAME\)$'
check "nobody_cannot_propose" has "$out" 'denied: nobody is logged in \(login NAME\)$'
check "login_wrong_passphrase_refused" has "$out" 'denied: wrong passphrase'
check "login_wrong_passphrase_leaves_nobody" bash -c "grep -A1 'wrong passphrase' <<<'$out' | grep -q '^zero> nobody'"
check "login_right_passphrase_logs_in" has "$out" 'logged in as bob'
check "as_refused_where_policy_does_not_allow" has "$out" 'denied: no rule allows bob act_as root \(default deny\)'
check "as_allowed_by_policy" has "$out" '^zero> carol$'
check "as_records_who_acted" has "$out" '^zero> #[0-9]+ +[0-9a-f]{16} bob +act_as +carol +\[rule #2\]$'
check "logout_acts_as_nobody" bash -c "[ \$(grep -c 'nobody (login NAME)' <<<'$out') -eq 3 ]"

# --- login by a signed challenge (the key on the host side) ----------------
mkfifo "$work/in"
sock=$work/node.sock
"$zh" --disk "$disk" --passphrase-fd 4 4<"$work/pass" --listen "$sock" <"$work/in" >"$work/out" 2>&1 &
pid=$!
exec 3>"$work/in"
# Waits until the output holds N lines matching PATTERN.
wait_for() {
    for _ in $(seq 1 100); do
        [ "$(grep -c -- "$2" "$work/out")" -ge "$1" ] && return 0
        sleep 0.1
    done
    return 1
}
# The Nth challenge (after an answer over the socket it may follow the prompt's line).
challenge() { grep -o 'challenge [0-9a-f]\{64\}$' "$work/out" | sed -n "${1}p" | cut -d' ' -f2; }
echo 'login alice' >&3
wait_for 1 '^zero> challenge '
c1=$(challenge 1)
check "challenge_is_32_bytes" test ${#c1} -eq 64
bad=$("$zero" login --key "$work/other.key" alice "$c1")
echo "login alice $bad" >&3
check "login_signature_by_another_key_refused" wait_for 1 'denied: bad signature of alice over the challenge'
good=$("$zero" login --key "$work/alice.key" alice "$c1")
echo "login alice $good" >&3
check "challenge_answers_once" wait_for 1 'denied: no challenge outstanding for alice'
echo 'login alice' >&3
wait_for 2 '^zero> challenge '
c2=$(challenge 2)
check "each_challenge_is_fresh" test "$c1" != "$c2"
echo "login alice $good" >&3
check "old_signature_refused_for_new_challenge" wait_for 2 'denied: bad signature of alice'
echo 'login alice' >&3
wait_for 3 '^zero> challenge '
echo "login alice $("$zero" login --key "$work/alice.key" alice "$(challenge 3)")" >&3
check "login_with_signed_challenge" wait_for 1 'logged in as alice'
# --- the answer sent over the socket (zero login --submit) ------------------
echo 'logout' >&3
echo 'login alice' >&3
wait_for 4 'challenge [0-9a-f]\{64\}$'
c4=$(challenge 4)
out=$("$zero" login --key "$work/other.key" --submit "$sock" alice "$c4")
rc=$?
check "submit_login_other_keys_signature_denied" \
    bash -c "[ $rc = 1 ] && grep -q '^denied: bad signature of alice over the challenge$' <<<'$out'"
check "submit_login_refusal_shown_at_the_console" wait_for 3 'denied: bad signature of alice'
out=$("$zero" login --key "$work/alice.key" --submit "$sock" alice "$c4")
check "submit_login_stale_challenge_denied" grep -q '^denied: no challenge outstanding for alice' <<<"$out"
echo 'login alice' >&3
wait_for 5 'challenge [0-9a-f]\{64\}$'
out=$("$zero" login --key "$work/alice.key" --submit "$sock" alice "$(challenge 5)")
rc=$?
check "submit_login_logs_the_console_in" bash -c "[ $rc = 0 ] && [ '$out' = 'logged in as alice' ]"
check "submit_login_shown_at_the_console" wait_for 2 'logged in as alice'
out=$("$zero" login --key "$work/alice.key" --submit "$sock" bob "$(challenge 5)")
check "submit_login_derived_key_principal_denied" grep -q '^denied: bob has no key of its own' <<<"$out"
printf '%s\n' 'whoami' 'note from the console' 'exit' >&3
check "node_cannot_propose_for_logged_in_own_key_user" \
    wait_for 1 'denied: alice holds its own key: only a proposal signed by it can act for it'
wait $pid
pid=
check "console_shows_logged_in_principal" grep -qE '^(zero> )?alice$' "$work/out"

# --- the log ----------------------------------------------------------------
check "zero_verify_accepts_act_as_entries" bash -c "'$zero' verify '$disk' | grep -q '^ok: '"
if command -v node >/dev/null; then
    check "zero_verify_js_accepts_act_as_entries" \
        bash -c "node tools/verify-js/zero-verify.js '$disk' | grep -q '^ok: '"
fi
check "zero_login_help" bash -c "'$zero' login --help | grep -q '^usage: zero login'"
"$zero" login --key "$work/alice.key" alice 1234 >/dev/null 2>&1
check "zero_login_bad_challenge_exits_2" test $? -eq 2
"$zero" login --key "$work/alice.key" Alice "$c1" >/dev/null 2>&1
check "zero_login_bad_name_exits_2" test $? -eq 2
tap_done
