#!/usr/bin/env node
// A hostile and a busy client for zero-hosted --listen (docs/formats.md,
// "Socket protocol"), used by tests/tools/zero_listen.t.
//
//   node listen_client.js SOCKET hostile
//       garbage, a half message, an oversized header, a zero-length
//       message, and 300 connections opened at once; prints one line per
//       case: NAME ANSWER-OR-"closed".
//   node listen_client.js SOCKET flood DIR
//       DIR/c*/NNN.cbor: one client per subdirectory, each sending all its
//       proposals on one connection without waiting (pipelined), then
//       reading every answer; prints every answer line.
'use strict';

const net = require('net');
const fs = require('fs');
const path = require('path');

function frame(body) {
    const h = Buffer.alloc(4);
    h.writeUInt32LE(body.length);
    return Buffer.concat([h, body]);
}

// Connects, writes `bytes`, optionally half-closes, and collects answers
// until the server closes or `want` answers arrived.
function talk(sock, bytes, want, endAfter) {
    return new Promise((resolve) => {
        const answers = [];
        let buf = Buffer.alloc(0);
        const c = net.createConnection(sock);
        let timer = null;
        const done = (why) => {
            clearTimeout(timer);
            c.destroy();
            resolve({answers, why});
        };
        c.on('connect', () => {
            c.write(bytes);
            if (endAfter) c.end();
        });
        c.on('data', (d) => {
            buf = Buffer.concat([buf, d]);
            while (buf.length >= 4 && buf.length >= 4 + buf.readUInt32LE(0)) {
                const n = buf.readUInt32LE(0);
                answers.push(buf.subarray(4, 4 + n).toString().trim());
                buf = buf.subarray(4 + n);
                if (answers.length === want) done('complete');
            }
        });
        c.on('close', () => done('closed'));
        c.on('error', () => done('error'));
        timer = setTimeout(() => done('timeout'), 20000);
    });
}

async function hostile(sock) {
    const show = (name, r) => console.log(`${name} ${r.answers.join(' | ') || r.why}`);
    show('garbage', await talk(sock, Buffer.from('GET / HTTP/1.0\r\n\r\n'), 1, false));
    show('half', await talk(sock, Buffer.concat([Buffer.from([200, 0, 0, 0, 1]),
                                                 Buffer.alloc(50, 7)]), 1, true));
    show('oversized', await talk(sock, Buffer.from([0, 0, 1, 0]), 1, false));
    show('empty', await talk(sock, Buffer.from([0, 0, 0, 0]), 1, false));
    show('unknown', await talk(sock, frame(Buffer.from([9])), 1, false));
    show('bad_proposal', await talk(sock, frame(Buffer.from([1, 0xa0])), 1, false));
    const many = [];
    for (let i = 0; i < 300; i++) many.push(talk(sock, frame(Buffer.from([2])), 1, false));
    const rs = await Promise.all(many);
    const heads = rs.filter((r) => r.answers.length && r.answers[0].startsWith('head #')).length;
    console.log(`many_connections ${heads} heads ${rs.length - heads} closed`);
}

async function flood(sock, dir) {
    const clients = fs.readdirSync(dir).filter((d) => d.startsWith('c')).sort();
    const runs = clients.map((c) => {
        const files = fs.readdirSync(path.join(dir, c)).sort();
        const bytes = Buffer.concat(files.map((f) => frame(Buffer.concat([
            Buffer.from([1]), fs.readFileSync(path.join(dir, c, f))]))));
        return talk(sock, bytes, files.length, false);
    });
    for (const r of await Promise.all(runs)) {
        for (const a of r.answers) console.log(a);
        if (r.why !== 'complete') console.log(`client ended: ${r.why}`);
    }
}

const [sock, mode, dir] = process.argv.slice(2);
(mode === 'hostile' ? hostile(sock) : flood(sock, dir)).catch((e) => {
    console.error(e);
    process.exit(2);
});
