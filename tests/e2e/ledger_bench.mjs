// Bench (not a test: prints figures, asserts nothing about speed): the source ledger of a
// 2,000-article project in the app, against the release `dist/`. Imports the articles
// (extraction in the worker), opens the ledger and reports, from the view's own clocks,
// the time to read every document from storage and the time to build the ledger
// (`core::ledger::build` in the app's worker, pending suggestions counted), plus the wall time from ticking
// "Include pending suggestions" to the rebuilt table on screen.
// Usage: node tests/e2e/ledger_bench.mjs [dist-dir] [articles]

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT, serve, launch } from './lib.mjs';
import { articles, importJsonl } from './ledger_lib.mjs';

const DIST = path.resolve(ROOT, process.argv[2] || 'dist');
const N = Number(process.argv[3] || 2000);

const { server, base } = await serve(DIST);
const profile = await mkdtemp(path.join(process.env.TMPDIR || tmpdir(), 'newsmark-ledger-bench-'));
const context = await launch(profile);
context.setDefaultTimeout(600_000);
try {
  const page = context.pages()[0] || (await context.newPage());
  await page.goto(base);
  await page.locator('article p').first().waitFor();
  await page.locator('[data-save-status=saved]').waitFor();
  let t0 = Date.now();
  await importJsonl(page, 'bench.jsonl', articles(N));
  await page.locator(`.doc[data-doc-id="story-${String(N).padStart(2, '0')}"]`).waitFor();
  await page.locator('.project-progress').waitFor({ state: 'detached' });
  console.log(`import + extraction of ${N} articles: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  await page.locator('button.ledger-toggle').click();
  await page.locator('section.ledger[data-build-ms]').waitFor();
  const figures = () => page.locator('section.ledger').evaluate((s) => ({
    load: Number(s.getAttribute('data-load-ms')), build: Number(s.getAttribute('data-build-ms')), sources: Number(s.getAttribute('data-sources')),
  }));
  const first = await figures();
  console.log(`read ${N} documents from storage: ${first.load.toFixed(0)} ms; build (accepted only): ${first.build.toFixed(1)} ms`);
  for (let i = 0; i < 3; i++) {
    t0 = Date.now();
    await page.locator('.ledger-pending').click();
    const want = i % 2 === 0;
    // The worker's answer for this setting is on screen (the last ledger stays shown, busy,
    // while it computes).
    await page.locator(`section.ledger[data-pending="${want}"][aria-busy="false"]`).waitFor();
    const wall = Date.now() - t0;
    const f = await figures();
    console.log(`build with pending=${want}: ${f.build.toFixed(1)} ms (${f.sources} sources); tick → table on screen: ${wall} ms`);
  }
} finally {
  await context.close();
  server.close();
  await rm(profile, { recursive: true, force: true });
}
