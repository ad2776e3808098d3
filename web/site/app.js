// app.js: the page around the node worker: the terminal (xterm.js, with
// line editing here; the node sees whole lines), storage status, disks in
// and out, drag and drop, and the two views.  See docs/web.md.
import { Terminal } from './vendor/xterm.mjs';
import { Explorer, runTool } from './explorer.js';

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const status = { storage: '', persist: '', node: 'starting' };
window.zeroPage = { ready: false, boots: 0, storage: null, persisted: null };

function showStatus() {
  $('status').textContent = [status.storage, status.persist, status.node].filter(Boolean).join(' · ');
}

// ---- views -----------------------------------------------------------------

const tabs = [$('tab-terminal'), $('tab-explorer')];
function select(tab) {
  for (const t of tabs) {
    const on = t === tab;
    t.setAttribute('aria-selected', String(on));
    t.tabIndex = on ? 0 : -1;
    $(t.getAttribute('aria-controls')).hidden = !on;
  }
  if (tab === tabs[0]) term.focus();
}
for (const t of tabs) {
  t.addEventListener('click', () => select(t));
  t.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
      const next = tabs[(tabs.indexOf(t) + 1) % tabs.length];
      select(next);
      next.focus();
      e.preventDefault();
    }
  });
}

// ---- terminal --------------------------------------------------------------

const term = new Terminal({
  convertEol: true,
  cursorBlink: true,
  fontSize: 14,
  fontFamily: 'ui-monospace, monospace',
  theme: { background: '#000000' },
});
term.open($('terminal'));
// Tab leaves the terminal (keyboard-only use); the node has no completion.
term.attachCustomKeyEventHandler((e) => e.key !== 'Tab');
fit();
window.addEventListener('resize', fit);
function fit() {
  const el = $('terminal');
  const cell = term._core?._renderService?.dimensions?.css?.cell;
  if (!cell || !cell.width) return;
  term.resize(Math.max(40, Math.floor((el.clientWidth - 8) / cell.width)), Math.max(10, Math.floor((el.clientHeight - 8) / cell.height)));
}

const dec = new TextDecoder();
let line = '';
let running = false;
let busy = false;
const history = [];
let hpos = 0;
const transcript = [];

function setLine(text) {
  line = text;
  term.write('\x1b[2K\r' + lastPrompt + line);
}
let lastPrompt = 'zero> ';

term.onData((data) => {
  if (!running) {
    if (data === '\r') {
      running = true;
      node.postMessage({ type: 'restart' });
    }
    return;
  }
  for (const ch of data.replace(/\x1b\[[AB]/g, (m) => (m === '\x1b[A' ? '\x01up' : '\x01dn')).split(/(\x01up|\x01dn)|/u)) {
    if (!ch) continue;
    if (ch === '\x01up' || ch === '\x01dn') {
      if (!history.length) continue;
      hpos = Math.max(0, Math.min(history.length, hpos + (ch === '\x01up' ? -1 : 1)));
      setLine(history[hpos] || '');
    } else if (ch === '\r' || ch === '\n') {
      term.write('\r\n');
      send(line);
      line = '';
    } else if (ch === '\x7f' || ch === '\b') {
      if (line) {
        line = [...line].slice(0, -1).join('');
        term.write('\b \b');
      }
    } else if (ch === '\x15') {
      setLine('');
    } else if (ch === '\x04') {
      if (!line) {
        busy = true;
        node.postMessage({ type: 'end' });
      }
    } else if (ch >= ' ' && ch !== '\x7f') {
      line += ch;
      term.write(ch);
    }
  }
});

function send(text) {
  if (text.trim()) history.push(text);
  hpos = history.length;
  transcript.push({ in: text });
  busy = true;
  node.postMessage({ type: 'line', text });
}

// ---- the node worker ---------------------------------------------------------

const node = new Worker('node-worker.js', { type: 'module' });
let imageWaiters = [];
node.onmessage = (e) => {
  const m = e.data;
  if (m.type === 'out') {
    const text = dec.decode(m.bytes);
    term.write(text);
    transcript.push({ out: text });
    const i = text.lastIndexOf('\n');
    lastPrompt = text.slice(i + 1);
    busy = false;
  } else if (m.type === 'storage') {
    status.storage = `storage: ${m.kind} (${m.detail})`;
    window.zeroPage.storage = m.kind;
    showStatus();
  } else if (m.type === 'ready') {
    running = true;
    busy = false;
    status.node = `node up in ${Math.round(m.ms)} ms`;
    window.zeroPage.ready = true;
    window.zeroPage.boots++;
    showStatus();
  } else if (m.type === 'stopped') {
    running = false;
    busy = false;
    status.node = `node stopped (status ${m.status})`;
    term.write(`\r\n[node stopped with status ${m.status}; press Enter to start it again]\r\n`);
    showStatus();
  } else if (m.type === 'image') {
    const waiters = imageWaiters;
    imageWaiters = [];
    for (const w of waiters) w(m.bytes);
  } else if (m.type === 'error') {
    busy = false;
    term.write(`\r\n[page: ${m.text}]\r\n`);
    status.node = m.text;
    showStatus();
  }
};

export function nodeImage() {
  return new Promise((resolve) => {
    imageWaiters.push(resolve);
    node.postMessage({ type: 'image' });
  });
}

const mib = Number(params.get('mib')) || 64;
node.postMessage({ type: 'boot', storage: params.get('storage') || '', mib });

async function askPersistence() {
  if (!navigator.storage?.persist) {
    status.persist = 'persistent storage: not offered by this browser';
  } else {
    const granted = (await navigator.storage.persisted()) || (await navigator.storage.persist());
    window.zeroPage.persisted = granted;
    status.persist = granted ? 'persistent storage: granted' : 'persistent storage: not granted (the browser may evict the disk under pressure)';
  }
  showStatus();
}
askPersistence();

// ---- disks in and out -----------------------------------------------------------

function download(bytes, name) {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([bytes], { type: 'application/octet-stream' }));
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10000);
}

$('download-disk').addEventListener('click', async () => download(await nodeImage(), 'zero-disk.img'));
$('download-export').addEventListener('click', async () => {
  const img = await nodeImage();
  const r = await runTool(['export', '/disk.img', '/zero-log.export'], { '/disk.img': img.buffer }, ['/zero-log.export']);
  if (r.status !== 0) {
    term.write(`\r\n[page: export failed: ${r.stdout}${r.stderr}]\r\n`);
    return;
  }
  download(r.files['/zero-log.export'], 'zero-log.export');
});

// Replaces the node's disk with FILE once zero verify (wasm, in the page)
// accepts it as a disk; anything else is refused and the disk kept.
async function openDisk(file) {
  const bytes = await file.arrayBuffer();
  const check = await runTool(['verify', '/disk.img'], { '/disk.img': bytes });
  const verdict = (check.stdout + check.stderr).trim().split('\n')[0].replace('/disk.img', file.name);
  if (check.status !== 0 || !verdict.startsWith('ok: disk ')) {
    term.write(`\r\n[page: ${file.name} refused, the disk is kept: ${verdict || 'not a disk'}]\r\n${lastPrompt}${line}`);
    window.zeroPage.refused = (window.zeroPage.refused || 0) + 1;
    return;
  }
  running = false;
  window.zeroPage.ready = false;
  term.write(`\r\n[page: opening ${file.name}, ${bytes.byteLength} bytes]\r\n`);
  node.postMessage({ type: 'replace', bytes }, [bytes]);
}
$('open-disk').addEventListener('change', (e) => {
  if (e.target.files[0]) openDisk(e.target.files[0]);
  e.target.value = '';
});
$('format-disk').addEventListener('click', () => {
  if (!confirm('Replace the disk in this browser with a blank one? Download it first to keep it.')) return;
  running = false;
  window.zeroPage.ready = false;
  term.write('\r\n[page: new blank disk]\r\n');
  node.postMessage({ type: 'format' });
});

const explorer = new Explorer({ nodeImage });
document.addEventListener('dragover', (e) => {
  e.preventDefault();
  document.body.classList.add('dragging');
});
document.addEventListener('dragleave', (e) => {
  if (!e.relatedTarget) document.body.classList.remove('dragging');
});
document.addEventListener('drop', (e) => {
  e.preventDefault();
  document.body.classList.remove('dragging');
  const file = e.dataTransfer.files[0];
  if (!file) return;
  if ($('view-explorer').hidden) openDisk(file);
  else explorer.openFile(file);
});

window.zeroPage.transcript = transcript;
window.zeroPage.isBusy = () => busy;
window.zeroPage.explorer = explorer;
window.zeroPage.runTool = runTool;
showStatus();
term.focus();
