// End-to-end tests for "nothing lost" and offline use (issues 4 and 6), against the release
// `dist/` served on 127.0.0.1 under a sub-path (/app/sub/, so relative URLs are checked
// too) and the single-file build opened from a file:// URL.
// Usage: node tests/e2e/offline.mjs [dist-dir] [single-file.html]
//
// (a) an edit and its undo history survive a reload;
// (b) after one visit the app reloads and works with the network off (service worker);
// (c) the single-file build opened from file:// shows the sample and its highlights, and
//     pre-annotates a new article (its worker inlined once, started from a blob: URL) and
//     exports it as JSON (written by that worker);
// (d) a 50-article JSONL import, annotations in two documents, reload, project bundle
//     export, re-import into a fresh profile: identical annotations.

import { readFile, mkdtemp, rm, writeFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { execFileSync } from 'node:child_process';
import { serve, watchCsp, makeRunner, exportJson } from './lib.mjs';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DIST = path.resolve(ROOT, process.argv[2] || 'dist');
const SINGLE = path.resolve(ROOT, process.argv[3] || 'dist-single/newsmark.html');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const TIMEOUT_MS = 60_000;
const SUB = '/app/sub/';

const { check, finish } = makeRunner();
function assert(cond, message) {
  if (!cond) throw new Error(message);
}

/** A fresh persistent profile (its own IndexedDB and service workers). */
async function browser() {
  const dir = await mkdtemp(path.join(process.env.TMPDIR || tmpdir(), 'newsmark-e2e-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    headless: true,
    acceptDownloads: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--allow-file-access-from-files',
    ],
  });
  context.setDefaultTimeout(TIMEOUT_MS);
  await watchCsp(context);
  const errors = [];
  const page = context.pages()[0] || (await context.newPage());
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  return {
    context, page, errors,
    async close() {
      await context.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The editor UI every check relies on: focusable highlights (Delete removes one) and Undo.
 *  Missing, it is a failure (never a skip). */
async function assertCanEdit(page) {
  await page.locator('article mark[tabindex]').first().waitFor();
  assert(await page.getByRole('button', { name: /^Undo/ }).count() > 0, 'the Undo button is there');
}

/** Waits until everything is stored (the status line says so). */
async function saved(page) {
  await page.locator('[data-save-status=saved]').waitFor();
}

/** A JSONL project of `n` short articles written here (never shared corpora). */
function jsonl(n) {
  const people = ['Maria Lopez', 'John Carter', 'Aiko Tanaka', 'Peter Novak', 'Fatima Hassan'];
  const places = ['Lisbon', 'Denver', 'Osaka', 'Prague', 'Cairo'];
  const lines = [];
  for (let i = 0; i < n; i++) {
    const who = people[i % people.length];
    const where = places[(i * 3) % places.length];
    const text = `${who} visited ${where} on Monday.\n\n"We will build the new bridge by spring," ${who.split(' ')[1]} said. ` +
      `The city council in ${where} approved budget number ${i + 1}.`;
    lines.push(JSON.stringify({ id: `story-${String(i + 1).padStart(2, '0')}`, title: `Story ${i + 1}: ${where}`, text }));
  }
  return lines.join('\n') + '\n';
}

// Compares the story documents of two bundles (annotations files are deterministic).
const COMPARE = `
import json, sys, zipfile
def docs(p):
    z = zipfile.ZipFile(p)
    m = json.loads(z.read("manifest.json"))
    return {d["id"]: json.loads(z.read(d["file"])) for d in m["documents"] if d["id"].startswith("story-")}
a, b = docs(sys.argv[1]), docs(sys.argv[2])
bad = [k for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k)]
print("same %d" % len(a) if not bad and len(a) == len(b) else "differ: " + ", ".join(bad[:5]))
`;

const { server, base } = await serve(DIST, SUB);
try {
  await check('(a) an edit and its undo history survive a reload', async () => {
    const b = await browser();
    try {
      const { page } = b;
      await page.goto(base);
      await page.locator('article p').first().waitFor();
      await saved(page);
      await assertCanEdit(page);
      const marks0 = await page.locator('article mark').count();
      // An edit: delete the first highlight with the keyboard, as an editor would.
      await page.locator('article mark').first().focus();
      await page.keyboard.press('Delete');
      await page.waitForFunction((n) => document.querySelectorAll('article mark').length !== n, marks0);
      const marks1 = await page.locator('article mark').count();
      await saved(page);
      await page.reload();
      await page.locator('article p').first().waitFor();
      await page.waitForFunction((n) => document.querySelectorAll('article mark').length === n, marks1);
      const undo = page.getByRole('button', { name: /^Undo/ });
      assert(await undo.isEnabled(), 'undo is available after the reload');
      await undo.click();
      await page.waitForFunction((n) => document.querySelectorAll('article mark').length === n, marks0);
      assert(b.errors.length === 0, b.errors.join('\n'));
    } finally {
      await b.close();
    }
  });

  await check('(b) after one visit the app loads and works offline', async () => {
    const b = await browser();
    try {
      const { page, context } = b;
      await page.goto(base);
      await page.locator('article p').first().waitFor();
      await page.evaluate(async () => {
        await navigator.serviceWorker.ready;
        if (!navigator.serviceWorker.controller) {
          await new Promise((r) => navigator.serviceWorker.addEventListener('controllerchange', r, { once: true }));
        }
      });
      await context.setOffline(true);
      await page.reload();
      await page.locator('article p').first().waitFor();
      assert(await page.locator('article mark').count() > 0, 'highlights shown offline');
      // It works: the worker (from the cache) still extracts an imported article.
      await importJsonl(page, 'offline.jsonl', jsonl(2));
      await page.locator('[data-doc-id="story-02"]').waitFor();
      await context.setOffline(false);
      assert(b.errors.length === 0, b.errors.join('\n'));
    } finally {
      await b.close();
    }
  });

  await check('(c) the single-file build works from file://', async () => {
    await stat(SINGLE);
    const b = await browser();
    try {
      const { page } = b;
      await page.goto(pathToFileURL(SINGLE).href);
      await page.locator('article p').first().waitFor();
      const text = await page.locator('article').textContent();
      assert(/Witkoff/.test(text), 'the sample article is shown');
      const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').first().getAttribute('content');
      assert(/object-src 'none'/.test(csp) && /script-src 'wasm-unsafe-eval' 'sha256-/.test(csp) && !/unsafe-eval'|'self'/.test(csp.replace("'wasm-unsafe-eval'", '')),
        `the single file has its own CSP: ${csp.slice(0, 200)}`);
      assert(await page.locator('article mark').count() > 0, 'with its highlights');
      // A new article is pre-annotated by the worker, inlined once and started from blob:.
      await importJsonl(page, 'single.jsonl', jsonl(1));
      await page.locator('article[data-document="story-01"] mark').first().waitFor();
      // "Export JSON" is written by that worker too; the page only downloads the text.
      const exported = await exportJson(page);
      assert(exported.document.id === 'story-01' && exported.entities.length > 0, `Export JSON from the single file: ${exported.document.id}`);
      const errors = b.errors.filter((e) => !/IndexedDB|storage/i.test(e));
      assert(errors.length === 0, errors.join('\n'));
    } finally {
      await b.close();
    }
  });

  await check('(d) 50-article JSONL: annotate two, reload, export bundle, re-import elsewhere: identical', async () => {
    const a = await browser();
    const b = await browser();
    try {
      const page = a.page;
      await page.goto(base);
      await page.locator('article p').first().waitFor();
      await saved(page);
      await importJsonl(page, 'stories.jsonl', jsonl(50));
      await page.locator('.doc[data-doc-id="story-50"]').waitFor();
      await page.locator('.project-progress').waitFor({ state: 'detached' });
      assert(await page.locator('.doc[data-doc-id^="story-"]').count() === 50, '50 stories listed');
      // Annotate in two documents: delete a highlight in each (the editor's Delete key).
      const edited = {};
      await assertCanEdit(page);
      for (const id of ['story-03', 'story-17']) {
        await page.locator(`.doc[data-doc-id="${id}"] .doc-open`).click();
        await page.locator(`article[data-document="${id}"] mark`).first().waitFor();
        const n = await page.locator('article mark').count();
        await page.locator('article mark').first().focus();
        await page.keyboard.press('Delete');
        await page.waitForFunction((n) => document.querySelectorAll('article mark').length < n, n);
        edited[id] = await page.locator('article mark').count();
        await saved(page);
      }
      // Review status is project state (no editor needed): mark one story done.
      await page.getByLabel('Status of Story 5: Osaka').selectOption('done');
      await saved(page);
      await page.reload();
      await page.locator('.doc[data-doc-id="story-50"]').waitFor();
      assert(await page.locator('.doc[data-doc-id="story-05"]').getAttribute('data-status') === 'done',
        'a status set before the reload is kept');
      for (const [id, n] of Object.entries(edited)) {
        assert(await page.locator(`.doc[data-doc-id="${id}"]`).getAttribute('data-status') === 'in-progress',
          `${id} is in progress after the reload`);
        await page.locator(`.doc[data-doc-id="${id}"] .doc-open`).click();
        await page.locator(`article[data-document="${id}"]`).waitFor();
        await page.waitForFunction((n) => document.querySelectorAll('article mark').length === n, n);
      }
      const exportA = await exportProject(page, 'a');
      // A fresh profile: import the bundle, export again, compare every story.
      await b.page.goto(base);
      await b.page.locator('article p').first().waitFor();
      await saved(b.page);
      const [chooser] = await Promise.all([
        b.page.waitForEvent('filechooser'),
        b.page.getByRole('button', { name: 'Import articles…' }).click(),
      ]);
      await chooser.setFiles(exportA);
      await b.page.locator('.doc[data-doc-id="story-50"]').waitFor();
      await b.page.locator('.project-progress').waitFor({ state: 'detached' });
      assert(await b.page.locator('.doc[data-doc-id="story-05"]').getAttribute('data-status') === 'done',
        'the done status travels with the bundle');
      assert(await b.page.locator('.doc[data-doc-id="story-03"]').getAttribute('data-status') === 'in-progress',
        'the review status travels with the bundle');
      const exportB = await exportProject(b.page, 'b');
      const diff = execFileSync('python3', ['-c', COMPARE, exportA, exportB], { encoding: 'utf8' }).trim();
      assert(diff === 'same 50', `bundles differ: ${diff}`);
      assert(a.errors.length === 0 && b.errors.length === 0, [...a.errors, ...b.errors].join('\n'));
    } finally {
      await a.close();
      await b.close();
    }
  });
} finally {
  server.close();
}

/** Clicks "Export project" and returns the downloaded zip's path (copied under TMPDIR). */
async function exportProject(page, tag) {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export project' }).click(),
  ]);
  const out = path.join(process.env.TMPDIR || tmpdir(), `newsmark-e2e-bundle-${tag}-${process.pid}.zip`);
  await download.saveAs(out);
  return out;
}

/** Imports a JSONL text through the project panel's file input. */
async function importJsonl(page, name, content) {
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    page.getByRole('button', { name: 'Import articles…' }).click(),
  ]);
  await chooser.setFiles({ name, mimeType: 'application/x-ndjson', buffer: Buffer.from(content) });
}

export { jsonl, importJsonl };

finish('e2e offline');
