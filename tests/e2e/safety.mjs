// End-to-end tests for "nothing lost, nothing let in" (issue 12, the app's part), against the
// release `dist/` served on 127.0.0.1 in Debian Chromium, each check in a fresh profile.
// Usage: node tests/e2e/safety.mjs [dist-dir]
//
// 1. Export JSON, three edits, "Open…" the older export: it comes in beside the edited
//    document under a new id; the edits are still there (and after a reload).
// 4. A document that crashes the extraction worker: reported by id, the progress bar ends,
//    the rest of the batch is extracted, the article itself is kept.
// 4b. "Export JSON" is written in the worker: while it writes, "Preparing the file…"; a
//    worker that crashes on it gives a clear error with "Try again", which downloads the
//    same file from a fresh worker.
// 5. Picked files are parsed in the worker: while the worker holds the bytes the page
//    answers clicks and nothing is parsed on the page.
// 8. Content-Security-Policy: in dist/index.html with the required directives; inline
//    script, eval and a request to another origin are refused; the app itself causes no
//    violation (every suite fails on one, see lib.mjs CSP_WATCH).
// 9. A new deployment while a tab is open: the tab keeps working on its version and says
//    "a new version is ready" (its install fetches no content-hashed file: page wasm and
//    models come from the previous cache); one click reloads into the new one. Persistent storage is
//    requested and its state shown. Leaving while a save is pending asks first.
// 10. The models are files of their own (dist/models/*.bin): with a broken one, files are
//    still read, each article says "the model could not be loaded: …; suggestions are
//    off" and opens without suggestions; nothing panics.

import { readFile, readdir, mkdtemp, rm, cp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT, serve, launch, makeRunner, assert, exportJson } from './lib.mjs';

const DIST = path.resolve(ROOT, process.argv[2] || 'dist');
const TMP = process.env.TMPDIR || tmpdir();
const { check, finish } = makeRunner();

/** A fresh profile; console errors and page errors collected (CSP violations included). */
async function browser() {
  const dir = await mkdtemp(path.join(TMP, 'newsmark-safety-'));
  const context = await launch(dir);
  const page = context.pages()[0] || (await context.newPage());
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  return {
    context, page, errors,
    async close() {
      await context.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

const saved = (page) => page.locator('[data-save-status=saved]').waitFor();

async function start(page, base) {
  await page.goto(base);
  await page.locator('article p.paragraph').first().waitFor();
  await saved(page);
}

/** Picks files with a button's file chooser. */
async function pick(page, button, files) {
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    page.getByRole('button', { name: button }).click(),
  ]);
  await chooser.setFiles(files);
}

/** `n` short articles as JSONL, ids story-01…; `crash` names one id to give its own text. */
function jsonl(ids) {
  return ids.map((id, i) => JSON.stringify({
    id, title: `Story ${i + 1}`,
    text: `Maria Lopez visited Lisbon on Monday.\n\n"We will build the bridge by spring," Lopez said. Budget ${i + 1}.`,
  })).join('\n') + '\n';
}

/** Installed before the page's scripts: wraps `Worker` so a test can (a) hold requests that
 *  carry file bytes and (b) make the real worker crash on the document with id `crash-me`:
 *  its request is rewritten so the wasm cannot read it, which panics inside the worker
 *  (the same isolated path a pipeline panic takes: panic hook, trap, error event). */
const WORKER_TAP = `(() => {
  const Real = window.Worker;
  window.__held = [];
  window.__holdReads = false;
  window.__workers = 0;
  window.Worker = class extends Real {
    constructor(...args) {
      super(...args);
      window.__workers += 1;
    }
    postMessage(message, ...rest) {
      if (Array.isArray(message) && typeof message[0] === 'string') {
        const request = JSON.parse(message[0]);
        if (request.ExportJson && window.__crashExport) {
          window.__crashExport = false;
          request.ExportJson.set = 42;
          return super.postMessage([JSON.stringify(request)], ...rest);
        }
        if (request.ExportJson && window.__holdExport) {
          window.__held.push({ worker: this, message });
          return undefined;
        }
        if (request.Extract && request.Extract.document.id === 'crash-me') {
          request.Extract.document = 42;
          return super.postMessage([JSON.stringify(request)], ...rest);
        }
        if (message[1] instanceof Uint8Array && window.__holdReads) {
          window.__held.push({ worker: this, message, bytes: message[1].length });
          return undefined;
        }
      }
      return super.postMessage(message, ...rest);
    }
  };
  window.__release = () => {
    window.__holdReads = false;
    for (const h of window.__held.splice(0)) Real.prototype.postMessage.call(h.worker, h.message);
  };
})();`;

const { server, base } = await serve(DIST);
try {
  await check('1. "Open…" on an older export never replaces the edited document', async () => {
    const b = await browser();
    try {
      const { page } = b;
      await start(page, base);
      const id = await page.locator('article').getAttribute('data-document');
      const older = await exportJson(page);
      // Three edits: delete three highlights with the keyboard.
      for (let i = 0; i < 3; i++) {
        const n = await page.locator('article mark').count();
        await page.locator('article mark').first().focus();
        await page.keyboard.press('Delete');
        await page.waitForFunction((n) => document.querySelectorAll('article mark').length < n, n);
      }
      await saved(page);
      const edited = await exportJson(page);
      assert(edited.entities.length < older.entities.length, 'the edits removed entities');
      await pick(page, 'Open…', {
        name: `${id}.annotations.json`, mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(older)),
      });
      // The older file opens beside it, under a new id, and the list says so.
      const copy = `${id}-2`;
      await page.locator(`article[data-document="${copy}"]`).waitFor();
      await page.locator(`.doc[data-doc-id="${copy}"]`).waitFor();
      assert(await page.locator(`.doc[data-doc-id="${id}"]`).count() === 1, 'the edited document is still listed');
      const notice = await page.locator('.project-notices').textContent();
      assert(notice.includes(copy) && /both are kept/.test(notice), `notice: ${notice}`);
      assert((await exportJson(page)).entities.length === older.entities.length, 'the copy holds the older export');
      await saved(page);
      // The edited document still has its three edits, now and after a reload.
      for (const reload of [false, true]) {
        if (reload) {
          await page.reload();
          await page.locator(`.doc[data-doc-id="${copy}"]`).waitFor();
        }
        await page.locator(`.doc[data-doc-id="${id}"] .doc-open`).click();
        await page.locator(`article[data-document="${id}"]`).waitFor();
        const now = await exportJson(page);
        assert(JSON.stringify(now.entities) === JSON.stringify(edited.entities), `the edits are there${reload ? ' after a reload' : ''}`);
      }
      assert(b.errors.length === 0, b.errors.join('\n'));
    } finally {
      await b.close();
    }
  });

  await check('4. a document that crashes the worker is reported; the batch goes on', async () => {
    const b = await browser();
    try {
      const { page, context } = b;
      await context.addInitScript({ content: WORKER_TAP });
      await start(page, base);
      const ids = ['story-01', 'story-02', 'crash-me', 'story-04', 'story-05'];
      await pick(page, 'Import articles…', { name: 'batch.jsonl', mimeType: 'application/x-ndjson', buffer: Buffer.from(jsonl(ids)) });
      await page.locator('.doc[data-doc-id="story-05"]').waitFor();
      // The progress bar ends (it stayed forever before).
      await page.locator('.project-progress').waitFor({ state: 'detached' });
      const problems = await page.locator('.project-problems').textContent();
      assert(/crash-me: pre-annotation failed/.test(problems), `problems: ${problems}`);
      assert(/kept without suggestions/.test(problems), `problems: ${problems}`);
      // Documents before and after the crash were extracted (a fresh worker took over).
      for (const id of ['story-01', 'story-04', 'story-05']) {
        const pending = await page.locator(`.doc[data-doc-id="${id}"] .doc-pending`).getAttribute('data-pending');
        assert(Number(pending) > 0, `${id} has suggestions (${pending})`);
      }
      assert(await page.evaluate(() => window.__workers) === 2, 'the crashed worker was replaced once');
      // The crashed article is kept: it opens, with its text and no suggestions.
      await page.locator('.doc[data-doc-id="crash-me"] .doc-open').click();
      await page.locator('article[data-document="crash-me"] p.paragraph').first().waitFor();
      assert(/Maria Lopez visited Lisbon/.test(await page.locator('article').textContent()), 'its text is shown');
      assert(await page.locator('article mark').count() === 0, 'without suggestions');
      // The fresh worker keeps working.
      await pick(page, 'Import articles…', { name: 'more.jsonl', mimeType: 'application/x-ndjson', buffer: Buffer.from(jsonl(['later'])) });
      await page.locator('.doc[data-doc-id="later"] .doc-pending[data-pending]:not([data-pending="0"])').waitFor();
      const unexpected = b.errors.filter((e) => !/newsmark worker: |unreadable request/.test(e));
      assert(unexpected.length === 0, unexpected.join('\n'));
    } finally {
      await b.close();
    }
  });

  await check('4b. Export JSON is written in the worker; a crash there says so, and "Try again" saves it', async () => {
    const b = await browser();
    try {
      const { page, context } = b;
      await context.addInitScript({ content: WORKER_TAP });
      await start(page, base);
      const first = await exportJson(page);
      assert(first.entities.length > 0 && first.format, 'the first export is a newsmark file');
      // While the worker holds the request, the toolbar says the file is being prepared.
      await page.evaluate(() => { window.__holdExport = true; });
      const held = page.waitForEvent('download');
      await page.getByRole('button', { name: 'Export JSON' }).click();
      await page.locator('.export-status', { hasText: 'Preparing the file…' }).waitFor();
      await page.evaluate(() => { window.__holdExport = false; window.__release(); });
      const again = JSON.parse(await readFile(await (await held).path(), 'utf8'));
      assert(JSON.stringify(again) === JSON.stringify(first), 'the held export is the same file');
      await page.locator('.export-status').waitFor({ state: 'detached' });
      // The worker crashes on the next export: a clear error and "Try again".
      await page.evaluate(() => { window.__crashExport = true; });
      await page.getByRole('button', { name: 'Export JSON' }).click();
      const problem = page.locator('.export-problem');
      await problem.waitFor();
      const text = await problem.textContent();
      assert(/could not write .*\.annotations\.json/.test(text) && /unchanged/.test(text), `problem: ${text}`);
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Try again' }).click(),
      ]);
      const retried = JSON.parse(await readFile(await download.path(), 'utf8'));
      assert(JSON.stringify(retried) === JSON.stringify(first), 'Try again saves the same file');
      await problem.waitFor({ state: 'detached' });
      assert(await page.evaluate(() => window.__workers) === 2, 'the crashed worker was replaced once');
      const unexpected = b.errors.filter((e) => !/newsmark worker: |unreadable request/.test(e));
      assert(unexpected.length === 0, unexpected.join('\n'));
    } finally {
      await b.close();
    }
  });

  await check('5. picked files are parsed in the worker, the page stays responsive', async () => {
    const b = await browser();
    try {
      const { page, context } = b;
      await context.addInitScript({ content: WORKER_TAP });
      await start(page, base);
      const html = '<html><head><title>Held page</title></head><body>' +
        '<p>Ann Smith said the plan would work.</p>'.repeat(2000) + '</body></html>';
      await page.evaluate(() => { window.__holdReads = true; });
      await pick(page, 'Import articles…', { name: 'held.html', mimeType: 'text/html', buffer: Buffer.from(html) });
      await page.locator('.project-reading').waitFor();
      const held = await page.evaluate(() => window.__held.map((h) => h.bytes));
      assert(held.length === 1 && held[0] === Buffer.byteLength(html), `the file's bytes went to the worker: ${held}`);
      // The page answers while the worker has the file, and nothing was parsed here.
      await page.getByRole('button', { name: 'Shortcuts (?)' }).click();
      await page.locator('[role=dialog]').waitFor();
      await page.keyboard.press('Escape');
      assert(await page.locator('.doc[data-doc-id="held"]').count() === 0, 'not imported before the worker answered');
      await page.evaluate(() => window.__release());
      await page.locator('.doc[data-doc-id="held"]').waitFor();
      await page.locator('.project-reading').waitFor({ state: 'detached' });
      assert(b.errors.length === 0, b.errors.join('\n'));
    } finally {
      await b.close();
    }
  });

  await check('8. a Content-Security-Policy that refuses inline script, eval and other origins', async () => {
    const index = await readFile(path.join(DIST, 'index.html'), 'utf8');
    const meta = index.match(/<meta http-equiv="Content-Security-Policy" content="([^"]+)"/);
    assert(meta, 'dist/index.html has a CSP meta tag');
    const policy = Object.fromEntries(meta[1].split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
    assert(policy['object-src']?.join(' ') === "'none'", 'object-src none');
    assert(policy['base-uri']?.join(' ') === "'none'", 'base-uri none');
    assert(policy['default-src']?.join(' ') === "'none'", 'default-src none');
    const script = policy['script-src'] || [];
    assert(!script.includes("'unsafe-eval'") && !script.includes("'unsafe-inline'"), `script-src: ${script}`);
    assert(script.some((s) => s.startsWith("'sha256-")), 'inline scripts allowed by hash only');
    assert(!index.includes('__NEWSMARK_SCRIPT_HASHES__'), 'no marker left');
    // Another origin: a second local server on another port.
    const other = await serve(DIST);
    const b = await browser();
    try {
      const { page } = b;
      await start(page, base);
      assert(b.errors.length === 0, `the app itself caused no violation or error: ${b.errors.join('\n')}`);
      const result = await page.evaluate(async (otherBase) => {
        const seen = [];
        document.addEventListener('securitypolicyviolation', (e) => seen.push(e.effectiveDirective));
        const s = document.createElement('script');
        s.textContent = 'window.__injected = true;';
        document.head.appendChild(s);
        // From a timer, i.e. page code (the debugger's own evaluation is exempt from CSP).
        const evaluated = await new Promise((resolve) => setTimeout(() => {
          try { resolve(String(window.eval('1 + 1'))); } catch { resolve('blocked'); }
        }, 0));
        let fetched = 'blocked';
        try { fetched = String((await fetch(otherBase + 'index.html')).status); } catch { /* refused */ }
        await new Promise((r) => setTimeout(r, 0));
        return { injected: window.__injected === true, evaluated, fetched, seen };
      }, other.base);
      assert(!result.injected, 'an injected inline script does not run');
      assert(result.evaluated === 'blocked', `eval is refused (${result.evaluated})`);
      assert(result.fetched === 'blocked', `a request to another origin is refused (${result.fetched})`);
      for (const d of ['script-src-elem', 'script-src', 'connect-src']) {
        assert(result.seen.includes(d), `a ${d} violation was reported (${result.seen})`);
      }
    } finally {
      await b.close();
      other.server.close();
    }
  });

  await check('9. a new deployment: the open tab keeps working, says so, one click updates', async () => {
    // A copy of dist/ that the test "deploys" over.
    const dir = await mkdtemp(path.join(TMP, 'newsmark-deploy-'));
    await cp(DIST, dir, { recursive: true });
    const site = await serve(dir, '/app/');
    const b = await browser();
    try {
      const { page } = b;
      await start(page, site.base);
      await page.evaluate(async () => {
        await navigator.serviceWorker.ready;
        if (!navigator.serviceWorker.controller) {
          await new Promise((r) => navigator.serviceWorker.addEventListener('controllerchange', r, { once: true }));
        }
      });
      // Deploy: a new service worker and a page that says which build it is.
      const sw = await readFile(path.join(dir, 'sw.js'), 'utf8');
      const build = sw.match(/const BUILD = "([^"]+)"/)[1];
      await writeFile(path.join(dir, 'sw.js'), sw.replace(`const BUILD = "${build}"`, `const BUILD = "${build}-next"`));
      const index = await readFile(path.join(dir, 'index.html'), 'utf8');
      await writeFile(path.join(dir, 'index.html'), index.replace('<title>', '<meta name="newsmark-test-build" content="next" /><title>'));
      // What the browser does on its own for another tab's navigation. The server notes
      // what the new version's install asks for.
      const asked = [];
      site.server.on('request', (req) => asked.push(req.url));
      await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).update());
      await page.locator('[data-update=ready]').waitFor();
      // Content-hashed files (the page's wasm, JS and CSS, the models) come from the
      // previous cache: an update downloads what changed, never the models again.
      const hashed = asked.filter((u) => /-[0-9a-f]{16}(_bg)?\.(js|wasm|css|bin)$/.test(u.split('?')[0]));
      assert(asked.some((u) => u.endsWith('/sw.js')) && hashed.length === 0, `the update fetched: ${asked.join(', ')}`);
      const state = await page.evaluate(async () => {
        const r = await navigator.serviceWorker.getRegistration();
        return { waiting: !!r.waiting, keys: await caches.keys() };
      });
      assert(state.waiting, 'the new version waits instead of taking over the open tab');
      assert(state.keys.some((k) => k.endsWith(`${build}-next`)) && state.keys.some((k) => k.endsWith(build)), `both caches: ${state.keys}`);
      // The open tab still works: an import is read and extracted by its worker.
      await pick(page, 'Import articles…', { name: 'during.jsonl', mimeType: 'application/x-ndjson', buffer: Buffer.from(jsonl(['during-update'])) });
      await page.locator('.doc[data-doc-id="during-update"] .doc-pending:not([data-pending="0"])').waitFor();
      assert(await page.locator('meta[name=newsmark-test-build]').count() === 0, 'still the old page');
      await saved(page);
      // One click: the new version takes over and the page reloads into it.
      await Promise.all([
        page.waitForEvent('framenavigated'),
        page.getByRole('button', { name: 'Reload to update' }).click(),
      ]);
      await page.locator('meta[name=newsmark-test-build]').waitFor({ state: 'attached' });
      await page.locator('article p.paragraph').first().waitFor();
      assert(await page.locator('[data-update=ready]').count() === 0, 'no banner after the update');
      await page.locator('.doc[data-doc-id="during-update"]').waitFor(); // the project is intact
      assert(b.errors.length === 0, b.errors.join('\n'));
    } finally {
      await b.close();
      site.server.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  await check('9. persistent storage is requested and its state shown', async () => {
    const b = await browser();
    try {
      const { page } = b;
      await start(page, base);
      const shown = page.locator('.storage-persist:not([data-persist=asking])');
      await shown.waitFor();
      const key = await shown.getAttribute('data-persist');
      const actual = await page.evaluate(() => navigator.storage.persisted());
      assert(key === (actual ? 'granted' : 'denied'), `shown ${key}, browser says persisted=${actual}`);
      assert((await shown.textContent()).startsWith(actual ? 'Storage is persistent' : 'Storage is not persistent'), 'in words');
      assert(b.errors.length === 0, b.errors.join('\n'));
    } finally {
      await b.close();
    }
  });

  await check('9. leaving while a save is pending asks first', async () => {
    const b = await browser();
    try {
      const { page } = b;
      await start(page, base);
      // Hold the database: a read-write transaction on every store, kept alive until
      // released, so the app's next save waits behind it (as on a slow disk).
      await page.evaluate(() => new Promise((resolve, reject) => {
        // PouchDB's IndexedDB adapter keeps the database `newsmark` as `_pouch_newsmark`.
        const open = indexedDB.open('_pouch_newsmark');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction(open.result.objectStoreNames, 'readwrite');
          const store = tx.objectStore(open.result.objectStoreNames[0]);
          window.__dbHeld = true;
          const spin = () => { if (window.__dbHeld) store.count().onsuccess = spin; };
          spin();
          resolve();
        };
      }));
      await page.locator('article mark').first().focus();
      await page.keyboard.press('Delete');
      await page.locator('[data-save-status=saving]').waitFor();
      // Either the browser asks, or the page closes without asking (a failure, not a hang).
      const asked = new Promise((resolve) => {
        page.once('dialog', async (d) => {
          resolve(d.type());
          await d.dismiss();
        });
        page.once('close', () => resolve('closed without asking'));
      });
      await page.close({ runBeforeUnload: true });
      assert(await asked === 'beforeunload', 'the browser asked before leaving');
      assert(!page.isClosed(), 'the page stayed when the user chose to');
      // Once the save is through, leaving needs no question.
      await page.evaluate(() => { window.__dbHeld = false; });
      await saved(page);
      let askedAgain = null;
      page.once('dialog', async (d) => { askedAgain = d.type(); await d.accept(); });
      const closed = new Promise((r) => page.once('close', r));
      await page.close({ runBeforeUnload: true });
      await closed;
      assert(askedAgain === null, `no question once saved (${askedAgain})`);
    } finally {
      await b.close();
    }
  });

  await check('10. models that do not load: a clear message, files still read, suggestions off', async () => {
    // A copy of dist/ whose tagger model is garbage (the worker fetches models/*.bin).
    const broken = await mkdtemp(path.join(TMP, 'newsmark-broken-model-'));
    const b = await browser();
    const site = await (async () => {
      await cp(DIST, broken, { recursive: true });
      const models = await readdir(path.join(broken, 'models'));
      const tagger = models.find((f) => /^tagger-[0-9a-f]{16}\.bin$/.test(f));
      assert(tagger, `dist/models holds the tagger as its own file: ${models}`);
      await writeFile(path.join(broken, 'models', tagger), 'not a model');
      return serve(broken);
    })();
    try {
      const { page } = b;
      await start(page, site.base);
      await pick(page, 'Import articles…', { name: 'one.jsonl', mimeType: 'application/x-ndjson', buffer: Buffer.from(jsonl(['no-model'])) });
      await page.locator('.doc[data-doc-id="no-model"]').waitFor();
      await page.locator('.project-progress').waitFor({ state: 'detached' });
      const problems = await page.locator('.project-problems').textContent();
      assert(/the model could not be loaded: models\/tagger\.bin: .*; suggestions are off/.test(problems), `problems: ${problems}`);
      await page.locator('.doc[data-doc-id="no-model"] .doc-open').click();
      await page.locator('article[data-document="no-model"] p.paragraph').first().waitFor();
      assert(await page.locator('article mark').count() === 0, 'the article opens without suggestions');
      assert(b.errors.length === 0, b.errors.join('\n'));
    } finally {
      await b.close();
      site.server.close();
      await rm(broken, { recursive: true, force: true });
    }
  });
} finally {
  server.close();
}

finish('e2e safety');
