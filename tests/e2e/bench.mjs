// The app's speed and size in one run (prints figures; asserts nothing about speed), so
// README's "Speed and size" table comes from one command:
//
//   node tests/e2e/bench.mjs [dist-dir] [words,words,...] [runs]
//
// (defaults: dist, 1000,20000,100000, 3). Against the release build (`trunk build --release`).
//
// - bytes: every file of dist/, raw and gzip -9; "first paint" is what index.html needs
//   before anything shows (the HTML, its CSS, the page's JS and wasm), "worker" the
//   extraction worker's files, "everything" all of dist/;
// - navigation → first highlight: from the start of navigation (performance.timeOrigin)
//   until the sample's first <mark> is in the DOM and painted, in a fresh headless Chromium
//   with a fresh profile each run (nothing cached, no service worker yet);
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
const SIZES = (process.argv[3] || '1000,20000,100000').split(',').map(Number);
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

// ---- navigation → first highlight ----------------------------------------------------------

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

async function firstHighlight(base) {
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    times.push(await fresh(async (page) => {
      // Installed before any script of the page runs: notes when the first <mark> lands,
      // then the frame it is painted in.
      await page.addInitScript(() => {
        new MutationObserver((_, obs) => {
          if (!document.querySelector('mark[data-label]')) return;
          obs.disconnect();
          requestAnimationFrame(() => setTimeout(() => { window.__firstMark = performance.now(); }, 0));
        }).observe(document, { childList: true, subtree: true });
      });
      await page.goto(base);
      await page.waitForFunction(() => window.__firstMark !== undefined, null, { timeout: 60_000 });
      return page.evaluate(() => window.__firstMark);
    }));
  }
  console.log(`\n## navigation → first highlight of the sample (fresh profile): ${fmtMs(times)}`);
  summary.push(['navigation → first highlight', `${median(times).toFixed(0)} ms`]);
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
  for (const words of SIZES) await measureArticle(base, words);
  console.log('\n## summary (markdown)\n\n| what | measured |\n|---|---|');
  for (const [k, v] of summary) console.log(`| ${k} | ${v} |`);
} finally {
  server.close();
}
