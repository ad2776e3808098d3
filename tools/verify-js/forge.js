#!/usr/bin/env node
// forge.js: a test helper for tests/tools/verify_js.t, not a verifier.
//
//     node tools/verify-js/forge.js DISK OUTDIR
//
// DISK is a disk made by the scripted zero-hosted session of the test.  This
// reads its root secret from the key slot (formats.md "Key slot") and
// derives every principal's keys as docs/identity.md says, so it can write
// logs that no single-byte change could make: changed, re-chained and
// re-signed with the real keys (checkpoints and proposer signatures,
// including format-2 signed proposals, which no terminal command makes).
// It writes one export per case into OUTDIR and prints one line per case:
//
//     NAME EXPECT
//
// EXPECT is `accept`, `reject` or `probe` (a question the documents leave
// open; the test only requires that both verifiers give the same answer).
// State roots are recomputed by this directory's own State, without the
// policy checks, so a refusal has to come from the rule the case breaks.
'use strict';

const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const z = require('./zero-verify.js');

const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');
const KEY_CONTEXT = 'Zero OS 2026 principal signing key v1';

// ---------------------------------------------------------------------------
// Keys (identity.md "Key derivation").

function seedFor(root, name, gen) {
    const g = Buffer.alloc(4);
    g.writeUInt32LE(gen);
    const material = Buffer.concat([root, Buffer.from(name), Buffer.of(0), g]);
    return z.blake3DeriveKey(KEY_CONTEXT, material);
}

function keyPair(seed) {
    const priv = crypto.createPrivateKey({key: Buffer.concat([PKCS8_ED25519, seed]),
                                          format: 'der', type: 'pkcs8'});
    const pub = crypto.createPublicKey(priv).export({format: 'der', type: 'spki'}).subarray(12);
    return {priv, pub};
}

function rootSecret(disk) {
    const slot = disk.subarray(4096, 8192);
    if (slot.subarray(0, 8).toString() !== 'ZEROKEY1') throw new Error('no key slot');
    if (!z.blake3(slot.subarray(0, 480)).equals(slot.subarray(480, 512))) {
        throw new Error('key slot checksum mismatch');
    }
    return slot.subarray(16, 48);
}

// ---------------------------------------------------------------------------
// Reading the disk's log into entry specs and batch sizes.

function readLog(disk) {
    const c = z.openContainer(z.bufferSource(disk));
    const region = z.regionRead(c, 0, c.length);
    const specs = [], batches = [];
    for (let pos = 0, b = 0; pos < region.length && region[pos] !== 0; b++) {
        const framed = z.frameBatch(region, pos, b, specs.length);
        for (const rec of framed.entries) {
            const e = z.parseEntry(z.decodeCbor(rec.payload));
            specs.push({format: e.format, proposer: e.proposer, action: e.action,
                        payload: e.payload, decision: [e.decision.allow, e.decision.rule],
                        signature: e.signature, number: e.number,
                        external: e.external || undefined});
        }
        batches.push(framed.entries.length);
        pos = framed.end;
    }
    return {specs, batches};
}

// ---------------------------------------------------------------------------
// Writing a log.

function record(type, batch, number, payload) {
    const head = Buffer.alloc(32);
    head.write('ZLR1', 0);
    head[4] = type;
    head.writeUInt32LE(payload.length, 8);
    head.writeBigUInt64LE(BigInt(batch), 16);
    head.writeBigUInt64LE(BigInt(number), 24);
    const sum = z.blake3(Buffer.concat([head, payload])).subarray(0, 16);
    const len = (48 + payload.length + 7) & ~7;
    return Buffer.concat([head, sum, payload, Buffer.alloc(len - 48 - payload.length)]);
}

function payloadMap(payload) {
    return new Map(payload.map((v, i) => [i, v]));
}

// The entry as the state machine sees it (parseEntry's shape), signed if
// the spec names a signer.
function entryOf(spec, seq, keys) {
    const e = {format: spec.format, seq, proposer: spec.proposer, action: spec.action,
               payload: spec.payload, payloadItem: payloadMap(spec.payload),
               number: spec.number, external: spec.external === true};
    if (spec.signWith) { // a key object: a key the node cannot derive, or any other
        e.signature = crypto.sign(null, z.proposalMessage(e), spec.signWith);
    } else if (spec.signer) {
        e.signature = crypto.sign(null, z.proposalMessage(e), keys.byName(...spec.signer).priv);
    } else if (spec.signature) { // kept as read from the disk
        e.signature = spec.signature;
    }
    return e;
}

function entryBytes(e, spec, prev, stateRoot) {
    const m = new Map([[0, e.format], [1, e.seq], [2, prev], [3, e.proposer], [4, e.action],
                       [5, e.payloadItem], [6, spec.decision], [7, stateRoot]]);
    if (e.signature) m.set(8, e.signature);
    if (e.number !== undefined) m.set(9, e.number);
    return z.encodeCbor(m);
}

// Applies an entry without any check (see the header comment).
function applyUnchecked(state, e) {
    const rules = e.action.startsWith('policy.') ? state.rulesAfter(e, true) : null;
    state.perform(e, {proposer: state.principals.get(e.proposer) || null, rules});
}

// Options that break one thing and re-sign: ownKeyBatch (sign that batch's
// checkpoint with the node key in effect after it, not before it),
// prev(seq, head) and root(seq, stateRoot) (what an entry records),
// checkpoint(batch, fields) (changes a checkpoint's fields before signing).
function writeLog(specs, batches, keys, opts = {}) {
    const state = new z.State();
    const tree = new z.MerkleTree();
    let head = Buffer.alloc(32);
    const out = [];
    let seq = 0;
    batches.forEach((count, b) => {
        const keyAtStart = state.nodeKey();
        const recs = [];
        for (let i = 0; i < count; i++, seq++) {
            const spec = specs[seq];
            const e = entryOf(spec, seq, keys);
            applyUnchecked(state, e);
            const bytes = entryBytes(e, spec, opts.prev ? opts.prev(seq, head) : head,
                                     opts.root ? opts.root(seq, state.root()) : state.root());
            recs.push(record(1, b, seq, bytes));
            head = z.blake3(bytes);
            tree.append(head);
        }
        // the key in effect when the batch began; for the genesis batch, the
        // key genesis installs
        const signKey = opts.ownKeyBatch === b ? state.nodeKey() : keyAtStart || state.genesisKey;
        const c = {version: 1, batch: b, size: seq, head, stateRoot: state.root(),
                   merkleRoot: tree.root()};
        if (opts.checkpoint) opts.checkpoint(b, c);
        const sig = crypto.sign(null, z.checkpointMessage(c), keys.byPub(signKey).priv);
        const cp = z.encodeCbor(new Map([[0, c.version], [1, c.batch], [2, c.size], [3, c.head],
                                         [4, c.stateRoot], [5, c.merkleRoot], [6, sig]]));
        recs.push(record(2, b, seq, cp));
        const batch = Buffer.concat(recs);
        out.push(batch, Buffer.alloc((512 - (batch.length % 512)) % 512));
    });
    const log = Buffer.concat(out);
    const header = Buffer.alloc(512);
    header.write('ZEROLOG1', 0);
    header.writeBigUInt64LE(BigInt(log.length), 8);
    return Buffer.concat([header, log]);
}

// ---------------------------------------------------------------------------
// The cases.  Rule ids and principals are those of the test's session:
// #1 root * *, #2 allow kind:user note *, #3 allow svc-* note *, #4 (removed
// at the end) users issue agents, #5 users rotate themselves, #6 users
// revoke what they issued, #7 deny bob note *; alice, bot and bob-bot end
// revoked; root's key was rotated twice.  Each `as` of the session commits an
// act_as entry before its command: entry 7 is alice's first note, entry 25
// root's first key rotation.

function flip(b) {
    const out = Buffer.from(b);
    out[0] ^= 1;
    return out;
}

function spec(proposer, action, payload, rule, extra = {}) {
    return Object.assign({format: 2, proposer, action, payload, decision: [true, rule]}, extra);
}

const note = (who, rule, extra) => spec(who, 'note', [Buffer.from(`note by ${who}`)], rule, extra);
const signedNote = (who, gen, number, format = 2) =>
    note(who, who === 'root' ? 1 : 3,
         {format, signer: [who, gen], number: format === 2 ? number : undefined});

// A valid rule (it matches nothing) of exactly `len` bytes, 235 to 266.
function longRule(len) {
    const conds = [1, 2, 3].map((i) => `proposer.parent != ${String(i).repeat(20)}`);
    const start = `${'a'.repeat(31)}* policy.remove ${'b'.repeat(31)}* if ${conds.join(' and ')}` +
                  ' and proposer.parent != ';
    return start + 'c'.repeat(len - start.length);
}

// `count` allow rules that match nothing, each added by root.
function manyRules(count) {
    return Array.from({length: count}, (_, i) => spec('root', 'policy.add',
                                                      [1, `nobody${i} note *`], 1));
}

function cases(base, keys) {
    const n = base.specs.length;
    const one = (count) => Array(count).fill(1);
    const plus = (extra, batches) => ({specs: base.specs.concat(extra),
                                      batches: base.batches.concat(batches || [extra.length])});
    const change = (seq, fn) => {
        const specs = base.specs.map((s) => Object.assign({}, s));
        fn(specs[seq], specs);
        return {specs, batches: base.batches};
    };
    const fours = [];
    for (let left = n; left > 0; left -= 4) fours.push(Math.min(4, left));
    const rotateSvc = spec('root', 'id.rotate', ['svc-log', keys.byName('svc-log', 1).pub], 1);
    const genesisRotated = {specs: [base.specs[0], spec('root', 'id.rotate',
                                                        ['root', keys.byName('root', 1).pub], 1)],
                            batches: [2]};
    const asFormat1 = base.specs.map((s) => Object.assign({}, s, {format: 1}));
    const chain = []; // nodes n1..n17, each issued by the one before
    for (let i = 1; i <= 17; i++) {
        const name = `n${i}`;
        chain.push(spec(i === 1 ? 'root' : `n${i - 1}`, 'id.create',
                        [name, 1, keys.byName(name, 0).pub], i === 1 ? 1 : 8));
    }
    const underRule = spec('root', 'policy.add',
                           [1, 'n1 id.rotate * if resource.under == root'], 1);
    const nodesCreate = spec('root', 'policy.add', [1, 'kind:node id.create *'], 1);
    const rotateNode = (who) => spec('n1', 'id.rotate', [who, keys.byName(who, 1).pub], 9);
    return {
        'same': ['accept', base],
        'batches-of-4': ['accept', {specs: base.specs, batches: fours}],
        'batch-signed-by-its-own-rotation': ['reject', {specs: base.specs, batches: fours},
                                             {ownKeyBatch: Math.floor(25 / 4)}],
        'genesis-batch-with-rotation': ['accept', genesisRotated],
        'genesis-batch-signed-by-its-own-rotation': ['reject', genesisRotated, {ownKeyBatch: 0}],
        'signed-format-2': ['accept', plus([signedNote('svc-log', 0, 1),
                                            signedNote('svc-log', 0, 2), rotateSvc,
                                            signedNote('svc-log', 1, 3)], [2, 1, 1])],
        'signed-by-node': ['accept', plus([signedNote('root', 2, 1)])],
        'signed-replayed': ['reject', plus([signedNote('svc-log', 0, 1),
                                            signedNote('svc-log', 0, 1)], [1, 1])],
        'signed-number-skips': ['reject', plus([signedNote('svc-log', 0, 2)])],
        'signed-number-0': ['reject', plus([signedNote('svc-log', 0, 0)])],
        'signed-with-rotated-out-key': ['reject', plus([rotateSvc, signedNote('svc-log', 0, 1)])],
        'signed-by-another-key': ['reject', plus([Object.assign(signedNote('svc-log', 0, 1),
                                                                {signer: ['bob', 0]})])],
        'signed-format-1-after-2': ['reject', plus([signedNote('svc-log', 0, 1, 1)])],
        'format-1-signed-twice': ['accept', {specs: asFormat1.concat(
                                                [signedNote('svc-log', 0, 0, 1),
                                                 signedNote('svc-log', 0, 0, 1)]),
                                             batches: base.batches.concat([1, 1])}],
        'format-1-then-2': ['accept', {specs: asFormat1.slice(0, 10).concat(base.specs.slice(10)),
                                       batches: base.batches}],
        'format-2-then-1': ['reject', {specs: base.specs.slice(0, 10).concat(asFormat1.slice(10)),
                                       batches: base.batches}],
        'decision-names-another-rule': ['reject', change(7, (s) => (s.decision = [true, 1]))],
        'decision-recorded-as-deny': ['reject', change(7, (s) => (s.decision = [false, 2]))],
        'denied-by-deny-rule': ['reject', plus([note('bob', 2)])],
        'allowed-by-no-rule': ['reject', plus([spec('svc-log', 'id.rotate',
                                                     ['bob', keys.byName('bob', 1).pub], 3)])],
        'proposer-revoked': ['reject', plus([note('bot', 2)])],
        'proposer-unknown': ['reject', plus([note('nobody', 1)])],
        'lock-out-by-remove': ['reject', plus([spec('root', 'policy.remove', [1], 1)])],
        'lock-out-by-deny': ['reject', plus([spec('root', 'policy.add', [0, 'root * *'], 1)])],
        'node-issues-agent': ['reject', plus([spec('root', 'id.create',
                                                   ['agent7', 4, keys.byName('agent7', 0).pub],
                                                   1)])],
        'name-reused': ['reject', plus([spec('root', 'id.create',
                                             ['alice', 3, keys.byName('alice', 0).pub], 1)])],
        'node-revoked': ['reject', plus([spec('root', 'id.revoke', ['root'], 1)])],
        'note-too-long': ['reject', plus([spec('root', 'note', [Buffer.alloc(1025, 97)], 1)])],
        'note-of-1024-bytes': ['accept', plus([spec('root', 'note', [Buffer.alloc(1024, 97)], 1)])],
        'rule-not-normal-form': ['reject', plus([spec('root', 'policy.add',
                                                      [1, 'kind:user  note *'], 1)])],
        'rule-bad-kind': ['reject', plus([spec('root', 'policy.add',
                                               [1, 'kind:robot note *'], 1)])],
        'policy-before-its-use': ['reject', change(4, (s, all) => {
            [all[4], all[7]] = [all[7], all[4]];
        })],
        'genesis-again': ['reject', plus([spec('root', 'genesis',
                                               ['root', keys.byName('root', 0).pub], 0)])],
        'under-16-levels': ['accept', plus([nodesCreate, ...chain, underRule, rotateNode('n16')],
                                           one(20))],
        'probe-under-17-levels': ['probe', plus([nodesCreate, ...chain, underRule,
                                                 rotateNode('n17')], one(20))],
        'probe-parent-of-node-differs': ['probe', plus([
            spec('root', 'policy.add', [0, 'root note * if proposer.parent != bob'], 1),
            note('root', 1)])],
        'probe-kind-of-note-differs': ['probe', plus([
            spec('root', 'policy.add', [0, 'root note * if resource.kind != user'], 1),
            note('root', 1)])],
        'probe-empty-note': ['probe', plus([spec('root', 'note', [Buffer.alloc(0)], 1)])],
        'entry-records-another-root': ['reject', base, {root: (q, r) => (q === 9 ? flip(r) : r)}],
        'entry-links-another-prev': ['reject', base, {prev: (q, h) => (q === 9 ? flip(h) : h)}],
        'checkpoint-head': ['reject', base,
                            {checkpoint: (b, c) => b === 5 && (c.head = flip(c.head))}],
        'checkpoint-state-root': ['reject', base, {checkpoint: (b, c) => b === 5 &&
                                                   (c.stateRoot = flip(c.stateRoot))}],
        'checkpoint-merkle-root': ['reject', base, {checkpoint: (b, c) => b === 5 &&
                                                    (c.merkleRoot = flip(c.merkleRoot))}],
        'checkpoint-tree-size': ['reject', base, {checkpoint: (b, c) => b === 5 && c.size++}],
        'checkpoint-batch': ['reject', base, {checkpoint: (b, c) => b === 5 && c.batch++}],
        'checkpoint-version': ['reject', base, {checkpoint: (b, c) => b === 5 && c.version++}],
        'policy-effect-2': ['reject', plus([spec('root', 'policy.add', [2, 'bob note *'], 1)])],
        'policy-remove-missing': ['reject', plus([spec('root', 'policy.remove', [4], 1)])],
        'policy-remove-allowed': ['accept', plus([spec('root', 'policy.remove', [7], 1),
                                                 note('bob', 2)])],
        'rule-action-prefix-and-word': ['accept', plus([
            spec('root', 'policy.add', [1, 'svc-* id.* * if resource.kind == user'], 1),
            spec('root', 'policy.add', [1, '-odd.word frobnicate _x'], 1),
            spec('svc-log', 'id.rotate', ['bob', keys.byName('bob', 1).pub], 8)])],
        'probe-rotate-revoked': ['probe', plus([spec('root', 'id.rotate',
                                                     ['bot', keys.byName('bot', 1).pub], 1)])],
        'probe-revoke-revoked': ['probe', plus([spec('root', 'id.revoke', ['bot'], 1)])],
        'probe-create-with-small-order-key': ['probe', plus([spec('root', 'id.create',
                                                                   ['carol', 3, Buffer.alloc(32)],
                                                                   1)])],
        'probe-create-with-non-point-key': ['probe', plus([spec('root', 'id.create',
                                                                 ['carol', 3,
                                                                  Buffer.alloc(32, 0xff)], 1)])],
        'probe-principal-named-note': ['probe', plus([
            spec('root', 'id.create', ['note', 3, keys.byName('note', 0).pub], 1),
            spec('root', 'policy.add', [0, 'root note * if resource.under == root'], 1),
            note('root', 1)])],
        'probe-payload-extra-key': ['probe', plus([spec('root', 'note',
                                                        [Buffer.from('x'), Buffer.from('y')], 1)])],
        // Rules #1-#3 and #5-#7 are live: 250 more make 256, the limit.
        'rules-256-live-after-a-remove': ['accept', plus([...manyRules(250),
                                                          spec('root', 'policy.remove', [8], 1),
                                                          ...manyRules(1)], one(252))],
        'rules-257': ['reject', plus(manyRules(251), one(251))],
        'rule-of-255-bytes': ['accept', plus([spec('root', 'policy.add', [1, longRule(255)], 1)])],
        'act-as-allowed': ['accept', plus([spec('root', 'act_as', ['bob'], 1)])],
        'act-as-revoked': ['reject', plus([spec('root', 'act_as', ['alice'], 1)])],
        'act-as-unknown': ['reject', plus([spec('root', 'act_as', ['nobody'], 1)])],
        'act-as-by-no-rule': ['reject', plus([spec('bob', 'act_as', ['root'], 1)])],
        'act-as-external': ['reject', plus([
            spec('root', 'id.create', ['ext', 3, keys.byName('ext', 0).pub, true], 1,
                 {external: true}),
            spec('root', 'act_as', ['ext'], 1)], [1, 1])],
        'rule-of-256-bytes': ['reject', plus([spec('root', 'policy.add', [1, longRule(256)], 1)])],
    };
}

// ---------------------------------------------------------------------------

function main(argv) {
    if (argv.length !== 2) {
        process.stderr.write('usage: node forge.js DISK OUTDIR\n');
        return 2;
    }
    const disk = fs.readFileSync(argv[0]);
    const root = rootSecret(disk);
    const pairs = new Map();
    const keys = {
        byName(name, gen) {
            const k = keyPair(seedFor(root, name, gen));
            pairs.set(k.pub.toString('hex'), k);
            return k;
        },
        byPub(pub) {
            return pairs.get(Buffer.from(pub).toString('hex'));
        },
    };
    for (let gen = 0; gen < 4; gen++) keys.byName('root', gen); // the node keys
    const base = readLog(disk);
    fs.mkdirSync(argv[1], {recursive: true});
    for (const [name, [expect, log, opts]] of Object.entries(cases(base, keys))) {
        fs.writeFileSync(path.join(argv[1], name), writeLog(log.specs, log.batches, keys, opts));
        console.log(`${name} ${expect}`);
    }
    return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
module.exports = {seedFor, keyPair, rootSecret, readLog, writeLog, spec};
