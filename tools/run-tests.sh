#!/usr/bin/env bash
# Runs every test program given on the command line through prove, so that
# its one closing summary counts them all (and names every failed test).  Missing unit-test binaries are
# an error (the build must have produced them).
set -uo pipefail
cd "$(dirname "$0")/.."
tests=()
for t in "$@"; do
    if [ ! -e "$t" ]; then
        echo "run-tests: missing test $t (was the build complete?)" >&2
        exit 1
    fi
    tests+=("$t")
done
exec prove --failures -j"${JOBS:-2}" "${tests[@]}"
