#!/usr/bin/env -S node --no-warnings
// zero-wasm: runs the WebAssembly build of Zero OS under Node's WASI.
//
//   zero-wasm [--disk PATH] ...     the hosted system (terminal on stdin/stdout)
//   zero-wasm COMMAND [ARGS...]     the zero tool (verify, log, hash, ...)
//   zero-wasm --run MODULE [ARGS]   any WASI module of the build (test programs)
//
// The module sees the host file system at its real paths and starts in the
// caller's working directory, so paths mean what they mean to `zero`.
'use strict';
// Node 20 binds the WASI imports as V8 fast API calls.  Once a module has
// grown its memory many times while calling WASI (an engine arena of tens
// of MB taken by malloc in steps), the fast-call path leaves the heap in a
// state that concurrent marking trips over: Node segfaults after _start
// returns (nodejs/node#53087 is the same class).  Regular calls cost
// nothing measurable here, so the launcher turns fast calls off before
// any code is compiled; tests/wasm/grow_test.c is the reproducer.
require('node:v8').setFlagsFromString('--no-turbo-fast-api-calls');
const { WASI } = require('node:wasi');
const fs = require('node:fs');
const path = require('node:path');

const wasmDir = process.env.ZERO_WASM_DIR || path.join(__dirname, '..', 'wasm', 'bin');
let args = process.argv.slice(2);
let program;
let file;
if (args[0] === '--run' && args.length > 1) {
  file = args[1];
  program = path.basename(file);
  args = args.slice(2);
} else {
  program = args.length > 0 && !args[0].startsWith('-') ? 'zero' : 'zero-hosted';
  file = path.join(wasmDir, program);
}

if (!fs.existsSync(file)) {
  process.stderr.write(`zero-wasm: ${file} is missing; build it with 'make PLATFORM=wasm'\n`);
  process.exit(2);
}

const wasi = new WASI({
  version: 'preview1',
  args: [program, ...args],
  env: { PWD: process.cwd() },
  preopens: { '/': '/' },
  returnOnExit: true,
});

WebAssembly.compile(fs.readFileSync(file))
  .then((mod) => WebAssembly.instantiate(mod, { wasi_snapshot_preview1: wasi.wasiImport }))
  .then((instance) => {
    process.exitCode = wasi.start(instance);
  })
  .catch((err) => {
    process.stderr.write(`zero-wasm: ${program}: ${err.message}\n`);
    process.exitCode = 70;
  });
