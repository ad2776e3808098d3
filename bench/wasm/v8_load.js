// V8's side of bench/wasm/load.sh: compiles each module (new
// WebAssembly.Module, synchronous) again and again for at least a third of
// a second and prints "PATH BYTES SECONDS" with the time of one compile.
// Each compile gets different bytes (a custom section with a counter at
// the end), so V8's cache of compiled modules cannot answer it.
'use strict';
const fs = require('fs');

for (const path of process.argv.slice(2)) {
    const base = fs.readFileSync(path);
    let n = 0;
    const start = process.cpuUsage();
    let elapsed = 0;
    while (elapsed < 0.33 || n < 3) {
        const tag = Buffer.from([0, 6, 1, 0x6e, n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, 0]);
        new WebAssembly.Module(Buffer.concat([base, tag]));
        n++;
        const u = process.cpuUsage(start);
        elapsed = (u.user + u.system) / 1e6;
    }
    console.log(`${path} ${base.length} ${(elapsed / n).toFixed(9)}`);
}
