// wasi.js: the WASI preview 1 calls the Zero OS wasm programs import
// (wasm-objdump -x -j Import build/wasm/bin/zero build/wasm/bin/zero-web),
// for a browser worker.  Files are objects the caller hands over under
// absolute paths; there is no directory tree beyond one preopened "/".
//
// A file is { size(), read(off, u8) -> n, write(off, u8) -> n, truncate(n),
// flush() }: MemFile below, or the worker's OPFS and IndexedDB disks.
// Standard output and error go to callbacks as bytes; standard input is
// empty (the node reads its lines through zero_web_line, not fd 0).

const E = { SUCCESS: 0, BADF: 8, EXIST: 20, INVAL: 28, IO: 29, ISDIR: 31, NOENT: 44, NOSYS: 52, SPIPE: 70 };
const FILETYPE = { CHAR: 2, DIR: 3, FILE: 4 };
const O_CREAT = 1, O_DIRECTORY = 2, O_EXCL = 4, O_TRUNC = 8;
const PREOPEN_FD = 3;

export class WasiExit extends Error {
  constructor(code) {
    super(`exit ${code}`);
    this.code = code;
  }
}

// A growable file in memory.
export class MemFile {
  constructor(bytes) {
    this.data = bytes ? new Uint8Array(bytes) : new Uint8Array(0);
    this.len = this.data.length;
  }
  size() { return this.len; }
  bytes() { return this.data.subarray(0, this.len); }
  read(off, u8) {
    const n = Math.max(0, Math.min(u8.length, this.len - off));
    u8.set(this.data.subarray(off, off + n));
    return n;
  }
  reserve(end) {
    if (end > this.data.length) {
      const grown = new Uint8Array(Math.max(end, this.data.length * 2));
      grown.set(this.data.subarray(0, this.len));
      this.data = grown;
    }
  }
  write(off, u8) {
    this.reserve(off + u8.length);
    this.data.set(u8, off);
    this.len = Math.max(this.len, off + u8.length);
    return u8.length;
  }
  truncate(n) {
    this.reserve(n);
    if (n < this.len) this.data.fill(0, n, this.len);
    this.len = n;
  }
  flush() {}
}

// Makes the import object for one instance.  opts: args (array of strings),
// env (object), files (Map path -> file), create(path) -> file or null for
// O_CREAT of a missing path, stdout(bytes), stderr(bytes).
export function makeWasi(opts) {
  const enc = new TextEncoder();
  const dec = new TextDecoder();
  const args = (opts.args || []).map((a) => enc.encode(a + '\0'));
  const env = Object.entries(opts.env || {}).map(([k, v]) => enc.encode(`${k}=${v}\0`));
  const files = opts.files;
  const fds = new Map(); // fd -> { path, file, pos }
  let nextFd = PREOPEN_FD + 1;
  let memory = null;

  const view = () => new DataView(memory.buffer);
  const bytes = (ptr, len) => new Uint8Array(memory.buffer, ptr, len);
  const path = (ptr, len) => '/' + dec.decode(bytes(ptr, len)).replace(/^\/+/, '');
  const iovs = (ptr, n) => {
    const v = view();
    const out = [];
    for (let i = 0; i < n; i++) out.push(bytes(v.getUint32(ptr + 8 * i, true), v.getUint32(ptr + 8 * i + 4, true)));
    return out;
  };
  const stat = (buf, type, size) => {
    const v = view();
    bytes(buf, 64).fill(0);
    v.setUint8(buf + 16, type);
    v.setBigUint64(buf + 24, 1n, true);
    v.setBigUint64(buf + 32, BigInt(size), true);
  };
  const strings = (list, ptrs, buf) => {
    const v = view();
    for (const s of list) {
      v.setUint32(ptrs, buf, true);
      bytes(buf, s.length).set(s);
      ptrs += 4;
      buf += s.length;
    }
    return E.SUCCESS;
  };
  const sizes = (list, countPtr, sizePtr) => {
    view().setUint32(countPtr, list.length, true);
    view().setUint32(sizePtr, list.reduce((a, s) => a + s.length, 0), true);
    return E.SUCCESS;
  };
  const guard = (fn) => (...a) => {
    try {
      return fn(...a);
    } catch (err) {
      if (err instanceof WasiExit) throw err;
      opts.onError?.(err);
      return E.IO;
    }
  };
  const rw = (fd, list, at, write) => {
    let done = 0;
    for (const u8 of list) {
      const n = write ? fd.file.write(at + done, u8) : fd.file.read(at + done, u8);
      done += n;
      if (n < u8.length) break;
    }
    return done;
  };

  const imports = {
    args_get: (argv, buf) => strings(args, argv, buf),
    args_sizes_get: (c, s) => sizes(args, c, s),
    environ_get: (ptrs, buf) => strings(env, ptrs, buf),
    environ_sizes_get: (c, s) => sizes(env, c, s),
    clock_res_get: (id, out) => { view().setBigUint64(out, 1000n, true); return E.SUCCESS; },
    clock_time_get: (id, precision, out) => {
      const ns = id === 0 ? BigInt(Date.now()) * 1000000n : BigInt(Math.round(performance.now() * 1e6));
      view().setBigUint64(out, ns, true);
      return E.SUCCESS;
    },
    random_get: (buf, len) => {
      for (let off = 0; off < len; off += 65536) crypto.getRandomValues(bytes(buf + off, Math.min(65536, len - off)));
      return E.SUCCESS;
    },
    proc_exit: (code) => { throw new WasiExit(code); },
    sched_yield: () => E.SUCCESS,
    fd_prestat_get: (fd, buf) => {
      if (fd !== PREOPEN_FD) return E.BADF;
      view().setUint32(buf, 0, true);
      view().setUint32(buf + 4, 1, true);
      return E.SUCCESS;
    },
    fd_prestat_dir_name: (fd, buf, len) => {
      if (fd !== PREOPEN_FD) return E.BADF;
      if (len >= 1) bytes(buf, 1)[0] = 0x2f;
      return E.SUCCESS;
    },
    fd_fdstat_get: (fd, buf) => {
      const type = fd <= 2 ? FILETYPE.CHAR : fd === PREOPEN_FD ? FILETYPE.DIR : fds.has(fd) ? FILETYPE.FILE : 0;
      if (type === 0) return E.BADF;
      const v = view();
      bytes(buf, 24).fill(0);
      v.setUint8(buf, type);
      v.setBigUint64(buf + 8, 0x1fffffffn, true);
      v.setBigUint64(buf + 16, 0x1fffffffn, true);
      return E.SUCCESS;
    },
    fd_fdstat_set_flags: () => E.SUCCESS,
    path_open: guard((dirfd, dirflags, p, plen, oflags, rb, ri, fdflags, out) => {
      if (dirfd !== PREOPEN_FD) return E.BADF;
      const name = path(p, plen);
      if (name === '/') return E.ISDIR;
      let file = files.get(name);
      if (file && oflags & O_CREAT && oflags & O_EXCL) return E.EXIST;
      if (!file) {
        if (!(oflags & O_CREAT) || oflags & O_DIRECTORY) return E.NOENT;
        file = opts.create ? opts.create(name) : new MemFile();
        if (!file) return E.NOENT;
        files.set(name, file);
      }
      if (oflags & O_TRUNC) file.truncate(0);
      const fd = nextFd++;
      fds.set(fd, { path: name, file, pos: 0 });
      view().setUint32(out, fd, true);
      return E.SUCCESS;
    }),
    path_filestat_get: (dirfd, flags, p, plen, buf) => {
      const name = path(p, plen);
      if (name === '/') { stat(buf, FILETYPE.DIR, 0); return E.SUCCESS; }
      const file = files.get(name);
      if (!file) return E.NOENT;
      stat(buf, FILETYPE.FILE, file.size());
      return E.SUCCESS;
    },
    fd_filestat_get: (fd, buf) => {
      if (fd <= 2) { stat(buf, FILETYPE.CHAR, 0); return E.SUCCESS; }
      const f = fds.get(fd);
      if (!f) return E.BADF;
      stat(buf, FILETYPE.FILE, f.file.size());
      return E.SUCCESS;
    },
    fd_filestat_set_size: guard((fd, size) => {
      const f = fds.get(fd);
      if (!f) return E.BADF;
      f.file.truncate(Number(size));
      return E.SUCCESS;
    }),
    fd_seek: (fd, offset, whence, out) => {
      const f = fds.get(fd);
      if (!f) return fd <= 2 ? E.SPIPE : E.BADF;
      const base = whence === 0 ? 0 : whence === 1 ? f.pos : f.file.size();
      const pos = base + Number(offset);
      if (pos < 0) return E.INVAL;
      f.pos = pos;
      view().setBigUint64(out, BigInt(pos), true);
      return E.SUCCESS;
    },
    fd_read: guard((fd, iov, n, out) => {
      if (fd === 0) { view().setUint32(out, 0, true); return E.SUCCESS; }
      const f = fds.get(fd);
      if (!f) return E.BADF;
      const done = rw(f, iovs(iov, n), f.pos, false);
      f.pos += done;
      view().setUint32(out, done, true);
      return E.SUCCESS;
    }),
    fd_write: guard((fd, iov, n, out) => {
      const list = iovs(iov, n);
      let done = 0;
      if (fd === 1 || fd === 2) {
        for (const u8 of list) {
          (fd === 1 ? opts.stdout : opts.stderr)?.(u8.slice());
          done += u8.length;
        }
      } else {
        const f = fds.get(fd);
        if (!f) return E.BADF;
        done = rw(f, list, f.pos, true);
        f.pos += done;
      }
      view().setUint32(out, done, true);
      return E.SUCCESS;
    }),
    fd_pread: guard((fd, iov, n, offset, out) => {
      const f = fds.get(fd);
      if (!f) return E.BADF;
      view().setUint32(out, rw(f, iovs(iov, n), Number(offset), false), true);
      return E.SUCCESS;
    }),
    fd_pwrite: guard((fd, iov, n, offset, out) => {
      const f = fds.get(fd);
      if (!f) return E.BADF;
      view().setUint32(out, rw(f, iovs(iov, n), Number(offset), true), true);
      return E.SUCCESS;
    }),
    fd_sync: guard((fd) => { const f = fds.get(fd); if (!f) return E.BADF; f.file.flush(); return E.SUCCESS; }),
    fd_datasync: guard((fd) => { const f = fds.get(fd); if (!f) return E.BADF; f.file.flush(); return E.SUCCESS; }),
    fd_close: (fd) => {
      if (fds.delete(fd) || fd <= PREOPEN_FD) return E.SUCCESS;
      return E.BADF;
    },
  };
  const stub = new Proxy(imports, {
    get: (t, k) => t[k] || (() => E.NOSYS),
  });
  return {
    imports: { wasi_snapshot_preview1: stub },
    setMemory(m) { memory = m; },
  };
}

// Instantiates a compiled WASI module with makeWasi(opts); returns
// { instance, wasi }.  Reactors get _initialize called.
export async function instantiate(module, opts) {
  const wasi = makeWasi(opts);
  const instance = await WebAssembly.instantiate(module, wasi.imports);
  wasi.setMemory(instance.exports.memory);
  if (instance.exports._initialize) instance.exports._initialize();
  return { instance, wasi };
}

// Runs a WASI command module to its end; returns its exit status.
export async function runCommand(module, opts) {
  const { instance } = await instantiate(module, opts);
  try {
    instance.exports._start();
    return 0;
  } catch (err) {
    if (err instanceof WasiExit) return err.code;
    throw err;
  }
}
