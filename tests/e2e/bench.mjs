// Editor benchmark (prints figures; asserts nothing about speed): a 20,000-word article
// with about 2,000 highlights, opened from a newsmark .json in the release build.
// Usage: node tests/e2e/bench.mjs [dist-dir] [words] [highlights]
//
// - first render: from handing the file to "Open…" until the article is painted
//   (the app reads the file, imports it, lays out and renders every paragraph);
// - tag key → repaint: from the keydown of a label key, with a word selected, until the
//   frame after the new <mark> is in the DOM (median and max of 15 presses);
// - undo → repaint, the same way.

import { mkdtemp, rm, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT, serve, launch } from './lib.mjs';

const DIST = path.resolve(ROOT, process.argv[2] || 'dist');
const WORDS = Number(process.argv[3] || 20000);
const HIGHLIGHTS = Number(process.argv[4] || 2000);
const LABELS = ['PERSON', 'ORG', 'GPE', 'LOC', 'NORP', 'DATE', 'ROLE'];

/** The sample's paragraphs repeated to `WORDS` words; every n-th word highlighted. */
async function article() {
  const sample = (await readFile(path.join(ROOT, 'static/sample/seed-witkoff-moscow.txt'), 'utf8'))
    .split('\n').filter((l) => l.trim());
  const paras = [];
  let words = 0;
  for (let i = 0; words < WORDS; i++) {
    const p = sample[i % sample.length];
    paras.push(p);
    words += p.split(/\s+/).length;
  }
  const text = paras.join('\n');
  const every = Math.max(1, Math.floor(words / HIGHLIGHTS));
  const entities = [];
  const cps = [...text];
  let w = 0, start = -1;
  for (let i = 0; i <= cps.length; i++) {
    const isWord = i < cps.length && /[\p{L}\p{N}]/u.test(cps[i]);
    if (isWord && start < 0) start = i;
    if (!isWord && start >= 0) {
      if (w % every === 0 && entities.length < HIGHLIGHTS) {
        const n = entities.length;
        entities.push({ id: `e${n + 1}`, label: LABELS[n % LABELS.length], start, end: i,
          text: cps.slice(start, i).join(''), origin: 'auto', status: n % 3 ? 'suggested' : 'accepted', confidence: 0.5 });
      }
      w++;
      start = -1;
    }
  }
  return { file: { format: 'newsmark.annotations', version: 1, document: { id: 'bench', text },
    entities, attributions: [], boilerplate: [] }, words, paragraphs: paras.length };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const { file, words, paragraphs } = await article();
const { server, base } = await serve(DIST);
const profile = await mkdtemp(path.join(process.env.TMPDIR || tmpdir(), 'newsmark-bench-'));
const context = await launch(profile);
try {
  const page = context.pages()[0] || (await context.newPage());
  await page.goto(base);
  await page.locator('article p.paragraph').first().waitFor();
  console.log(`article: ${words} words, ${paragraphs} paragraphs, ${file.entities.length} highlights`);

  // First render of the big article.
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: 'Open…' }).click()]);
  await page.evaluate(() => { window.__t0 = performance.now(); });
  await chooser.setFiles({ name: 'bench.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(file)) });
  const firstRender = await page.evaluate(() => new Promise((resolve) => {
    const done = () => requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - window.__t0), 0));
    const ready = () => document.querySelector('article[data-document=bench]');
    if (ready()) return done();
    new MutationObserver((_, obs) => { if (ready()) { obs.disconnect(); done(); } })
      .observe(document.body, { childList: true, subtree: true, attributes: true });
  }));
  const marks = await page.locator('mark[data-label]').count();
  console.log(`first render (open → painted): ${firstRender.toFixed(0)} ms (${marks} <mark> elements)`);

  // Tag key → repaint, on unhighlighted words spread over the article.
  const tagTimes = [], undoTimes = [];
  for (let i = 0; i < 15; i++) {
    const t = await page.evaluate(async (i) => {
      const paras = [...document.querySelectorAll('article p.paragraph')];
      const p = paras[Math.floor((i + 0.5) * paras.length / 15)];
      const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
      let node = null, m = null;
      for (let n = walker.nextNode(); n && !m; n = walker.nextNode()) {
        if (n.parentElement.closest('mark')) continue;
        m = /\p{L}{4,}/u.exec(n.data);
        node = n;
      }
      if (!m) return null;
      const r = document.createRange();
      r.setStart(node, m.index);
      r.setEnd(node, m.index + m[0].length);
      getSelection().removeAllRanges();
      getSelection().addRange(r);
      const before = document.querySelectorAll('mark[data-label]').length;
      const measure = (key, code, ctrl, changed) => new Promise((resolve) => {
        const obs = new MutationObserver(() => {
          if (!changed()) return;
          obs.disconnect();
          requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - t0), 0));
        });
        obs.observe(document.querySelector('article'), { childList: true, subtree: true });
        const t0 = performance.now();
        window.dispatchEvent(new KeyboardEvent('keydown', { key, code, ctrlKey: ctrl, bubbles: true, cancelable: true }));
      });
      const tag = await measure('2', 'Digit2', false, () => document.querySelectorAll('mark[data-label]').length > before);
      const undo = await measure('z', 'KeyZ', true, () => document.querySelectorAll('mark[data-label]').length === before);
      return [tag, undo];
    }, i);
    if (t) { tagTimes.push(t[0]); undoTimes.push(t[1]); }
  }
  const fmt = (xs) => `median ${median(xs).toFixed(1)} ms, max ${Math.max(...xs).toFixed(1)} ms (n=${xs.length})`;
  console.log(`tag key → repaint: ${fmt(tagTimes)}`);
  console.log(`undo key → repaint: ${fmt(undoTimes)}`);
} finally {
  await context.close();
  server.close();
  await rm(profile, { recursive: true, force: true });
}
