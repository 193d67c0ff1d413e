// Takes docs/screenshot.png: the editor on the sample article, an attribution focused
// (its roles lit up, the inspector showing "She → …"-style sources).
// Usage: node tests/e2e/screenshot.mjs [dist-dir]

import { mkdtemp, rm, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT, serve, launch } from './lib.mjs';

const DIST = path.resolve(ROOT, process.argv[2] || 'dist');
const { server, base } = await serve(DIST);
const profile = await mkdtemp(path.join(process.env.TMPDIR || tmpdir(), 'newsmark-shot-'));
const context = await launch(profile, { width: 1400, height: 900 });
try {
  const page = context.pages()[0] || (await context.newPage());
  await page.goto(base);
  await page.locator('article p.paragraph').first().waitFor();
  // Review one suggestion, then move on to an attribution so its frame is lit.
  await page.keyboard.press('j');
  await page.keyboard.press('Enter');
  for (let i = 0; i < 200; i++) {
    await page.keyboard.press('j');
    const id = await page.evaluate(() => document.activeElement?.getAttribute('data-frame'));
    if (id) break;
  }
  await page.evaluate(() => window.scrollTo(0, 0));
  await mkdir(path.join(ROOT, 'docs'), { recursive: true });
  await page.screenshot({ path: path.join(ROOT, 'docs/screenshot.png') });
  console.log('wrote docs/screenshot.png');
} finally {
  await context.close();
  server.close();
  await rm(profile, { recursive: true, force: true });
}
