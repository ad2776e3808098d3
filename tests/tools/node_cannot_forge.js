#!/usr/bin/env node
// The node cannot forge an agent (tests/tools/node_cannot_forge.t).
//
//     node node_cannot_forge.js DISK OUTDIR AGENT AGENT.KEY RULE
//
// Plays someone holding the node's disk and so its root secret (for a
// sealed disk: the disk and its passphrase, which give exactly that): it
// derives every key the node can derive, and with them writes logs that
// append one more entry for AGENT, a principal holding its own key, with
// checkpoints re-signed by the node's real keys.  RULE is the rule that
// allows AGENT's notes.  One export per case goes to OUTDIR, one line per
// case to stdout: NAME EXPECT.  Only the control, signed with AGENT.KEY
// (which the node never had), may be accepted.
'use strict';

const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const forge = require('../../tools/verify-js/forge.js');

function main([diskPath, outDir, agent, keyFile, rule]) {
    const disk = fs.readFileSync(diskPath);
    const root = forge.rootSecret(disk);
    const pairs = new Map();
    const keys = {
        byName(name, gen) {
            const k = forge.keyPair(forge.seedFor(root, name, gen));
            pairs.set(k.pub.toString('hex'), k);
            return k;
        },
        byPub(pub) {
            return pairs.get(Buffer.from(pub).toString('hex'));
        },
    };
    for (let gen = 0; gen < 4; gen++) keys.byName('root', gen);
    const base = forge.readLog(disk);
    const mine = base.specs.filter((s) => s.proposer === agent && s.number !== undefined);
    const next = mine.length + 1;
    const real = forge.keyPair(Buffer.from(fs.readFileSync(keyFile, 'utf8').trim(), 'hex'));
    const note = (text, extra) => forge.spec(agent, 'note', [Buffer.from(text)], Number(rule),
                                             Object.assign({number: next}, extra));
    const plus = (extra) => ({specs: base.specs.concat([extra]), batches: base.batches.concat([1])});
    const cases = {
        'control-signed-by-the-agents-own-key': ['accept', plus(note('real', {signWith: real.priv}))],
        'unsigned': ['reject', plus(note('unsigned', {number: undefined}))],
        'signed-by-the-node-key': ['reject', plus(note('node', {signer: ['root', 0]}))],
    };
    for (let gen = 0; gen < 4; gen++) {
        cases[`signed-by-derived-key-gen-${gen}`] =
            ['reject', plus(note(`derived ${gen}`, {signer: [agent, gen]}))];
    }
    const issuer = base.specs.find((s) => s.action === 'id.create' && s.payload[0] === agent);
    cases['signed-by-the-issuers-derived-key'] =
        ['reject', plus(note('issuer', {signer: [issuer.proposer, 0]}))];
    // An entry of the agent's, its text changed: re-signed with a derived
    // key, or keeping the agent's own signature.
    const at = base.specs.indexOf(mine[0]);
    const changed = (extra) => {
        const specs = base.specs.map((s) => Object.assign({}, s));
        Object.assign(specs[at], {payload: [Buffer.from('changed')], signature: undefined}, extra);
        return {specs, batches: base.batches};
    };
    cases['changed-entry-re-signed-by-derived-key'] = ['reject', changed({signer: [agent, 0]})];
    cases['changed-entry-keeping-its-signature'] = ['reject', changed({signature: mine[0].signature})];
    fs.mkdirSync(outDir, {recursive: true});
    for (const [name, [expect, log]] of Object.entries(cases)) {
        fs.writeFileSync(path.join(outDir, name), forge.writeLog(log.specs, log.batches, keys));
        console.log(`${name} ${expect}`);
    }
    return 0;
}

process.exitCode = main(process.argv.slice(2));
