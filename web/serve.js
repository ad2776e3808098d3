#!/usr/bin/env node
// serve.js: a small static server for the Zero OS web page (build/web/).
//
//   node web/serve.js [DIR] [--port N]     default build/web, port 8017
//
// Listens on 127.0.0.1 only (a secure context, so the page gets OPFS).
// Plain files, no SharedArrayBuffer headers needed.  Port 0 picks a free
// port; the first line printed is the address ("serving DIR at URL").
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';

const args = process.argv.slice(2);
let port = Number(process.env.ZERO_WEB_PORT || 8017);
let dir = 'build/web';
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--port' && i + 1 < args.length) port = Number(args[++i]);
  else dir = args[i];
}
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`serve: bad port '${port}'`);
  process.exit(2);
}
const root = path.resolve(dir);
if (!fs.existsSync(path.join(root, 'index.html'))) {
  console.error(`serve: ${root}/index.html is missing; run 'make web'`);
  process.exit(2);
}
const types = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.wasm': 'application/wasm', '.png': 'image/png', '.json': 'application/json',
};

const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://localhost');
  let rel;
  try {
    rel = decodeURIComponent(url.pathname);
  } catch {
    res.writeHead(400).end('bad path\n');
    return;
  }
  const file = path.join(root, path.normalize(rel === '/' ? '/index.html' : rel));
  if (!file.startsWith(root + path.sep) || req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(req.method === 'GET' || req.method === 'HEAD' ? 403 : 405).end('refused\n');
    return;
  }
  fs.readFile(file, (err, data) => {
    if (err) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    res.writeHead(200, { 'content-type': types[path.extname(file)] || 'application/octet-stream', 'cache-control': 'no-cache' });
    res.end(req.method === 'HEAD' ? undefined : data);
  });
});
server.listen(port, '127.0.0.1', () => {
  console.log(`serving ${root} at http://127.0.0.1:${server.address().port}/`);
});
