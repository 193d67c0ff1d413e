// End-to-end test of adjudication (issue 13, item 4) on the release build: two annotators'
// exports of one article (made here with the CLI from our own fixture text) are picked in
// the "Agreement…" panel, which must show what `newsmark agree` prints; the Adjudicate view
// is walked with its keys (J / K, A, B, undo, E on a selection, N, H), the curated version
// is saved into the project, exported, and the export checked: origin curated, the
// annotators named, the chosen items present and the refused ones absent, and score.py
// reads it.
// Usage: node tests/e2e/adjudicate.mjs [dist-dir]
// Needs the CLI built (target/debug/newsmark, or $NEWSMARK_BIN) and ../shared/eval/score.py.

import { access, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { serve, launch, assert, makeRunner, exportJson, selectText, seriousA11yViolations, ROOT } from './lib.mjs';
import { newsmarkBin, agreeCli, checkAgreementPanel } from './agree_lib.mjs';

const DIST = path.resolve(ROOT, process.argv[2] || 'dist');
const BIN = await newsmarkBin('adjudicate.mjs');
const SCORE = path.resolve(ROOT, '../shared/eval/score.py');
await access(SCORE).catch(() => {
  console.error(`adjudicate.mjs: ${SCORE} is missing: the shared evaluation folder must sit beside the repository`);
  process.exit(1);
});

const dir = await mkdtemp(path.join(process.env.TMPDIR || tmpdir(), 'newsmark-adjudicate-'));
execFileSync(BIN, ['extract', path.join(ROOT, 'tests/fixtures/adjudicate/harbour.txt'), '--out', dir], { encoding: 'utf8' });

// Annotator A: the pipeline's output, reviewed (everything accepted).
const a = JSON.parse(await readFile(path.join(dir, 'harbour.json'), 'utf8'));
for (const item of [...a.entities, ...a.attributions]) Object.assign(item, { origin: 'human', status: 'accepted' });
assert(a.entities.length >= 4 && a.attributions.length >= 1, `the fixture gives too little to disagree on: ${a.entities.length} entities`);
// Annotator B disagrees five times: X dropped (only in A), Y relabelled (other label), W cut
// to its last word (other boundary), Z added (only in B), the first attribution's cue
// removed (other cue), or its kind changed when it has no cue (other kind).
const cps = Array.from(a.document.text);
const slice = (s, e) => cps.slice(s, e).join('');
// Only entities no source links: dropping or reshaping those changes no attribution.
const free = a.entities.filter((e) => !a.attributions.some((x) => x.source && x.source.entity === e.id));
const [X, Y] = free;
const W = free.slice(2).find((e) => e.text.includes(' '));
assert(Y && W, `too few unlinked entities to disagree on: ${free.map((e) => e.text).join(', ')}`);
const covered = (s, e) => a.entities.some((x) => x.start < e && s < x.end);
const word = Array.from(a.document.text.matchAll(/[a-z]{6,}/g))
  .map((m) => [Array.from(a.document.text.slice(0, m.index)).length, m[0]])
  .find(([s, w]) => !covered(s, s + w.length));
assert(word, 'no free word for an entity only B has');
const Z = { id: 'e900', label: 'NORP', start: word[0], end: word[0] + word[1].length, text: word[1], origin: 'human', status: 'accepted' };
const b = JSON.parse(JSON.stringify(a));
b.entities = b.entities.filter((e) => e.id !== X.id);
const yLabel = Y.label === 'PERSON' ? 'ORG' : 'PERSON';
b.entities.find((e) => e.id === Y.id).label = yLabel;
const w = b.entities.find((e) => e.id === W.id);
w.start = W.start + W.text.lastIndexOf(' ') + 1;
w.text = slice(w.start, w.end);
b.entities.push(Z);
const att = a.attributions[0];
const bAtt = b.attributions[0];
const attClass = att.cue ? 'other cue' : 'other kind';
if (att.cue) delete bAtt.cue;
else bAtt.kind = att.kind === 'direct' ? 'indirect' : 'direct';

const fa = path.join(dir, 'a.json');
const fb = path.join(dir, 'b.json');
await writeFile(fa, JSON.stringify(a));
await writeFile(fb, JSON.stringify(b));
const cli = agreeCli(BIN, fa, fb);

const { server, base } = await serve(DIST, '/');
const context = await launch(path.join(dir, 'profile'));
const page = context.pages()[0] || (await context.newPage());
const errors = [];
page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
const t = makeRunner();
const settled = (n) => page.locator(`.adj-progress[data-settled="${n}"]`).waitFor();
const position = async () => Number(await page.locator('.adj-position').getAttribute('data-index'));
let curated;

await t.check('the Agreement panel shows what newsmark agree prints for the two exports', async () => {
  await page.goto(base);
  await page.locator('article p').first().waitFor();
  await page.getByRole('button', { name: 'Agreement…' }).click();
  const rows = await checkAgreementPanel(page, fa, fb, cli);
  assert(rows >= 2 && cli.entities_exact.f < 1, `the pair should disagree (${rows} rows)`);
});

await t.check('Adjudicate opens on the five disagreements, J / K move, ? lists the keys', async () => {
  await page.locator(`button[data-doc="${a.document.id}"]`).click();
  await page.locator('section.adjudicate').waitFor();
  assert((await page.locator('.adj-progress').textContent()).startsWith('0 of 5 settled'), await page.locator('.adj-progress').textContent());
  assert((await page.locator('.adj-article').textContent()).includes('Northgate'), 'the article is shown');
  assert(await page.locator('.adj-article mark.adj-mark').count() > 0, 'the current disagreement is highlighted');
  await page.keyboard.press('j');
  await page.locator('.adj-position[data-index="1"]').waitFor();
  await page.keyboard.press('k');
  await page.locator('.adj-position[data-index="0"]').waitFor();
  await page.keyboard.press('?');
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  assert((await dialog.textContent()).includes("take annotator A's version"), 'the help lists the Adjudicate keys');
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  assert(await page.locator('section.adjudicate').count() === 1, 'Escape closed the dialog, not the view');
});

await t.check('the keys settle every disagreement (A, B with undo, E on a selection, N, H)', async () => {
  const seen = [];
  for (let n = 0; n < 5; n++) {
    const cls = (await page.locator('.adj-class').textContent()).trim();
    const kind = (await page.locator('.adj-position').textContent()).includes('attribution') ? 'attribution' : 'entity';
    seen.push(cls);
    if (cls === 'only in A') {
      await page.keyboard.press('a');
    } else if (cls === 'other label') {
      const at = await position();
      await page.keyboard.press('b');
      await settled(n + 1);
      await page.keyboard.press('Control+z');
      await settled(n);
      assert(await position() === at, 'undo returns to the disagreement');
      assert((await page.locator('.adj-decision').getAttribute('data-decision')) === 'undecided', 'undo cleared it');
      await page.keyboard.press('b');
    } else if (cls === 'other boundary' && kind === 'entity') {
      await selectText(page, W.text.split(' ')[0], W.text);
      await page.keyboard.press('e');
    } else if (cls === 'only in B') {
      await page.keyboard.press('n');
    } else if (cls === attClass && kind === 'attribution') {
      await page.keyboard.press('h');
    } else {
      throw new Error(`unexpected disagreement "${cls}" (${kind}); seen ${seen.join(', ')}`);
    }
    await settled(n + 1);
  }
  assert((await page.locator('.adj-progress').textContent()).startsWith('5 of 5 settled'), 'all settled');
  assert(seen.slice().sort().join('|') === ['only in A', 'other label', 'other boundary', 'only in B', attClass].sort().join('|'), seen.join(', '));
});

await t.check('Save as curated adds it to the project; its JSON export is origin curated with the chosen items', async () => {
  await page.getByRole('button', { name: 'Save as curated' }).click();
  await page.locator('section.adjudicate').waitFor({ state: 'detached' });
  await page.locator('.doc-open[aria-current="true"] .doc-title', { hasText: '(curated)' }).waitFor();
  await page.locator('article.article', { hasText: 'Northgate' }).waitFor();
  curated = await exportJson(page);
  assert(curated.document.id === `${a.document.id}-curated`, `document id ${curated.document.id}`);
  assert(JSON.stringify(curated.curation) === JSON.stringify({ annotators: ['A', 'B'], undecided: 0 }), JSON.stringify(curated.curation));
  const items = [...curated.entities, ...curated.attributions];
  assert(items.every((i) => i.origin === 'curated' && i.status === 'accepted'), 'every item curated and accepted');
  const has = (label, start, end) => curated.entities.some((e) => e.label === label && e.start === start && e.end === end);
  assert(has(X.label, X.start, X.end), `X (${X.text}) taken from A`);
  assert(has(yLabel, Y.start, Y.end) && !has(Y.label, Y.start, Y.end), `Y (${Y.text}) with B's label only`);
  const first = W.text.split(' ')[0];
  assert(has(W.label, W.start, W.start + Array.from(first).length) && !has(W.label, W.start, W.end), `W (${W.text}) is the editor's own span`);
  assert(!curated.entities.some((e) => e.start === Z.start && e.end === Z.end), `Z (${Z.text}) refused`);
  assert(curated.entities.length === a.entities.length, `${curated.entities.length} entities, A had ${a.entities.length}`);
  const same = curated.attributions.filter((x) => x.content.start === att.content.start && x.content.end === att.content.end);
  assert(same.length === 2, `both versions of the attribution kept (${same.length})`);
  assert(curated.attributions.length === a.attributions.length + 1, `${curated.attributions.length} attributions`);
});

await t.check('the curated version keeps its provenance after a reload', async () => {
  await page.reload();
  await page.locator('.doc-open[aria-current="true"] .doc-title', { hasText: '(curated)' }).waitFor();
  await page.locator('article.article', { hasText: 'Northgate' }).waitFor();
  const again = await exportJson(page);
  assert(JSON.stringify(again.curation) === JSON.stringify(curated.curation), `after reload: ${JSON.stringify(again.curation)}`);
  assert(again.entities.every((e) => e.origin === 'curated'), 'items still curated');
});

await t.check('"Adjudicate versions…" in the project finds both imported exports of the article', async () => {
  await page.locator('.project-bar input[type=file]:not([webkitdirectory])').setInputFiles([fa, fb]);
  await page.locator('.doc-open[aria-current="true"] .doc-title', { hasText: /^harbour$/ }).waitFor();
  await page.locator('.doc-open .doc-title', { hasText: /^harbour-2$/ }).waitFor();
  await page.getByRole('button', { name: 'Adjudicate versions…' }).click();
  await page.locator('section.adjudicate').waitFor();
  const progress = await page.locator('.adj-progress').textContent();
  assert(progress.startsWith('0 of 5 settled') && progress.includes('annotators harbour, harbour-2'), progress);
  const a11y = await seriousA11yViolations(page);
  assert(a11y.length === 0, a11y.join('\n'));
  await page.keyboard.press('Escape');
  await page.locator('section.adjudicate').waitFor({ state: 'detached' });
});

await t.check('score.py reads the curated export', async () => {
  const file = path.join(dir, 'curated.json');
  await writeFile(file, JSON.stringify(curated));
  const out = JSON.parse(execFileSync('python3', [SCORE, '--gold', fa, '--pred', file, '--json'], { encoding: 'utf8' }));
  assert(out && typeof out === 'object', 'score.py printed JSON');
  assert(errors.length === 0, errors.join('\n'));
});

await context.close();
server.close();
await rm(dir, { recursive: true, force: true });
t.finish('e2e adjudicate');
