'use strict';
// Snapshot files (docs/formats.md "State snapshot", "Snapshot file"),
// written from the documents: load one into a Verifier so that the replay
// goes on from the batch after it.  The snapshot's checkpoint must carry a
// valid signature by the key the file names (or the one the caller pins),
// the decoded state must reach the checkpoint's state root, Merkle root,
// head, size and batch, and the log must hold that checkpoint just before
// the offset where the replay goes on.

const MAGIC = Buffer.from('ZEROSNP1');
const HEADER = 64, CP_MAX = 256, SNAP_MAX = 2 * 1024 * 1024, LOOK_BACK = 1024;

module.exports = function snapPart(deps) {
    const {decodeCbor, encodeCbor, parseCheckpoint, checkpointMessage, ed25519Verify,
           parseRule, blake3, merkleNode, uint, text, bytesN} = deps;
    const hash32 = bytesN(32);
    const cmp = (a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b));

    function array(v, what, n) {
        if (!Array.isArray(v) || (n !== undefined && v.length !== n)) {
            throw new Error(`${what} is not an array${n !== undefined ? ` of ${n}` : ''}`);
        }
        return v;
    }

    function bool(v, what) {
        if (typeof v !== 'boolean') throw new Error(`${what} is not a bool`);
        return v;
    }

    function sorted(keys, what) {
        for (let i = 1; i < keys.length; i++) {
            if (cmp(keys[i - 1], keys[i]) >= 0) throw new Error(`${what} not sorted`);
        }
    }

    function principals(st, v) {
        const rows = array(v, 'principals');
        sorted(rows.map((r) => array(r, 'principal', 9)[0]), 'principals');
        for (const r of rows) {
            const name = text(r[0], 'name'), parent = text(r[1], 'parent');
            const kind = uint(r[2], 'kind');
            if (kind < 1 || kind > 4) throw new Error('bad principal kind');
            st.principals.set(name, {name, parent: parent === '' ? null : parent, kind,
                                     revoked: bool(r[3], 'revoked'), keyGen: uint(r[4], 'key_gen'),
                                     key: hash32(r[5], 'key'), createdSeq: uint(r[6], 'created'),
                                     lastProposal: uint(r[7], 'proposal'),
                                     external: bool(r[8], 'external')});
        }
    }

    function policy(st, v) {
        array(v, 'policy', 2);
        st.nextRule = uint(v[0], 'next rule id');
        let last = 0;
        st.rules = array(v[1], 'rules').map((r) => {
            array(r, 'rule', 3);
            const id = uint(r[0], 'rule id'), effect = uint(r[1], 'effect');
            const t = text(r[2], 'rule text');
            if (id <= last || id >= st.nextRule || effect > 1) throw new Error('bad rule');
            last = id;
            return {id, effect, text: t, parsed: parseRule(t)};
        });
    }

    function namespace(st, v) {
        if (v === null) return;
        array(v, 'filesystem', 2);
        const ns = st.fs;
        ns.on = true;
        const nodes = array(v[0], 'nodes');
        sorted(nodes.map((n) => array(n, 'node', 7)[0]), 'nodes');
        for (const n of nodes) {
            const kind = uint(n[5], 'node kind');
            uint(n[6], 'entry that last changed it');
            if (kind !== 1 && kind !== 2) throw new Error('bad node kind');
            ns.nodes.set(n[0], {path: text(n[0], 'path'), owner: text(n[1], 'owner'),
                                hash: hash32(n[2], 'content hash'), size: uint(n[3], 'size'),
                                mode: uint(n[4], 'mode'), kind});
        }
        const quotas = array(v[1], 'quotas');
        sorted(quotas.map((q) => array(q, 'quota', 2)[0]), 'quotas');
        for (const q of quotas) ns.quotas.set(text(q[0], 'owner'), uint(q[1], 'limit'));
    }

    // The tree of `size` entries from its frontier, largest subtree first.
    function frontier(tree, size, roots) {
        const sizes = [];
        for (let bit = 52; bit >= 0; bit--) {
            const s = 2 ** bit;
            if (Math.floor(size / s) % 2 === 1) sizes.push(s);
        }
        if (sizes.length !== roots.length) throw new Error('frontier of the wrong length');
        tree.size = size;
        tree.stack = roots.map((h, i) => ({size: sizes[i], hash: hash32(h, 'subtree root')}));
    }

    function countHash(v, what) {
        array(v, what, 2);
        const n = uint(v[0], what), h = hash32(v[1], what);
        if (n === 0 && !h.equals(Buffer.alloc(32))) throw new Error(`${what}: hash without any`);
        return [n, h];
    }

    // Fills verifier v (new) from snapshot bytes.
    function decodeSnapshot(v, buf) {
        const item = decodeCbor(buf);
        if (!encodeCbor(item).equals(buf)) throw new Error('not canonical');
        array(item, 'snapshot');
        if (item.length !== 13 && item.length !== 14) throw new Error('snapshot of the wrong length');
        if (uint(item[0], 'version') !== 1) throw new Error('unknown snapshot version');
        const st = v.state;
        st.applied = uint(item[1], 'entries');
        v.batches = uint(item[2], 'next batch');
        v.head = hash32(item[3], 'head');
        frontier(v.tree, st.applied, array(item[4], 'frontier'));
        st.format = uint(item[5], 'format');
        st.nodeName = text(item[6], 'node name');
        st.notes = uint(item[7], 'notes');
        principals(st, item[8]);
        if (!st.principals.has(st.nodeName)) throw new Error('no node principal');
        policy(st, item[9]);
        namespace(st, item[10]);
        [st.jobs, st.jobsHash] = countHash(item[11], 'jobs');
        [st.boots, st.lastBoot] = countHash(item[12], 'boots');
        if (st.boots === 0) st.lastBoot = null;
        const svcs = item.length === 14 ? array(item[13], 'services') : [];
        if (item.length === 14 && svcs.length === 0) throw new Error('an empty services item');
        if (svcs.length > 16) throw new Error('too many services');
        sorted(svcs.map((r) => array(r, 'service', 4)[0]), 'services');
        for (const r of svcs) {
            const name = text(r[0], 'service name'), state = uint(r[1], 'service state');
            if (name.length === 0 || name.length > 15 || state < 1 || state > 3) {
                throw new Error('bad service row');
            }
            if (typeof r[2] !== 'bigint' || r[2] >= 1n << 64n) throw new Error('bad pid');
            st.services.set(name, {state, pid: r[2], restarts: uint(r[3], 'restarts')});
        }
    }

    function parseFile(file) {
        if (file.length < HEADER || !file.subarray(0, 8).equals(MAGIC) ||
            !file.subarray(56, HEADER).equals(Buffer.alloc(8))) {
            throw new Error('not a snapshot file');
        }
        const off = Number(file.readBigUInt64LE(8));
        const cpLen = file.readUInt32LE(16), snapLen = file.readUInt32LE(20);
        if (cpLen === 0 || cpLen > CP_MAX || snapLen > SNAP_MAX ||
            file.length !== HEADER + cpLen + snapLen || off % 512 !== 0) {
            throw new Error('bad snapshot file header');
        }
        return {off, key: file.subarray(24, 56), cp: file.subarray(HEADER, HEADER + cpLen),
                snap: file.subarray(HEADER + cpLen)};
    }

    // Loads the snapshot file (a Buffer) into Verifier v for container c,
    // trusting pinnedKey if given (else the file's key).  Returns the log
    // offset to go on from; throws an Error with the reason.
    function load(v, file, c, regionRead, pinnedKey) {
        const f = parseFile(file);
        if (pinnedKey && !pinnedKey.equals(f.key)) {
            throw new Error('signed by another key than the one trusted');
        }
        const cpItem = decodeCbor(f.cp);
        if (!encodeCbor(cpItem).equals(f.cp)) throw new Error('checkpoint not canonical');
        const cp = parseCheckpoint(cpItem);
        if (!ed25519Verify(f.key, checkpointMessage(cp), cp.signature)) {
            throw new Error("the checkpoint's signature is not the key's");
        }
        decodeSnapshot(v, f.snap);
        if (cp.size !== v.state.applied || cp.batch + 1 !== v.batches) {
            throw new Error("its position is not the checkpoint's");
        }
        if (!cp.head.equals(v.head) || !cp.merkleRoot.equals(v.tree.root())) {
            throw new Error("its head or tree root is not the checkpoint's");
        }
        if (!cp.stateRoot.equals(v.state.root())) {
            throw new Error("its state root is not the checkpoint's");
        }
        const w = f.off >= LOOK_BACK ? regionRead(c, f.off - LOOK_BACK, LOOK_BACK) : Buffer.alloc(0);
        let there = false;
        for (let i = 0; i + f.cp.length <= w.length && !there; i += 8) {
            there = w.subarray(i, i + f.cp.length).equals(f.cp);
        }
        if (!there) throw new Error("the log does not hold the snapshot's checkpoint before its offset");
        return f.off;
    }

    return {load};
};
