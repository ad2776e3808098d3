#!/usr/bin/env bash
# tools/verify-js/zero-verify.js, a verifier written in JavaScript from the
# documents alone, against zero verify: its BLAKE3 and Ed25519, the same head
# and state root on a scripted session's disk and export and on the checked-in
# format-1 exports, refusal of single-byte changes, agreement on logs
# changed, re-chained and re-signed with the node's real keys (forge.js),
# boot entries, a disk with jobs (job.result, the job conditions of
# policy), and a disk over 2 GiB, which it reads in pieces.
cd "$(dirname "$0")/../.." || exit 1
zh=build/bin/zero-hosted
zero=build/bin/zero
js=tools/verify-js/zero-verify.js
if ! command -v node >/dev/null; then
    echo "1..0 # SKIP node not installed"
    exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
. tests/lib/tap.sh

# "N HEAD ROOT" from each verifier's summary line, empty if it refused.
c_says() {
    "$zero" verify "$1" 2>/dev/null |
        sed -n 's/^ok: .*: \([0-9]*\) entries in .*; head #[0-9]* \([0-9a-f]\{64\}\); state root \([0-9a-f]\{64\}\);.*/\1 \2 \3/p'
}
js_says() { # also leaves zero-verify.js's exit status in js_rc
    local out
    out=$(node "$js" "$1" 2>/dev/null)
    js_rc=$?
    sed -n 's/^ok: \([0-9]*\) entries verified; head \([0-9a-f]\{64\}\); state root \([0-9a-f]\{64\}\).*/\1 \2 \3/p' <<<"$out"
}
same_as_c() {
    local c j
    c=$(c_says "$1")
    j=$(js_says "$1")
    [ -n "$c" ] && [ "$c" = "$j" ] || { echo "# $1: zero verify '$c', zero-verify.js '$j'"; false; }
}
js_exit() { # js_exit WANT FILE: zero-verify.js exits WANT on FILE
    node "$js" "$2" >/dev/null 2>&1
    [ $? -eq "$1" ]
}

# --- the primitives --------------------------------------------------------
check "blake3_official_vectors_hash_keyed_derive_131_bytes" node -e '
const z = require("./" + process.argv[1]);
const v = JSON.parse(require("fs").readFileSync("tests/data/blake3/test_vectors.json"));
let bad = 0;
for (const c of v.cases) {
    const input = Buffer.alloc(c.input_len, 0).map((_, i) => i % 251);
    const got = [z.blake3(input, 131), z.blake3Keyed(Buffer.from(v.key), input, 131),
                 z.blake3DeriveKey(v.context_string, input, 131)].map((b) => b.toString("hex"));
    const want = [c.hash, c.keyed_hash, c.derive_key];
    for (let i = 0; i < 3; i++) if (got[i] !== want[i]) bad++;
    if (z.blake3(input).toString("hex") !== c.hash.slice(0, 64)) bad++;
}
if (v.cases.length < 30 || bad) { console.log("# " + bad + " mismatches"); process.exit(1); }' "$js"

# docs/cbor.md: canonical items round-trip; every non-deterministic or
# unsupported form is refused by the decoder itself.
check "cbor_strict_decoder" node -e '
const z = require("./" + process.argv[1]);
const good = ["00", "17", "1818", "1903e8", "1a000f4240", "1b000000e8d4a51000", "20", "3863",
              "40", "4401020304", "60", "6449455446", "80", "83010203", "a0", "a201020304",
              "a2616101616202", "c11a514b67b0", "f4", "f5", "f6", "63e282ac"];
const bad = ["1817", "190017", "1a0000ffff", "1b00000000ffffffff", "3817", "5f4101ff", "9fff",
             "bfff", "a202010102", "a201010102", "a2616201616102", "f7", "f0", "f818", "f93c00",
             "fa47c35000", "fb3ff199999999999a", "0000", "62c328", "63eda080", "62c0af", "1c",
             "19", "4201", "82", "a1", "9b00000000ffffffff", "ff",
             "81".repeat(65) + "00"];
let wrong = 0;
for (const h of good) {
    try {
        const v = z.decodeCbor(Buffer.from(h, "hex"));
        if (z.encodeCbor(v).toString("hex") !== h) { wrong++; console.log("# re-encodes " + h); }
    } catch (e) { wrong++; console.log("# refused " + h + ": " + e.message); }
}
for (const h of bad) {
    try {
        z.decodeCbor(Buffer.from(h, "hex"));
        wrong++;
        console.log("# accepted " + h);
    } catch (e) {}
}
z.decodeCbor(Buffer.from("81".repeat(64) + "00", "hex")); // 64 deep is allowed
process.exit(wrong ? 1 : 0);' "$js"

# RFC 8032 vectors, then what docs/crypto.md says strict verification
# refuses (S >= L, small-order A, small-order R) though the equation holds;
# zero sig verify must give the same answers.
cat >"$work/ed.js" <<'EOF'
const z = require(process.argv[2]);
const lines = require("fs").readFileSync("tests/data/ed25519/rfc8032_7_1.txt", "utf8").split("\n");
const cases = [];
let cur = {};
for (const l of lines) {
    const [k, v = ""] = l.split(" ");
    if (["pub", "msg", "sig"].includes(k)) cur[k] = v;
    if (k === "sig") { cases.push(Object.assign({want: true}, cur)); cur = {}; }
}
const L = (1n << 252n) + 27742317777372353535851937790883648493n;
const le = (n) => Buffer.from(n.toString(16).padStart(64, "0"), "hex").reverse().toString("hex");
const t = cases[1];
const s = BigInt("0x" + Buffer.from(t.sig.slice(64), "hex").reverse().toString("hex"));
cases.push({pub: t.pub, msg: t.msg, sig: t.sig.slice(0, 64) + le(s + L), want: false});
const id = "01" + "00".repeat(31);
cases.push({pub: id, msg: "", sig: id + "00".repeat(32), want: false});       // A, R identity
const r0 = (parseInt(t.sig.slice(0, 2), 16) ^ 1).toString(16).padStart(2, "0");
cases.push({pub: t.pub, msg: t.msg, sig: r0 + t.sig.slice(2), want: false});       // another R

// A' = A + (0, -1) = (-x, -y) has large order and a torsion component; with
// A's scalar a known, S = r + k a makes [S]B - [k]A' = [r]B - [k](0, -1),
// which is R when k is even: valid (RFC 8032 accepts A').  With R the
// identity and r = 0 the equation holds too, but R has small order: refused.
const crypto = require("crypto");
const P = (1n << 255n) - 19n;
const leInt = (b) => BigInt("0x" + Buffer.from(b).reverse().toString("hex"));
const scalarOf = (seed) => {
    const h = crypto.createHash("sha512").update(seed).digest().subarray(0, 32);
    h[0] &= 248; h[31] &= 127; h[31] |= 64;
    return leInt(h);
};
const pubOf = (seed) => crypto.createPublicKey(crypto.createPrivateKey({
    key: Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), seed]),
    format: "der", type: "pkcs8"})).export({format: "der", type: "spki"}).subarray(12);
const seedA = Buffer.alloc(32, 7), seedR = Buffer.alloc(32, 9);
const a = scalarOf(seedA), pt = z.decodePoint(pubOf(seedA));
const encode = (x, y) => {
    const b = Buffer.from(le(y), "hex");
    b[31] |= Number(x & 1n) << 7;
    return b;
};
const mixedA = encode((P - pt.x) % P, (P - pt.y) % P);
const kOf = (R, M) =>
    leInt(crypto.createHash("sha512").update(Buffer.concat([R, mixedA, M])).digest()) % L;
const evenM = (R) => {
    for (let i = 0;; i++) {
        const M = Buffer.from("m" + i);
        if (kOf(R, M) % 2n === 0n) return M;
    }
};
// A small-order A (the identity) with S = r: [S]B - [k]A = [r]B = R holds.
cases.push({pub: id, msg: "", sig: pubOf(seedR).toString("hex") + le(scalarOf(seedR) % L),
            want: false});
for (const [R, r, want] of [[pubOf(seedR), scalarOf(seedR), true],
                             [Buffer.from(id, "hex"), 0n, false]]) {
    const M = evenM(R);
    const S = (r + kOf(R, M) * a) % L;
    cases.push({pub: mixedA.toString("hex"), msg: M.toString("hex"),
                sig: R.toString("hex") + le(S), want});
}
// Non-canonical encodings (y >= p, or x = 0 with the sign bit) never decode.
for (const h of ["ed" + "ff".repeat(30) + "7f", "ee" + "ff".repeat(30) + "7f",
                 "01" + "00".repeat(30) + "80"]) {
    if (z.decodePoint(Buffer.from(h, "hex")) !== null) {
        console.log("# decoded " + h);
        process.exit(1);
    }
}
for (const c of cases) {
    const got = z.ed25519Verify(Buffer.from(c.pub, "hex"), Buffer.from(c.msg, "hex"),
                                Buffer.from(c.sig, "hex"));
    if (got !== c.want) { console.log("# wrong answer for", c); process.exit(1); }
    console.log(c.pub, c.sig, c.msg || "-", c.want ? 0 : 1);
}
EOF
node "$work/ed.js" "$PWD/$js" >"$work/ed" 2>&1
check "ed25519_rfc8032_vectors_and_strict_refusals" test $? -eq 0
sig_agree() {
    local pub sig msg want
    while read -r pub sig msg want; do
        [ "$msg" = - ] && msg=
        "$zero" sig verify --pub "$pub" --sig "$sig" --msg-hex "$msg" >/dev/null 2>&1
        [ $? -eq "$want" ] || { echo "# zero sig verify differs on $pub $sig"; return 1; }
    done <"$work/ed"
}
check "ed25519_answers_equal_zero_sig_verify ($(wc -l <"$work/ed") cases)" sig_agree

# --- a scripted session ----------------------------------------------------
disk=$work/disk.img
printf '%s\n' 'id create alice' 'id create bob' 'id create svc-log --kind service' \
    'policy allow kind:user note *' 'policy allow svc-* note *' 'as alice note hello' \
    'as svc-log note from a service' \
    'policy allow kind:user id.create * if resource.kind == agent and resource.parent == proposer' \
    'as alice id create bot --kind agent' 'as bob id create bob-bot --kind agent' \
    'policy allow kind:user id.rotate * if resource == proposer' 'as alice id rotate alice' \
    'policy allow kind:user id.revoke * if resource.under == proposer and resource != proposer' \
    'as bob id revoke bob-bot' 'policy deny bob note *' 'as bob note denied' \
    'as alice note after deny' 'id rotate root' 'note by root after rotation' 'id rotate root' \
    'id revoke alice' 'as bot note revoked' 'policy remove 4' 'exit' |
    "$zh" --disk "$disk" --size 2 >"$work/session"
# 21 commands commit (as printed) and 8 `as` commit their act_as entries too.
check "session_committed_21_entries_after_genesis" \
    test "$(grep -c '^zero> committed' "$work/session")" -eq 21
"$zero" export "$disk" "$work/log" >/dev/null
check "session_disk_same_head_and_root_as_zero_verify" same_as_c "$disk"
check "session_export_same_head_and_root_as_zero_verify" same_as_c "$work/log"
check "v1_zerolog_same_head_and_root_as_zero_verify" same_as_c tests/data/axiom/v1.zerolog
check "v1_signed_zerolog_same_head_and_root_as_zero_verify" \
    same_as_c tests/data/axiom/v1_signed.zerolog
check "summary_is_one_line_with_exit_0" \
    bash -c "[[ \$(node $js $work/log) =~ ^ok:\ 30\ entries\ verified\;\ head\ [0-9a-f]{64}\;\ state\ root\ [0-9a-f]{64}$ ]]"

# --- single-byte changes ---------------------------------------------------
# Every header byte and a spread of body bytes of three exports, each byte
# flipped alone (low and high bit), in one node process: all refused, by a
# verdict (Bad), never by a crash; a changed magic makes the file
# unrecognisable instead.  Then payload bytes with the record checksum
# recomputed, which only the checks behind the framing can catch.
cat >"$work/sweep.js" <<'EOF'
const z = require(process.argv[2]);
const fs = require("fs");
let tried = 0, missed = 0;
for (const [file, step] of [[process.argv[3], 23], ["tests/data/axiom/v1.zerolog", 11],
                            ["tests/data/axiom/v1_signed.zerolog", 13]]) {
    const f = fs.readFileSync(file);
    const offsets = [];
    for (let o = 0; o < 16; o++) offsets.push(o);
    for (let o = 16; o < f.length; o += step) offsets.push(o);
    for (const off of offsets) {
        for (const mask of [0x01, 0x80]) {
            const t = Buffer.from(f);
            t[off] ^= mask;
            tried++;
            try {
                z.verifyFile(t);
                missed++;
                console.log(`# ${file} byte ${off} ^ ${mask} accepted`);
            } catch (e) {
                const ok = e instanceof z.Bad || (off < 8 && /neither/.test(e.message));
                if (!ok) { missed++; console.log(`# ${file} byte ${off}: ${e.stack}`); }
            }
        }
    }
}
// The same behind the checksums: a payload byte changed and its record's
// checksum made good again, so the CBOR, chain and signature checks decide.
const f = fs.readFileSync(process.argv[3]);
const region = f.subarray(512);
for (let pos = 0, b = 0, seq = 0; pos < region.length; b++) {
    const framed = z.frameBatch(region, pos, b, seq);
    for (const rec of framed.entries.concat([framed.checkpoint])) {
        const start = rec.payload.byteOffset - region.byteOffset;
        for (let i = b % 5; i < rec.payload.length; i += 5) {
            const t = Buffer.from(f);
            const r = t.subarray(512);
            r[start + i] ^= 0x04;
            const sum = z.blake3(Buffer.concat([r.subarray(start - 48, start - 16),
                                                r.subarray(start, start + rec.payload.length)]));
            sum.copy(r, start - 16, 0, 16);
            tried++;
            try {
                z.verifyFile(t);
                missed++;
                console.log(`# payload byte ${start + i} accepted`);
            } catch (e) {
                if (!(e instanceof z.Bad)) { missed++; console.log(`# ${start + i}: ${e.stack}`); }
            }
        }
    }
    seq += framed.entries.length;
    pos = framed.end;
}
console.log(`${tried} ${missed}`);
EOF
out=$(node "$work/sweep.js" "$PWD/$js" "$work/log")
grep '^#' <<<"$out"
read -r tried missed <<<"$(tail -1 <<<"$out")"
check "every_single_byte_change_refused ($tried changes)" test "$missed" -eq 0
cp "$work/log" "$work/t"
flip "$work/t" 600
check "changed_byte_exits_1_with_entry" \
    bash -c "node $js $work/t | grep -q '^bad: entry #0: '; test \${PIPESTATUS[0]} -eq 1"
cp "$work/log" "$work/t"
printf X | dd of="$work/t" bs=1 seek=0 conv=notrunc 2>/dev/null
check "changed_magic_exits_2" js_exit 2 "$work/t"
head -c $(($(stat -c %s "$work/log") - 512)) "$work/log" >"$work/t"
check "truncated_export_exits_1" js_exit 1 "$work/t"
cp "$work/log" "$work/t"
head -c 512 /dev/zero >>"$work/t"
check "appended_bytes_exit_1" js_exit 1 "$work/t"

# --- disks: torn tail and damage in the middle, as recovery judges them ----
batch_off() { # log offset of batch N's first byte in this session (one sector each)
    echo $((8704 + 512 * $1)) # segment 0: the first slot of the log region, after its header
}
flip_at() {
    local v
    v=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
    printf "\\x$(printf %02x $((v ^ 1)))" | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}
cp "$disk" "$work/d"
flip_at "$work/d" $(($(batch_off 29) + 60))
check "damaged_last_batch_is_a_torn_tail_like_zero_verify" same_as_c "$work/d"
cp "$disk" "$work/d"
flip_at "$work/d" $(($(batch_off 10) + 60))
check "damage_in_the_middle_refused_like_zero_verify" \
    bash -c "! $zero verify $work/d >/dev/null 2>&1 &&
             node $js $work/d | grep -q '^bad: entry #10: damage in the middle'"
cp "$disk" "$work/d"
flip_at "$work/d" 20
check "damaged_superblock_exits_1" js_exit 1 "$work/d"

# --- forged logs: changed, re-chained, re-signed with the real keys --------
node tools/verify-js/forge.js "$disk" "$work/f" >"$work/cases"
check "forge_rewrites_the_session_byte_for_byte" cmp -s "$work/f/same" "$work/log"
forged() {
    local name want c j ok=0 n=0
    while read -r name want; do
        n=$((n + 1))
        c=$(c_says "$work/f/$name")
        js_says "$work/f/$name" >"$work/j"
        j=$(cat "$work/j")
        case $want in
        accept) [ -n "$c" ] && [ "$c" = "$j" ] || ok=1 ;;
        reject) [ -z "$c" ] && [ -z "$j" ] && [ "$js_rc" -eq 1 ] || ok=1 ;;
        probe) [ "$c" = "$j" ] || ok=1 ;;
        esac
        [ "$ok" -eq 0 ] || { echo "# $name ($want): zero verify '$c', zero-verify.js '$j'"; return 1; }
    done <"$work/cases"
    echo "# $n forged logs"
    [ "$n" -ge 50 ]
}
check "forged_logs_same_verdict_head_and_root_as_zero_verify" forged

# --- jobs: job.result entries, the job conditions, key 7 of the state root --
if command -v clang >/dev/null; then
    jd=$work/jobs.img
    clang --target=wasm32-wasi -O2 -o "$work/wc.wasm" tests/wasi/wc.c
    seq 1 500 >"$work/in.txt"
    printf 'exit\n' | "$zh" --disk "$jd" --size 16 >/dev/null
    wc_h=$("$zero" cas put "$jd" "$work/wc.wasm" | cut -c1-64)
    in_h=$("$zero" cas put "$jd" "$work/in.txt" | cut -c1-64)
    printf '%s\n' 'id create alice' \
        "policy allow alice job.result job if program == $wc_h and fuel <= 100000000" \
        "as alice job run $wc_h --fuel 100000000 --in in.txt=$in_h -- in.txt" \
        "as alice job run $wc_h --fuel 100000001 --in in.txt=$in_h -- in.txt" \
        "job run $wc_h --fuel 1000 --in in.txt=$in_h -- in.txt" 'note after jobs' 'exit' |
        "$zh" --disk "$jd" >"$work/jobs_session"
    check "jobs_session_committed_5_entries" \
        test "$(grep -c 'committed #' "$work/jobs_session")" -eq 5
    "$zero" export "$jd" "$work/jobs.log" >/dev/null
    check "jobs_disk_same_head_and_root_as_zero_verify" same_as_c "$jd"
    check "jobs_export_same_head_and_root_as_zero_verify" same_as_c "$work/jobs.log"
    out_h=$(grep -m1 '^stdout ' "$work/jobs_session" | cut -d' ' -f2)
    python3 - "$work/jobs.log" "$out_h" "$work/jobs_bad.log" <<'PY'
import sys
d = bytearray(open(sys.argv[1], 'rb').read())
d[d.index(bytes.fromhex(sys.argv[2]))] ^= 1
open(sys.argv[3], 'wb').write(d)
PY
    check "jobs_changed_result_refused_by_both" \
        bash -c "! $zero verify $work/jobs_bad.log >/dev/null 2>&1 && ! node $js $work/jobs_bad.log >/dev/null 2>&1"
else
    for i in 1 2 3 4; do
        tap_n=$((tap_n + 1))
        echo "ok $tap_n # SKIP clang not installed"
    done
fi

# --- boot entries (axiom.md "Boots"): accepted with the same state root, and
# a skipped or repeated boot number, a boot recorded by a user and a signed
# one refused, as zero verify does (built by zero-forge with real keys) -----
mkdir "$work/boots"
build/bin/zero-forge cases "$work/boots" >/dev/null
check "boot_entries_same_head_and_root_as_zero_verify" same_as_c "$work/boots/boots.disk"
check "boot_entries_export_same_head_and_root_as_zero_verify" same_as_c "$work/boots/boots.export"
boots_refused() {
    local b
    for b in boot-number-skipped boot-number-repeated boot-by-user boot-signed; do
        js_exit 1 "$work/boots/$b.export" && [ -z "$(c_says "$work/boots/$b.export")" ] ||
            { echo "# $b accepted"; return 1; }
    done
}
check "bad_boot_entries_refused_like_zero_verify" boots_refused
# service entries (axiom.md "Services"): the same state root (key 11), and
# each broken rule refused by both
check "svc_entries_same_head_and_root_as_zero_verify" same_as_c "$work/boots/svc-life.disk"
svc_refused() {
    local b
    for b in svc-exit-wrong-pid svc-start-held svc-start-by-user svc-hold-running svc-kill-unknown; do
        js_exit 1 "$work/boots/$b.export" && [ -z "$(c_says "$work/boots/$b.export")" ] ||
            { echo "# $b"; return 1; }
    done
}
check "bad_svc_entries_refused_like_zero_verify" svc_refused
rm -rf "$work/boots"

# --- a disk larger than one Buffer may be read whole (sparse: 3 GiB) --------
printf '%s\n' 'note on a large disk' 'exit' | "$zh" --disk "$work/big.img" --size 3072 >/dev/null
check "disk_of_3_GiB_same_head_and_root_as_zero_verify" same_as_c "$work/big.img"
rm -f "$work/big.img"

# --- a pruned disk with its export (formats.md "Verifying with an export") --
# A format-2 disk with 8 KiB segments and a snapshot (axiom_snapshot.t),
# exported, pruned and then continued by a node: both verifiers check the
# whole history from the export plus the disk, with the same head and root,
# and refuse the same damaged exports, zero-verify.js naming the place.
xc_says() { # xc_says DISK EXPORT
    "$zero" verify "$1" --export "$2" 2>/dev/null |
        sed -n 's/^ok: .*: \([0-9]*\) entries in .*; head #[0-9]* \([0-9a-f]\{64\}\); state root \([0-9a-f]\{64\}\);.*/\1 \2 \3/p'
}
xjs_says() { # xjs_says DISK EXPORT; leaves the output in xjs_out, the status in js_rc
    xjs_out=$(node "$js" "$1" --export "$2" 2>&1)
    js_rc=$?
    sed -n 's/^ok: \([0-9]*\) entries verified; head \([0-9a-f]\{64\}\); state root \([0-9a-f]\{64\}\).*/\1 \2 \3/p' <<<"$xjs_out"
}
export_same_as_c() { # export_same_as_c DISK EXPORT ENTRIES
    local c j
    c=$(xc_says "$1" "$2")
    j=$(xjs_says "$1" "$2")
    [ -n "$c" ] && [ "$c" = "$j" ] && [ "${c%% *}" = "$3" ] ||
        { echo "# zero verify '$c', zero-verify.js '$j' (want $3 entries)"; false; }
}
# both_refuse DISK EXPORT PATTERN: zero verify --export and zero-verify.js
# --export exit 1, zero-verify.js saying PATTERN (the place).
both_refuse() {
    local c crc
    c=$("$zero" verify "$1" --export "$2" 2>&1)
    crc=$?
    xjs_says "$1" "$2" >/dev/null
    [ "$crc" -eq 1 ] && [ "$js_rc" -eq 1 ] && grep -E -- "$3" <<<"$xjs_out" >/dev/null ||
        { echo "# zero verify ($crc): $c"; echo "# zero-verify.js ($js_rc): $xjs_out"; false; }
}
mkdir -p "$work/pr"
build/hosted/tests/axiom_snapshot.t "$work/pr" "$work/pr/unit.img" >/dev/null
pd=$work/pr/unit.img.prune
"$zero" export "$pd" "$work/pr/old.log" >/dev/null
cp "$pd" "$work/pr/full.img"
"$zero" prune "$pd" --before 40 --export "$work/pr/old.log" >"$work/pr/pruned"
file_has() { grep -E -- "$1" "$2" >/dev/null; } # file_has PATTERN FILE
check "prune_freed_segments ($(cat "$work/pr/pruned"))" \
    file_has '^pruned [1-9][0-9]* segments: .* starts at offset [1-9]' "$work/pr/pruned"
printf '%s\n' 'note after pruning' 'note again' 'exit' | "$zh" --disk "$pd" >/dev/null 2>&1
check "pruned_disk_refused_alone_by_js" bash -c "node $js '$pd' | grep -E '^bad: .*before offset [1-9][0-9]* was pruned' >/dev/null"
check "pruned_disk_with_export_same_head_and_root_as_zero_verify" \
    export_same_as_c "$pd" "$work/pr/old.log" 63
check "unpruned_disk_with_its_whole_export_same_as_zero_verify" \
    export_same_as_c "$work/pr/full.img" "$work/pr/old.log" 61
# The export's header and length: 8..15 is L, the log is 512 + L bytes.
elen=$(($(stat -c %s "$work/pr/old.log") - 512))
cp "$work/pr/old.log" "$work/pr/flip.log"
flip "$work/pr/flip.log" $((512 + 20000)) 64
check "export_with_a_changed_byte_refused_by_both_naming_the_offset" \
    both_refuse "$pd" "$work/pr/flip.log" '^bad: entry #[0-9]+: the export: record at log offset 19968'
# One segment's payload (8192 - 512 bytes) cut out of the export's log, the
# header's length fixed: the batches after it no longer follow.
python3 - "$work/pr/old.log" "$work/pr/drop.log" "$work/pr/cut.log" <<'PY'
import struct, sys
b = open(sys.argv[1], 'rb').read()
body, p = b[512:], 8192 - 512
h = bytearray(b[:512])
h[8:16] = struct.pack('<Q', len(body) - p)
open(sys.argv[2], 'wb').write(bytes(h) + body[:p] + body[2 * p:])
# the first 20 batches only (one entry each): a valid, shorter export
end = 0
for _ in range(20):
    end += 48 + ((int.from_bytes(body[end + 8:end + 12], 'little') + 7) & ~7)
    end += 48 + ((int.from_bytes(body[end + 8:end + 12], 'little') + 7) & ~7)
    end = (end + 511) & ~511
h[8:16] = struct.pack('<Q', end)
open(sys.argv[3], 'wb').write(bytes(h) + body[:end])
PY
check "export_missing_a_segment_refused_by_both_naming_the_offset" \
    both_refuse "$pd" "$work/pr/drop.log" '^bad: entry #[0-9]+: the export: record at log offset 7680'
head -c -512 "$work/pr/old.log" >"$work/pr/trunc.log"
check "truncated_export_refused_by_both_naming_the_length" \
    both_refuse "$pd" "$work/pr/trunc.log" "the export: export is $elen bytes, its header says $((elen + 512))"
check "shorter_export_verifies_alone" bash -c "node $js '$work/pr/cut.log' | grep '^ok: 20 entries' >/dev/null"
check "export_ending_before_the_disk_starts_refused_by_both" \
    both_refuse "$pd" "$work/pr/cut.log" '^bad: entry #20: the log before offset [0-9]+ was pruned'
"$zero" verify "$pd" --export "$work/pr/unit.img" >/dev/null 2>&1
c_rc=$?
node "$js" "$pd" --export "$work/pr/unit.img" >/dev/null 2>&1
check "a_disk_given_as_the_export_is_a_usage_error_for_both" test "$c_rc" -eq 2 -a $? -eq 2
gkey=$("$zero" verify "$pd" --export "$work/pr/old.log" | sed -n 's/.* key \([0-9a-f]\{64\}\).*/\1/p')
node "$js" --key "$gkey" "$pd" --export "$work/pr/old.log" >/dev/null 2>&1
k_ok=$?
node "$js" --key "$(printf '%064d' 0)" "$pd" --export "$work/pr/old.log" >/dev/null 2>&1
check "key_pins_the_exports_genesis_key" test -n "$gkey" -a "$k_ok" -eq 0 -a $? -eq 1
rm -rf "$work/pr"

# --- command line ----------------------------------------------------------
check "help_exits_0" bash -c "node $js --help | grep -q '^usage:'"
check "no_argument_exits_2" bash -c "node $js >/dev/null 2>&1; test \$? -eq 2"
check "two_arguments_exit_2" bash -c "node $js a b >/dev/null 2>&1; test \$? -eq 2"
check "missing_file_exits_2" js_exit 2 "$work/nothing"
head -c 4096 /dev/urandom >"$work/garbage"
check "garbage_exits_2" js_exit 2 "$work/garbage"
tap_done
