// Shared pieces of the editor's end-to-end scripts: a static server for dist/ on
// 127.0.0.1 (a free port), a Chromium launch, a tiny named-check runner, and page helpers.

import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.webmanifest': 'application/manifest+json',
};

/** A static file server for `dir` under the URL path `sub` on 127.0.0.1 and a free port;
 * anything outside `sub` is a 404 (so a sub-path deployment is tested as one). */
export async function serve(dir, sub = '/') {
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url, 'http://127.0.0.1');
      if (!url.pathname.startsWith(sub)) throw new Error('outside the sub-path');
      let file = path.normalize(path.join(dir, decodeURIComponent(url.pathname.slice(sub.length))));
      if (!file.startsWith(dir)) throw new Error('outside dist');
      if (url.pathname.endsWith('/')) file = path.join(file, 'index.html');
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    }
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return { server, base: `http://127.0.0.1:${server.address().port}${sub}` };
}

/** Every Content-Security-Policy violation in a page becomes a console error, which every
 *  suite fails on (Chromium also logs "Refused to …" itself; this names the directive). */
export const CSP_WATCH = `document.addEventListener('securitypolicyviolation', (e) => {
  console.error('CSP violation: ' + e.effectiveDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at ' + e.sourceFile + ':' + e.lineNumber);
});`;

/** Makes every page of `context` report CSP violations (see CSP_WATCH). */
export async function watchCsp(context) {
  await context.addInitScript({ content: CSP_WATCH });
}

/** Headless Debian Chromium with a fresh profile in `profile`, CSP violations reported. */
export async function launch(profile, viewport = { width: 1400, height: 1000 }) {
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, acceptDownloads: true, viewport,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  context.setDefaultTimeout(30_000);
  await watchCsp(context);
  return context;
}

export function assert(cond, message) {
  if (!cond) throw new Error(message);
}

/** Named checks; `finish` prints a summary and sets the exit status. */
export function makeRunner() {
  const results = [];
  return {
    async check(name, fn) {
      const t0 = Date.now();
      try {
        await fn();
        results.push([name, null]);
        console.log(`ok   - ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
      } catch (e) {
        results.push([name, e]);
        console.log(`FAIL - ${name}\n       ${String((e && e.stack) || e).split('\n').join('\n       ')}`);
      }
    },
    finish(what) {
      const failed = results.filter(([, e]) => e).length;
      console.log(`${what}: ${results.length - failed} passed, ${failed} failed`);
      process.exit(failed ? 1 : 0);
    },
  };
}

/**
 * axe-core's serious and critical violations on the page as it is now, one line each
 * (empty: none). axe is evaluated by the test driver, not added as a <script> tag: the
 * page's CSP refuses inline scripts, as it should.
 */
export async function seriousA11yViolations(page) {
  if (!(await page.evaluate(() => Boolean(window.axe)))) {
    await page.evaluate(await readFile(path.join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8'));
  }
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
}

/** Clicks "Export JSON" and returns the parsed download. */
export async function exportJson(page) {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export JSON' }).click(),
  ]);
  return JSON.parse(await readFile(await download.path(), 'utf8'));
}

/** Selects `needle` in the article, as a mouse drag would; inside `context` when given
 *  (the first paragraph containing it), so a common word is found in the right place. */
export async function selectText(page, needle, context = needle) {
  const ok = await page.evaluate(([needle, context]) => {
    for (const p of document.querySelectorAll('article p.paragraph')) {
      const at = p.textContent.indexOf(context);
      if (at < 0) continue;
      const start = at + context.indexOf(needle);
      const end = start + needle.length;
      const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
      let offset = 0;
      const range = document.createRange();
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const len = n.data.length;
        if (start >= offset && start <= offset + len) range.setStart(n, start - offset);
        if (end >= offset && end <= offset + len) { range.setEnd(n, end - offset); break; }
        offset += len;
      }
      const s = getSelection();
      s.removeAllRanges();
      s.addRange(range);
      return s.toString() === needle;
    }
    return false;
  }, [needle, context]);
  assert(ok, `could not select ${needle}`);
}

const LABELS = ['PERSON', 'ORG', 'GPE', 'LOC', 'NORP', 'DATE', 'ROLE'];

/** A long newsmark .json article made here (the project's own sample paragraphs repeated,
 *  never shared corpora): `target` words, every 10th word highlighted. `suggested(n, total)`
 *  says which highlights are pending suggestions (default: two in three); the rest are
 *  accepted. Returns { id, file, words, paragraphs }. */
export async function longArticle(target, suggested = (n) => n % 3 !== 0) {
  const sample = (await readFile(path.join(ROOT, 'static/sample/seed-witkoff-moscow.txt'), 'utf8'))
    .split('\n').filter((l) => l.trim());
  const paras = [];
  let words = 0;
  for (let i = 0; words < target; i++) {
    const p = sample[i % sample.length];
    paras.push(p);
    words += p.split(/\s+/).length;
  }
  const text = paras.join('\n');
  const spans = [];
  const cps = [...text];
  let w = 0, start = -1;
  for (let i = 0; i <= cps.length; i++) {
    const isWord = i < cps.length && /[\p{L}\p{N}]/u.test(cps[i]);
    if (isWord && start < 0) start = i;
    if (!isWord && start >= 0) {
      if (w % 10 === 0) spans.push([start, i]);
      w++;
      start = -1;
    }
  }
  const entities = spans.map(([start, end], n) => ({ id: `e${n + 1}`, label: LABELS[n % LABELS.length], start, end,
    text: cps.slice(start, end).join(''), origin: 'auto', status: suggested(n, spans.length) ? 'suggested' : 'accepted',
    confidence: 0.5 }));
  const id = `long-${target}`;
  return { id, file: { format: 'newsmark.annotations', version: 1, document: { id, text }, entities, attributions: [], boilerplate: [] },
    words, paragraphs: paras.length };
}
