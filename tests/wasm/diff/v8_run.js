// The V8 side of the differential test (tests/wasm/diff/): runs every
// export of each module on Node's WebAssembly engine and prints what
// happened in the format of zero_run.c (see there).  Needs
// --experimental-wasm-type-reflection for the export signatures.
'use strict';
const fs = require('fs');

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);

function hex(n, width) {
    return '0x' + n.toString(16).padStart(width, '0');
}

function show(type, v) {
    switch (type) {
    case 'i32':
        return 'i32:' + (v | 0);
    case 'i64':
        return 'i64:' + BigInt.asIntN(64, v);
    case 'f32':
        if (Number.isNaN(v)) return 'f32:nan';
        f32[0] = v;
        return 'f32:' + hex(u32[0], 8);
    default:
        if (Number.isNaN(v)) return 'f64:nan';
        f64[0] = v;
        return 'f64:' + hex(u64[0], 16);
    }
}

// The fixed argument for parameter i of type t (zero_run.c uses the same).
const INTS = [1, 0, -1, 0x7fffffff, 42, -100000, 0x12345678, 3];
const FLOATS = [1.5, 0.0, -2.25, 1024.0, 0.125, -1.0, 100.0, 3.0];
function arg(type, i) {
    const n = INTS[i % 8];
    if (type === 'i32') return n;
    if (type === 'i64') return BigInt.asIntN(64, BigInt(n) * 0x100000001n);
    return FLOATS[i % 8];
}

function trapClass(e) {
    const m = String(e && e.message);
    if (e instanceof RangeError && /call stack/i.test(m)) return 'stack-exhausted';
    if (!(e instanceof WebAssembly.RuntimeError)) return 'other ' + m;
    if (/unreachable/.test(m)) return 'unreachable';
    if (/divide by zero|remainder by zero/.test(m)) return 'divide-by-zero';
    // Zero tells an out-of-range float from a NaN; V8 reports both alike
    if (/unrepresentable/.test(m)) return 'integer-overflow';
    if (/memory access out of bounds|data segment/.test(m)) return 'memory-out-of-bounds';
    if (/table index is out of bounds/.test(m)) return 'table-out-of-bounds';
    if (/null function|signature mismatch/.test(m)) return 'indirect-call';
    return 'other ' + m;
}

const out = [];
function print(line) {
    out.push(line);
}

function runModule(path) {
    print('module ' + path);
    let mod;
    try {
        mod = new WebAssembly.Module(fs.readFileSync(path));
    } catch (e) {
        print('invalid ' + e.message);
        return;
    }
    const imports = {};
    for (const im of WebAssembly.Module.imports(mod)) {
        if (im.kind !== 'function') {
            print('unlinkable');
            return;
        }
        const params = im.type.parameters;
        imports[im.module] = imports[im.module] || {};
        imports[im.module][im.name] = (...args) => {
            print('log' + params.map((t, i) => ' ' + show(t, args[i])).join(''));
            const nr = im.type.results.length;
            if (nr === 0) return undefined;
            const zeros = im.type.results.map((t) => (t === 'i64' ? 0n : 0));
            return nr === 1 ? zeros[0] : zeros;
        };
    }
    let inst;
    try {
        inst = new WebAssembly.Instance(mod, imports);
    } catch (e) {
        if (e instanceof WebAssembly.RuntimeError || e instanceof RangeError) {
            print('start trap ' + trapClass(e));
        } else {
            print('uninstantiable ' + e.message);
        }
        return;
    }
    const hang = inst.exports.hangLimitInitializer;
    for (const ex of WebAssembly.Module.exports(mod)) {
        if (ex.kind !== 'function' || (hang && ex.name === 'hangLimitInitializer')) continue;
        print('call ' + ex.name);
        const f = inst.exports[ex.name];
        const params = ex.type.parameters;
        const results = ex.type.results;
        try {
            if (hang) hang();
            const r = f(...params.map((t, i) => arg(t, i)));
            const rs = results.length === 1 ? [r] : results.length === 0 ? [] : r;
            print('result' + results.map((t, i) => ' ' + show(t, rs[i])).join(''));
        } catch (e) {
            const c = trapClass(e);
            print('trap ' + c);
            if (c === 'stack-exhausted') {
                print('stop');
                return;
            }
        }
    }
}

for (const path of process.argv.slice(2)) {
    runModule(path);
}
process.stdout.write(out.join('\n') + '\n');
