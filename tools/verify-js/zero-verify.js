#!/usr/bin/env node
// zero-verify.js: an independent verifier of Zero OS Axiom logs, written
// from docs/formats.md, docs/cbor.md, docs/crypto.md, docs/axiom.md and
// docs/policy.md (plus docs/identity.md for who may issue which kind), not
// from the C code, to test that the documents are enough.  Plain Node 20,
// no packages, no network.
//
//     node tools/verify-js/zero-verify.js PATH
//
// PATH is a log export (`zero export DISK OUT`) or a raw disk image.
// Prints `ok: N entries verified; head HEX; state root HEX` and exits 0, or
// `bad: entry #SEQ: REASON` (SEQ is the entry being checked, or the next one
// expected when the fault is in framing between entries) and exits 1.
// Exit 2: usage error, unreadable file, or neither a disk nor an export.
// Exit 3: an internal error of this program (never a verdict).
//
// What it checks:
//   * export header (magic, length a multiple of 512, zero bytes, exact file
//     size: no byte after the last batch); disk superblock (magic, version,
//     block size, disk size a whole number of 4096-byte blocks of at least
//     1 MiB and within the image, region table recomputed from it, zero
//     fields, checksum) and key slot structure (magic, version, protection
//     0, zero fields, checksum, the superblock's node key); either file a
//     whole number of 512-byte sectors; on a disk, what follows the last
//     batch is judged as recovery does (axiom.md "Recovery"): an intact
//     record of a later batch starting at a sector boundary within 512 KiB
//     is damage in the middle (refused), other non-zero bytes within 256 KiB
//     are a torn tail (reported after the summary);
//   * every record: magic, type, zero fields, length bounds, checksum, zero
//     padding, batch number, gap-free sequence numbers, batch size and the
//     zero padding after each checkpoint;
//   * every entry: strict deterministic CBOR (and that it re-encodes to the
//     same bytes), exact key set and value types per format 1 and 2, formats
//     never going down, sequence number, prev-hash chain, entry hash, the
//     proposer's Ed25519 signature (format 1 and 2 messages) under the
//     proposer's current key, and format-2 proposal numbers (no replay);
//   * the state machine: genesis first and only first, proposer exists and
//     is not revoked, identities (names, kinds, who may issue what, rotation,
//     transitive revocation), the policy rule table (rule grammar, normal
//     form, limits, the lock-out rule), notes, the filesystem entries and
//     their namespace (zero-verify-fs.js); the policy decision is
//     re-evaluated and must equal the recorded [true, rule id]; the state
//     root after every entry is recomputed and must equal the recorded one;
//   * every checkpoint: version, batch number, tree size, head, state root,
//     RFC 9162 Merkle root with BLAKE3, and its Ed25519 signature under the
//     node key in effect when the batch began (genesis key, then the node
//     principal's rotations, each taking effect from the next batch).
//   Ed25519 follows docs/crypto.md: Node's OpenSSL checks the equation; this
//   file adds S < L, the canonical encoding of A and the small-order
//   refusals for A and R.
//
// Where the documents leave a question open, the answer taken is marked in
// a comment at that place: from the checked-in logs and `zero verify` run as
// a black box, except the rule patterns (see parsePattern).
//
// The file is read in pieces, so disks and exports of any size verify.
//
// What it does not check: the key slot's secret (a verifier has no business
// with it), that the superblock's node key equals the genesis key (the
// documents say the authority is the genesis entry), receipts and
// consistency proof files, and whether whole batches were dropped from the
// end (no log alone can show that).
//
// --export FILE verifies a pruned disk whole: FILE ('zero export' made
// before 'zero prune') from genesis, then PATH's log from where FILE ends
// (formats.md "Verifying with an export").  --key HEX pins the genesis key.
'use strict';

const fs = require('fs');
const crypto = require('crypto');

// ---------------------------------------------------------------------------
// BLAKE3 (https://github.com/BLAKE3-team/BLAKE3-specs), all three modes and
// extendable output.  Simple rather than fast: the records hashed here are
// small.  Not streaming: the whole input is in memory.

const B3_IV = Uint32Array.of(
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
    0x5be0cd19);
const B3_PERM = [2, 6, 3, 10, 7, 0, 4, 13, 1, 11, 12, 5, 9, 14, 15, 8];
const CHUNK_START = 1, CHUNK_END = 2, PARENT = 4, ROOT = 8, KEYED_HASH = 16;
const DERIVE_KEY_CONTEXT = 32, DERIVE_KEY_MATERIAL = 64;
const CHUNK_LEN = 1024, BLOCK_LEN = 64;

function rotr(x, n) {
    return (x >>> n) | (x << (32 - n));
}

// The quarter-round; a Uint32Array store wraps the sums modulo 2^32.
function g(s, a, b, c, d, x, y) {
    s[a] = s[a] + s[b] + x;
    s[d] = rotr(s[d] ^ s[a], 16);
    s[c] = s[c] + s[d];
    s[b] = rotr(s[b] ^ s[c], 12);
    s[a] = s[a] + s[b] + y;
    s[d] = rotr(s[d] ^ s[a], 8);
    s[c] = s[c] + s[d];
    s[b] = rotr(s[b] ^ s[c], 7);
}

// The message word order of each of the 7 rounds: the permutation applied
// round after round, precomputed so compress moves no words.
const B3_SCHEDULE = [];
for (let r = 0, idx = [...Array(16).keys()]; r < 7; r++, idx = B3_PERM.map((i) => idx[i])) {
    B3_SCHEDULE.push(idx);
}

// The compression function: returns all 16 output words (the first 8 are the
// chaining value; all 16 are used for root output).
function compress(cv, m, counter, blockLen, flags) {
    const s = new Uint32Array(16);
    s.set(cv, 0);
    s.set(B3_IV.subarray(0, 4), 8);
    s[12] = counter % 0x100000000;
    s[13] = Math.floor(counter / 0x100000000);
    s[14] = blockLen;
    s[15] = flags;
    for (const x of B3_SCHEDULE) {
        g(s, 0, 4, 8, 12, m[x[0]], m[x[1]]);
        g(s, 1, 5, 9, 13, m[x[2]], m[x[3]]);
        g(s, 2, 6, 10, 14, m[x[4]], m[x[5]]);
        g(s, 3, 7, 11, 15, m[x[6]], m[x[7]]);
        g(s, 0, 5, 10, 15, m[x[8]], m[x[9]]);
        g(s, 1, 6, 11, 12, m[x[10]], m[x[11]]);
        g(s, 2, 7, 8, 13, m[x[12]], m[x[13]]);
        g(s, 3, 4, 9, 14, m[x[14]], m[x[15]]);
    }
    for (let i = 0; i < 8; i++) {
        s[i] ^= s[i + 8];
        s[i + 8] ^= cv[i];
    }
    return s;
}

// A block of up to 64 bytes as 16 little-endian words, zero-filled.
function blockWords(bytes, off, len) {
    const padded = new Uint8Array(BLOCK_LEN);
    padded.set(bytes.subarray(off, off + len));
    const w = new Uint32Array(16);
    for (let i = 0; i < 16; i++) {
        w[i] = padded[4 * i] | (padded[4 * i + 1] << 8) | (padded[4 * i + 2] << 16) |
               (padded[4 * i + 3] << 24);
    }
    return w;
}

// An "output": the inputs of the last compression of a node, kept unapplied
// because the root node is compressed with ROOT (and for extended output).
function chainingValue(out) {
    return compress(out.cv, out.block, out.counter, out.blockLen, out.flags).slice(0, 8);
}

function chunkOutput(key, input, off, len, chunkIndex, mode) {
    const blocks = Math.max(1, Math.ceil(len / BLOCK_LEN));
    let cv = key;
    for (let b = 0;; b++) {
        const blockLen = Math.min(BLOCK_LEN, len - b * BLOCK_LEN);
        const block = blockWords(input, off + b * BLOCK_LEN, blockLen);
        const flags = mode | (b === 0 ? CHUNK_START : 0) | (b === blocks - 1 ? CHUNK_END : 0);
        const out = {cv, block, counter: chunkIndex, blockLen, flags};
        if (b === blocks - 1) return out;
        cv = chainingValue(out);
    }
}

// The tree: a left subtree of the largest power-of-two number of chunks that
// leaves at least one chunk for the right.
function subtreeOutput(key, input, off, len, firstChunk, mode) {
    if (len <= CHUNK_LEN) return chunkOutput(key, input, off, len, firstChunk, mode);
    const chunks = Math.ceil(len / CHUNK_LEN);
    let leftChunks = 1;
    while (leftChunks * 2 < chunks) leftChunks *= 2;
    const leftLen = leftChunks * CHUNK_LEN;
    const left = chainingValue(subtreeOutput(key, input, off, leftLen, firstChunk, mode));
    const right = chainingValue(
        subtreeOutput(key, input, off + leftLen, len - leftLen, firstChunk + leftChunks, mode));
    const block = new Uint32Array(16);
    block.set(left, 0);
    block.set(right, 8);
    return {cv: key, block, counter: 0, blockLen: BLOCK_LEN, flags: mode | PARENT};
}

function rootBytes(out, outLen) {
    const result = Buffer.alloc(outLen);
    for (let i = 0; i * BLOCK_LEN < outLen; i++) {
        const words = compress(out.cv, out.block, i, out.blockLen, out.flags | ROOT);
        for (let j = 0; j < 64 && i * 64 + j < outLen; j++) {
            result[i * 64 + j] = (words[j >> 2] >>> (8 * (j & 3))) & 0xff;
        }
    }
    return result;
}

function keyWords(key) {
    return blockWords(key, 0, 32).slice(0, 8);
}

function blake3Mode(key, mode, data, outLen) {
    const input = data instanceof Uint8Array ? data : Buffer.from(data);
    return rootBytes(subtreeOutput(key, input, 0, input.length, 0, mode), outLen);
}

function blake3(data, outLen = 32) {
    return blake3Mode(B3_IV, 0, data, outLen);
}

function blake3Keyed(key, data, outLen = 32) {
    return blake3Mode(keyWords(key), KEYED_HASH, data, outLen);
}

function blake3DeriveKey(context, material, outLen = 32) {
    const contextKey = blake3Mode(B3_IV, DERIVE_KEY_CONTEXT, Buffer.from(context, 'utf8'), 32);
    return blake3Mode(keyWords(contextKey), DERIVE_KEY_MATERIAL, material, outLen);
}

// ---------------------------------------------------------------------------
// Deterministic CBOR (docs/cbor.md).  Decoded values: unsigned integers are
// BigInt (so their type is distinct), negative ones CborNeg, byte strings
// Buffer, text strings string, arrays Array, maps CborMap, tags CborTag,
// false/true/null as in JS.  The encoder takes the same, plus plain
// non-negative numbers and JS Maps.

class CborError extends Error {}

class CborNeg {
    constructor(arg) {
        this.arg = arg; // the value is -1 - arg
    }
}

class CborTag {
    constructor(tag, item) {
        this.tag = tag;
        this.item = item;
    }
}

class CborMap {
    constructor(entries) {
        this.entries = entries; // [[key, value], ...] in encoded-key order
    }
}

const CBOR_MAX_DEPTH = 64;
const utf8Strict = new TextDecoder('utf-8', {fatal: true, ignoreBOM: true});

// One head: major type and argument (BigInt), refusing non-shortest forms,
// indefinite lengths and reserved additional information.
function readHead(d) {
    if (d.pos >= d.buf.length) throw new CborError('truncated CBOR');
    const ib = d.buf[d.pos++];
    const major = ib >> 5, ai = ib & 31;
    if (major === 7) return {major, ai, arg: BigInt(ai)};
    if (ai < 24) return {major, ai, arg: BigInt(ai)};
    if (ai === 31) throw new CborError('non-canonical CBOR: indefinite length');
    if (ai > 27) throw new CborError('malformed CBOR: reserved additional information');
    const n = 1 << (ai - 24);
    if (d.pos + n > d.buf.length) throw new CborError('truncated CBOR');
    let arg = 0n;
    for (let i = 0; i < n; i++) arg = (arg << 8n) | BigInt(d.buf[d.pos++]);
    const min = [24n, 0x100n, 0x10000n, 0x100000000n][ai - 24];
    if (arg < min) throw new CborError('non-canonical CBOR: head not in shortest form');
    return {major, ai, arg};
}

function remaining(d) {
    return BigInt(d.buf.length - d.pos);
}

function decodeItem(d, depth) {
    const h = readHead(d);
    switch (h.major) {
    case 0:
        return h.arg;
    case 1:
        return new CborNeg(h.arg);
    case 2:
    case 3: {
        if (h.arg > remaining(d)) throw new CborError('truncated CBOR');
        const bytes = d.buf.subarray(d.pos, d.pos + Number(h.arg));
        d.pos += bytes.length;
        if (h.major === 2) return Buffer.from(bytes);
        try {
            return utf8Strict.decode(bytes);
        } catch (e) {
            throw new CborError('malformed CBOR: text is not valid UTF-8');
        }
    }
    case 4:
    case 5:
    case 6:
        if (depth + 1 > d.maxDepth) throw new CborError('CBOR nested too deep');
        if (h.major === 6) return new CborTag(h.arg, decodeItem(d, depth + 1));
        if (h.major === 4) return decodeArray(d, h.arg, depth + 1);
        return decodeMap(d, h.arg, depth + 1);
    default:
        if (h.ai === 20) return false;
        if (h.ai === 21) return true;
        if (h.ai === 22) return null;
        throw new CborError('malformed CBOR: float, undefined or simple value');
    }
}

function decodeArray(d, count, depth) {
    // every item takes at least one byte
    if (count > remaining(d)) throw new CborError('truncated CBOR');
    const items = [];
    for (let i = 0n; i < count; i++) items.push(decodeItem(d, depth));
    return items;
}

function decodeMap(d, count, depth) {
    if (count * 2n > remaining(d)) throw new CborError('truncated CBOR');
    const entries = [];
    let prevKey = null;
    for (let i = 0n; i < count; i++) {
        const start = d.pos;
        const key = decodeItem(d, depth);
        const keyBytes = d.buf.subarray(start, d.pos);
        if (prevKey && Buffer.compare(prevKey, keyBytes) >= 0) {
            throw new CborError('non-canonical CBOR: map keys unsorted or duplicated');
        }
        prevKey = keyBytes;
        entries.push([key, decodeItem(d, depth)]);
    }
    return new CborMap(entries);
}

// Decodes exactly one item filling the whole buffer.
function decodeCbor(buf, maxDepth = CBOR_MAX_DEPTH) {
    const d = {buf, pos: 0, maxDepth: Math.min(maxDepth, CBOR_MAX_DEPTH)};
    const value = decodeItem(d, 0);
    if (d.pos !== buf.length) throw new CborError('trailing bytes after the CBOR item');
    return value;
}

function encodeHead(major, arg) {
    const n = BigInt(arg);
    if (n < 24n) return Buffer.of((major << 5) | Number(n));
    const sizes = [[0xffn, 24, 1], [0xffffn, 25, 2], [0xffffffffn, 26, 4],
                   [(1n << 64n) - 1n, 27, 8]];
    for (const [max, ai, len] of sizes) {
        if (n > max) continue;
        const out = Buffer.alloc(1 + len);
        out[0] = (major << 5) | ai;
        for (let i = 0; i < len; i++) out[len - i] = Number((n >> BigInt(8 * i)) & 0xffn);
        return out;
    }
    throw new CborError('integer out of range');
}

function encodeCbor(v) {
    if (typeof v === 'bigint' || typeof v === 'number') {
        if (typeof v === 'number' && !Number.isSafeInteger(v)) {
            throw new CborError('not an integer');
        }
        if (v < 0) throw new CborError('negative numbers are written as CborNeg');
        return encodeHead(0, v);
    }
    if (v instanceof CborNeg) return encodeHead(1, v.arg);
    if (typeof v === 'string') {
        const b = Buffer.from(v, 'utf8');
        return Buffer.concat([encodeHead(3, b.length), b]);
    }
    if (v instanceof Uint8Array) return Buffer.concat([encodeHead(2, v.length), v]);
    if (Array.isArray(v)) return Buffer.concat([encodeHead(4, v.length), ...v.map(encodeCbor)]);
    if (v instanceof CborTag) return Buffer.concat([encodeHead(6, v.tag), encodeCbor(v.item)]);
    if (v instanceof CborMap || v instanceof Map) {
        const pairs = [...(v instanceof Map ? v.entries() : v.entries)];
        const encoded = pairs.map(([k, x]) => [encodeCbor(k), encodeCbor(x)]);
        encoded.sort((a, b) => Buffer.compare(a[0], b[0])); // canonical key order
        return Buffer.concat([encodeHead(5, encoded.length), ...encoded.flat()]);
    }
    if (v === false) return Buffer.of(0xf4);
    if (v === true) return Buffer.of(0xf5);
    if (v === null) return Buffer.of(0xf6);
    throw new CborError('value outside the CBOR subset');
}

// ---------------------------------------------------------------------------
// Ed25519 verification with the acceptance rules of docs/crypto.md.  OpenSSL
// (through node:crypto) does the cofactorless equation and compares R byte
// for byte; the rules OpenSSL does not promise are checked here first with
// plain BigInt arithmetic (public data, so variable time is fine).

const ED_P = (1n << 255n) - 19n;
const ED_L = (1n << 252n) + 27742317777372353535851937790883648493n;
const ED_D = mod(-121665n * modInverse(121666n));
const ED_SQRT_M1 = modPow(2n, (ED_P - 1n) / 4n);
const SPKI_ED25519 = Buffer.from('302a300506032b6570032100', 'hex');

function mod(a) {
    const r = a % ED_P;
    return r < 0n ? r + ED_P : r;
}

function modPow(b, e) {
    let r = 1n;
    b = mod(b);
    for (; e > 0n; e >>= 1n, b = (b * b) % ED_P) {
        if (e & 1n) r = (r * b) % ED_P;
    }
    return r;
}

function modInverse(a) {
    return modPow(a, ED_P - 2n);
}

function leToBigInt(bytes) {
    let n = 0n;
    for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i]);
    return n;
}

// RFC 8032 §5.1.3 decoding, refusing every non-canonical encoding: y >= p,
// no square root, or the sign bit set with x = 0.  Returns null on refusal.
function decodePoint(enc) {
    const y = leToBigInt(enc) & ((1n << 255n) - 1n);
    const sign = enc[31] >> 7;
    if (y >= ED_P) return null;
    const u = mod(y * y - 1n), v = mod(ED_D * y * y + 1n);
    let x = mod(u * modPow(v, 3n) * modPow(u * modPow(v, 7n), (ED_P - 5n) / 8n));
    if (mod(v * x * x) !== u) {
        if (mod(v * x * x) !== mod(-u)) return null;
        x = mod(x * ED_SQRT_M1);
    }
    if (x === 0n && sign === 1) return null;
    if (Number(x & 1n) !== sign) x = ED_P - x;
    return {x, y};
}

// [8]P is the identity exactly when P is one of the eight small-order
// points.  Three projective doublings (a = -1, "dbl-2008-bbjlp"), so no
// inversion is needed.
function hasSmallOrder(p) {
    let x = p.x, y = p.y, z = 1n;
    for (let i = 0; i < 3; i++) {
        const b = mod((x + y) * (x + y)), c = mod(x * x), d = mod(y * y);
        const e = mod(-c), f = mod(e + d), h = mod(z * z), j = mod(f - 2n * h);
        [x, y, z] = [mod((b - c - d) * j), mod(f * (e - d)), mod(f * j)];
    }
    return x === 0n && y === z;
}

// The eight small-order points are the subgroup generated by one of order
// 8, T = (x8, y8): (0, 1), (0, -1), (±sqrt(-1), 0) and (±x8, ±y8), so a
// canonical encoding is one of them exactly when its y is one of these five.
// T's encoding is the well-known one (libsodium's blocklist); checked here.
const SMALL_ORDER_Y = (() => {
    const t = decodePoint(
        Buffer.from('c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a', 'hex'));
    if (!t || !hasSmallOrder(t) || t.x === 0n || t.y === 0n) throw new Error('bad T');
    return [0n, 1n, ED_P - 1n, t.y, ED_P - t.y];
})();

// Public keys recur (the node key signs every checkpoint): each is decoded
// and checked once.  null: refused by rules 2 or 3.
const keyObjects = new Map();

function publicKeyObject(publicKey) {
    const id = publicKey.toString('hex');
    if (!keyObjects.has(id)) {
        const a = decodePoint(publicKey);
        keyObjects.set(id, !a || hasSmallOrder(a) ? null : crypto.createPublicKey({
            key: Buffer.concat([SPKI_ED25519, publicKey]),
            format: 'der',
            type: 'spki',
        }));
    }
    return keyObjects.get(id);
}

function ed25519Verify(publicKey, message, signature) {
    if (publicKey.length !== 32 || signature.length !== 64) return false;
    if (leToBigInt(signature.subarray(32)) >= ED_L) return false; // rule 1
    const key = publicKeyObject(publicKey); // rules 2 and 3
    if (!key) return false;
    const ry = leToBigInt(signature.subarray(0, 32)) & ((1n << 255n) - 1n);
    if (SMALL_ORDER_Y.includes(ry)) return false; // rule 4 (a non-canonical R fails rule 5)
    try {
        return crypto.verify(null, message, key, signature); // rule 5
    } catch (e) {
        return false;
    }
}

// ---------------------------------------------------------------------------
// Failures.  Every refusal is a Bad carrying the entry it concerns.

class Bad extends Error {
    constructor(seq, reason) {
        super(reason);
        this.seq = seq;
    }
}

class UsageError extends Error {}

function hex(b) {
    return Buffer.from(b).toString('hex');
}

function readU32(buf, off) {
    return buf.readUInt32LE(off);
}

// A little-endian u64 as a Number; the documents' quantities (lengths,
// sequence and batch numbers of real logs) stay far below 2^53.
function readU64(buf, off) {
    const v = buf.readBigUInt64LE(off);
    return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : Infinity;
}

function isZero(buf, start, end) {
    for (let i = start; i < end; i++) if (buf[i] !== 0) return false;
    return true;
}

// ---------------------------------------------------------------------------
// Sources and containers.  A source is the file's bytes, read in pieces (a
// disk or an export can be larger than one Buffer may be); a container is
// an export or a disk reduced to where its log region lies in the source
// and a flag that says whether the region must end exactly at the last
// batch (export) or is followed by zeros (disk).

const SECTOR = 512;
const BLOCK = 4096;
const EXPORT_MAGIC = Buffer.from('ZEROLOG1');
const DISK_MAGIC = Buffer.from('5a45524f4f530001', 'hex');
const KEYSLOT_MAGIC = Buffer.from('ZEROKEY1');

function bufferSource(buf) {
    return {size: buf.length, read: (off, len) => buf.subarray(off, off + len)};
}

function fileSource(fd) {
    const st = fs.fstatSync(fd);
    if (st.isDirectory()) throw new UsageError('a directory');
    const size = st.size;
    const read = (off, len) => {
        const out = Buffer.alloc(Math.max(0, Math.min(len, size - off)));
        for (let got = 0; got < out.length;) {
            let n;
            try {
                n = fs.readSync(fd, out, got, out.length - got, off + got);
            } catch (err) {
                throw new UsageError(`cannot read: ${err.message}`);
            }
            if (n === 0) throw new UsageError('the file shrank while being read');
            got += n;
        }
        return out;
    };
    return {size, read, fd};
}

// Both formats are whole 512-byte sectors (formats.md).
function wholeSectors(src) {
    if (src.size % SECTOR !== 0) {
        throw new Bad(0, `${src.size} bytes is not a whole number of 512-byte sectors`);
    }
}

function openExport(src) {
    wholeSectors(src);
    if (src.size < 512) throw new Bad(0, 'export header truncated');
    const head = src.read(0, 512);
    const len = readU64(head, 8);
    if (len % SECTOR !== 0) throw new Bad(0, 'export log length is not a multiple of 512');
    if (!isZero(head, 16, 512)) throw new Bad(0, 'export header bytes 16..511 are not zero');
    if (src.size !== 512 + len) {
        throw new Bad(0, `export is ${src.size} bytes, its header says ${512 + len}`);
    }
    return {kind: 'export', src, base: 512, length: len, exact: true};
}

// formats.md "Disk layout": the region table is a function of the disk size.
function regionTable(diskSize) {
    const rest = diskSize - 8192;
    const logLen = Math.floor(Math.floor(rest / 2) / BLOCK) * BLOCK;
    const casLen = Math.floor(Math.floor((rest - logLen) / 2) / BLOCK) * BLOCK;
    return [4096, 4096, 8192, logLen, 8192 + logLen, casLen, 8192 + logLen + casLen,
            rest - logLen - casLen];
}

function checkSuperblock(sb, imageSize) {
    if (!sb.subarray(0, 8).equals(DISK_MAGIC)) throw new Bad(0, 'superblock: bad magic');
    if (!blake3(sb.subarray(0, 480)).equals(sb.subarray(480, 512))) {
        throw new Bad(0, 'superblock checksum mismatch');
    }
    const version = readU32(sb, 8);
    if (version !== 1 && version !== 2) throw new Bad(0, 'superblock: unknown format version');
    if (readU32(sb, 12) !== BLOCK) throw new Bad(0, 'superblock: block size is not 4096');
    const diskSize = readU64(sb, 16);
    if (diskSize < 1024 * 1024 || diskSize % BLOCK !== 0) {
        throw new Bad(0, 'superblock: disk size is not a whole number of blocks of at least 1 MiB');
    }
    if (diskSize > imageSize) throw new Bad(0, 'disk image shorter than its superblock says');
    const table = regionTable(diskSize);
    for (let i = 0; i < 8; i++) {
        if (readU64(sb, 24 + 8 * i) !== table[i]) {
            throw new Bad(0, 'superblock: region table differs from the one the size implies');
        }
    }
    if (!isZero(sb, version === 2 ? 144 : 136, 480) || !isZero(sb, 512, BLOCK)) {
        throw new Bad(0, 'superblock: reserved bytes are not zero');
    }
    // formats.md "Log segments": format 2 names the segment size S at 136.
    const seg = version === 2 ? readU64(sb, 136) : 0;
    if (version === 2 && (seg % BLOCK !== 0 || seg < 2 * BLOCK || seg > table[3] ||
                          Math.floor(table[3] / seg) > 65536)) {
        throw new Bad(0, 'superblock: log segment size does not fit the log region');
    }
    return {table, seg};
}

// formats.md "Log segments": the slots of the log region hold segments
// numbered without a gap; segment k holds log bytes [k·P, (k+1)·P).
const SEG_MAGIC = Buffer.from('ZLOGSEG1');
const SEG_HEADER = 512;

function findSegments(src, table, seg) {
    const nslots = Math.floor(table[3] / seg);
    const bySeg = new Map();
    let low = Infinity;
    for (let i = 0; i < nslots; i++) {
        const sec = Buffer.from(src.read(table[2] + i * seg, 2 * SEG_HEADER));
        if (isZero(sec, 0, SEG_HEADER)) continue; // a free slot
        const kind = sec.readBigUInt64LE(16);
        const ok = sec.subarray(0, 8).equals(SEG_MAGIC) &&
            blake3(sec.subarray(0, 480)).equals(sec.subarray(480, 512)) &&
            ((kind === 0n && isZero(sec, 24, 480)) ||
             (kind === 1n && readU64(sec, 24) > 0 && isZero(sec, 64, 480))) &&
            sec.readBigUInt64LE(8) < 2n ** 63n;
        if (!ok) {
            // an allocation torn before its segment held a byte: still free
            if (isZero(sec, SEG_HEADER, 2 * SEG_HEADER)) continue;
            throw new Bad(0, `log segment slot ${i}: damaged segment header`);
        }
        if (kind === 1n) continue; // a snapshot: a shortcut for the node, not log
        const k = readU64(sec, 8);
        if (bySeg.has(k)) throw new Bad(0, `log segment slot ${i}: segment ${k} twice`);
        bySeg.set(k, i);
        low = Math.min(low, k);
    }
    if (bySeg.size === 0) throw new Bad(0, 'the log has no segment');
    for (let k = low; k < low + bySeg.size; k++) {
        if (!bySeg.has(k)) throw new Bad(0, 'log segment numbers leave a gap');
    }
    const payload = seg - SEG_HEADER;
    return {seg, payload, low, bySeg, start: low * payload, end: (low + bySeg.size) * payload};
}

// formats.md "Key slot": its structure only; the secret is none of a
// verifier's business, but a disk whose slot is damaged cannot run.
// formats.md "Key slot": protection 0 (plain) or 1 (sealed: Argon2id
// parameters within the table's limits); the secret itself is not checked.
function keySlotFormOk(ks) {
    const protection = readU32(ks, 12);
    if (protection === 0) return isZero(ks, 80, 480);
    if (protection !== 1) return false;
    const t = readU32(ks, 136), m = readU32(ks, 140), p = readU32(ks, 144);
    return t >= 1 && t <= 64 && p >= 1 && p <= 8 && m >= 8 * p && m <= 1048576 &&
        isZero(ks, 148, 480);
}

function checkKeySlot(ks, sb) {
    if (!ks.subarray(0, 8).equals(KEYSLOT_MAGIC) || readU32(ks, 8) !== 1 ||
        !keySlotFormOk(ks) || !isZero(ks, 512, BLOCK) ||
        !blake3(ks.subarray(0, 480)).equals(ks.subarray(480, 512)) ||
        !ks.subarray(48, 80).equals(sb.subarray(104, 136))) {
        throw new Bad(0, 'key slot damaged');
    }
}

function openDisk(src) {
    wholeSectors(src);
    if (src.size < 2 * BLOCK) throw new Bad(0, 'disk smaller than superblock and key slot');
    const sb = Buffer.from(src.read(0, BLOCK));
    const {table, seg} = checkSuperblock(sb, src.size);
    checkKeySlot(src.read(table[0], BLOCK), sb);
    if (seg === 0) return {kind: 'disk', src, base: table[2], length: table[3], exact: false};
    const segs = findSegments(src, table, seg);
    return {kind: 'disk', src, base: table[2], length: segs.end, exact: false, segs};
}

function openContainer(src) {
    const magic = src.read(0, 8);
    if (magic.length === 8 && magic.equals(EXPORT_MAGIC)) return openExport(src);
    // The first six bytes name the format; the last two are its version.
    if (magic.length === 8 && magic.subarray(0, 6).equals(DISK_MAGIC.subarray(0, 6))) {
        return openDisk(src);
    }
    throw new UsageError('neither a Zero OS disk nor a log export');
}

// The container's log [off, off + len), clipped to its end; on a
// format-2 disk gathered from the segments that hold it.
function regionRead(c, off, len) {
    len = Math.max(0, Math.min(len, c.length - off));
    if (!c.segs) return c.src.read(c.base + off, len);
    const g = c.segs;
    if (off < g.start) throw new Bad(0, `the log before offset ${g.start} was pruned`);
    const parts = [];
    while (len > 0) {
        const k = Math.floor(off / g.payload), within = off % g.payload;
        const piece = Math.min(len, g.payload - within);
        parts.push(Buffer.from(c.src.read(c.base + g.bySeg.get(k) * g.seg + SEG_HEADER + within,
                                          piece)));
        off += piece;
        len -= piece;
    }
    return parts.length === 1 ? parts[0] : Buffer.concat(parts);
}

// ---------------------------------------------------------------------------
// Framing (formats.md "Log region", "Record"): the first pass over a batch,
// which applies nothing.

const REC_HEADER = 48;
const REC_MAGIC = Buffer.from('ZLR1');
const TYPE_ENTRY = 1, TYPE_CHECKPOINT = 2;
const MAX_ENTRY = 2048, MAX_CHECKPOINT = 256;
const MAX_BATCH = 256 * 1024;
const MID_LOG_WINDOW = 512 * 1024;

// `at` is where region starts in the log, for messages.
function readRecord(region, pos, end, seq, at = 0) {
    const bad = (why) => new Bad(seq, `record at log offset ${at + pos}: ${why}`);
    if (pos + REC_HEADER > end) throw bad('truncated record header');
    if (!region.subarray(pos, pos + 4).equals(REC_MAGIC)) throw bad('bad record magic');
    const type = region[pos + 4];
    if (type !== TYPE_ENTRY && type !== TYPE_CHECKPOINT) throw bad('unknown record type');
    if (!isZero(region, pos + 5, pos + 8) || !isZero(region, pos + 12, pos + 16)) {
        throw bad('non-zero reserved record bytes');
    }
    const len = readU32(region, pos + 8);
    if (len === 0 || len > (type === TYPE_ENTRY ? MAX_ENTRY : MAX_CHECKPOINT)) {
        throw bad('payload length out of bounds');
    }
    const padded = (REC_HEADER + len + 7) & ~7;
    if (pos + padded > end) throw bad('record runs past the end of the batch');
    const payload = region.subarray(pos + REC_HEADER, pos + REC_HEADER + len);
    const sum = blake3(Buffer.concat([region.subarray(pos, pos + 32), payload])).subarray(0, 16);
    if (!sum.equals(region.subarray(pos + 32, pos + 48))) throw bad('record checksum mismatch');
    if (!isZero(region, pos + REC_HEADER + len, pos + padded)) throw bad('non-zero record padding');
    return {type, batch: readU64(region, pos + 16), number: readU64(region, pos + 24), payload,
            next: pos + padded};
}

// One batch from `start`: entry records, one checkpoint, zeros to a sector.
function frameBatch(region, start, batchNo, firstSeq, at = 0) {
    const end = Math.min(region.length, start + MAX_BATCH);
    const entries = [];
    let pos = start;
    for (;;) {
        const seq = firstSeq + entries.length;
        const rec = readRecord(region, pos, end, seq, at);
        if (rec.batch !== batchNo) {
            throw new Bad(seq, `record at log offset ${at + pos} carries batch ${rec.batch}, ` +
                                   `expected ${batchNo}`);
        }
        pos = rec.next;
        if (rec.type === TYPE_CHECKPOINT) {
            if (entries.length === 0) throw new Bad(seq, `batch ${batchNo} has no entry`);
            const stop = Math.ceil(pos / SECTOR) * SECTOR;
            if (stop > end || !isZero(region, pos, stop)) {
                throw new Bad(seq, `batch ${batchNo}: no zero padding after its checkpoint`);
            }
            return {entries, checkpoint: rec, end: stop};
        }
        if (rec.number !== seq) {
            throw new Bad(seq, `record at log offset ${at + pos} carries sequence ${rec.number}`);
        }
        entries.push(rec);
    }
}

// ---------------------------------------------------------------------------
// Entries and checkpoints (formats.md): strict shapes over decoded CBOR.

const NET_ACTIONS = ['net.connect', 'net.listen', 'net.accept'];
const SVC_ACTIONS = ['svc.start', 'svc.exit', 'svc.hold', 'svc.restart', 'svc.kill'];
const ACTIONS = ['genesis', 'id.create', 'id.rotate', 'id.revoke', 'policy.add',
                 'policy.remove', 'note', 'job.result', 'boot', 'act_as', ...NET_ACTIONS,
                 ...SVC_ACTIONS];
const KIND_NAMES = {1: 'node', 2: 'service', 3: 'user', 4: 'agent'};
const NOTE_MAX = 1024;

// The fields of a map with the unsigned keys 0..n-1 (plus `optional` ones),
// each checked by its type function.  Returns an array indexed by key.
function fields(map, what, types, optional = []) {
    if (!(map instanceof CborMap)) throw new Error(`${what} is not a map`);
    const all = types.concat(optional);
    const out = [];
    for (const [k, v] of map.entries) {
        if (typeof k !== 'bigint' || k >= BigInt(all.length)) {
            throw new Error(`${what} has an unexpected key`);
        }
        out[Number(k)] = all[Number(k)](v, `${what} key ${k}`);
    }
    for (let i = 0; i < types.length; i++) {
        if (out[i] === undefined) throw new Error(`${what} lacks key ${i}`);
    }
    return out;
}

function uint(v, what) {
    if (typeof v !== 'bigint') throw new Error(`${what} is not an unsigned integer`);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error(`${what} is out of range`);
    return Number(v);
}

function text(v, what) {
    if (typeof v !== 'string') throw new Error(`${what} is not text`);
    return v;
}

function bytes(v, what) {
    if (!Buffer.isBuffer(v)) throw new Error(`${what} is not a byte string`);
    return v;
}

const bytesN = (n) => (v, what) => {
    if (bytes(v, what).length !== n) throw new Error(`${what} is not ${n} bytes`);
    return v;
};

function decision(v, what) {
    if (!Array.isArray(v) || v.length !== 2 || typeof v[0] !== 'boolean') {
        throw new Error(`${what} is not [allow, rule id]`);
    }
    return {allow: v[0], rule: uint(v[1], `${what} rule id`)};
}

// formats.md "Entry": id.create and id.rotate may end with one more key,
// present only as true: the principal holds its own key (format 2).
function externalFlag(v, what) {
    if (v !== true) throw new Error(`${what} is not true`);
    return v;
}

const PAYLOAD_OPTIONAL = {'id.create': [externalFlag], 'id.rotate': [externalFlag]};

// formats.md "Network entries": a port is 1..65535, an address 4 bytes.
function port(v, what) {
    const n = uint(v, what);
    if (n < 1 || n > 65535) throw new Error(`${what} is not a port`);
    return n;
}

// formats.md "Service entries": a service name is 1 to 15 bytes of
// a-z 0-9 . -; how is 1..3; a fault kind is below 2^32; a reason 1..63 bytes.
const SVC_NAME_RE = /^[a-z0-9.-]{1,15}$/;
function svcName(v, what) {
    if (!SVC_NAME_RE.test(text(v, what))) throw new Error(`${what} is not a service name`);
    return v;
}
function svcHow(v, what) {
    const n = uint(v, what);
    if (n < 1 || n > 3) throw new Error(`${what} is not 1, 2 or 3`);
    return n;
}
function svcFaultKind(v, what) {
    if (uint64(v, what) > 0xffffffffn) throw new Error(`${what} is out of range`);
    return v;
}
function svcReason(v, what) {
    const n = Buffer.byteLength(text(v, what));
    if (n < 1 || n > 63 || v.includes('\0')) throw new Error(`${what} is not 1 to 63 bytes`);
    return v;
}

const PAYLOADS = {
    'genesis': [text, bytesN(32)],
    'id.create': [text, uint, bytesN(32)],
    'id.rotate': [text, bytesN(32)],
    'id.revoke': [text],
    'policy.add': [uint, text],
    'policy.remove': [uint],
    'note': [bytes],
    'job.result': [bytesN(32), bytesN(32), uint64, bytes],
    'boot': [uint, uint, bytesN(32), bytesN(32), bootImages],
    'act_as': [text],
    'net.connect': [bytesN(4), port],
    'net.listen': [port],
    'svc.start': [svcName, uint64, uint64],
    'svc.exit': [svcName, uint64, svcHow, uint64, svcFaultKind, uint64],
    'svc.hold': [svcName, svcReason],
    'svc.restart': [svcName],
    'svc.kill': [svcName],
    'net.accept': [port, bytesN(4), port],
};

// formats.md "Entry", boot: at most 16 [name, hash] pairs, names 1 to 15
// bytes of a-z 0-9 - .
function bootImages(v, what) {
    if (!Array.isArray(v) || v.length > 16) throw new Error(`${what} is not an array of at most 16`);
    for (const im of v) {
        if (!Array.isArray(im) || im.length !== 2) throw new Error(`${what}: an image is not [name, hash]`);
        if (typeof im[0] !== 'string' || !/^[a-z0-9.-]{1,15}$/.test(im[0])) {
            throw new Error(`${what}: bad image name`);
        }
        bytesN(32)(im[1], `${what} image hash`);
    }
    return v;
}

// An unsigned integer of up to 64 bits, as a BigInt.
function uint64(v, what) {
    if (typeof v !== 'bigint' || v < 0n || v >= 1n << 64n) {
        throw new Error(`${what} is not an unsigned integer`);
    }
    return v;
}

// formats.md "Job spec": a sandbox path.
function sandboxPath(v, what) {
    text(v, what);
    const b = Buffer.from(v);
    if (b.length < 1 || b.length > 255 || b.includes(0) ||
        v.split('/').some((c) => c === '' || c === '.' || c === '..')) {
        throw new Error(`${what} is not a sandbox path`);
    }
    return v;
}

// formats.md "Job result": the result bytes of a job.result entry.
function parseJobResult(buf) {
    if (buf.length > 1536) throw new Error('job result longer than 1536 bytes');
    const f = fields(decodeCbor(buf), 'job result',
                     [uint, uint, uint, uint64, bytesN(32), bytesN(32), (v) => v]);
    if (f[0] !== 1) throw new Error(`unknown job result format ${f[0]}`);
    if (f[1] > 2) throw new Error('job result end is not 0, 1 or 2');
    if (f[2] > 0xffffffff) throw new Error('job result code beyond 32 bits');
    if (!Array.isArray(f[6]) || f[6].length > 32) throw new Error('job outputs not an array of at most 32');
    let last = null;
    for (const o of f[6]) {
        if (!Array.isArray(o) || o.length !== 2) throw new Error('job output is not [path, hash]');
        sandboxPath(o[0], 'job output path');
        bytesN(32)(o[1], 'job output hash');
        if (last !== null && Buffer.compare(Buffer.from(last), Buffer.from(o[0])) >= 0) {
            throw new Error('job outputs not in strictly increasing path order');
        }
        last = o[0];
    }
    return {end: f[1], code: f[2], fuelUsed: f[3]};
}

// formats.md "Entry": 8 keys, or 9 (format 1) / 10 (format 2) with a
// signature; key 9 only in format 2 and only with key 8.
function parseEntry(item) {
    const f = fields(item, 'entry',
                     [uint, uint, bytesN(32), text, text, (v) => v, decision, bytesN(32)],
                     [bytesN(64), uint]);
    const e = {format: f[0], seq: f[1], prev: f[2], proposer: f[3], action: f[4],
               payloadItem: f[5], decision: f[6], stateRoot: f[7], signature: f[8],
               number: f[9]};
    if (e.format !== 1 && e.format !== 2) throw new Error(`unknown entry format ${e.format}`);
    if (e.number !== undefined && e.format !== 2) throw new Error('format 1 entry has key 9');
    if (e.format === 2 && (e.signature === undefined) !== (e.number === undefined)) {
        throw new Error('format 2 signature and proposal number must come together');
    }
    if (e.number !== undefined && e.number < 1) throw new Error('proposal number 0');
    if (!ACTIONS.includes(e.action)) throw new Error(`unknown action "${e.action}"`);
    e.payload = fields(e.payloadItem, `${e.action} payload`, PAYLOADS[e.action],
                       PAYLOAD_OPTIONAL[e.action] || []);
    e.external = e.payload[PAYLOADS[e.action].length] === true;
    if (e.external && e.format < 2) throw new Error('external key in a format 1 entry');
    if (e.action === 'note' && e.payload[0].length > NOTE_MAX) {
        throw new Error('note longer than 1024 bytes');
    }
    if (e.action === 'policy.add' && e.payload[0] > 1) throw new Error('effect neither 0 nor 1');
    if (e.action === 'boot') {
        if (e.payload[0] < 1) throw new Error('boot number 0');
        if (e.payload[1] < 1 || e.payload[1] > 0xffffffff) throw new Error('boot CPU count out of range');
        e.payloadBytes = encodeCbor(e.payloadItem); // strict decoding: the entry's own bytes
        if (e.payloadBytes.length > 1024) throw new Error('boot payload longer than 1024 bytes');
    }
    if (e.action === 'job.result') {
        const r = parseJobResult(e.payload[3]);
        if (e.payload[2] === 0n || r.fuelUsed > e.payload[2]) {
            throw new Error('job.result used more fuel than its limit');
        }
    }
    return e;
}

function parseCheckpoint(item) {
    const f = fields(item, 'checkpoint',
                     [uint, uint, uint, bytesN(32), bytesN(32), bytesN(32), bytesN(64)]);
    if (f[0] !== 1) throw new Error(`unknown checkpoint version ${f[0]}`);
    return {version: f[0], batch: f[1], size: f[2], head: f[3], stateRoot: f[4],
            merkleRoot: f[5], signature: f[6]};
}

// What a checkpoint signature covers: the map of keys 0-5.
function checkpointMessage(c) {
    const body = new Map([[0, c.version], [1, c.batch], [2, c.size], [3, c.head],
                          [4, c.stateRoot], [5, c.merkleRoot]]);
    return Buffer.concat([Buffer.from('Zero OS checkpoint v1\0'), encodeCbor(body)]);
}

// What a proposer signature covers (formats.md, formats 1 and 2).
function proposalMessage(e) {
    const v2 = e.format === 2;
    const items = [e.proposer, e.action, e.payloadItem];
    if (v2) items.push(e.number);
    return Buffer.concat([Buffer.from(`Zero OS proposal v${v2 ? 2 : 1}\0`), encodeCbor(items)]);
}

// ---------------------------------------------------------------------------
// RFC 9162 Merkle tree with BLAKE3, kept as the roots of its perfect
// subtrees (largest first), so each append and each root is O(log n).

class MerkleTree {
    constructor() {
        this.size = 0;
        this.stack = []; // [{size, hash}] with strictly decreasing powers of two
    }

    append(entryHash) {
        let node = {size: 1, hash: blake3(Buffer.concat([Buffer.of(0), entryHash]))};
        while (this.stack.length && this.stack[this.stack.length - 1].size === node.size) {
            const left = this.stack.pop();
            node = {size: 2 * node.size, hash: merkleNode(left.hash, node.hash)};
        }
        this.stack.push(node);
        this.size++;
    }

    // RFC 9162 splits at the largest power of two below n, which makes the
    // root the right-to-left fold of the perfect subtrees.
    root() {
        if (this.size === 0) return blake3(Buffer.alloc(0));
        let hash = this.stack[this.stack.length - 1].hash;
        for (let i = this.stack.length - 2; i >= 0; i--) {
            hash = merkleNode(this.stack[i].hash, hash);
        }
        return hash;
    }
}

function merkleNode(left, right) {
    return blake3(Buffer.concat([Buffer.of(1), left, right]));
}

// ---------------------------------------------------------------------------
// Policy (docs/policy.md): the rule grammar, normal form and evaluation.

const NAME_RE = /^[a-z0-9][a-z0-9._-]{0,31}$/;
const WORD_RE = /^[a-z0-9._-]*$/;
const PATH_WORD_RE = /^[A-Za-z0-9._/-]*$/;
const ADDR_WORD_RE = /^[a-z0-9._:-]*$/; // a resource pattern may name a network end
const KINDS = ['node', 'service', 'user', 'agent'];
const ATTRS = ['proposer.kind', 'proposer.parent', 'resource', 'resource.kind',
               'resource.parent', 'resource.under', 'program', 'fuel',
               'limit.frames', 'limit.threads', 'limit.slots', 'image', 'as', 'rights'];
const RULE_MAX_BYTES = 255, RULE_MAX_CONDS = 4, MAX_RULES = 256, UNDER_LEVELS = 16;
const PATTERN_MAX = 32;

// A principal, action or resource pattern.  policy.md's grammar says more
// than the code accepts in one place and less in two; this follows the code
// (services/policy/policy.c, policy_parse_pat, read for this alone): a word
// of at most 32 bytes *including* the "*"; an exact pattern is any non-empty
// run of [a-z0-9._-] (not only a name, and for actions not only a known
// action name); "kind:K" only for principals and resources; a resource
// pattern starting with "/" (allowPath) is a path pattern over [A-Za-z0-9._/-].
function parsePattern(word, allowKind, allowPath = false) {
    if (Buffer.byteLength(word) > PATTERN_MAX) throw new Error(`pattern "${word}" too long`);
    if (word === '*') return {prefix: ''};
    if (allowKind && word.startsWith('kind:') && word.length > 5) {
        if (!KINDS.includes(word.slice(5))) throw new Error(`unknown kind in "${word}"`);
        return {kind: word.slice(5)};
    }
    const isPrefix = word.endsWith('*');
    const body = isPrefix ? word.slice(0, -1) : word;
    const re = !allowPath ? WORD_RE : word.startsWith('/') ? PATH_WORD_RE : ADDR_WORD_RE;
    if (!re.test(body) || body === '') throw new Error(`bad pattern "${word}"`);
    return isPrefix ? {prefix: body} : {exact: body};
}

function parseCond(attr, op, value) {
    if (!ATTRS.includes(attr)) throw new Error(`unknown attribute "${attr}"`);
    // policy.md: the job conditions "program ==|!= HASH" and "fuel <= N".
    // policy.md: "limit.* <= N", "rights <= N", "image ==|!= HEXPREFIX".
    if (attr === 'image') {
        if ((op !== '==' && op !== '!=') || !/^[0-9a-f]{8,64}$/.test(value)) {
            throw new Error(`bad image condition "${op} ${value}"`);
        }
        return {attr, negate: op === '!=', value};
    }
    if (attr === 'fuel' || attr.startsWith('limit.') || attr === 'rights') {
        if (op !== '<=' || !/^(0|[1-9][0-9]{0,19})$/.test(value) || BigInt(value) >= 1n << 64n) {
            throw new Error(`bad fuel condition "${op} ${value}"`);
        }
        return {attr, bound: BigInt(value)};
    }
    if (attr === 'program') {
        if ((op !== '==' && op !== '!=') || !/^[0-9a-f]{64}$/.test(value)) {
            throw new Error(`bad program condition "${op} ${value}"`);
        }
        return {attr, negate: op === '!=', value};
    }
    if (op !== '==' && op !== '!=') throw new Error(`unknown operator "${op}"`);
    const ok = attr.endsWith('.kind') ? KINDS.includes(value)
                                      : value === 'proposer' || NAME_RE.test(value);
    if (!ok) throw new Error(`bad value "${value}" for ${attr}`);
    return {attr, negate: op === '!=', value};
}

// Parses a rule text; it must already be in normal form (one space between
// words), since an entry must carry the normal form.
function parseRule(textValue) {
    if (Buffer.byteLength(textValue) > RULE_MAX_BYTES) throw new Error('rule too long');
    const words = textValue.split(/[ \t]+/).filter((w) => w !== '');
    if (words.join(' ') !== textValue) throw new Error('rule not in normal form');
    if (words.length < 3) throw new Error('rule too short');
    const rule = {principal: parsePattern(words[0], true), action: parsePattern(words[1], false),
                  resource: parsePattern(words[2], true, true), conds: []};
    if (words.length === 3) return rule;
    if (words[3] !== 'if') throw new Error('expected "if"');
    for (let i = 4;; i += 4) {
        if (i + 3 > words.length) throw new Error('incomplete condition');
        rule.conds.push(parseCond(words[i], words[i + 1], words[i + 2]));
        if (i + 3 === words.length) break;
        if (words[i + 3] !== 'and') throw new Error('expected "and"');
    }
    if (rule.conds.length > RULE_MAX_CONDS) throw new Error('more than 4 conditions');
    return rule;
}

function patternMatches(p, name, kind) {
    if (p.prefix !== undefined) return name.startsWith(p.prefix);
    if (p.kind !== undefined) return kind === p.kind;
    return name === p.exact;
}

// policy.md "What a request looks like": a network entry's resource is the
// remote end "A.B.C.D:PORT" (net.connect, net.accept) or the port (net.listen).
function netResource(e) {
    const p = e.payload;
    if (e.action === 'net.listen') return String(p[0]);
    const [addr, port] = e.action === 'net.connect' ? [p[0], p[1]] : [p[1], p[2]];
    return `${[...addr].join('.')}:${port}`;
}

// A request: proposer {name, kind, parent}, action, resource {name, kind,
// parent, issuers}; kind and parent are null where the table says "none".
function condHolds(c, req) {
    const value = c.value === 'proposer' ? req.proposer.name : c.value;
    let eq;
    if (c.attr === 'fuel') return req.program !== null && req.fuel <= c.bound;
    const procHolds = PROC.condHolds(c, req, value);
    if (procHolds !== undefined) return procHolds;
    switch (c.attr) {
    case 'program': eq = req.program !== null && req.program.toString('hex') === value; break;
    case 'proposer.kind': eq = req.proposer.kind === value; break;
    case 'proposer.parent': eq = req.proposer.parent === value; break;
    case 'resource': eq = req.resource.name === value; break;
    case 'resource.kind': eq = req.resource.kind === value; break;
    case 'resource.parent': eq = req.resource.parent === value; break;
    default: eq = req.resource.name === value || req.resource.issuers.includes(value);
    }
    return eq !== c.negate;
}

function ruleMatches(rule, req) {
    if (rule === null) return false; // only in forged test logs (rulesAfter)
    return patternMatches(rule.principal, req.proposer.name, req.proposer.kind) &&
           patternMatches(rule.action, req.action, null) &&
           patternMatches(rule.resource, req.resource.name, req.resource.kind) &&
           rule.conds.every((c) => condHolds(c, req));
}

// policy.md "Evaluation": any matching deny wins, else the first matching
// allow, else rule 0 denies.
function evaluate(rules, req) {
    let allow = null;
    for (const r of rules) {
        if (!ruleMatches(r.parsed, req)) continue;
        if (r.effect === 0) return {allow: false, rule: r.id};
        if (allow === null) allow = r.id;
    }
    return allow === null ? {allow: false, rule: 0} : {allow: true, rule: allow};
}

// ---------------------------------------------------------------------------
// The control-plane state and its transitions (axiom.md, formats.md "State
// root", identity.md).  Every refusal throws an Error whose message is the
// reason; the caller attaches the sequence number.

// The filesystem's entries (formats.md "Entry", "Filesystem namespace"): zero-verify-fs.js.
const FS = require('./zero-verify-fs.js')({blake3, MerkleTree, evaluate, uint, text, bytesN});
ACTIONS.push(...FS.ACTIONS);
Object.assign(PAYLOADS, FS.PAYLOADS);
// Processes and capabilities (formats.md "Process and capability entries"): zero-verify-proc.js.
const PROC = require('./zero-verify-proc.js')({blake3, encodeCbor, uint, bytesN});
ACTIONS.push(...PROC.ACTIONS);
Object.assign(PAYLOADS, PROC.PAYLOADS);

const MAX_PRINCIPALS = 1024;
// identity.md: which kinds each issuer kind may issue.
const MAY_ISSUE = {node: ['node', 'service', 'user'], user: ['agent'], service: [], agent: []};

class State {
    constructor() {
        this.principals = new Map(); // name -> principal
        this.nodeName = null;
        this.genesisKey = null;
        this.rules = []; // {id, effect, text, parsed}, in id order
        this.nextRule = 1;
        this.notes = 0;
        this.jobs = 0;
        this.jobsHash = Buffer.alloc(32);
        this.boots = 0;
        this.lastBoot = null;
        this.services = new Map(); // name -> {state, pid, restarts} (formats.md key 11)
        this.applied = 0;
        this.format = 0;
        this.fs = new FS.Namespace();
        PROC.init(this);
    }

    principal(name) {
        const p = this.principals.get(name);
        if (!p) throw new Error(`unknown principal ${name}`);
        return p;
    }

    nodeKey() {
        return this.nodeName === null ? null : this.principals.get(this.nodeName).key;
    }

    // The issuers of `p` (parent, grandparent, ...), at most `UNDER_LEVELS`.
    issuers(p) {
        const out = [];
        for (let q = p; q.parent !== null && out.length < UNDER_LEVELS;) {
            out.push(q.parent);
            q = this.principals.get(q.parent);
        }
        return out;
    }

    describe(p) {
        return {name: p.name, kind: KIND_NAMES[p.kind], parent: p.parent};
    }

    // policy.md "What a request looks like".
    request(proposer, e) {
        const res = {name: '', kind: null, parent: null, issuers: []};
        if (e.action === 'id.create') {
            Object.assign(res, {name: e.payload[0], kind: KIND_NAMES[e.payload[1]],
                                parent: proposer.name});
            res.issuers = [proposer.name, ...this.issuers(proposer)].slice(0, UNDER_LEVELS);
        } else if (['id.rotate', 'id.revoke', 'act_as'].includes(e.action)) {
            const t = this.principal(e.payload[0]);
            Object.assign(res, this.describe(t), {issuers: this.issuers(t)});
        } else if (NET_ACTIONS.includes(e.action)) {
            res.name = netResource(e);
        } else if (SVC_ACTIONS.includes(e.action)) {
            res.name = `svc:${e.payload[0]}`; // policy.md: the service
        } else if (e.action === 'job.result') {
            res.name = 'job';
            return {proposer: this.describe(proposer), action: e.action, resource: res,
                    program: e.payload[1], fuel: e.payload[2]};
        } else if (e.action === 'boot') {
            res.name = 'boot';
        } else if (PROC.isProc(e.action)) {
            const req = {proposer: this.describe(proposer), action: e.action, resource: res,
                         program: null, fuel: 0n};
            PROC.request(this, e, res, req);
            return req;
        } else {
            res.name = e.action.startsWith('policy.') ? 'policy' : 'note';
        }
        return {proposer: this.describe(proposer), action: e.action, resource: res,
                program: null, fuel: 0n};
    }

    lockoutCheck(rules) {
        const node = this.describe(this.principals.get(this.nodeName));
        const req = {proposer: node, action: 'policy.remove',
                     resource: {name: 'policy', kind: null, parent: null, issuers: []},
                     program: null, fuel: 0n};
        if (!evaluate(rules, req).allow) {
            throw new Error(`would lock ${this.nodeName} out of changing the policy`);
        }
    }

    // Checks the action against the state; returns the rule set after it
    // (for policy changes) so perform need not parse again.
    checkAction(proposer, e) {
        const p = e.payload;
        if (FS.isFs(e.action)) return FS.check(this, proposer, e);
        if (PROC.isProc(e.action)) return PROC.check(this, proposer, e);
        switch (e.action) {
        case 'id.create': {
            if (!NAME_RE.test(p[0])) throw new Error(`bad principal name "${p[0]}"`);
            if (this.principals.has(p[0])) throw new Error(`name ${p[0]} is taken`);
            if (!KIND_NAMES[p[1]]) throw new Error(`unknown kind ${p[1]}`);
            if (!MAY_ISSUE[KIND_NAMES[proposer.kind]].includes(KIND_NAMES[p[1]])) {
                throw new Error(`a ${KIND_NAMES[proposer.kind]} may not issue a ` +
                                KIND_NAMES[p[1]]);
            }
            if (this.principals.size >= MAX_PRINCIPALS) throw new Error('too many principals');
            return null;
        }
        case 'id.rotate':
        case 'id.revoke':
            // That a revoked principal can be neither rotated nor revoked
            // again is not in the documents; zero verify refuses both.
            if (this.principal(p[0]).revoked) throw new Error(`principal ${p[0]} is revoked`);
            if (e.action === 'id.revoke' && p[0] === this.nodeName) {
                throw new Error('the node principal cannot be revoked');
            }
            return null;
        case 'policy.add': {
            if (this.rules.length >= MAX_RULES) throw new Error('too many rules');
            const rules = this.rulesAfter(e);
            this.lockoutCheck(rules);
            return rules;
        }
        case 'policy.remove': {
            if (!this.rules.some((r) => r.id === p[0])) throw new Error(`no rule #${p[0]}`);
            const rules = this.rulesAfter(e);
            this.lockoutCheck(rules);
            return rules;
        }
        case 'note':
        case 'job.result':
        case 'net.connect':
        case 'net.listen':
        case 'net.accept':
            return null; // lengths, results, fuel and ports were checked with the format
        case 'boot':
            // axiom.md "Boots": the node records its own boots, unsigned, numbered in turn.
            if (proposer.name !== this.nodeName || e.signature !== undefined) {
                throw new Error(`only the node ${this.nodeName} records its boots, unsigned`);
            }
            if (p[0] !== this.boots + 1) throw new Error(`boot number ${p[0]}, expected ${this.boots + 1}`);
            return null;
        case 'act_as':
            return this.checkActAs(p[0]);
        }
        if (SVC_ACTIONS.includes(e.action)) return this.checkService(proposer, e);
        throw new Error(`unexpected action ${e.action}`);
    }

    // formats.md "Service entries": starts, exits and holds come from the
    // node, unsigned; each needs the service in the right state.
    checkService(proposer, e) {
        const name = e.payload[0];
        const r = this.services.get(name);
        if (['svc.start', 'svc.exit', 'svc.hold'].includes(e.action)) {
            if (proposer.name !== this.nodeName || e.signature !== undefined) {
                throw new Error(`service ${name} is started, ended and held by the node only`);
            }
        } else if (r === undefined) {
            throw new Error(`service ${name} is not known`);
        }
        switch (e.action) {
        case 'svc.start':
            if (r === undefined && this.services.size >= 16) throw new Error('a 17th service');
            if (r !== undefined && r.state === 3) throw new Error(`service ${name} is held`);
            break;
        case 'svc.exit':
            if (r === undefined || r.state !== 1 || r.pid !== e.payload[1]) {
                throw new Error(`service ${name} does not run as that pid`);
            }
            break;
        case 'svc.hold':
            if (r === undefined || r.state !== 2) throw new Error(`service ${name} is not down`);
            break;
        case 'svc.kill':
            if (r.state !== 1) throw new Error(`service ${name} does not run`);
            break;
        }
        return null;
    }

    performService(e) {
        const name = e.payload[0];
        let r = this.services.get(name);
        const known = r !== undefined;
        if (!known) {
            r = {state: 2, pid: 0n, restarts: 0};
            this.services.set(name, r);
        }
        switch (e.action) {
        case 'svc.start':
            if (known && r.state === 2) r.restarts++;
            r.state = 1;
            r.pid = e.payload[1];
            break;
        case 'svc.exit':
            r.state = 2;
            break;
        case 'svc.hold':
            r.state = 3;
            break;
        case 'svc.restart':
            if (r.state === 3) r.state = 2;
            break;
        }
    }

    // identity.md "Acting as another principal": a live principal whose
    // key the node derives.
    checkActAs(name) {
        const t = this.principal(name);
        if (t.revoked) throw new Error(`act_as ${name}: ${name} is revoked`);
        if (t.external) throw new Error(`act_as ${name}: ${name} holds its own key`);
        return null;
    }

    // The rule table after a policy change.  `lenient` is for forging test
    // logs only: it keeps a rule that does not parse, as one never matching.
    rulesAfter(e, lenient = false) {
        const p = e.payload;
        if (e.action === 'policy.remove') return this.rules.filter((r) => r.id !== p[0]);
        let parsed = null;
        try {
            parsed = parseRule(p[1]);
        } catch (err) {
            if (!lenient) throw new Error(`rule "${p[1]}": ${err.message}`);
        }
        return this.rules.concat([{id: this.nextRule, effect: p[0], text: p[1], parsed}]);
    }

    checkSignature(proposer, e) {
        if (e.signature === undefined && proposer.external) {
            throw new Error(`${proposer.name} holds its own key: an entry for it must carry ` +
                            'its signature');
        }
        if (e.signature === undefined) return;
        if (e.format === 2 && e.number !== proposer.lastProposal + 1) {
            throw new Error(`replayed or skipped proposal: ${proposer.name}'s signed proposal ` +
                            `#${e.number}, expected #${proposer.lastProposal + 1}`);
        }
        if (!ed25519Verify(proposer.key, proposalMessage(e), e.signature)) {
            throw new Error(`bad proposer signature by ${proposer.name}`);
        }
    }

    // identity.md "Keys held outside the node": users and agents only.
    checkExternal(e) {
        if (!e.external) return;
        const kind = e.action === 'id.create' ? e.payload[1] : this.principal(e.payload[0]).kind;
        if (KIND_NAMES[kind] !== 'user' && KIND_NAMES[kind] !== 'agent') {
            throw new Error(`a ${KIND_NAMES[kind]} may not hold its own key`);
        }
    }

    // axiom.md "Decide", read-only.  Returns what perform needs.
    decide(e) {
        if (e.seq !== this.applied) throw new Error(`sequence ${e.seq}, expected ${this.applied}`);
        if (e.format < this.format) throw new Error('entry format goes down');
        if (e.action === 'genesis' || this.applied === 0) return this.decideGenesis(e);
        const proposer = this.principal(e.proposer);
        if (proposer.revoked) throw new Error(`principal ${proposer.name} is revoked`);
        const rules = this.checkAction(proposer, e);
        this.checkExternal(e);
        this.checkSignature(proposer, e);
        const d = FS.isFs(e.action) ? FS.decide(this, proposer, e)
                                    : evaluate(this.rules, this.request(proposer, e));
        if (!d.allow) {
            throw new Error(d.rule ? `rule #${d.rule} denies ${e.proposer} ${e.action}`
                                   : `no rule allows ${e.proposer} ${e.action} (default deny)`);
        }
        return {proposer, rules, rule: d.rule};
    }

    // The genesis decision is not a policy decision (there is no policy
    // yet); it records rule 0.
    decideGenesis(e) {
        if (e.action !== 'genesis' || this.applied !== 0) {
            throw new Error('genesis must come first and only first');
        }
        if (!NAME_RE.test(e.payload[0])) throw new Error('bad node name');
        if (e.proposer !== e.payload[0]) throw new Error('genesis not proposed by the node');
        if (e.signature !== undefined) throw new Error('signed genesis');
        return {proposer: null, rules: null, rule: 0};
    }

    perform(e, d) {
        const p = e.payload;
        const principal = (name, parent, kind, key) =>
            ({name, parent, kind, revoked: false, keyGen: 0, key, createdSeq: e.seq,
              lastProposal: 0, external: false});
        switch (e.action) {
        case 'genesis': {
            this.nodeName = p[0];
            this.genesisKey = p[1];
            this.principals.set(p[0], principal(p[0], null, 1, p[1]));
            const txt = `${p[0]} * *`;
            this.rules = [{id: 1, effect: 1, text: txt, parsed: parseRule(txt)}];
            this.nextRule = 2;
            break;
        }
        case 'id.create':
            this.principals.set(p[0], principal(p[0], e.proposer, p[1], p[2]));
            this.principals.get(p[0]).external = e.external;
            break;
        case 'id.rotate': {
            const t = this.principals.get(p[0]);
            t.keyGen++;
            t.key = p[1];
            t.external = e.external;
            break;
        }
        case 'id.revoke':
            this.revokeTree(p[0]);
            break;
        case 'policy.add':
            this.nextRule++;
            this.rules = d.rules;
            break;
        case 'policy.remove':
            this.rules = d.rules;
            break;
        case 'note':
            this.notes++;
            break;
        case 'job.result':
            // formats.md "State root": the jobs hash chains spec hash and result hash.
            this.jobsHash = blake3(Buffer.concat([this.jobsHash, p[0], blake3(p[3])]));
            this.jobs++;
            break;
        case 'boot':
            // formats.md "State root": key 8, [boots, BLAKE3 of the last boot payload].
            this.boots++;
            this.lastBoot = blake3(e.payloadBytes);
            break;
        case 'act_as':
            break; // the entry is the record
        case 'net.connect':
        case 'net.listen':
        case 'net.accept':
            break; // formats.md "Network entries": no state but the count applied
        case 'svc.start':
        case 'svc.exit':
        case 'svc.hold':
        case 'svc.restart':
        case 'svc.kill':
            this.performService(e);
            break;
        case 'proc.spawn':
        case 'proc.exit':
        case 'cap.grant':
        case 'cap.revoke':
            PROC.perform(this, e);
            break;
        default:
            FS.perform(this, e);
        }
        if (e.format === 2 && e.number !== undefined) d.proposer.lastProposal = e.number;
        this.format = Math.max(this.format, e.format);
        this.applied++;
    }

    // A principal and everything it issued, directly or not.
    revokeTree(name) {
        const doomed = new Set([name]);
        for (let grew = true; grew;) {
            grew = false;
            for (const q of this.principals.values()) {
                if (q.parent !== null && doomed.has(q.parent) && !doomed.has(q.name)) {
                    doomed.add(q.name);
                    grew = true;
                }
            }
        }
        for (const n of doomed) this.principals.get(n).revoked = true;
    }

    // formats.md "State root".
    root() {
        const v2 = this.format >= 2;
        const names = [...this.principals.keys()].sort(
            (a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
        const ids = names.map((n) => {
            const q = this.principals.get(n);
            const row = [q.name, q.parent === null ? '' : q.parent, q.kind, q.revoked, q.keyGen,
                         q.key, q.createdSeq];
            if (v2) row.push(q.lastProposal);
            if (v2 && q.external) row.push(true);
            return row;
        });
        const policy = [this.nextRule, this.rules.map((r) => [r.id, r.effect, r.text])];
        const top = new Map([[0, this.format], [1, this.applied], [2, this.nodeName],
                             [3, blake3(encodeCbor(ids))], [4, blake3(encodeCbor(policy))],
                             [5, this.notes]]);
        FS.rootKey(this, top);
        if (this.jobs > 0) top.set(7, [this.jobs, this.jobsHash]);
        if (this.boots > 0) top.set(8, [this.boots, this.lastBoot]);
        if (this.services.size > 0) {
            // formats.md "State root": key 11, the services in name order.
            const names = [...this.services.keys()].sort(
                (a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
            const rows = names.map((n) => {
                const r = this.services.get(n);
                return [n, r.state, r.pid, r.restarts];
            });
            top.set(11, blake3(encodeCbor(rows)));
        }
        PROC.rootKeys(this, top);
        return blake3(encodeCbor(top));
    }
}

// ---------------------------------------------------------------------------
// The replay: framing, then meaning, batch by batch.

class Verifier {
    constructor() {
        this.state = new State();
        this.tree = new MerkleTree();
        this.head = Buffer.alloc(32); // "zeros for genesis"
        this.batches = 0;
    }

    get seq() {
        return this.tree.size;
    }

    verifyEntry(rec) {
        const seq = rec.number;
        const bad = (why) => new Bad(seq, why);
        let item, e;
        try {
            item = decodeCbor(rec.payload);
            if (!encodeCbor(item).equals(rec.payload)) throw new Error('does not re-encode');
            e = parseEntry(item);
        } catch (err) {
            throw bad(`entry does not decode: ${err.message}`);
        }
        if (e.seq !== seq) throw bad(`entry says sequence ${e.seq}, its record ${seq}`);
        if (!e.prev.equals(this.head)) throw bad('prev is not the hash of the entry before');
        let d;
        try {
            d = this.state.decide(e);
        } catch (err) {
            throw bad(`refused on replay: ${err.message}`);
        }
        if (!e.decision.allow || e.decision.rule !== d.rule) {
            throw bad(`recorded decision [${e.decision.allow}, ${e.decision.rule}], ` +
                      `replay gives [true, ${d.rule}]`);
        }
        this.state.perform(e, d);
        if (!this.state.root().equals(e.stateRoot)) throw bad('state root mismatch');
        this.head = blake3(rec.payload);
        this.tree.append(this.head);
    }

    verifyCheckpoint(rec, batchNo, key) {
        const seq = this.seq - 1; // reported against the batch's last entry
        const bad = (why) => new Bad(seq, `checkpoint of batch ${batchNo}: ${why}`);
        let c;
        try {
            const item = decodeCbor(rec.payload);
            if (!encodeCbor(item).equals(rec.payload)) throw new Error('does not re-encode');
            c = parseCheckpoint(item);
        } catch (err) {
            throw bad(`does not decode: ${err.message}`);
        }
        if (c.batch !== batchNo) throw bad(`says batch ${c.batch}`);
        if (c.size !== this.seq || rec.number !== this.seq) throw bad('wrong tree size');
        if (!c.head.equals(this.head)) throw bad('head mismatch');
        if (!c.stateRoot.equals(this.state.root())) throw bad('state root mismatch');
        if (!c.merkleRoot.equals(this.tree.root())) throw bad('Merkle root mismatch');
        if (!ed25519Verify(key, checkpointMessage(c), c.signature)) {
            throw bad('signature not valid under the node key in effect');
        }
    }

    // The meaning pass over a framed batch.  Its checkpoint is signed by the
    // node key in effect when it began; the genesis batch's, by the key
    // genesis installs, even if a rotation follows in the same batch.
    verifyBatch(framed) {
        const batchNo = this.batches;
        const keyAtStart = this.state.nodeKey(); // null before genesis
        for (const rec of framed.entries) this.verifyEntry(rec);
        this.verifyCheckpoint(framed.checkpoint, batchNo, keyAtStart || this.state.genesisKey);
        this.batches++;
    }

    // An export must be whole batches to its last byte.  On a disk the log
    // ends at a zero sector or at a batch that fails framing (a torn write);
    // what follows is judged as recovery does (axiom.md "Recovery").
    // Returns the length of a torn tail (0 if none).
    verifyRegion(c, start = 0) {
        let pos = start, torn = 0;
        while (pos < c.length) {
            const w = regionRead(c, pos, MAX_BATCH);
            if (!c.exact && isZero(w, 0, SECTOR)) break;
            let framed;
            try {
                framed = frameBatch(w, 0, this.batches, this.seq, pos);
            } catch (err) {
                if (c.exact || !(err instanceof Bad)) throw err;
                break;
            }
            this.verifyBatch(framed);
            pos += framed.end;
        }
        if (!c.exact) torn = this.judgeTail(c, pos);
        if (this.seq === 0) throw new Bad(0, 'the log is empty: no genesis entry');
        return torn;
    }

    // After the last batch of a disk: an intact record of a later batch
    // starting at a sector boundary in the next 512 KiB (wherever it ends)
    // means damage in the middle (refused); otherwise the non-zero bytes of
    // the next 256 KiB are a torn tail, never acknowledged.
    judgeTail(c, pos) {
        const w = regionRead(c, pos, MID_LOG_WINDOW + BLOCK);
        for (let off = 0; off < MID_LOG_WINDOW && off + REC_HEADER <= w.length; off += SECTOR) {
            const rec = intactRecord(w, off);
            if (rec && rec.batch > this.batches) {
                throw new Bad(this.seq, `damage in the middle of the log: batch ` +
                                        `${this.batches} at log offset ${pos} does not frame, ` +
                                        `an intact record of batch ${rec.batch} lies at ` +
                                        `${pos + off}`);
            }
        }
        let last = Math.min(w.length, MAX_BATCH);
        while (last > 0 && w[last - 1] === 0) last--;
        return last;
    }
}

// The records recovery looks for: magic, type, length and checksum good.
function intactRecord(r, off) {
    if (r[off] !== 0x5a || !r.subarray(off, off + 4).equals(REC_MAGIC)) return null;
    try {
        return readRecord(r, off, r.length, 0);
    } catch (err) {
        return null;
    }
}

// formats.md "Export", "Verifying with an export": the
// export is verified from genesis as a whole, and the replay goes on in
// src's log at the export's length L, with the state, head, tree and batch
// number it reached; src's log must still hold offset L.
function verifyExport(v, exportSrc, c) {
    let x;
    try {
        x = openContainer(exportSrc);
        if (x.kind !== 'export') throw new UsageError('--export FILE is not a log export');
        v.verifyRegion(x, 0);
    } catch (err) {
        if (err instanceof Bad) throw new Bad(err.seq, `the export: ${err.message}`);
        throw err;
    }
    if (c.segs && c.segs.start > x.length) {
        throw new Bad(v.seq, `the log before offset ${c.segs.start} was pruned and the ` +
                             `export ends at ${x.length}: the entries between are in neither`);
    }
    return x.length;
}

// snap: a snapshot file's bytes to start from (formats.md "Snapshot file"),
// trusting pinnedKey when given; exportSrc: an export ('zero export') of the
// history before src's log (a pruned disk), verified first.
function verifySource(src, snap = null, pinnedKey = null, exportSrc = null) {
    const v = new Verifier();
    const c = openContainer(src);
    let start = 0;
    if (exportSrc) {
        start = verifyExport(v, exportSrc, c);
    } else if (snap) {
        try {
            start = SNAP.load(v, snap, c, regionRead, pinnedKey);
        } catch (err) {
            throw new Bad(v.seq, `snapshot: ${err.message}`);
        }
    }
    const from = v.seq;
    const torn = v.verifyRegion(c, start);
    if (pinnedKey && !snap && !pinnedKey.equals(v.state.genesisKey)) {
        throw new Bad(0, `the log starts from node key ${hex(v.state.genesisKey)}, not the ` +
                         'expected one');
    }
    return {entries: v.seq, head: hex(v.head), stateRoot: hex(v.state.root()), torn,
            fromSnapshot: snap ? from : null};
}

// A disk or export held in memory (the tests' sweeps).
function verifyFile(file) {
    return verifySource(bufferSource(file));
}

// ---------------------------------------------------------------------------
// Command line.

const SNAP = require('./zero-verify-snap.js')({decodeCbor, encodeCbor, parseCheckpoint,
    checkpointMessage, ed25519Verify, parseRule, blake3, merkleNode, uint, text, bytesN});

const USAGE = `usage: node zero-verify.js [--key HEX] [--snapshot FILE | --export FILE] PATH

Independently verifies a Zero OS Axiom log: PATH is a log export
('zero export DISK OUT') or a raw disk image.  Checks the framing of every
record, the CBOR, hash chain and signatures of every entry, replays the
control-plane state (identities, policy decisions, state roots) and checks
every checkpoint (Merkle root, signature under the node key in effect).
Prints 'ok: N entries verified; head HEX; state root HEX' and exits 0 (on a
disk, a torn tail after the last batch is named after it), or
'bad: entry #SEQ: REASON' and exits 1.  Exit 2: usage error, unreadable
file, or neither a disk nor an export.  Exit 3: an internal error.
--snapshot FILE ('zero snapshot') starts from the state in FILE, whose
checkpoint must be signed by the key FILE names (or by --key), and verifies
only the entries after it.
--export FILE ('zero export', made before 'zero prune') verifies FILE from
genesis, then goes on with the log of PATH from where FILE ends: a disk whose
old segments were pruned is checked whole this way.
--key HEX pins the node key the log starts from (its genesis key, or with
--snapshot the key that signed the snapshot's checkpoint).
`;

// The verdict on the file at path: the exit status and what to print.
function verdictOf(path, snapFile = null, pinnedKey = null, exportFile = null) {
    let src, fd, xsrc, xfd, reading = path;
    try {
        fd = fs.openSync(path, 'r');
        src = fileSource(fd);
        if (exportFile) {
            reading = exportFile;
            xfd = fs.openSync(exportFile, 'r');
            xsrc = fileSource(xfd);
        }
    } catch (err) {
        if (fd !== undefined) fs.closeSync(fd);
        if (xfd !== undefined) fs.closeSync(xfd);
        return {status: 2, err: `zero-verify: cannot read ${reading}: ${err.message}\n`};
    }
    try {
        const r = verifySource(src, snapFile ? fs.readFileSync(snapFile) : null, pinnedKey, xsrc);
        const tail = r.torn ? `; torn tail of ${r.torn} bytes after it (never acknowledged)` : '';
        const from = r.fromSnapshot !== null ?
            `; from the snapshot at ${r.fromSnapshot} entries` : '';
        return {status: 0, out: `ok: ${r.entries} entries verified; head ${r.head}; ` +
                                `state root ${r.stateRoot}${tail}${from}\n`};
    } catch (err) {
        if (err instanceof UsageError) return {status: 2, err: `zero-verify: ${path}: ${err.message}\n`};
        if (err instanceof Bad) return {status: 1, out: `bad: entry #${err.seq}: ${err.message}\n`};
        // A bug here, not a verdict on the log: keep it apart from exit 1.
        return {status: 3, err: `zero-verify: internal error: ${err.stack}\n`};
    } finally {
        fs.closeSync(src.fd);
        if (xsrc) fs.closeSync(xsrc.fd);
    }
}

function main(argv) {
    if (argv.includes('--help') || argv.includes('-h')) {
        process.stdout.write(USAGE);
        return 0;
    }
    let snapFile = null, key = null, exportFile = null;
    const rest = [];
    for (let i = 0; i < argv.length; i++) {
        const opt = argv[i];
        if ((opt === '--snapshot' || opt === '--key' || opt === '--export') && i + 1 < argv.length) {
            const val = argv[++i];
            if (opt === '--snapshot') snapFile = val;
            else if (opt === '--export') exportFile = val;
            else key = /^[0-9a-f]{64}$/.test(val) ? Buffer.from(val, 'hex') : Buffer.alloc(0);
        } else {
            rest.push(opt);
        }
    }
    if (rest.length !== 1 || rest[0].startsWith('-') || (key && key.length !== 32) ||
        (snapFile && exportFile)) {
        process.stderr.write(USAGE);
        return 2;
    }
    const v = verdictOf(rest[0], snapFile, key, exportFile);
    if (v.out) process.stdout.write(v.out);
    if (v.err) process.stderr.write(v.err);
    return v.status;
}

// For the test and the test-log forger (forge.js).
module.exports = {blake3, blake3Keyed, blake3DeriveKey, decodeCbor, encodeCbor, CborMap, CborNeg,
                  ed25519Verify, decodePoint, hasSmallOrder, parseRule, parseEntry, parseCheckpoint,
                  proposalMessage, checkpointMessage, State, MerkleTree, Bad, openContainer,
                  bufferSource, regionRead, frameBatch, verifyFile, verdictOf};

if (require.main === module) process.exitCode = main(process.argv.slice(2));
