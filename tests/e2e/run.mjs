// End-to-end tests: the release `dist/` served on 127.0.0.1 (a free port picked by the
// OS, so a stale server can never answer), driven by playwright-core in Debian Chromium
// with a fresh profile. Usage: node tests/e2e/run.mjs [dist-dir]
//
// Checks: the article is shown; "Export JSON" downloads a schema-valid file whose
// document.text is the sample; a malformed .json opened with "Open…" shows an error in
// the alert region and keeps the article; no request leaves 127.0.0.1; no console error.

import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve, watchCsp } from './lib.mjs';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');
const Ajv2020 = require('ajv/dist/2020');
const addFormats = require('ajv-formats');

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DIST = path.resolve(ROOT, process.argv[2] || 'dist');
const SAMPLE = path.join(ROOT, 'static/sample/seed-witkoff-moscow.txt');
const SCHEMA = path.join(ROOT, 'schema/newsmark.annotations.v1.json');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const TIMEOUT_MS = 30_000;

// A tiny runner: named checks, a summary line the CI reads, exit status 1 on failure.
const results = [];
async function check(name, fn) {
  try {
    await fn();
    results.push([name, null]);
    console.log(`ok   - ${name}`);
  } catch (e) {
    results.push([name, e]);
    console.log(`FAIL - ${name}\n       ${String(e && e.stack || e).split('\n').join('\n       ')}`);
  }
}
function assert(cond, message) {
  if (!cond) throw new Error(message);
}

const sample = await readFile(SAMPLE, 'utf8');
const { server, base } = await serve(DIST);
const profile = await mkdtemp(path.join(process.env.TMPDIR || tmpdir(), 'newsmark-e2e-'));
let context;
try {
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    acceptDownloads: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
  context.setDefaultTimeout(TIMEOUT_MS);
  await watchCsp(context);

  const foreign = [];
  const consoleErrors = [];
  context.on('request', (r) => {
    const u = new URL(r.url());
    const local = u.hostname === '127.0.0.1' || u.protocol === 'data:' || u.protocol === 'blob:';
    if (!local) foreign.push(r.url());
  });
  const page = context.pages()[0] || (await context.newPage());
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(`page error: ${e.message}`));

  await check('the app opens on the sample article', async () => {
    await page.goto(base);
    await page.locator('article p').first().waitFor();
    const shown = await page.locator('article').textContent();
    for (const line of sample.split('\n').filter((l) => l.trim())) {
      assert(shown.includes(line), `article misses: ${line.slice(0, 60)}…`);
    }
    assert(await page.locator('[role=alert]').count() === 1, 'one alert region');
  });

  await check('"Export JSON" downloads a schema-valid file of the sample', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export JSON' }).click(),
    ]);
    assert(download.suggestedFilename() === 'seed-witkoff-moscow.annotations.json',
      `file name ${download.suggestedFilename()}`);
    const file = JSON.parse(await readFile(await download.path(), 'utf8'));
    assert(file.document.text === sample, 'document.text equals the sample article');
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(await readFile(SCHEMA, 'utf8')));
    assert(validate(file), `schema errors: ${ajv.errorsText(validate.errors)}`);
  });

  await check('a malformed .json shows an error and keeps the article', async () => {
    const before = await page.locator('article').textContent();
    const [chooser] = await Promise.all([
      page.waitForEvent('filechooser'),
      page.getByRole('button', { name: 'Open…' }).click(),
    ]);
    await chooser.setFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"format": ') });
    const alert = page.locator('[role=alert]');
    await alert.getByText('broken.json').waitFor();
    const message = await alert.textContent();
    assert(/not valid JSON/.test(message), `alert says: ${message}`);
    assert(await page.locator('article').textContent() === before, 'article unchanged');
  });

  await check('a .txt file opens as a new article', async () => {
    const [chooser] = await Promise.all([
      page.waitForEvent('filechooser'),
      page.getByRole('button', { name: 'Open…' }).click(),
    ]);
    const text = 'Ann Smith said the plan would work.\r\nSecond paragraph.';
    await chooser.setFiles({ name: 'note.txt', mimeType: 'text/plain', buffer: Buffer.from(text) });
    await page.locator('article[data-document=note]').waitFor();
    assert(await page.locator('article p').count() === 2, 'two paragraphs');
    assert((await page.locator('[role=alert]').textContent()) === '', 'alert cleared on success');
  });

  await check('no request left 127.0.0.1', async () => {
    assert(foreign.length === 0, `requests: ${foreign.join(', ')}`);
  });
  await check('the console had no errors', async () => {
    assert(consoleErrors.length === 0, consoleErrors.join('\n'));
  });
} finally {
  if (context) await context.close();
  server.close();
  await rm(profile, { recursive: true, force: true });
}

const failed = results.filter(([, e]) => e).length;
console.log(`e2e: ${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
