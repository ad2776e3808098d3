#!/usr/bin/env bash
# An example agent (docs/agents.md): a principal that holds its own key and
# acts on a Zero OS node only through signed proposals, using nothing but
# the zero host tool.  The node never sees its key, so every entry it gets
# committed carries its own signature, which zero verify checks.
#
#   agent.sh --socket PATH --key FILE --name NAME ACTION ARGS...
#
# ACTION ARGS are those of zero propose (note TEXT..., id.rotate ..., ...).
# The agent keeps its next proposal number in FILE.number (1 at first) and
# counts it up only when the node answers "committed": a denied proposal
# commits nothing and uses no number.  Exits 0 committed, 1 denied, 2 error.
set -u
zero=${ZERO:-zero}

usage() {
    echo "usage: agent.sh --socket PATH --key FILE --name NAME ACTION ARGS..." >&"$1"
    echo "ACTION ARGS: as for 'zero propose' (note TEXT..., id.rotate NAME PUBKEY, ...)" >&"$1"
}

sock= key= name=
while [ $# -gt 0 ]; do
    case $1 in
    --socket) sock=${2-}; shift 2 ;;
    --key) key=${2-}; shift 2 ;;
    --name) name=${2-}; shift 2 ;;
    -h | --help) usage 1; exit 0 ;;
    *) break ;;
    esac
done
if [ -z "$sock" ] || [ -z "$key" ] || [ -z "$name" ] || [ $# -lt 1 ]; then
    usage 2
    exit 2
fi

numfile=$key.number
number=$(cat "$numfile" 2>/dev/null || echo 1)
proposal=$(mktemp)
trap 'rm -f "$proposal"' EXIT

# Sign the proposal on this side: the key file never leaves the agent.
"$zero" propose --key "$key" --proposer "$name" --number "$number" "$@" >"$proposal" || exit 2
answer=$("$zero" submit "$sock" "$proposal")
rc=$?
echo "$name #$number $*: $answer"
if [ $rc -eq 0 ]; then
    echo $((number + 1)) >"$numfile"
fi
exit $rc
