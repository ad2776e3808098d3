// explorer.js: the Axiom explorer.  Everything it knows of a log comes
// from the zero tool compiled to wasm and run in a worker (tool-worker.js):
// `zero log --json` for the entries, `zero verify` for the verdict and
// `zero export --receipt` for receipts, so the page decodes and judges a
// log exactly as the host's `zero` does.  Works on the node's own disk or
// on a dropped disk image or export, without a node.
const $ = (id) => document.getElementById(id);
const MAX_ROWS = 2000; // rows drawn at once; the filters narrow a longer log

let tool = null;
let nextId = 1;
const waiting = new Map();

// Runs `zero ARGS...` in the tool worker over files {path: ArrayBuffer}
// (copied, the caller keeps its buffers); resolves to {status, stdout,
// stderr, ms, files}.
export function runTool(args, files = {}, want = []) {
  if (!tool) {
    tool = new Worker('tool-worker.js', { type: 'module' });
    tool.onmessage = (e) => {
      waiting.get(e.data.id)?.(e.data);
      waiting.delete(e.data.id);
    };
  }
  const id = nextId++;
  return new Promise((resolve) => {
    waiting.set(id, resolve);
    const copies = Object.fromEntries(Object.entries(files).map(([p, b]) => [p, b.slice(0)]));
    tool.postMessage({ id, args, files: copies, want }, Object.values(copies));
  });
}

const el = (tag, props = {}, ...kids) => {
  const e = Object.assign(document.createElement(tag), props);
  e.append(...kids.filter((k) => k !== null && k !== undefined));
  return e;
};

// What an entry acts on, as `zero log` names it.
export function resource(e) {
  const p = e.payload || {};
  switch (e.action) {
    case 'genesis':
    case 'id.create': return `${p.name} (${p.kind})`;
    case 'id.rotate':
    case 'id.revoke':
    case 'act_as': return p.name;
    case 'policy.add': return `${p.effect} ${p.rule}`;
    case 'policy.remove': return `rule #${p.rule_id}`;
    case 'note': return noteText(p.data || '');
    default: return '';
  }
}

function noteText(hex) {
  const bytes = new Uint8Array((hex.match(/../g) || []).map((h) => parseInt(h, 16)));
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

// Principals and rules as the log builds them (for display; the verdict is
// zero verify's).  Revoking a principal revokes all it issued.
export function summarize(entries) {
  const principals = new Map();
  const rules = new Map();
  let nextRule = 1;
  for (const e of entries) {
    const p = e.payload || {};
    if (e.action === 'genesis') {
      principals.set(p.name, { name: p.name, kind: p.kind, issuer: null, revoked: false, seq: e.seq, rotations: 0 });
      rules.set(nextRule, { id: nextRule, effect: 'allow', rule: `${p.name} * *`, seq: e.seq, removed: null, allowed: 0 });
      nextRule++;
    } else if (e.action === 'id.create') {
      principals.set(p.name, { name: p.name, kind: p.kind, issuer: e.proposer, revoked: false, seq: e.seq, rotations: 0 });
    } else if (e.action === 'id.rotate' && principals.has(p.name)) {
      principals.get(p.name).rotations++;
    } else if (e.action === 'id.revoke' && principals.has(p.name)) {
      const stack = [p.name];
      while (stack.length) {
        const n = stack.pop();
        const pr = principals.get(n);
        if (pr.revoked) continue;
        pr.revoked = n === p.name ? `revoked at #${e.seq}` : `revoked at #${e.seq} with ${p.name}`;
        for (const c of principals.values()) if (c.issuer === n) stack.push(c.name);
      }
    } else if (e.action === 'policy.add') {
      rules.set(nextRule, { id: nextRule, effect: p.effect, rule: p.rule, seq: e.seq, removed: null, allowed: 0 });
      nextRule++;
    } else if (e.action === 'policy.remove' && rules.has(p.rule_id)) {
      rules.get(p.rule_id).removed = e.seq;
    }
    const d = e.decision || {};
    if (d.allow && rules.has(d.rule)) rules.get(d.rule).allowed++;
  }
  return { principals, rules };
}

export class Explorer {
  constructor({ nodeImage }) {
    this.nodeImage = nodeImage;
    this.bytes = null;
    this.entries = [];
    this.bad = null;
    $('explore-node').addEventListener('click', () => this.loadNode());
    $('open-log').addEventListener('change', (e) => {
      if (e.target.files[0]) this.openFile(e.target.files[0]);
      e.target.value = '';
    });
    $('verify').addEventListener('click', () => this.verify());
    $('filter-principal').addEventListener('change', () => this.renderTimeline());
    $('filter-action').addEventListener('change', () => this.renderTimeline());
    this.loaded = Promise.resolve();
  }

  async loadNode() {
    const img = await this.nodeImage();
    return this.load(img.buffer, "the node's disk");
  }

  openFile(file) {
    return file.arrayBuffer().then((b) => this.load(b, file.name));
  }

  async load(buffer, name) {
    this.bytes = buffer;
    this.name = name;
    this.bad = null;
    document.body.dataset.explorer = 'loading';
    delete document.body.dataset.verified;
    $('source').textContent = `${name}, ${buffer.byteLength} bytes`;
    $('verdict').textContent = 'reading…';
    $('verdict').className = '';
    const r = await runTool(['log', '/log', '--json'], { '/log': buffer });
    this.entries = r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l));
    const msg = r.stderr.trim();
    $('verdict').textContent = `${this.entries.length} entries read${msg ? `; ${msg}` : ''}. Press Verify to replay and check everything.`;
    $('verify').disabled = false;
    $('detail').replaceChildren(el('p', { className: 'hint', textContent: 'Select an entry (Enter or click) to see its content and receipt.' }));
    this.fillFilters();
    this.render();
    document.body.dataset.explorer = 'loaded';
    return r;
  }

  fillFilters() {
    const fill = (id, values) => {
      const s = $(id);
      const keep = s.value;
      s.replaceChildren(el('option', { value: '', textContent: 'all' }), ...[...new Set(values)].sort().map((v) => el('option', { value: v, textContent: v })));
      s.value = [...s.options].some((o) => o.value === keep) ? keep : '';
    };
    fill('filter-principal', this.entries.map((e) => e.proposer));
    fill('filter-action', this.entries.map((e) => e.action));
  }

  render() {
    this.renderTimeline();
    const { principals, rules } = summarize(this.entries);
    this.renderPrincipals(principals);
    this.renderRules(rules);
  }

  renderTimeline() {
    const who = $('filter-principal').value;
    const what = $('filter-action').value;
    const rows = [];
    const shown = this.entries.filter((e) => (!who || e.proposer === who) && (!what || e.action === what));
    for (const e of shown.slice(0, MAX_ROWS)) {
      const tr = el('tr', { tabIndex: 0 },
        el('td', { textContent: `#${e.seq}` }), el('td', { textContent: e.proposer }), el('td', { textContent: e.action }),
        el('td', { textContent: resource(e) }), el('td', { textContent: e.decision?.rule ? `#${e.decision.rule}` : 'genesis' }),
        el('td', { textContent: e.hash.slice(0, 16) }));
      tr.dataset.seq = e.seq;
      tr.title = resource(e);
      tr.setAttribute('aria-selected', 'false');
      tr.addEventListener('click', () => this.show(e, tr));
      tr.addEventListener('keydown', (ev) => {
        if (ev.key === 'Enter' || ev.key === ' ') { this.show(e, tr); ev.preventDefault(); }
        if (ev.key === 'ArrowDown') { tr.nextElementSibling?.focus(); ev.preventDefault(); }
        if (ev.key === 'ArrowUp') { tr.previousElementSibling?.focus(); ev.preventDefault(); }
      });
      rows.push(tr);
    }
    if (this.bad && !this.entries.some((e) => e.seq === this.bad.seq)) {
      const tr = el('tr', { tabIndex: 0, className: 'bad' }, el('td', { textContent: `#${this.bad.seq}` }),
        el('td', { colSpan: 5, textContent: '(unreadable: see the verdict)' }));
      tr.dataset.seq = this.bad.seq;
      rows.push(tr);
    }
    for (const tr of rows) {
      if (this.bad && Number(tr.dataset.seq) === this.bad.seq) {
        tr.classList.add('bad');
        tr.title = this.bad.why;
        tr.setAttribute('aria-label', `first bad entry #${this.bad.seq}: ${this.bad.why}`);
      }
    }
    $('timeline').tBodies[0].replaceChildren(...rows);
    $('count').textContent = `${shown.length} of ${this.entries.length} entries${shown.length > MAX_ROWS ? `, the first ${MAX_ROWS} shown` : ''}`;
  }

  renderPrincipals(principals) {
    const node = (p) => {
      const kids = [...principals.values()].filter((c) => c.issuer === p.name);
      const label = el('span', { className: p.revoked ? 'revoked' : '', textContent: p.name });
      const li = el('li', {}, label, el('span', { className: 'kind', textContent: ` ${p.kind}, #${p.seq}${p.rotations ? `, ${p.rotations} rotation(s)` : ''}${p.revoked ? `, ${p.revoked}` : ''}` }));
      li.dataset.principal = p.name;
      if (p.revoked) li.dataset.revoked = 'true';
      if (kids.length) li.append(el('ul', {}, ...kids.map(node)));
      return li;
    };
    $('principals').replaceChildren(...[...principals.values()].filter((p) => !p.issuer).map(node));
  }

  renderRules(rules) {
    $('rules').tBodies[0].replaceChildren(...[...rules.values()].map((r) => {
      const tr = el('tr', {}, el('td', { textContent: `#${r.id}` }), el('td', { textContent: r.effect }), el('td', { textContent: r.rule }),
        el('td', { textContent: String(r.allowed) }), el('td', { textContent: r.removed !== null ? `removed at #${r.removed}` : `since #${r.seq}` }));
      tr.dataset.rule = r.id;
      return tr;
    }));
  }

  async show(e, tr) {
    for (const r of $('timeline').tBodies[0].rows) r.setAttribute('aria-selected', String(r === tr));
    const receipt = el('button', { textContent: `Receipt for #${e.seq}` });
    const out = el('div', {});
    receipt.addEventListener('click', async () => {
      out.textContent = 'making the receipt…';
      const made = await runTool(['export', '/log', '/receipt', '--receipt', String(e.seq)], { '/log': this.bytes }, ['/receipt']);
      if (made.status !== 0) {
        out.replaceChildren(el('pre', { textContent: made.stdout + made.stderr }));
        return;
      }
      const bytes = made.files['/receipt'];
      const check = await runTool(['verify', '/receipt'], { '/receipt': bytes });
      const hex = [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('');
      out.replaceChildren(el('p', { className: check.status === 0 ? 'ok' : 'bad', textContent: (check.stdout + check.stderr).trim().replace('/receipt', `of entry #${e.seq}`) }),
        el('pre', { textContent: `${bytes.byteLength} bytes of CBOR (docs/formats.md "Receipt"):\n${hex}` }));
    });
    $('detail').replaceChildren(el('h2', { textContent: `Entry #${e.seq}` }), el('pre', { textContent: JSON.stringify(e, null, 2) }), receipt, out);
  }

  // Replays the whole log in the page with zero verify; marks the first bad
  // entry it names.
  async verify() {
    if (!this.bytes) return null;
    $('verdict').textContent = 'verifying…';
    delete document.body.dataset.verified;
    const r = await runTool(['verify', '/log'], { '/log': this.bytes });
    const text = (r.stdout + r.stderr).trim().replace(/\/log/g, this.name);
    const m = r.status !== 0 && /entry #(\d+)/.exec(text);
    this.bad = m ? { seq: Number(m[1]), why: text } : null;
    $('verdict').textContent = `${text} (replayed in the page in ${r.ms.toFixed(1)} ms)`;
    $('verdict').className = r.status === 0 ? 'ok' : 'bad';
    this.renderTimeline();
    document.querySelector('#timeline tr.bad')?.scrollIntoView({ block: 'nearest' });
    document.body.dataset.verified = r.status === 0 ? 'ok' : 'bad';
    return { ...r, bad: this.bad, text };
  }
}
