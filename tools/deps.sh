#!/usr/bin/env bash
# Installs the Debian packages Zero OS needs to build, test, run and
# benchmark.  Safe to run any number of times: it installs only what is
# missing.  Needs root for apt-get; otherwise prints the command to run.
set -euo pipefail

PACKAGES=(
    make gcc clang lld llvm clang-format clang-tidy perl   # toolchain, prove
    libclang-rt-14-dev                                     # libFuzzer, sanitizers
    qemu-system-x86 grub-pc-bin grub-efi-amd64-bin grub-common xorriso mtools ovmf
    wasi-libc libclang-rt-14-dev-wasm32 nodejs             # wasm platform
    wabt                                                   # WebAssembly spec suite, peer interpreter
    binaryen                                               # wasm-opt -ttf: differential fuzzing
    b3sum libsodium-dev libsqlite3-dev cpio bc             # peers in tests and benchmarks
    curl netcat-openbsd dnsmasq-base iproute2 python3      # network peers (tests/lib/net/tap.t)
    chromium                                               # the web page's tests (docs/web.md)
)

# xterm.js and playwright-core for the web page, from web/package-lock.json.
web_npm() {
    command -v npm >/dev/null || { echo "deps: npm is missing (it comes with nodejs)" >&2; return; }
    if [ ! -f web/node_modules/.package-lock.json ] || [ web/package-lock.json -nt web/node_modules/.package-lock.json ]; then
        (cd web && npm ci --no-audit --no-fund --loglevel=error) >&2 || echo "deps: npm ci in web/ failed" >&2
    fi
}
cd "$(dirname "$0")/.."
trap web_npm EXIT

missing=()
for p in "${PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
        missing+=("$p")
    fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "deps: installing ${missing[*]}" >&2
if [ "$(id -u)" -ne 0 ]; then
    echo "deps: root is needed to install packages; run:" >&2
    echo "    sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y -q --no-install-recommends "${missing[@]}" >/tmp/zero-deps.log 2>&1; then
    apt-get update -q >>/tmp/zero-deps.log 2>&1
    apt-get install -y -q --no-install-recommends "${missing[@]}" >>/tmp/zero-deps.log 2>&1 || {
        echo "deps: apt-get failed; see /tmp/zero-deps.log" >&2
        tail -20 /tmp/zero-deps.log >&2
        exit 1
    }
fi
