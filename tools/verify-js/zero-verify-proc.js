// zero-verify-proc.js: the process and capability part of the independent
// verifier (zero-verify.js), written from docs/formats.md ("Process and
// capability entries", "State root"), docs/axiom.md ("Processes") and
// docs/policy.md: the payloads of proc.spawn, proc.exit, cap.grant and
// cap.revoke, the live processes they change, the policy requests they
// make and keys 12 and 13 of the state root.
'use strict';

const ACTIONS = ['proc.spawn', 'proc.exit', 'cap.grant', 'cap.revoke'];
const LIVE_MAX = 64, IMAGE_NAME_MAX = 24;
const NAME_RE = /^[a-z0-9][a-z0-9._-]{0,31}$/;

module.exports = function procPart({blake3, encodeCbor, uint, bytesN}) {
    const ranged = (lo, hi) => (v, what) => {
        const n = uint(v, what);
        if (n < lo || n > hi) throw new Error(`${what} is not in ${lo}..${hi}`);
        return n;
    };
    const name = (max) => (v, what) => {
        if (typeof v !== 'string' || !NAME_RE.test(v) || Buffer.byteLength(v) > max) {
            throw new Error(`${what} is not a name of at most ${max} bytes`);
        }
        return v;
    };
    const U32 = 0xffffffff;
    const PAYLOADS = {
        'proc.spawn': [bytesN(32), name(IMAGE_NAME_MAX), name(32), ranged(1, U32), ranged(1, U32),
                       ranged(3, U32), uint],
        'proc.exit': [ranged(1, Number.MAX_SAFE_INTEGER), ranged(0, 2), ranged(0, U32)],
        'cap.grant': [ranged(1, Number.MAX_SAFE_INTEGER), name(32), ranged(1, 15)],
        'cap.revoke': [ranged(1, Number.MAX_SAFE_INTEGER), name(32), ranged(1, 15)],
    };

    function init(st) {
        st.procs = {spawned: 0, exited: 0, grants: 0, revokes: 0, live: new Map(),
                    procsHash: Buffer.alloc(32), capsHash: Buffer.alloc(32)};
    }

    const isProc = (action) => ACTIONS.includes(action);

    // axiom.md "Processes": the checks before policy.
    function check(st, proposer, e) {
        const p = e.payload, ps = st.procs;
        if (e.action !== 'proc.spawn') {
            if (!ps.live.has(p[0])) throw new Error(`${e.action}: process ${p[0]} is not live`);
            return null;
        }
        const as = st.principals.get(p[2]);
        if (!as || as.revoked) throw new Error(`proc.spawn: no live principal ${p[2]} to run as`);
        if (p[2] !== proposer.name && as.parent !== proposer.name) {
            throw new Error(`proc.spawn: ${proposer.name} may not run a process as ${p[2]}`);
        }
        if (p[6] !== 0 && !ps.live.has(p[6])) throw new Error(`parent process ${p[6]} is not live`);
        if (ps.live.size >= LIVE_MAX) throw new Error('proc.spawn: 64 processes are live already');
        return null;
    }

    // policy.md "What a request looks like": the process fields of a request.
    function request(st, e, res, req) {
        const p = e.payload;
        if (e.action === 'proc.spawn') {
            res.name = `image:${p[1]}`;
            Object.assign(req, {runAs: p[2], image: p[0], limits: [p[3], p[4], p[5]]});
        } else {
            req.runAs = st.procs.live.get(p[0]);
            if (e.action === 'proc.exit') {
                res.name = 'process';
            } else {
                res.name = p[1];
                req.rights = p[2];
            }
        }
    }

    // The process conditions of a rule; undefined for any other attribute.
    function condHolds(c, req, value) {
        const limits = ['limit.frames', 'limit.threads', 'limit.slots'];
        if (limits.includes(c.attr)) {
            return req.limits !== undefined && BigInt(req.limits[limits.indexOf(c.attr)]) <= c.bound;
        }
        if (c.attr === 'rights') {
            return req.rights !== undefined && (BigInt(req.rights) & ~c.bound) === 0n;
        }
        if (c.attr === 'image') {
            return (req.image !== undefined && req.image.toString('hex').startsWith(c.value)) !==
                   c.negate;
        }
        if (c.attr === 'as') return (req.runAs !== undefined && req.runAs === value) !== c.negate;
        return undefined;
    }

    // formats.md "State root": hash = BLAKE3(hash || BLAKE3(payload map)).
    function perform(st, e) {
        const p = e.payload, ps = st.procs;
        const link = (h) => blake3(Buffer.concat([h, blake3(encodeCbor(e.payloadItem))]));
        if (e.action === 'proc.spawn') {
            ps.spawned++;
            ps.live.set(ps.spawned, p[2]);
            ps.procsHash = link(ps.procsHash);
        } else if (e.action === 'proc.exit') {
            ps.live.delete(p[0]);
            ps.exited++;
            ps.procsHash = link(ps.procsHash);
        } else {
            if (e.action === 'cap.grant') ps.grants++;
            else ps.revokes++;
            ps.capsHash = link(ps.capsHash);
        }
    }

    function rootKeys(st, top) {
        const ps = st.procs;
        if (ps.spawned > 0) top.set(12, [ps.spawned, ps.exited, ps.procsHash]);
        if (ps.grants + ps.revokes > 0) top.set(13, [ps.grants, ps.revokes, ps.capsHash]);
    }

    return {ACTIONS, PAYLOADS, init, isProc, check, request, condHolds, perform, rootKeys};
};
