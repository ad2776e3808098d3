// zero-verify-fs.js: the filesystem part of the independent verifier
// (zero-verify.js), written from docs/formats.md ("Entry", "State root",
// "Filesystem namespace") and docs/policy.md: the fs.* entry payloads, the
// namespace they change, the policy requests they make and the namespace
// root that becomes key 6 of the state root.
'use strict';

const PATH_MAX = 511, NAME_MAX = 255, OWNER_MAX = 32, NODES_MAX = 1024, QUOTAS_MAX = 64;
const FILE = 1, DIR = 2;
const ACTIONS = ['fs.put', 'fs.mkdir', 'fs.rm', 'fs.rmdir', 'fs.mv', 'fs.quota'];

module.exports = function fsPart({blake3, MerkleTree, evaluate, uint, text, bytesN}) {
    const len = (s) => Buffer.byteLength(s);
    const cmp = (a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b));

    // formats.md "Filesystem namespace": why a path is refused, or null.
    function pathProblem(p) {
        if (p.length === 0) return 'empty path';
        if (p.includes('\0')) return 'NUL byte in path';
        if (p[0] !== '/') return 'path must start with /';
        if (len(p) > PATH_MAX) return 'path longer than 511 bytes';
        if (p === '/') return null;
        for (const c of p.slice(1).split('/')) {
            if (c === '') return 'empty path component';
            if (c === '.' || c === '..') return "'.' and '..' are not allowed in a path";
            if (len(c) > NAME_MAX) return 'path component longer than 255 bytes';
        }
        return null;
    }

    function validPath(p) {
        const why = pathProblem(p);
        if (why !== null) throw new Error(`${p}: ${why}`);
    }

    const below = (p, dir) => p === dir || p.startsWith(dir + '/');

    class Namespace {
        constructor() {
            this.nodes = new Map(); // path -> {path, kind, mode, owner, size, hash}
            this.quotas = new Map(); // owner -> limit
            this.on = false;
        }

        parentOk(p) {
            const cut = p.lastIndexOf('/');
            if (cut <= 0) return;
            const parent = this.nodes.get(p.slice(0, cut));
            if (!parent) throw new Error(`${p}: no parent directory`);
            if (parent.kind !== DIR) throw new Error(`${p}: the parent is a file`);
        }

        checkNew(p, owner) {
            validPath(p);
            if (p === '/' || this.nodes.has(p)) throw new Error(`${p} exists`);
            if (len(owner) === 0 || len(owner) > OWNER_MAX) throw new Error('bad owner');
            this.parentOk(p);
            if (this.nodes.size >= NODES_MAX) throw new Error('the namespace is full');
        }

        used(owner) {
            let n = 0;
            for (const v of this.nodes.values()) {
                if (v.kind === FILE && v.owner === owner) n += v.size;
            }
            return n;
        }

        quotaCheck(owner, oldSize, newSize) {
            if (!this.quotas.has(owner) || newSize <= oldSize) return;
            if (this.used(owner) - oldSize + newSize > this.quotas.get(owner)) {
                throw new Error(`quota of ${owner} exceeded`);
            }
        }

        checkPut(p, owner, size) {
            validPath(p);
            const old = this.nodes.get(p);
            if (!old) {
                this.checkNew(p, owner);
            } else if (old.kind !== FILE) {
                throw new Error(`${p} is a directory`);
            }
            this.quotaCheck(old ? old.owner : owner, old ? old.size : 0, size);
        }

        checkExisting(p, kind) {
            validPath(p);
            const n = this.nodes.get(p);
            if (!n) throw new Error(`${p}: no such file or directory`);
            if (n.kind !== kind) throw new Error(`${p}: wrong kind`);
            if (kind === DIR && [...this.nodes.keys()].some((q) => q.startsWith(p + '/'))) {
                throw new Error(`${p}: directory not empty`);
            }
        }

        checkMove(from, to) {
            validPath(from);
            validPath(to);
            if (from === '/' || to === '/') throw new Error('cannot move /');
            if (!this.nodes.has(from)) throw new Error(`${from}: no such file or directory`);
            if (this.nodes.has(to)) throw new Error(`${to} exists`);
            if (below(to, from)) throw new Error(`cannot move ${from} into itself`);
            this.parentOk(to);
            for (const q of this.nodes.keys()) {
                if (below(q, from) && len(q) - len(from) + len(to) > PATH_MAX) {
                    throw new Error(`${q} would be longer than 511 bytes`);
                }
            }
        }

        move(from, to) {
            const moved = [];
            for (const [q, v] of this.nodes) {
                if (below(q, from)) moved.push(v);
            }
            for (const v of moved) {
                this.nodes.delete(v.path);
                v.path = to + v.path.slice(from.length);
            }
            for (const v of moved) this.nodes.set(v.path, v);
        }

        // formats.md "Node" and "Namespace root and proofs".
        static encodeNode(v) {
            const path = Buffer.from(v.path), owner = Buffer.from(v.owner);
            const b = Buffer.alloc(2 + path.length + 1 + 4 + 1 + owner.length + 8 + 32);
            let k = b.writeUInt16LE(path.length, 0);
            k += path.copy(b, k);
            k = b.writeUInt8(v.kind, k);
            k = b.writeUInt32LE(v.mode, k);
            k = b.writeUInt8(owner.length, k);
            k += owner.copy(b, k);
            k = b.writeBigUInt64LE(BigInt(v.size), k);
            v.hash.copy(b, k);
            return b;
        }

        root() {
            const tree = new MerkleTree();
            for (const p of [...this.nodes.keys()].sort(cmp)) {
                tree.append(blake3(Namespace.encodeNode(this.nodes.get(p))));
            }
            const parts = [Buffer.alloc(4)];
            parts[0].writeUInt32LE(this.quotas.size, 0);
            for (const owner of [...this.quotas.keys()].sort(cmp)) {
                const o = Buffer.from(owner), b = Buffer.alloc(1 + o.length + 8);
                b.writeUInt8(o.length, 0);
                o.copy(b, 1);
                b.writeBigUInt64LE(BigInt(this.quotas.get(owner)), 1 + o.length);
                parts.push(b);
            }
            return blake3(Buffer.concat([Buffer.of(2), tree.root(), blake3(Buffer.concat(parts))]));
        }
    }

    // formats.md "Entry": the payload of each filesystem action.
    const PAYLOADS = {
        'fs.put': [text, bytesN(32), uint, uint],
        'fs.mkdir': [text, uint],
        'fs.rm': [text],
        'fs.rmdir': [text],
        'fs.mv': [text, text],
        'fs.quota': [text, uint],
    };

    // Checks e against the state st (read-only); the proposer owns new nodes.
    function check(st, proposer, e) {
        const ns = st.fs, p = e.payload;
        switch (e.action) {
        case 'fs.put':
            if (p[3] > 0xffffffff) throw new Error('mode out of range');
            ns.checkPut(p[0], proposer.name, p[2]);
            break;
        case 'fs.mkdir':
            if (p[1] > 0xffffffff) throw new Error('mode out of range');
            ns.checkNew(p[0], proposer.name);
            break;
        case 'fs.rm':
            ns.checkExisting(p[0], FILE);
            break;
        case 'fs.rmdir':
            if (p[0] === '/') throw new Error('cannot remove /');
            ns.checkExisting(p[0], DIR);
            break;
        case 'fs.mv':
            ns.checkMove(p[0], p[1]);
            break;
        case 'fs.quota':
            st.principal(p[0]);
            if (!ns.quotas.has(p[0]) && ns.quotas.size >= QUOTAS_MAX) {
                throw new Error('too many quotas');
            }
            break;
        }
        return null;
    }

    // policy.md "What a request looks like": fs.write on a path (a move asks
    // for its source, then its destination; the first refusal decides, and
    // an allowed move records the rule that allowed the destination);
    // fs.quota on the owner principal.
    function decide(st, proposer, e) {
        const who = st.describe(proposer);
        if (e.action === 'fs.quota') {
            const t = st.principal(e.payload[0]);
            return evaluate(st.rules, {proposer: who, action: 'fs.quota',
                                       resource: Object.assign(st.describe(t),
                                                               {issuers: st.issuers(t)})});
        }
        const ask = (path) => evaluate(st.rules, {
            proposer: who, action: 'fs.write',
            resource: {name: path, kind: null, parent: null, issuers: []}});
        const d = ask(e.payload[0]);
        return d.allow && e.action === 'fs.mv' ? ask(e.payload[1]) : d;
    }

    function perform(st, e) {
        const ns = st.fs, p = e.payload;
        switch (e.action) {
        case 'fs.put': {
            const old = ns.nodes.get(p[0]);
            if (old) {
                old.hash = p[1];
                old.size = p[2];
            } else {
                ns.nodes.set(p[0], {path: p[0], kind: FILE, mode: p[3], owner: e.proposer,
                                    size: p[2], hash: p[1]});
            }
            break;
        }
        case 'fs.mkdir':
            ns.nodes.set(p[0], {path: p[0], kind: DIR, mode: p[1], owner: e.proposer, size: 0,
                                hash: Buffer.alloc(32)});
            break;
        case 'fs.rm':
        case 'fs.rmdir':
            ns.nodes.delete(p[0]);
            break;
        case 'fs.mv':
            ns.move(p[0], p[1]);
            break;
        case 'fs.quota':
            ns.quotas.set(p[0], p[1]);
            break;
        }
        ns.on = true;
    }

    // formats.md "State root": key 6, once a filesystem entry was applied.
    function rootKey(st, top) {
        if (st.fs.on) top.set(6, st.fs.root());
    }

    return {ACTIONS, PAYLOADS, isFs: (a) => ACTIONS.includes(a), Namespace, check, decide,
            perform, rootKey};
};
