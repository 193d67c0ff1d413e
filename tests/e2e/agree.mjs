// End-to-end test of agreement in the app (issue 13): two annotators' exports picked in the
// "Agreement…" panel show the figures `newsmark agree` prints for the same files.
// Usage: node tests/e2e/agree.mjs [dist-dir]
// Needs the CLI built (target/debug/newsmark, which `cargo test` builds; or $NEWSMARK_BIN).

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { serve, launch, assert, ROOT } from './lib.mjs';
import { newsmarkBin, agreeCli, checkAgreementPanel } from './agree_lib.mjs';

const DIST = path.resolve(ROOT, process.argv[2] || 'dist');
const BIN = await newsmarkBin('agree.mjs');

const dir = await mkdtemp(path.join(process.env.TMPDIR || tmpdir(), 'newsmark-agree-'));
// Annotator A: the hand-made fixture. Annotator B: one entity dropped, one relabelled, one
// cut short, and a new one; the attribution's cue removed.
const a = JSON.parse(await readFile(path.join(ROOT, 'tests/interop/fixtures/handmade.json'), 'utf8'));
const b = JSON.parse(JSON.stringify(a));
// Offsets are code points: slice an array of them, not the UTF-16 string.
const cps = Array.from(b.document.text);
const slice = (s, e) => cps.slice(s, e).join('');
b.entities = b.entities.filter((e) => e.id !== 'e4');
const e2 = b.entities.find((e) => e.id === 'e2');
e2.label = 'LOC';
const e1 = b.entities.find((e) => e.id === 'e1');
e1.start = 9;
e1.text = slice(9, e1.end);
b.entities.push({ id: 'e9', label: 'DATE', start: 17, end: 26, text: slice(17, 26), origin: 'human', status: 'accepted' });
delete b.attributions[0].cue;
const fa = path.join(dir, 'a.json');
const fb = path.join(dir, 'b.json');
await writeFile(fa, JSON.stringify(a));
await writeFile(fb, JSON.stringify(b));
const cli = agreeCli(BIN, fa, fb);

let failed = 0;
const { server, base } = await serve(DIST, '/');
const context = await launch(path.join(dir, 'profile'));
try {
  const page = context.pages()[0] || (await context.newPage());
  const errors = [];
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(base);
  await page.locator('article p').first().waitFor();
  await page.getByRole('button', { name: 'Agreement…' }).click();
  const rows = await checkAgreementPanel(page, fa, fb, cli);
  assert(cli.entities_exact.f < 1 && cli.attributions_full.f < cli.attributions_found.f, 'the pair disagrees somewhere');
  assert(errors.length === 0, errors.join('\n'));
  console.log(`ok   - the app shows what newsmark agree prints (${rows} entity rows, kappa, attributions)`);
} catch (e) {
  failed = 1;
  console.log(`FAIL - the app shows what newsmark agree prints\n       ${String((e && e.stack) || e)}`);
} finally {
  await context.close();
  server.close();
  await rm(dir, { recursive: true, force: true });
}
console.log(`e2e agree: ${1 - failed} passed, ${failed} failed`);
process.exit(failed);
