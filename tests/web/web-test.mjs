// The web page (docs/web.md) in Debian's Chromium, headless, driven by
// playwright-core: boot to the prompt, scripted commands typed on the
// keyboard, reload, disks in and out checked by the host's zero, the
// explorer on a tampered export, keyboard-only use, no console errors.
// Prints TAP.  Run by tests/web/web.t, which builds the site first.
//
//   node tests/web/web-test.mjs [--bench]
//
// --bench prints `bench:` lines instead (make bench, bench/web.sh).
import { createRequire } from 'node:module';
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(new URL('../..', import.meta.url).pathname);
const require = createRequire(path.join(root, 'web/package.json'));
const { chromium } = require('playwright-core');
const bench = process.argv.includes('--bench');
const zero = path.join(root, 'build/bin/zero');
const zeroHosted = path.join(root, 'build/bin/zero-hosted');
const artifacts = path.join(root, 'build/web-test');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'zero-web-'));
fs.mkdirSync(artifacts, { recursive: true });

let n = 0;
let failed = 0;
function check(name, ok, detail) {
  n++;
  if (!ok) failed++;
  if (!bench) console.log(`${ok ? 'ok' : 'not ok'} ${n} - ${name}`);
  if (!ok && detail !== undefined) console.log(`# ${String(detail).replace(/\n/g, '\n# ')}`);
}
const host = (args, opts = {}) => {
  try {
    return { status: 0, out: execFileSync(args[0], args.slice(1), { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], ...opts }) };
  } catch (err) {
    return { status: err.status, out: `${err.stdout || ''}${err.stderr || ''}` };
  }
};

// ---- the server and the browser ----------------------------------------------

const server = spawn(process.execPath, [path.join(root, 'web/serve.js'), path.join(root, 'build/web'), '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
const base = await new Promise((resolve, reject) => {
  server.stdout.once('data', (d) => resolve(/at (http\S+)/.exec(String(d))[1]));
  server.once('exit', (code) => reject(new Error(`serve.js exited ${code}`)));
});

const userDataDir = path.join(work, 'profile');
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  acceptDownloads: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: { width: 1280, height: 860 },
});
const problems = [];
function watch(page) {
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
  return page;
}
const page = watch(context.pages()[0] || (await context.newPage()));

async function open(p, query = '') {
  const t0 = Date.now();
  await p.goto(`${base}${query}`);
  await p.waitForFunction(() => window.zeroPage && window.zeroPage.ready, null, { timeout: 60000 });
  await p.waitForFunction(() => !window.zeroPage.isBusy(), null, { timeout: 60000 });
  return Date.now() - t0;
}
const transcript = (p) => p.evaluate(() => window.zeroPage.transcript.filter((t) => t.out).map((t) => t.out).join(''));

// Types a line into the terminal on the keyboard and returns the node's
// answer (up to the next prompt).
async function type(p, text, paste = false) {
  const before = (await transcript(p)).length;
  await p.locator('#terminal .xterm-helper-textarea').focus();
  if (paste) await p.keyboard.insertText(text);
  else await p.keyboard.type(text);
  await p.keyboard.press('Enter');
  await p.waitForFunction((len) => {
    const t = window.zeroPage.transcript.filter((x) => x.out).map((x) => x.out).join('');
    return t.length > len && /zero> $|status \d+;/.test(t) && !window.zeroPage.isBusy();
  }, before, { timeout: 60000 });
  return (await transcript(p)).slice(before);
}

function hostDisk(name, lines) {
  const disk = path.join(work, name);
  host([zeroHosted, '--disk', disk, '--size', '4'], { input: lines.join('\n') + '\n' });
  return disk;
}
const summary = (text) => {
  const m = /head #(\d+) ([0-9a-f]{64}); state root ([0-9a-f]{64})/.exec(text);
  return m ? { seq: Number(m[1]), head: m[2], root: m[3] } : null;
};

try {
  if (bench) {
    await runBench();
  } else {
    await runTests();
  }
} finally {
  await context.close();
  server.kill();
  fs.rmSync(work, { recursive: true, force: true });
}
if (!bench) console.log(`1..${n}`);
process.exit(failed ? 1 : 0);

// ---- the tests -------------------------------------------------------------------

async function runTests() {
  await open(page);
  const boot = await transcript(page);
  check('web_boots_to_prompt', /Zero OS [0-9.]+ \(wasm\)\ndisk opfs:zero-disk.img \(new, formatted\): 1 entries, node root\nzero> $/.test(boot), boot);
  check('web_storage_is_opfs', (await page.evaluate(() => window.zeroPage.storage)) === 'opfs');
  const status = await page.locator('#status').textContent();
  check('web_says_what_persistence_was_granted', /persistent storage: (granted|not granted)/.test(status), status);

  let out = await type(page, 'id create alice');
  check('web_command_commits', /^committed #1 [0-9a-f]{64}\r?\nzero> $/.test(out), out);
  out = await type(page, 'as alice id create bot --kind agent');
  check('web_command_denied', out.includes('denied: no rule allows alice id.create bot (default deny)'), out);
  await type(page, 'policy allow kind:user id.create * if resource.kind == agent and resource.parent == proposer');
  out = await type(page, 'as alice id create bot --kind agent');
  check('web_policy_change_allows', /committed #5 /.test(out), out); // #4: the act_as of `as`
  await type(page, 'id revoke alice');
  out = await type(page, 'axiom verify');
  check('web_axiom_verify_replays', out.includes('ok: 7 entries in 7 batches replayed from the disk'), out);
  out = await type(page, 'x'.repeat(5000), true);
  check('web_oversized_line_refused', out.includes('error: line longer than 4096 bytes ignored'), out.slice(-200));
  out = await type(page, 'frobnicate');
  check('web_unknown_command_error', out.includes("error: unknown command 'frobnicate'"), out);
  await page.screenshot({ path: path.join(artifacts, 'terminal.png') });

  // A reload continues the same log.
  await open(page);
  out = await transcript(page);
  check('web_reload_keeps_the_disk', /disk opfs:zero-disk.img: 7 entries, node root/.test(out), out);
  out = await type(page, 'note after the reload');
  check('web_reload_continues_the_log', /committed #7 /.test(out), out);
  const head = await type(page, 'axiom head');

  // The disk downloaded from the page passes zero verify on the host.
  const [dl] = await Promise.all([page.waitForEvent('download'), page.locator('#download-disk').click()]);
  const disk = path.join(work, 'page.img');
  await dl.saveAs(disk);
  let v = host([zero, 'verify', disk]);
  const s = summary(v.out);
  check('web_downloaded_disk_passes_zero_verify', v.status === 0 && s && s.seq === 7, v.out);
  check('web_downloaded_disk_same_head', s && head.includes(s.head) && head.includes(s.root), `${head}\n${v.out}`);
  const [dl2] = await Promise.all([page.waitForEvent('download'), page.locator('#download-export').click()]);
  const exp = path.join(work, 'page.export');
  await dl2.saveAs(exp);
  v = host([zero, 'verify', exp]);
  check('web_downloaded_export_passes_zero_verify', v.status === 0 && summary(v.out)?.head === s?.head, v.out);

  // A disk made by zero-hosted, opened in the page: same head and state root.
  const hd = hostDisk('hosted.img', ['id create carol', 'id create dave --kind service', 'note from the host']);
  const hv = summary(host([zero, 'verify', hd]).out);
  const boots = await page.evaluate(() => window.zeroPage.boots);
  await page.locator('#open-disk').setInputFiles(hd);
  await page.waitForFunction((b) => window.zeroPage.boots > b && !window.zeroPage.isBusy(), boots, { timeout: 60000 });
  out = await type(page, 'axiom head');
  check('web_hosted_disk_boots_in_page', hv && out.includes(`sequence   #${hv.seq} (${hv.seq + 1} entries)`), out);
  check('web_hosted_disk_same_head_and_state_root', hv && out.includes(`head       ${hv.head}`) && out.includes(`state root ${hv.root}`), `${out}\n${JSON.stringify(hv)}`);
  out = await type(page, 'note continued in the page');
  check('web_hosted_disk_continues_in_page', /committed #4 /.test(out), out);

  // The page's own disk dropped back on the terminal boots where it was.
  const boots2 = await page.evaluate(() => window.zeroPage.boots);
  await drop(page, disk);
  await page.waitForFunction((b) => window.zeroPage.boots > b && !window.zeroPage.isBusy(), boots2, { timeout: 60000 });
  out = await type(page, 'axiom head');
  check('web_disk_dropped_on_terminal_boots', s && out.includes(`head       ${s.head}`), out);

  // What is not a disk is refused and the node keeps its disk.
  const junk = path.join(work, 'junk.img');
  fs.writeFileSync(junk, Buffer.alloc(65536, 0x5a));
  await page.locator('#open-disk').setInputFiles(junk);
  await page.waitForFunction(() => window.zeroPage.refused === 1, null, { timeout: 60000 });
  // The terminal draws the refusal after the count moves: give it a moment.
  await page.waitForFunction(() => document.querySelector('#terminal .xterm-rows').textContent.includes('junk.img refused'),
    null, { timeout: 10000 }).catch(() => {});
  const screen = await page.locator('#terminal .xterm-rows').textContent();
  check('web_not_a_disk_refused', screen.includes('junk.img refused, the disk is kept: zero verify: junk.img: neither a Zero OS disk nor a log export'), screen.slice(-300));
  out = await type(page, 'axiom head');
  check('web_refused_disk_keeps_the_node', s && out.includes(`head       ${s.head}`), out);

  // The IndexedDB fallback keeps a disk across a reload too.
  const idb = watch(await context.newPage());
  await open(idb, '?storage=indexeddb');
  check('web_indexeddb_fallback_used', (await idb.evaluate(() => window.zeroPage.storage)) === 'indexeddb');
  out = await type(idb, 'id create erin');
  check('web_indexeddb_commits', /committed #1 /.test(out), out);
  await open(idb, '?storage=indexeddb');
  out = await type(idb, 'axiom head');
  check('web_indexeddb_reload_continues', out.includes('(2 entries)'), out);
  await idb.close();

  // The explorer, keyboard only, on the node's own log.
  await page.locator('#terminal .xterm-helper-textarea').focus();
  await tabTo(page, 'tab-terminal', 'Shift+Tab');
  await page.keyboard.press('ArrowRight');
  check('web_keyboard_switches_to_explorer', await page.locator('#view-explorer').isVisible());
  await tabTo(page, 'explore-node', 'Tab');
  await page.keyboard.press('Enter');
  await page.waitForSelector('body[data-explorer=loaded]');
  await tabTo(page, 'verify', 'Tab');
  await page.keyboard.press('Enter');
  await page.waitForSelector('body[data-verified]');
  let verdict = await page.locator('#verdict').textContent();
  check('web_explorer_verifies_node_log', /^ok: disk the node's disk: 8 entries/.test(verdict), verdict);
  const rows = await page.locator('#timeline tbody tr').count();
  check('web_explorer_timeline_lists_entries', rows === 8, rows);
  await tabTo(page, null, 'Tab', () => document.activeElement?.closest('#timeline tbody tr'));
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  const detail = await page.locator('#detail').textContent();
  check('web_keyboard_opens_an_entry', /Entry #1.*"action": "id.create"/s.test(detail), detail);
  await tabTo(page, null, 'Tab', () => /^Receipt/.test(document.activeElement?.textContent || ''));
  await page.keyboard.press('Enter');
  await page.waitForSelector('#detail p.ok, #detail p.bad, #detail pre + pre');
  const receipt = await page.locator('#detail').textContent();
  check('web_explorer_receipt_verifies', /ok: receipt of entry #1: entry #1 id.create by root/.test(receipt), receipt);

  // The explorer on a tampered export marks the entry zero verify names.
  const big = hostDisk('big.img', ['id create alice', 'policy allow kind:user id.create * if resource.kind == agent and resource.parent == proposer',
    'as alice id create bot --kind agent', 'id create bob', 'id revoke alice', 'note one', 'note two']);
  const bigExp = path.join(work, 'big.export');
  host([zero, 'export', big, bigExp]);
  await drop(page, bigExp);
  await page.waitForFunction(() => /big.export/.test(document.getElementById('source').textContent) && document.body.dataset.explorer === 'loaded');
  await page.selectOption('#filter-principal', 'alice');
  check('web_explorer_filters_by_principal', (await page.locator('#timeline tbody tr').count()) === 1);
  await page.selectOption('#filter-principal', '');
  await page.selectOption('#filter-action', 'id.create');
  check('web_explorer_filters_by_action', (await page.locator('#timeline tbody tr').count()) === 3);
  await page.selectOption('#filter-action', '');
  const tree = await page.locator('#principals').evaluate((ul) => ({
    revoked: [...ul.querySelectorAll('li[data-revoked]')].map((li) => li.dataset.principal).sort().join(','),
    botUnderAlice: !!ul.querySelector('li[data-principal=alice] li[data-principal=bot]'),
  }));
  check('web_explorer_principals_tree_marks_revoked', tree.revoked === 'alice,bot' && tree.botUnderAlice, JSON.stringify(tree));
  const counts = await page.locator('#rules tbody tr').evaluateAll((trs) => trs.map((tr) => tr.cells[3].textContent).join(','));
  check('web_explorer_counts_entries_per_rule', counts === '7,1', counts); // root's rule also decides the act_as of `as alice`
  await page.screenshot({ path: path.join(artifacts, 'explorer.png'), fullPage: true });

  const bad = path.join(work, 'tampered.export');
  const bytes = fs.readFileSync(bigExp);
  bytes[512 + 512 * 4 + 100] ^= 0xff;
  fs.writeFileSync(bad, bytes);
  v = host([zero, 'verify', bad]);
  const named = Number(/entry #(\d+)/.exec(v.out)?.[1]);
  await page.locator('#open-log').setInputFiles(bad);
  await page.waitForFunction(() => /tampered/.test(document.getElementById('source').textContent) && document.body.dataset.explorer === 'loaded');
  await page.locator('#verify').click();
  await page.waitForFunction(() => /verifying/.test(document.getElementById('verdict').textContent) === false);
  const marked = await page.locator('#timeline tr.bad').evaluateAll((trs) => trs.map((tr) => Number(tr.dataset.seq)));
  check('web_explorer_marks_first_bad_entry_as_zero_verify', v.status === 1 && marked.length === 1 && marked[0] === named, `${v.out}\nmarked ${marked}`);
  verdict = await page.locator('#verdict').textContent();
  check('web_explorer_says_why', verdict.includes('FAILED') && verdict.includes(`entry #${named}`), verdict);
  await page.screenshot({ path: path.join(artifacts, 'explorer-tampered.png'), fullPage: true });

  // The static server: wasm with its type, nothing outside build/web.
  const wasm = await fetch(`${base}zero-web.wasm`, { method: 'HEAD' });
  check('web_server_serves_wasm_type', wasm.status === 200 && wasm.headers.get('content-type') === 'application/wasm');
  const escape = await fetch(`${base}..%2f..%2fweb%2fpackage.json`);
  check('web_server_refuses_paths_outside_its_folder', escape.status === 404 && !(await escape.text()).includes('zero-os-web'), escape.status);

  check('web_no_console_errors', problems.length === 0, problems.join('\n'));
}

// Drops FILE on the page as a user dragging it from the desktop would.
async function drop(p, file) {
  const dt = await p.evaluateHandle(({ data, name }) => {
    const t = new DataTransfer();
    t.items.add(new File([Uint8Array.from(atob(data), (c) => c.charCodeAt(0))], name));
    return t;
  }, { data: fs.readFileSync(file).toString('base64'), name: path.basename(file) });
  await p.dispatchEvent('main', 'dragover', { dataTransfer: dt });
  await p.dispatchEvent('main', 'drop', { dataTransfer: dt });
}

// Moves the focus with KEY until the element with id (or pred) has it.
async function tabTo(p, id, key, pred) {
  for (let i = 0; i < 40; i++) {
    const hit = id ? await p.evaluate((x) => document.activeElement?.id === x, id) : await p.evaluate(pred);
    if (hit) return;
    await p.keyboard.press(key);
  }
  throw new Error(`keyboard: could not reach ${id || pred}`);
}

// ---- the benchmark -----------------------------------------------------------------

async function runBench() {
  const loads = [];
  for (let i = 0; i < 3; i++) loads.push(await open(page));
  loads.sort((a, b) => a - b);
  console.log(`bench: web_page_load_to_prompt ${loads[1]} ms (median of 3, headless Chromium, OPFS disk)`);

  // One log (bench_axiom --write-log) verified by native zero, by zero.wasm
  // under Node (zero-wasm) and in the page; a one-entry disk gives each its
  // start-up cost, as in bench/platforms.sh.
  const dir = path.join(root, 'build/web/bench');
  fs.mkdirSync(dir, { recursive: true });
  const log = path.join(dir, 'log.img');
  const small = path.join(dir, 'small.img');
  host([path.join(root, 'build/hosted/bench/bench_axiom'), '--write-log', log]);
  host([zeroHosted, '--disk', small, '--size', '1'], { input: 'exit\n' });
  const count = (f) => Number(/: (\d+) entries in/.exec(host([zero, 'verify', f]).out)?.[1]);
  const entries = count(log) - count(small);
  const best = async (fn) => {
    let min = Infinity;
    for (let i = 0; i < 3; i++) min = Math.min(min, await fn());
    return min;
  };
  const timed = (args) => async () => {
    const t0 = process.hrtime.bigint();
    const r = host(args);
    if (r.status !== 0) throw new Error(r.out);
    return Number(process.hrtime.bigint() - t0) / 1e6;
  };
  const inPage = (name) => async () => {
    const r = await page.evaluate(async (url) => {
      const bytes = await (await fetch(url)).arrayBuffer();
      return window.zeroPage.runTool(['verify', '/log'], { '/log': bytes });
    }, `bench/${name}`);
    if (r.status !== 0) throw new Error(r.stdout + r.stderr);
    return r.ms;
  };
  const rate = async (small, full) => entries / ((await best(full)) - (await best(small))) * 1000;
  const native = await rate(timed([zero, 'verify', small]), timed([zero, 'verify', log]));
  const wasmNode = await rate(timed([path.join(root, 'build/bin/zero-wasm'), 'verify', small]),
    timed([path.join(root, 'build/bin/zero-wasm'), 'verify', log]));
  const web = await rate(inPage('small.img'), inPage('log.img'));
  fs.rmSync(dir, { recursive: true, force: true });
  const f = (x) => Math.round(x);
  console.log(`bench: replay_verify_web_page ${f(web)} entries/s vs native_hosted ${f(native)} ratio ${(web / native).toFixed(3)}`);
  console.log(`bench: replay_verify_web_page ${f(web)} entries/s vs wasm_node ${f(wasmNode)} ratio ${(web / wasmNode).toFixed(3)}`);
}
