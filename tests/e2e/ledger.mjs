// End-to-end test of the source ledger (issue 16) against the release `dist/`: import 50
// articles, open the ledger, filter to anonymous sources, click through to a quote in
// its article, merge two sources, reload (the merge persists), export CSV and JSON
// (checked, and equal to `newsmark ledger` over the same articles with the same edits),
// axe-core finds no serious or critical violation in the ledger view, and the project
// bundle brings the merge to a fresh profile.
// Usage: node tests/e2e/ledger.mjs [dist-dir]

import { readFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { ROOT, serve, launch, makeRunner, assert, seriousA11yViolations } from './lib.mjs';
import { articles, importJsonl, openLedger } from './ledger_lib.mjs';

const DIST = path.resolve(ROOT, process.argv[2] || 'dist');
const { check, finish } = makeRunner();

async function download(page, button) {
  const [d] = await Promise.all([page.waitForEvent('download'), page.locator(button).click()]);
  return readFile(await d.path(), 'utf8');
}

const rowsOf = (page) => page.evaluate(() => [...document.querySelectorAll('.ledger-table tbody tr')].map((tr) => ({
  key: tr.getAttribute('data-key'),
  type: tr.getAttribute('data-type'),
  name: tr.querySelector('.ledger-source').textContent,
  quotes: Number(tr.querySelectorAll('td.n')[0].textContent),
})));

/** CSV lines into cells (RFC 4180 quoting). */
function parseCsv(text) {
  const rows = [];
  let row = [], cell = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') quoted = false; else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; }
    else if (c === '\n') { row.push(cell.replace(/\r$/, '')); rows.push(row); row = []; cell = ''; }
    else cell += c;
  }
  return rows;
}

/** Installed before the page's scripts: wraps `Worker` so a test can hold the ledger's
 *  requests (to see "Computing the ledger…") and release them unreadable, which panics
 *  inside the worker (the isolated path any worker panic takes). */
const LEDGER_TAP = `(() => {
  const Real = window.Worker;
  window.__heldLedger = [];
  window.__holdLedger = false;
  window.Worker = class extends Real {
    postMessage(message, ...rest) {
      if (window.__holdLedger && Array.isArray(message) && typeof message[0] === 'string' && message[0].startsWith('{"Ledger"')) {
        window.__heldLedger.push({ worker: this, message });
        return undefined;
      }
      return super.postMessage(message, ...rest);
    }
  };
  window.__releaseLedgerBroken = () => {
    window.__holdLedger = false;
    for (const h of window.__heldLedger.splice(0)) {
      const request = JSON.parse(h.message[0]);
      request.Ledger.options = 42;
      Real.prototype.postMessage.call(h.worker, [JSON.stringify(request)]);
    }
  };
})();`;

const { server, base } = await serve(DIST);
const profile = await mkdtemp(path.join(process.env.TMPDIR || tmpdir(), 'newsmark-ledger-'));
const work = await mkdtemp(path.join(process.env.TMPDIR || tmpdir(), 'newsmark-ledger-files-'));
let context = await launch(profile);
await context.addInitScript(LEDGER_TAP);
const consoleErrors = [];
const watch = (page) => {
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(`page error: ${e.message}`));
  page.on('dialog', (d) => d.accept());
};
let page = context.pages()[0] || (await context.newPage());
watch(page);
const stories = articles(50);
let merged = null;
let csv = null;
let json = null;
let md = null;
let report = null;
let bundle = null;

try {
  await check('import 50 articles (the sample deleted, so the project is exactly them)', async () => {
    await page.goto(base);
    await page.locator('article p').first().waitFor();
    await page.locator('[data-save-status=saved]').waitFor();
    await importJsonl(page, 'stories.jsonl', stories);
    await page.locator('.doc[data-doc-id="story-50"]').waitFor();
    await page.locator('.project-progress').waitFor({ state: 'detached' });
    const others = await page.locator('.doc:not([data-doc-id^="story-"])').evaluateAll((els) => els.map((e) => e.getAttribute('data-doc-id')));
    for (const id of others) {
      await page.locator(`.doc[data-doc-id="${id}"] .doc-delete`).click();
      await page.locator(`.doc[data-doc-id="${id}"]`).waitFor({ state: 'detached' });
    }
    assert(await page.locator('.doc').count() === 50, 'exactly the 50 stories are listed');
    await page.locator('[data-save-status=saved]').waitFor();
  });

  await check('open the ledger; filter to anonymous sources', async () => {
    await openLedger(page);
    const all = await rowsOf(page);
    assert(all.some((r) => r.type === 'person') && all.some((r) => r.type === 'anonymous'), `people and anonymous sources: ${JSON.stringify(all.slice(0, 8))}`);
    assert(await page.locator('#chart-top-sources svg .chart-row').count() > 0, 'the top sources chart has bars');
    await page.locator('.ledger-type').selectOption('anonymous');
    await page.waitForFunction(() => [...document.querySelectorAll('.ledger-table tbody tr')].every((tr) => tr.getAttribute('data-type') === 'anonymous'));
    const anon = await rowsOf(page);
    assert(anon.length > 0 && anon.length < all.length, `filtered to ${anon.length} of ${all.length}`);
  });

  await check('click a source, then one of its quotes: the article opens on that attribution', async () => {
    await page.locator('.ledger-table tbody tr .ledger-source').first().click();
    const quote = page.locator('.ledger-quote').first();
    await quote.waitFor();
    const doc = await quote.getAttribute('data-document');
    const attribution = await quote.getAttribute('data-attribution');
    await quote.locator('.ledger-jump').click();
    await page.locator(`article[data-document="${doc}"]`).waitFor();
    await page.waitForFunction((a) => document.activeElement && document.activeElement.getAttribute('data-frame') === a, attribution);
    assert(await page.locator('section.ledger').count() === 0, 'the ledger gave way to the article');
  });

  await check('merge two sources: one row with both counts', async () => {
    await openLedger(page);
    await page.locator('.ledger-type').selectOption('person');
    await page.waitForFunction(() => [...document.querySelectorAll('.ledger-table tbody tr')].every((tr) => tr.getAttribute('data-type') === 'person'));
    const people = await rowsOf(page);
    assert(people.length >= 2, `two people to merge: ${JSON.stringify(people)}`);
    const [a, b] = people;
    await page.locator(`tr[data-key="${a.key}"] input[type=checkbox]`).check();
    await page.locator(`tr[data-key="${b.key}"] input[type=checkbox]`).check();
    await page.locator('.ledger-merge').click();
    await page.locator(`tr[data-key="${b.key}"]`).waitFor({ state: 'detached' });
    const after = await rowsOf(page);
    const row = after.find((r) => r.key === a.key);
    assert(row && row.quotes === a.quotes + b.quotes, `merged row ${JSON.stringify(row)} = ${a.quotes} + ${b.quotes}`);
    merged = { into: a, from: b };
    await page.locator('[data-save-status=saved]').waitFor();
  });

  await check('reload: the merge persists', async () => {
    assert(merged, 'needs the merge');
    await page.reload();
    await page.locator('article p').first().waitFor();
    await openLedger(page);
    const rows = await rowsOf(page);
    assert(!rows.some((r) => r.key === merged.from.key), 'the merged-away source stays gone');
    const row = rows.find((r) => r.key === merged.into.key);
    assert(row && row.quotes === merged.into.quotes + merged.from.quotes, `after reload: ${JSON.stringify(row)}`);
  });

  await check('export the project bundle: the merge travels in its manifest', async () => {
    assert(merged, 'needs the merge');
    await page.locator('button.ledger-toggle').click();
    const [d] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export project' }).click()]);
    bundle = path.join(work, 'project.zip');
    await d.saveAs(bundle);
    await openLedger(page);
  });

  await check('export CSV and JSON: the merged source, every row well formed', async () => {
    csv = await download(page, '.ledger-csv');
    json = await download(page, '.ledger-json');
    // Markdown and the HTML report are written in the worker like the other two.
    md = await download(page, '.ledger-md');
    report = await download(page, '.ledger-html');
    assert(md.startsWith('# Source ledger') && report.includes('<figure id="top-sources">'), 'Markdown and HTML reports');
    assert(await page.locator('section.ledger[aria-busy=false]').count() === 1, 'nothing left computing');
    const rows = parseCsv(csv);
    assert(rows[0].join(',') === 'key,name,type,roles,affiliations,gender,gender_evidence,attributions,articles,direct,mixed,indirect,documents', `header: ${rows[0]}`);
    assert(rows.slice(1).every((r) => r.length === 13), 'every row has 13 cells');
    const row = rows.find((r) => r[0] === merged.into.key);
    assert(row && Number(row[7]) === merged.into.quotes + merged.from.quotes, `CSV row ${row}`);
    assert(!rows.some((r) => r[0] === merged.from.key), 'no row for the merged-away source');
    const parsed = JSON.parse(json);
    assert(parsed.edits.ops.length === 1 && parsed.edits.ops[0].op === 'merge', `edits exported: ${JSON.stringify(parsed.edits)}`);
    assert(parsed.summary.documents === 50, `50 documents: ${parsed.summary.documents}`);
  });

  await check('newsmark ledger over the same articles and edits equals the app\'s exports', async () => {
    assert(csv && json && md && report, 'needs the exports');
    const input = path.join(work, 'stories.jsonl');
    const edits = path.join(work, 'app-ledger.json');
    await writeFile(input, stories);
    await writeFile(edits, json);
    for (const [format, want] of [['csv', csv], ['json', json], ['md', md], ['html', report]]) {
      const out = path.join(work, `cli.${format}`);
      execFileSync('cargo', ['run', '--locked', '--quiet', '--bin', 'newsmark', '--', 'ledger', '--jsonl', input, '--pending',
        '--edits', edits, '--format', format, '--out', out], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
      const got = await readFile(out, 'utf8');
      assert(got === want, `${format}: CLI and app differ\n--- app ---\n${want.slice(0, 800)}\n--- cli ---\n${got.slice(0, 800)}`);
    }
  });

  await check('axe-core: no serious or critical violations in the ledger view', async () => {
    await page.locator('.ledger-table tbody tr .ledger-source').first().click();
    await page.locator('.ledger-detail').waitFor();
    const bad = await seriousA11yViolations(page);
    assert(bad.length === 0, bad.join('\n'));
  });

  await check('the console had no errors', async () => {
    assert(consoleErrors.length === 0, consoleErrors.join('\n'));
  });

  await check('"Computing the ledger…" while the worker works; a worker that fails: a clear error, nothing lost, "Try again"', async () => {
    const before = await rowsOf(page);
    await page.evaluate(() => { window.__holdLedger = true; });
    await page.locator('.ledger-pending').click();
    await page.locator('section.ledger[aria-busy=true] .ledger-computing').waitFor();
    assert((await rowsOf(page)).length === before.length, 'the last ledger stays on screen while computing');
    await page.evaluate(() => window.__releaseLedgerBroken());
    const problem = await page.locator('section.ledger .ledger-problem[role=alert]').textContent();
    assert(/could not be computed/.test(problem) && /unchanged/.test(problem), `the error says so: ${problem}`);
    await page.locator('.ledger-retry').click();
    const want = await page.locator('.ledger-pending').isChecked();
    await page.locator(`section.ledger[aria-busy=false][data-pending="${want}"]`).waitFor();
    assert(await page.locator('.ledger-problem').count() === 0, 'the error is gone');
    const summary = await page.locator('.ledger-summary').textContent();
    assert(summary.startsWith('50 articles'), `nothing lost: ${summary}`);
  });

  await check('a fresh profile importing the bundle gets the merge back (and once only, imported twice)', async () => {
    assert(bundle && merged, 'needs the bundle');
    await context.close();
    consoleErrors.length = 0; // the previous check broke the worker on purpose
    const fresh = await mkdtemp(path.join(process.env.TMPDIR || tmpdir(), 'newsmark-ledger-b-'));
    context = await launch(fresh);
    page = context.pages()[0] || (await context.newPage());
    watch(page);
    await page.goto(base);
    await page.locator('article p').first().waitFor();
    for (let round = 0; round < 2; round++) {
      const [chooser] = await Promise.all([
        page.waitForEvent('filechooser'),
        page.getByRole('button', { name: 'Import articles…' }).click(),
      ]);
      await chooser.setFiles(bundle);
      await page.locator(round ? '.doc[data-doc-id="story-50-2"]' : '.doc[data-doc-id="story-50"]').waitFor();
      await page.locator('.project-progress').waitFor({ state: 'detached' });
      const notice = await page.locator('.project-notices').textContent();
      assert(round ? !/source-ledger correction/.test(notice) : /1 source-ledger correction was imported/.test(notice), `round ${round}: ${notice}`);
    }
    await page.locator('[data-save-status=saved]').waitFor();
    await page.reload();
    await page.locator('article p').first().waitFor();
    await openLedger(page);
    const rows = await rowsOf(page);
    assert(!rows.some((r) => r.key === merged.from.key), 'the merged-away source stays gone after import');
    assert(rows.some((r) => r.key === merged.into.key), 'the merged source is there');
    await rm(fresh, { recursive: true, force: true });
    assert(consoleErrors.length === 0, consoleErrors.join('\n'));
  });
} finally {
  await context.close();
  server.close();
  await rm(profile, { recursive: true, force: true });
  await rm(work, { recursive: true, force: true });
}
finish('e2e ledger');
