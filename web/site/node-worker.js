// node-worker.js: the Zero OS node (zero-web.wasm) in a dedicated worker,
// on a disk that survives a reload.  See docs/web.md.
//
// Storage, in order of preference:
//   opfs       the Origin Private File System through a synchronous access
//              handle: the node's pwrite/fdatasync are handle.write/flush
//   indexeddb  the disk in memory, written back to IndexedDB in 64 KiB
//              chunks at every flush; a line's output is shown only once
//              its chunks are committed, so "committed #N" is as durable
//   memory     nothing persists (said so in the page)
// `?storage=indexeddb` (or memory) in the page's address forces one.
//
// Messages from the page: {type:'boot', storage, mib}, {type:'line', text},
// {type:'end'}, {type:'image'} (the disk's bytes), {type:'replace', bytes}
// (a disk image from the host, then boot), {type:'format'} (a blank disk,
// then boot).  To the page: {type:'out', bytes}, {type:'storage', kind,
// detail}, {type:'ready', ms}, {type:'stopped', status}, {type:'image',
// bytes}, {type:'error', text}.
import { MemFile, instantiate } from './wasi.js';

const FILE_NAME = 'zero-disk.img';
const DB_NAME = 'zero-os';
const CHUNK = 65536;
const enc = new TextEncoder();

let module = null; // compiled zero-web
let node = null; // { ex } of the running instance
let storage = null; // { kind, file, close(), persist() }
let queue = Promise.resolve();
let mib = 64;

const post = (m, transfer) => self.postMessage(m, transfer || []);
const out = (bytes) => post({ type: 'out', bytes }, [bytes.buffer]);

// ---- OPFS ------------------------------------------------------------------

class HandleFile {
  constructor(handle) { this.h = handle; }
  size() { return this.h.getSize(); }
  read(off, u8) { return this.h.read(u8, { at: off }); }
  write(off, u8) { return this.h.write(u8, { at: off }); }
  truncate(n) { this.h.truncate(n); }
  flush() { this.h.flush(); }
}

async function openOpfs() {
  const dir = await navigator.storage.getDirectory();
  const fh = await dir.getFileHandle(FILE_NAME, { create: true });
  const handle = await fh.createSyncAccessHandle();
  return {
    kind: 'opfs',
    detail: 'Origin Private File System, synchronous access handle',
    file: new HandleFile(handle),
    fresh: handle.getSize() === 0,
    close() { handle.close(); },
    persist: async () => {},
    async remove() { handle.close(); await dir.removeEntry(FILE_NAME); },
  };
}

// ---- IndexedDB ---------------------------------------------------------------

const idb = (req) => new Promise((resolve, reject) => {
  req.onsuccess = () => resolve(req.result);
  req.onerror = () => reject(req.error);
});

class ChunkedFile extends MemFile {
  constructor(bytes) {
    super(bytes);
    this.dirty = new Set();
    this.pending = false;
  }
  write(off, u8) {
    for (let c = Math.floor(off / CHUNK); c * CHUNK < off + u8.length; c++) this.dirty.add(c);
    return super.write(off, u8);
  }
  truncate(n) {
    for (let c = Math.floor(Math.min(n, this.len) / CHUNK); c * CHUNK < Math.max(n, this.len); c++) this.dirty.add(c);
    super.truncate(n);
  }
  flush() { this.pending = true; }
}

async function openIdb() {
  const open = indexedDB.open(DB_NAME, 1);
  open.onupgradeneeded = () => {
    open.result.createObjectStore('chunks');
    open.result.createObjectStore('meta');
  };
  const db = await idb(open);
  const tx = db.transaction(['chunks', 'meta'], 'readonly');
  const size = (await idb(tx.objectStore('meta').get('size'))) || 0;
  const file = new ChunkedFile();
  file.truncate(size);
  const cursorReq = tx.objectStore('chunks').openCursor();
  await new Promise((resolve, reject) => {
    cursorReq.onsuccess = () => {
      const c = cursorReq.result;
      if (!c) return resolve();
      const at = c.key * CHUNK;
      if (at < size) file.data.set(new Uint8Array(c.value).subarray(0, size - at), at);
      c.continue();
    };
    cursorReq.onerror = () => reject(cursorReq.error);
  });
  file.dirty.clear();
  return {
    kind: 'indexeddb',
    detail: 'IndexedDB, 64 KiB chunks written back at every flush',
    file,
    fresh: size === 0,
    close() { db.close(); },
    async persist() {
      if (!file.pending && file.dirty.size === 0) return;
      const t = db.transaction(['chunks', 'meta'], 'readwrite', { durability: 'strict' });
      for (const c of file.dirty) {
        const start = c * CHUNK;
        if (start >= file.len) t.objectStore('chunks').delete(c);
        else t.objectStore('chunks').put(file.data.slice(start, Math.min(file.len, start + CHUNK)).buffer, c);
      }
      t.objectStore('meta').put(file.len, 'size');
      file.dirty.clear();
      file.pending = false;
      await new Promise((resolve, reject) => {
        t.oncomplete = resolve;
        t.onerror = t.onabort = () => reject(t.error);
      });
    },
    async remove() {
      db.close();
      await idb(indexedDB.deleteDatabase(DB_NAME));
    },
  };
}

function openMemory() {
  return {
    kind: 'memory', detail: 'memory only: nothing survives a reload', file: new MemFile(), fresh: true,
    close() {}, persist: async () => {}, async remove() {},
  };
}

async function openStorage(wanted) {
  const tried = [];
  for (const kind of ['opfs', 'indexeddb', 'memory']) {
    if (wanted && wanted !== kind && !(wanted === 'indexeddb' && kind === 'memory')) continue;
    try {
      const s = kind === 'opfs' ? await openOpfs() : kind === 'indexeddb' ? await openIdb() : openMemory();
      if (tried.length) s.detail += ` (${tried.join('; ')})`;
      return s;
    } catch (err) {
      tried.push(`${kind} unavailable: ${err.message}`);
    }
  }
  throw new Error(tried.join('; '));
}

// ---- the node ---------------------------------------------------------------

function writeBuffer(ex, text) {
  const u8 = enc.encode(text);
  const n = Math.min(u8.length, 4097); // one past TERM_MAX_LINE: the node refuses it
  new Uint8Array(ex.memory.buffer, ex.zero_web_buffer(), n).set(u8.subarray(0, n));
  return u8.length > 4096 ? 4097 : n;
}

// Output of the node, held until the disk's writes are persisted.
let held = [];
const flushOut = () => {
  for (const b of held) out(b);
  held = [];
};

async function boot() {
  const t0 = performance.now();
  if (!module) module = await WebAssembly.compileStreaming(fetch('zero-web.wasm'));
  const files = new Map([['/disk.img', storage.file]]);
  const { instance } = await instantiate(module, {
    files,
    create: () => null,
    stdout: (b) => held.push(b),
    stderr: (b) => held.push(b),
    onError: (err) => post({ type: 'error', text: `disk: ${err.message}` }),
  });
  const ex = instance.exports;
  const label = `${storage.kind}:${FILE_NAME}`;
  const r = ex.zero_web_start(mib, writeBuffer(ex, label));
  await storage.persist();
  flushOut();
  if (r !== 0) {
    node = null;
    post({ type: 'stopped', status: 2 });
    return;
  }
  node = { ex };
  post({ type: 'ready', ms: performance.now() - t0 });
}

async function step(fn) {
  if (!node) return;
  const r = fn(node.ex);
  await storage.persist();
  flushOut();
  if (r > 0) {
    node = null;
    post({ type: 'stopped', status: r - 1 });
  }
}

function image() {
  const f = storage.file;
  const bytes = new Uint8Array(f.size());
  f.read(0, bytes);
  return bytes;
}

async function replace(bytes) {
  node = null; // the instance is dropped with its state; the disk holds everything
  const kind = storage.kind;
  await storage.remove();
  storage = await openStorage(kind);
  storage.file.truncate(0);
  storage.file.write(0, bytes);
  storage.file.flush();
  await storage.persist();
  await boot();
}

async function handle(m) {
  try {
    if (m.type === 'boot') {
      mib = m.mib || 64;
      storage = await openStorage(m.storage);
      post({ type: 'storage', kind: storage.kind, detail: storage.detail });
      await boot();
    } else if (m.type === 'line') {
      await step((ex) => ex.zero_web_line(writeBuffer(ex, m.text)));
    } else if (m.type === 'end') {
      await step((ex) => ex.zero_web_end());
    } else if (m.type === 'restart') {
      if (!node) await boot();
    } else if (m.type === 'image') {
      const bytes = image();
      post({ type: 'image', bytes }, [bytes.buffer]);
    } else if (m.type === 'replace') {
      await replace(new Uint8Array(m.bytes));
    } else if (m.type === 'format') {
      await replace(new Uint8Array(0));
    }
  } catch (err) {
    post({ type: 'error', text: `${m.type}: ${err.message}` });
  }
}

self.onmessage = (e) => {
  queue = queue.then(() => handle(e.data));
};
