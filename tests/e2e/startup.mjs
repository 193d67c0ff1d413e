// End-to-end tests of the start-up order (src/ui/startup.rs, DESIGN.md "Start-up order")
// against the release dist/, each in a fresh headless Chromium profile:
//
//   node tests/e2e/startup.mjs [dist-dir]
//
// 0. dist/index.html asks for the page's JS and wasm first, at high priority (tools/preload.py).
// 1. A first visit: the sample's first highlight is in the DOM before the page asks for
//    storage (pouchdb.min.js), the extraction worker (its loader, wasm, models) or the
//    service worker (sw.js); then all of them start, and the app works offline-ready.
// 2. A returning editor: their stored document is the first article shown after a reload
//    ("Opening…" before it), never the sample.
// 3. A reopen hint naming a document storage does not hold: the sample, and the hint is cleared.
// 4. Storage that never answers: "Opening…" gives way to the sample (after 5 s).

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT, serve, launch, assert, makeRunner, longArticle } from './lib.mjs';

const DIST = path.resolve(ROOT, process.argv[2] || 'dist');
const { check, finish } = makeRunner();
const { server, base } = await serve(DIST);
const REOPEN_KEY = 'newsmark.reopen';

/** Runs `fn(page, context)` in a fresh profile, failing on any console error. */
async function fresh(fn) {
  const profile = await mkdtemp(path.join(process.env.TMPDIR || tmpdir(), 'newsmark-startup-'));
  const context = await launch(profile);
  const errors = [];
  try {
    const page = context.pages()[0] || (await context.newPage());
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(String(e)));
    await fn(page, context);
    assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
  } finally {
    await context.close();
    await rm(profile, { recursive: true, force: true });
  }
}

/** Notes, from before any script of the page runs, every document the article shows (in
 *  order), whether "Opening…" was shown, and when (epoch ms) the first highlight is in the DOM. */
const PROBE = () => {
  const t = (window.__startup = { documents: [], opening: false });
  new MutationObserver(() => {
    if (document.querySelector('p.opening')) t.opening = true;
    for (const a of document.querySelectorAll('article[data-document]')) {
      if (!t.documents.includes(a.dataset.document)) t.documents.push(a.dataset.document);
    }
    if (t.highlight === undefined && document.querySelector('article mark[data-label]')) t.highlight = performance.timeOrigin + performance.now();
  }).observe(document, { childList: true, subtree: true });
};

/** Sets the reopen hint once, before the app's first start in this profile. */
const HINT_ONCE = ([key, value]) => {
  if (!sessionStorage.getItem('hinted')) {
    sessionStorage.setItem('hinted', '1');
    localStorage.setItem(key, value);
  }
};

const sampleShown = (page) => page.locator('article[data-document="seed-witkoff-moscow"] mark[data-label]').first().waitFor();

await check('0. index.html preloads the page\'s JS and wasm before anything else, at high priority', async () => {
  const html = await readFile(path.join(DIST, 'index.html'), 'utf8');
  const links = [...html.matchAll(/<link\b[^>]*>/g)].map((m) => m[0]).filter((l) => !l.includes('rel="icon"'));
  const [first, second] = links;
  assert(/rel="modulepreload"/.test(first) && /fetchpriority="high"/.test(first), `first link: ${first}`);
  assert(/rel="preload"/.test(second) && /type="application\/wasm"/.test(second) && /fetchpriority="high"/.test(second), `second link: ${second}`);
  assert(html.indexOf(second) < html.indexOf('rel="stylesheet"'), 'the preloads come before the stylesheets');
});

await check('1. first visit: the sample is shown before storage, the worker and the service worker are asked for', async () => {
  const asked = [];
  const note = (req) => asked.push({ url: req.url, at: Date.now() });
  server.on('request', note);
  try {
    await fresh(async (page) => {
      await page.addInitScript(PROBE);
      await page.goto(base);
      await sampleShown(page);
      // Everything deferred still starts: storage is read, the worker loads its models, the
      // service worker installs and takes over.
      await page.waitForFunction(() => ['storage', 'worker', 'service-worker'].every((n) => performance.getEntriesByName(`newsmark:${n}`).length));
      await page.evaluate(async () => {
        await navigator.serviceWorker.ready;
        if (!navigator.serviceWorker.controller) {
          await new Promise((r) => navigator.serviceWorker.addEventListener('controllerchange', r, { once: true }));
        }
      });
      await page.locator('[data-save-status=saved]').waitFor();
      const highlight = await page.evaluate(() => window.__startup.highlight);
      const deferred = /\/(pouchdb\.min\.js|newsmark-worker_loader\.js|newsmark-worker_bg\.wasm|models\/[^/]+\.bin|sw\.js)$/;
      const late = asked.filter((r) => deferred.test(new URL(r.url, base).pathname));
      for (const want of ['pouchdb.min.js', 'newsmark-worker_loader.js', 'newsmark-worker_bg.wasm', '.bin', 'sw.js']) {
        assert(late.some((r) => r.url.split('?')[0].endsWith(want)), `${want} was never asked for (asked: ${asked.map((r) => r.url).join(', ')})`);
      }
      const early = late.filter((r) => r.at < highlight);
      assert(early.length === 0, `asked for before the first highlight was shown: ${early.map((r) => `${r.url} (${highlight - r.at} ms before)`).join(', ')}`);
    });
  } finally {
    server.off('request', note);
  }
});

await check('2. a returning editor sees their document after a reload, never the sample first', async () => {
  const a = await longArticle(300);
  await fresh(async (page) => {
    await page.goto(base);
    await sampleShown(page);
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: 'Open…' }).click()]);
    await chooser.setFiles({ name: `${a.id}.json`, mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(a.file)) });
    await page.locator(`article[data-document="${a.id}"] mark[data-label]`).first().waitFor();
    await page.locator('[data-save-status=saved]').waitFor();
    assert(await page.evaluate((k) => localStorage.getItem(k), REOPEN_KEY) === a.id, 'the reopen hint names the open document');
    await page.addInitScript(PROBE);
    await page.reload();
    await page.locator(`article[data-document="${a.id}"] mark[data-label]`).first().waitFor();
    const t = await page.evaluate(() => window.__startup);
    assert(JSON.stringify(t.documents) === JSON.stringify([a.id]), `articles shown after the reload: ${t.documents.join(', ')}`);
    assert(t.opening, '"Opening your document…" was shown while storage was read');
    assert(await page.locator('p.opening').count() === 0, '"Opening…" is gone once the document is shown');
  });
});

await check('3. a reopen hint for a document storage does not hold: the sample, and the hint is cleared', async () => {
  await fresh(async (page) => {
    await page.addInitScript(HINT_ONCE, [REOPEN_KEY, 'not-stored-anywhere']);
    await page.addInitScript(PROBE);
    await page.goto(base);
    await sampleShown(page);
    await page.locator('[data-save-status=saved]').waitFor();
    const t = await page.evaluate(() => window.__startup);
    assert(t.opening, '"Opening…" was shown first (the hint said a document was open)');
    assert(JSON.stringify(t.documents) === JSON.stringify(['seed-witkoff-moscow']), `articles shown: ${t.documents.join(', ')}`);
    await page.waitForFunction((k) => localStorage.getItem(k) === null, REOPEN_KEY);
  });
});

await check('4. storage that never answers: "Opening…" gives way to the sample', async () => {
  await fresh(async (page, context) => {
    // PouchDB never arrives: storage neither opens nor fails.
    await context.route('**/pouchdb.min.js', () => {});
    await page.addInitScript(HINT_ONCE, [REOPEN_KEY, 'some-document']);
    // Not until `load`: the script PouchDB never finishes holds it back.
    await page.goto(base, { waitUntil: 'commit' });
    await page.locator('p.opening').waitFor();
    const t0 = Date.now();
    await sampleShown(page);
    const waited = Date.now() - t0;
    assert(waited > 3_000, `the sample came after ${waited} ms, before the 5 s the app gives storage`);
    assert(await page.locator('[data-save-status=loading]').count() === 1, 'the save status still says storage is loading');
  });
});

server.close();
finish('e2e startup');
