// tool-worker.js: runs the zero tool (build/wasm/bin/zero, the same C code
// as the host's `zero`) over files held in memory, for the explorer and the
// page's downloads.  Message {id, args, files: {path: ArrayBuffer}, want:
// [paths]} -> {id, status, stdout, stderr, ms, files: {path: ArrayBuffer}}.
import { MemFile, runCommand } from './wasi.js';

let module = null;

self.onmessage = async (e) => {
  const { id, args, files = {}, want = [] } = e.data;
  const dec = new TextDecoder();
  let stdout = '';
  let stderr = '';
  try {
    if (!module) module = await WebAssembly.compileStreaming(fetch('zero.wasm'));
    const fs = new Map(Object.entries(files).map(([p, b]) => [p, new MemFile(new Uint8Array(b))]));
    const t0 = performance.now();
    const status = await runCommand(module, {
      args: ['zero', ...args],
      files: fs,
      stdout: (b) => { stdout += dec.decode(b, { stream: true }); },
      stderr: (b) => { stderr += dec.decode(b, { stream: true }); },
    });
    const ms = performance.now() - t0;
    const outFiles = {};
    for (const p of want) if (fs.has(p)) outFiles[p] = fs.get(p).bytes().slice().buffer;
    self.postMessage({ id, status, stdout, stderr, ms, files: outFiles }, Object.values(outFiles));
  } catch (err) {
    self.postMessage({ id, status: 70, stdout, stderr: `${stderr}zero: ${err.message}\n`, ms: 0, files: {} });
  }
};
