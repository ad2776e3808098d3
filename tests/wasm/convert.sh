#!/usr/bin/env bash
# Converts the spec test suite (.wast) into JSON command lists and binary
# modules with wabt's wast2json, and lists the JSON files for the runner.
#   usage: convert.sh SRC_DIR OUT_DIR [OWN_DIR]
# core-1.0/ is converted with every post-1.0 feature off; core/ (the 2.0
# features Zero's engine supports) and OWN_DIR (Zero's own .wast files,
# listed as set "zero") with wabt's defaults.
set -euo pipefail
src=$1
out=$2
own=${3:-}
mvp="--disable-saturating-float-to-int --disable-sign-extension --disable-simd \
     --disable-multi-value --disable-bulk-memory --disable-reference-types"
command -v wast2json >/dev/null || { echo "convert.sh: wast2json not found (Debian package wabt)" >&2; exit 1; }
tmp=$out.tmp
rm -rf "$tmp"
mkdir -p "$tmp"
: >"$tmp/list.txt"
for set in core-1.0 core zero; do
    flags=""
    [ "$set" = core-1.0 ] && flags=$mvp
    dir_in=$src/$set
    if [ "$set" = zero ]; then
        [ -n "$own" ] || continue
        dir_in=$own
    fi
    for w in "$dir_in"/*.wast; do
        name=$(basename "$w" .wast)
        dir=$tmp/$set/$name
        mkdir -p "$dir"
        # shellcheck disable=SC2086
        wast2json $flags "$w" -o "$dir/$name.json"
        echo "$out/$set/$name/$name.json" >>"$tmp/list.txt"
    done
done
rm -rf "$out"
mv "$tmp" "$out"
