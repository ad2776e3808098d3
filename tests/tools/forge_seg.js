#!/usr/bin/env node
// forge_seg.js: forged format-2 (segmented) disks for tests/tools/forged.t,
// built from docs/formats.md ("Disk layout", "Superblock", "Log segments",
// "Log region", "Record", "Snapshot file", "Export") and not by the node's
// writer.
//
//     node tests/tools/forge_seg.js DISK OUTDIR
//
// DISK is a valid format-2 disk whose log starts at segment 0 and which
// holds a snapshot slot (build/hosted/tests/axiom_snapshot.t writes one).
// Its log is read out of its segments, and new disks are written from
// scratch around it: a superblock recomputed from the disk size, the key
// slot copied (a forger without the secret cannot make one), the segments
// placed in other slots than the writer chose.  Each case breaks one rule,
// or none (controls).  One line per case on stdout:
//
//     NAME VERDICT FILE [--export FILE | --snapshot FILE]
//
// VERDICT is `accept` (both verifiers must report the source's entry count,
// head and state root) or `reject` (both must exit 1).
'use strict';

const fs = require('fs');
const path = require('path');
const z = require('../../tools/verify-js/zero-verify.js');

const SECTOR = 512, BLOCK = 4096;
const u64 = (b, off) => Number(b.readBigUInt64LE(off));
const put64 = (b, off, v) => b.writeBigUInt64LE(BigInt(v), off);

// --- reading the source disk (formats.md "Log segments") ------------------
function readSource(disk) {
    const sb = disk.subarray(0, BLOCK);
    if (sb.readUInt32LE(8) !== 2) throw new Error('not a format-2 disk');
    const logOff = u64(sb, 40), logLen = u64(sb, 48), S = u64(sb, 136);
    const nslots = Math.floor(logLen / S), P = S - SECTOR;
    const segs = new Map();
    let snap = null;
    for (let i = 0; i < nslots; i++) {
        const h = disk.subarray(logOff + i * S, logOff + i * S + SECTOR);
        if (!h.subarray(0, 8).equals(Buffer.from('ZLOGSEG1'))) continue;
        const body = disk.subarray(logOff + i * S + SECTOR, logOff + (i + 1) * S);
        if (u64(h, 16) === 1) {
            const len = u64(h, 24);
            if (!snap || u64(h, 8) > snap.covers) snap = {covers: u64(h, 8), file: body.subarray(0, len)};
        } else {
            segs.set(u64(h, 8), body);
        }
    }
    if (!segs.has(0) || !snap) throw new Error('want a log from segment 0 and a snapshot');
    const log = Buffer.concat([...segs.keys()].sort((a, b) => a - b).map((k) => segs.get(k)));
    return {sb, keySlot: disk.subarray(BLOCK, 2 * BLOCK), size: disk.length, logOff, logLen, S, P,
            nslots, log: logEnd(log), snap};
}

// The batches of a log (formats.md "Log region", "Record"): each record's
// offset, type and payload; the log ends at its first zero sector.
function batches(log) {
    const out = [];
    let pos = 0;
    while (pos + 48 <= log.length && log.subarray(pos, pos + 4).toString() === 'ZLR1') {
        const recs = [];
        for (;;) {
            const type = log[pos + 4], len = log.readUInt32LE(pos + 8);
            recs.push({off: pos, type, len});
            pos += (48 + len + 7) & ~7;
            if (type === 2) break;
        }
        pos = Math.ceil(pos / SECTOR) * SECTOR;
        out.push({recs, end: pos});
    }
    return out;
}

function logEnd(log) {
    const b = batches(log);
    return log.subarray(0, b.length ? b[b.length - 1].end : 0);
}

// Record checksum (formats.md "Record"): BLAKE3(bytes 0..31 ‖ payload)[0..16).
function reseal(log, rec) {
    const payload = log.subarray(rec.off + 48, rec.off + 48 + rec.len);
    z.blake3(Buffer.concat([log.subarray(rec.off, rec.off + 32), payload]))
        .subarray(0, 16).copy(log, rec.off + 32);
}

// --- writing a disk from scratch ----------------------------------------
function superblock(src) {
    const sb = Buffer.alloc(BLOCK);
    Buffer.from('5a45524f4f530001', 'hex').copy(sb, 0);
    sb.writeUInt32LE(2, 8);
    sb.writeUInt32LE(BLOCK, 12);
    put64(sb, 16, src.size);
    const rest = src.size - 8192;
    const logLen = Math.floor(rest / 2 / BLOCK) * BLOCK;
    const casLen = Math.floor((rest - logLen) / 2 / BLOCK) * BLOCK;
    [4096, 4096, 8192, logLen, 8192 + logLen, casLen, 8192 + logLen + casLen,
     rest - logLen - casLen].forEach((v, i) => put64(sb, 24 + 8 * i, v));
    src.sb.copy(sb, 88, 88, 136); // disk id and node key: copied, informative
    put64(sb, 136, src.S);
    z.blake3(sb.subarray(0, 480)).copy(sb, 480);
    return sb;
}

function segHeader(k, kind, file) {
    const h = Buffer.alloc(SECTOR);
    Buffer.from('ZLOGSEG1').copy(h, 0);
    put64(h, 8, k);
    put64(h, 16, kind);
    if (kind === 1) {
        put64(h, 24, file.length);
        z.blake3(file).copy(h, 32);
    }
    z.blake3(h.subarray(0, 480)).copy(h, 480);
    return h;
}

// A disk holding log (from segment `from` on, the ones before pruned) in
// slots counted down from the last, the snapshot in slot 0; edit(disk,
// slotOf) may then change headers.
function writeDisk(src, log, {from = 0, edit = null} = {}) {
    const disk = Buffer.alloc(src.size);
    superblock(src).copy(disk, 0);
    src.keySlot.copy(disk, BLOCK);
    const slotAt = (i) => src.logOff + i * src.S;
    segHeader(src.snap.covers, 1, src.snap.file).copy(disk, slotAt(0));
    src.snap.file.copy(disk, slotAt(0) + SECTOR);
    const count = Math.ceil(log.length / src.P) + 1; // one empty segment after, as a node leaves
    const slotOf = new Map();
    for (let k = from; k < count; k++) {
        const i = src.nslots - 1 - k;
        slotOf.set(k, i);
        segHeader(k, 0).copy(disk, slotAt(i));
        log.subarray(k * src.P, Math.min(log.length, (k + 1) * src.P)).copy(disk, slotAt(i) + SECTOR);
    }
    if (edit) edit(disk, slotOf, slotAt);
    return disk;
}

function exportOf(log) {
    const h = Buffer.alloc(SECTOR);
    Buffer.from('ZEROLOG1').copy(h, 0);
    put64(h, 8, log.length);
    return Buffer.concat([h, log]);
}

// --- the cases ------------------------------------------------------------
function main(argv) {
    if (argv.length !== 2 || argv[0] === '--help') {
        process.stdout.write('usage: node tests/tools/forge_seg.js DISK OUTDIR\n');
        return argv[0] === '--help' ? 0 : 2;
    }
    const src = readSource(fs.readFileSync(argv[0]));
    const out = argv[1];
    const lines = [];
    const file = (name, buf) => {
        const f = path.join(out, name);
        fs.writeFileSync(f, buf);
        return f;
    };
    const emit = (name, verdict, buf, extra = []) => {
        const f = file(name, buf);
        lines.push([name, verdict, f, ...extra].join(' '));
        return f;
    };
    const bs = batches(src.log);

    // Controls: the log in other slots, verified from genesis; and pruned
    // below the snapshot with an export of everything.
    emit('seg-rebuilt.disk', 'accept', writeDisk(src, src.log));
    const exp = emit('seg-whole.export', 'accept', exportOf(src.log));
    const cut = Math.floor(readSnapOffset(src.snap.file) / src.P); // segments wholly before the snapshot
    emit('seg-pruned-with-export.disk', 'accept', writeDisk(src, src.log, {from: cut}), ['--export', exp]);
    emit('seg-pruned-alone.disk', 'reject', writeDisk(src, src.log, {from: cut}));

    // A segment with a bad hash chain: the first entry of segment 2 names a
    // prev that is not the hash of the entry before (record checksum good).
    {
        const log = Buffer.from(src.log);
        const rec = bs.flatMap((b) => b.recs).find((r) => r.type === 1 && r.off >= 2 * src.P);
        const before = bs.flatMap((b) => b.recs).filter((r) => r.type === 1 && r.off < rec.off).pop();
        const prev = z.blake3(log.subarray(before.off + 48, before.off + 48 + before.len));
        const at = log.indexOf(prev, rec.off + 48);
        if (at < 0 || at >= rec.off + 48 + rec.len) throw new Error('no prev hash in the entry');
        log[at + 31] ^= 1;
        reseal(log, rec);
        emit('seg-bad-chain.disk', 'reject', writeDisk(src, log));
    }

    // Segment headers lying about their range (checksums recomputed):
    // segments 2 and 3 swapped, segment 3 claiming to be 2, and segment 3
    // claiming to be 4 (a gap).
    const relabel = (pairs) => (disk, slotOf, slotAt) => {
        for (const [k, claim] of pairs) segHeader(claim, 0).copy(disk, slotAt(slotOf.get(k)));
    };
    emit('seg-header-swapped.disk', 'reject', writeDisk(src, src.log, {edit: relabel([[2, 3], [3, 2]])}));
    emit('seg-header-repeat.disk', 'reject', writeDisk(src, src.log, {edit: relabel([[3, 2]])}));
    emit('seg-header-gap.disk', 'reject',
         writeDisk(src, src.log, {edit: (d, s, at) => {
             const last = Math.max(...s.keys());
             segHeader(last + 1, 0).copy(d, at(s.get(last)));
         }}));

    // A snapshot whose state root does not match its checkpoint: notes + 1.
    const disk = file('seg-snapshot.disk', writeDisk(src, src.log));
    lines.push(`seg-snapshot-good accept ${disk} --snapshot ${file('good.snap', src.snap.file)}`);
    lines.push(`seg-snapshot-bad-root reject ${disk} --snapshot ` +
               file('bad-root.snap', badRoot(src.snap.file)));

    // A pruned prefix with no signed checkpoint: the export's last batch
    // lost its checkpoint record (its entries are unsigned).
    {
        const last = bs[bs.length - 1];
        const cp = last.recs[last.recs.length - 1];
        const log = Buffer.concat([src.log.subarray(0, cp.off),
                                   Buffer.alloc(last.end - cp.off)]);
        const f = file('seg-no-checkpoint.export', exportOf(log));
        emit('seg-pruned-no-checkpoint.disk', 'reject', writeDisk(src, src.log, {from: cut}),
             ['--export', f]);
    }
    process.stdout.write(lines.join('\n') + '\n');
    return 0;
}

// formats.md "Snapshot file": offset 8, the log offset after the snapshot.
function readSnapOffset(file) {
    return u64(file, 8);
}

// The snapshot (after the header and the checkpoint) with item 7, notes,
// one more: the checkpoint and its signature unchanged.
function badRoot(file) {
    const c = file.readUInt32LE(16), s = file.readUInt32LE(20);
    const snap = z.decodeCbor(file.subarray(64 + c, 64 + c + s));
    snap[7] = typeof snap[7] === 'bigint' ? snap[7] + 1n : snap[7] + 1;
    const enc = z.encodeCbor(snap);
    const head = Buffer.from(file.subarray(0, 64 + c));
    head.writeUInt32LE(enc.length, 20);
    return Buffer.concat([head, enc]);
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
