// Runs a WASI program under Node's own WASI (V8), as the peer of zero job
// run: node node_wasi.js DIR MODULE [ARG...].  DIR is preopened as "/";
// the program's argv is MODULE ARG... as given; the environment is empty.
'use strict';
// Node 20's WASI fast API calls crash after repeated memory growth
// (docs/platforms.md): the reference runner turns them off as zero-wasm does.
require('node:v8').setFlagsFromString('--no-turbo-fast-api-calls');
const fs = require('fs');
const { WASI } = require('wasi');

const [dir, program, ...args] = process.argv.slice(2);
const wasi = new WASI({ version: 'preview1', args: [program, ...args], env: {},
                        preopens: { '/': dir }, returnOnExit: true });
const instance = new WebAssembly.Instance(new WebAssembly.Module(fs.readFileSync(program)),
                                          wasi.getImportObject());
process.exitCode = wasi.start(instance);
