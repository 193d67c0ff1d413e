// The app's speed and size in one run (prints figures; asserts nothing about speed), so
// README's "Speed and size" table comes from one command:
//
//   node tests/e2e/bench.mjs [dist-dir] [words,words,...|none] [runs]
//
// (defaults: dist, 1000,20000,100000, 3; `none` measures bytes and start-up only). Against the release build (`trunk build --release`).
//
// - bytes: every file of dist/, raw and gzip -9; "first paint" is what index.html needs
//   before anything shows (the HTML, its CSS, the page's JS and wasm), "worker" the
//   extraction worker's files, "everything" all of dist/;
// - navigation → first highlight: from the start of navigation (performance.timeOrigin)
//   until the sample's first <mark> is in the DOM and painted, in a fresh headless Chromium
//   with a fresh profile each run (nothing cached, no service worker yet), with the start-up
//   milestones before it (HTML, page wasm received, instantiated, first render) and after
//   it (the app's `newsmark:*` marks: storage, worker, service worker; see src/ui/startup.rs);
// - returning editor: a 1,000-word document opened and stored, the page reloaded (service
//   worker in control) → that document's first highlight painted, and whether the sample
//   was shown before it;
// - per article size (one highlight per 10 words, as a newsmark .json opened with "Open…"):
//   first render (the file input's change event → article painted, fresh profile each run),
//   tag key → repaint (keydown of a label key with a word selected → the frame after the
//   new <mark> is in the DOM) and undo → repaint, on words spread over the whole article
//   (scrolled to, so a virtualised view is measured where the editor would be).
// Medians, with max and n.

import { mkdtemp, rm, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { ROOT, serve, launch, longArticle } from './lib.mjs';

const DIST = path.resolve(ROOT, process.argv[2] || 'dist');
// `none`: start-up and bytes only.
const SIZES = (process.argv[3] || '1000,20000,100000').split(',').filter((w) => w !== 'none').map(Number);
const RUNS = Number(process.argv[4] || 3);
const PRESSES = 15;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmtB = (n) => `${n.toLocaleString('en-US')} B`;
const fmtMs = (xs) => `median ${median(xs).toFixed(0)} ms, max ${Math.max(...xs).toFixed(0)} ms (n=${xs.length})`;
const summary = [];

// ---- bytes -------------------------------------------------------------------------------

async function files(dir, prefix = '') {
  const out = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const rel = prefix + e.name;
    if (e.isDirectory()) out.push(...(await files(path.join(dir, e.name), rel + '/')));
    else out.push(rel);
  }
  return out.sort();
}

async function sizes() {
  const html = await readFile(path.join(DIST, 'index.html'), 'utf8');
  const clean = (h) => h.replace(/^(\.\/|\/)+/, '').split(/[?#]/)[0];
  // What the page needs before it can show anything: its stylesheets and the module
  // script's JS and wasm (Trunk's loader names both).
  const firstPaint = new Set(['index.html']);
  for (const m of html.matchAll(/<link\b[^>]*rel="?stylesheet"?[^>]*href="([^"]+)"/g)) firstPaint.add(clean(m[1]));
  const loader = /<script type="module"[^>]*>([\s\S]*?)<\/script>/.exec(html);
  if (!loader) throw new Error(`no Trunk module script in ${DIST}/index.html (built with trunk build --release?)`);
  for (const m of loader[1].matchAll(/'([^']+\.(?:js|wasm))'/g)) firstPaint.add(clean(m[1]));
  const rows = [];
  for (const f of await files(DIST)) {
    const raw = await readFile(path.join(DIST, f));
    rows.push({ f, raw: raw.length, gz: gzipSync(raw, { level: 9 }).length });
  }
  for (const f of firstPaint) if (!rows.some((r) => r.f === f)) throw new Error(`index.html needs ${f}, missing from ${DIST}`);
  console.log('## bytes (gzip -9)');
  for (const r of rows) console.log(`${r.f.padEnd(48)} ${fmtB(r.raw).padStart(14)} raw ${fmtB(r.gz).padStart(14)} gzip${firstPaint.has(r.f) ? '  (first paint)' : ''}`);
  const sum = (pred) => rows.filter(pred).reduce((a, r) => [a[0] + r.raw, a[1] + r.gz], [0, 0]);
  const page = rows.find((r) => firstPaint.has(r.f) && r.f.endsWith('.wasm'));
  const fp = sum((r) => firstPaint.has(r.f));
  const worker = sum((r) => r.f.includes('worker') && r.f !== 'sw.js');
  const all = sum(() => true);
  const model = sum((r) => r.f.endsWith('.bin'));
  console.log(`page wasm:                               ${fmtB(page.raw)} raw, ${fmtB(page.gz)} gzip`);
  console.log(`first paint (page wasm + JS + CSS + HTML): ${fmtB(fp[0])} raw, ${fmtB(fp[1])} gzip`);
  console.log(`worker (JS + wasm):                      ${fmtB(worker[0])} raw, ${fmtB(worker[1])} gzip`);
  if (model[0]) console.log(`model asset(s):                          ${fmtB(model[0])} raw, ${fmtB(model[1])} gzip`);
  console.log(`everything (${rows.length} files):                 ${fmtB(all[0])} raw, ${fmtB(all[1])} gzip`);
  summary.push(['page wasm, gzip', fmtB(page.gz)], ['first paint: page wasm + JS + CSS + HTML, gzip', fmtB(fp[1])],
    ['worker, gzip', fmtB(worker[1])], ['everything, gzip', fmtB(all[1])]);
}

// ---- start-up ---------------------------------------------------------------------------

async function fresh(fn) {
  const profile = await mkdtemp(path.join(process.env.TMPDIR || tmpdir(), 'newsmark-bench-'));
  const context = await launch(profile);
  try {
    const page = context.pages()[0] || (await context.newPage());
    return await fn(page);
  } finally {
    await context.close();
    await rm(profile, { recursive: true, force: true });
  }
}

/**
 * Installed before any script of the page runs: when the page's wasm is instantiated, when
 * the first highlight (of document `want`, or any) is in the DOM and the frame after, in
 * which it is painted; and which documents the article showed, in order.
 */
const PROBE = (want) => {
  const t = (window.__startup = { documents: [] });
  for (const name of ['instantiateStreaming', 'instantiate']) {
    const original = WebAssembly[name];
    WebAssembly[name] = function (...args) {
      const p = original.apply(this, args);
      p.then(() => { if (t.instantiated === undefined) t.instantiated = performance.now(); }, () => {});
      return p;
    };
  }
  new MutationObserver((_, obs) => {
    for (const a of document.querySelectorAll('article[data-document]')) {
      if (!t.documents.includes(a.dataset.document)) t.documents.push(a.dataset.document);
    }
    const article = want === null ? 'article' : `article[data-document="${CSS.escape(want)}"]`;
    if (t.dom !== undefined || !document.querySelector(`${article} mark[data-label]`)) return;
    t.dom = performance.now();
    requestAnimationFrame(() => setTimeout(() => { t.painted = performance.now(); obs.disconnect(); }, 0));
  }).observe(document, { childList: true, subtree: true });
};

/** The app's own milestones (User Timing marks, see src/ui/startup.rs). */
const MARKS = { storage: 'storage opened', restored: 'project read (and document restored)', worker: 'worker spawned', 'service-worker': 'service worker registered' };

/** Waits for the probe's painted highlight and the app's later milestones; returns ms from navigation start. */
async function startupTimes(page) {
  await page.waitForFunction(() => window.__startup?.painted !== undefined, null, { timeout: 60_000 });
  // The later milestones (absent from builds before they were marked: then not waited for long).
  await page.waitForFunction((names) => names.every((n) => performance.getEntriesByName(`newsmark:${n}`).length), Object.keys(MARKS), { timeout: 5_000 }).catch(() => {});
  return page.evaluate((names) => {
    const t = window.__startup;
    const nav = performance.getEntriesByType('navigation')[0];
    const wasm = performance.getEntriesByType('resource').find((r) => /_bg\.wasm$/.test(r.name) && !r.name.includes('worker'));
    const out = { html: nav.responseEnd, wasm: wasm?.responseEnd, instantiated: t.instantiated, dom: t.dom, painted: t.painted, documents: t.documents };
    for (const n of names) out[n] = performance.getEntriesByName(`newsmark:${n}`)[0]?.startTime;
    return out;
  }, Object.keys(MARKS));
}

const ROWS = [['html', 'HTML received'], ['wasm', 'page wasm received'], ['instantiated', 'page wasm compiled and instantiated'],
  ['dom', 'first highlight in the DOM (first render done)'], ['painted', 'first highlight painted'],
  ...Object.entries(MARKS)];

function printTimes(title, runs) {
  console.log(`\n## ${title} (ms from navigation start, median of ${runs.length}; — = not seen)`);
  for (const [key, label] of ROWS) {
    const xs = runs.map((r) => r[key]).filter((x) => x !== undefined);
    console.log(`${label.padEnd(48)} ${xs.length ? median(xs).toFixed(0).padStart(6) : '     —'}${xs.length ? `  (${xs.map((x) => x.toFixed(0)).join(', ')})` : ''}`);
  }
}

async function firstHighlight(base) {
  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    runs.push(await fresh(async (page) => {
      await page.addInitScript(PROBE, null);
      await page.goto(base);
      return startupTimes(page);
    }));
  }
  printTimes('start-up, fresh profile: navigation → first highlight of the sample', runs);
  const times = runs.map((r) => r.painted);
  console.log(`navigation → first highlight of the sample (fresh profile): ${fmtMs(times)}`);
  summary.push(['navigation → first highlight (fresh profile)', `${median(times).toFixed(0)} ms`]);
}

/** A returning editor: a 1,000-word document opened and stored, then the page reloaded
 *  (service worker in control, as on any later visit) → their document's first highlight. */
async function returning(base) {
  const a = await article(1000);
  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    runs.push(await fresh(async (page) => {
      await page.goto(base);
      await page.locator('article p.paragraph').first().waitFor();
      await open(page, a);
      await page.locator(`article[data-document="${a.id}"] mark[data-label]`).first().waitFor();
      await page.locator('[data-save-status=saved]').waitFor();
      await page.evaluate(() => navigator.serviceWorker.ready);
      await page.addInitScript(PROBE, a.id);
      await page.reload();
      const t = await startupTimes(page);
      if (!t.documents.includes(a.id)) throw new Error(`the reload did not reopen ${a.id} (shown: ${t.documents.join(', ')})`);
      return t;
    }));
  }
  printTimes(`start-up, returning editor: reload → first highlight of their stored ${a.words.toLocaleString('en-US')}-word document`, runs);
  const flashed = runs.filter((r) => r.documents[0] !== a.id).length;
  const times = runs.map((r) => r.painted);
  console.log(`reload → first highlight of the stored document: ${fmtMs(times)}; the sample shown first in ${flashed} of ${runs.length} runs`);
  summary.push(['returning editor: reload → first highlight of their document', `${median(times).toFixed(0)} ms (sample shown first: ${flashed} of ${runs.length})`]);
}

// ---- long articles ------------------------------------------------------------------------

/** The sample's paragraphs repeated to `target` words; every 10th word highlighted. */
const article = (target) => longArticle(target);

/** Opens `file` with "Open…" and returns ms from handing it over to the painted article. */
async function open(page, { id, file }) {
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: 'Open…' }).click()]);
  // The clock starts when the app is handed the file (the input's change event), so the
  // test driver's own work of building the File in the page is not counted.
  await page.evaluate(() => {
    window.__t0 = undefined;
    document.addEventListener('change', (e) => {
      if (e.target.matches('input[type=file]')) window.__t0 = performance.now();
    }, { capture: true, once: true });
  });
  await chooser.setFiles({ name: `${id}.json`, mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(file)) });
  return page.evaluate((id) => new Promise((resolve) => {
    const done = () => requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - window.__t0), 0));
    const ready = () => document.querySelector(`article[data-document="${id}"] p.paragraph`);
    if (ready()) return done();
    new MutationObserver((_, obs) => { if (ready()) { obs.disconnect(); done(); } })
      .observe(document.body, { childList: true, subtree: true, attributes: true });
  }), id);
}

/** Tag key → repaint and undo → repaint on a word near `frac` of the article. */
async function tagAndUndo(page, frac) {
  return page.evaluate(async (frac) => {
    const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    const max = document.documentElement.scrollHeight - innerHeight;
    window.scrollTo(0, Math.round(frac * max));
    await frame();
    await frame();
    // A paragraph in view with a plain word of four letters or more.
    const paras = [...document.querySelectorAll('article p.paragraph')].filter((p) => {
      const r = p.getBoundingClientRect();
      return r.bottom > 0 && r.top < innerHeight;
    });
    for (const p of paras) {
      const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
      let node = null, m = null;
      for (let n = walker.nextNode(); n && !m; n = walker.nextNode()) {
        if (n.parentElement.closest('mark')) continue;
        m = /\p{L}{4,}/u.exec(n.data);
        node = n;
      }
      if (!m) continue;
      const r = document.createRange();
      r.setStart(node, m.index);
      r.setEnd(node, m.index + m[0].length);
      getSelection().removeAllRanges();
      getSelection().addRange(r);
      const key = p.getAttribute('data-start');
      const marks = () => document.querySelector(`article p.paragraph[data-start="${key}"]`)?.querySelectorAll('mark').length ?? -1;
      const before = marks();
      const measure = (keyName, code, ctrl, changed) => new Promise((resolve) => {
        const obs = new MutationObserver(() => {
          if (!changed()) return;
          obs.disconnect();
          requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - t0), 0));
        });
        obs.observe(document.querySelector('article'), { childList: true, subtree: true, attributes: true });
        const t0 = performance.now();
        window.dispatchEvent(new KeyboardEvent('keydown', { key: keyName, code, ctrlKey: ctrl, bubbles: true, cancelable: true }));
      });
      const tag = await measure('2', 'Digit2', false, () => marks() > before);
      await frame();
      const undo = await measure('z', 'KeyZ', true, () => marks() === before);
      await frame();
      return [tag, undo];
    }
    return null;
  }, frac);
}

async function measureArticle(base, words) {
  const a = await article(words);
  const renders = [], tags = [], undos = [];
  for (let run = 0; run < RUNS; run++) {
    await fresh(async (page) => {
      await page.goto(base);
      await page.locator('article p.paragraph').first().waitFor();
      renders.push(await open(page, a));
      if (run < RUNS - 1) return;
      for (let i = 0; i < PRESSES; i++) {
        const t = await tagAndUndo(page, (i + 0.5) / PRESSES);
        if (t) { tags.push(t[0]); undos.push(t[1]); }
      }
    });
  }
  if (!tags.length) throw new Error(`no word to tag was found in the ${words}-word article`);
  console.log(`\n## ${a.words.toLocaleString('en-US')}-word article, ${a.paragraphs} paragraphs, ${a.file.entities.length} highlights`);
  console.log(`first render (change → painted): ${fmtMs(renders)}`);
  console.log(`tag key → repaint:             ${fmtMs(tags)}`);
  console.log(`undo → repaint:                ${fmtMs(undos)}`);
  summary.push([`${words.toLocaleString('en-US')} words, ${a.file.entities.length.toLocaleString('en-US')} highlights: first render / tag → repaint / undo → repaint`,
    `${median(renders).toFixed(0)} / ${median(tags).toFixed(0)} / ${median(undos).toFixed(0)} ms`]);
}

const { server, base } = await serve(DIST);
try {
  await sizes();
  await firstHighlight(base);
  await returning(base);
  for (const words of SIZES) await measureArticle(base, words);
  console.log('\n## summary (markdown)\n\n| what | measured |\n|---|---|');
  for (const [k, v] of summary) console.log(`| ${k} | ${v} |`);
} finally {
  server.close();
}
