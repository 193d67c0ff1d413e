// End-to-end test of the editor, as an editor would use it: the release `dist/` served on
// 127.0.0.1, driven by playwright-core in Debian Chromium.
// Usage: node tests/e2e/editor.mjs [dist-dir]
//
// open the sample → accept one suggestion → reject one → tag a new PERSON with the
// keyboard only → build an attribution (source, cue, two-fragment content) → undo and
// redo → reload → export → the exported file differs from the one exported at the start by exactly
// those changes. Then an axe-core run (no serious or critical violations).

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT, serve, launch, makeRunner, assert, exportJson, selectText, seriousA11yViolations } from './lib.mjs';

const DIST = path.resolve(ROOT, process.argv[2] || 'dist');
const { check, finish } = makeRunner();

const { server, base } = await serve(DIST);
const profile = await mkdtemp(path.join(process.env.TMPDIR || tmpdir(), 'newsmark-editor-'));
const context = await launch(profile);
const consoleErrors = [];
const page = context.pages()[0] || (await context.newPage());
page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
page.on('pageerror', (e) => consoleErrors.push(`page error: ${e.message}`));

/** What has the DOM focus: `e<n>` for a highlight, `a<n>` for an attribution frame. */
const focusedId = () => page.evaluate(() => {
  const a = document.activeElement;
  return a ? (a.getAttribute('data-id') || a.getAttribute('data-frame')) : null;
});

/** Presses J until a suggested entity has the focus; returns its id. */
async function nextSuggestedEntity() {
  for (let i = 0; i < 400; i++) {
    await page.keyboard.press('j');
    const id = await focusedId();
    if (id && id.startsWith('e')) return id;
  }
  throw new Error('no suggested entity reached with J');
}

const byId = (list) => Object.fromEntries(list.map((x) => [x.id, x]));
let baseline;
let accepted, rejected, tagged, attribution;
const quote1 = '“on the tenth yard line of peace”';
const quote2 = '“up to the Russians to agree to this plan.”';

try {
  await check('the sample opens with suggestions to review', async () => {
    await page.goto(base);
    await page.locator('article p.paragraph').first().waitFor();
    baseline = await exportJson(page);
    assert(baseline.entities.some((e) => e.status === 'suggested'), 'the sample has suggested entities');
  });

  await check('J focuses a suggestion; Enter accepts it, X rejects the next', async () => {
    accepted = await nextSuggestedEntity();
    await page.keyboard.press('Enter');
    await page.locator(`mark[data-id="${accepted}"][data-status="accepted"]`).first().waitFor();
    rejected = await nextSuggestedEntity();
    assert(rejected !== accepted, 'J moved on');
    await page.keyboard.press('x');
    await page.locator(`mark[data-id="${rejected}"][data-status="rejected"]`).first().waitFor();
  });

  await check('a new PERSON tagged with the keyboard only', async () => {
    // The first word outside every highlight and attribution.
    const target = await page.evaluate(() => {
      const paras = [...document.querySelectorAll('article p.paragraph:not(.boilerplate-paragraph)')];
      for (const [pi, p] of paras.entries()) {
        const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
        let offset = 0;
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
          const free = !n.parentElement.closest('mark, [data-attribution]');
          if (free) {
            // Whole words of 5+ letters: whatever the extractor left untagged.
            for (const m of n.data.matchAll(/(?<![\p{L}’'])\p{L}{5,}(?![\p{L}’'])/gu)) {
              return { para: pi, start: offset + m.index, word: m[0] };
            }
          }
          offset += n.data.length;
        }
      }
      return null;
    });
    assert(target, 'a free word exists in the sample');
    // Where the caret is: (paragraph index, UTF-16 offset in it).
    const caret = () => page.evaluate(() => {
      const s = getSelection();
      if (!s.rangeCount) return null;
      const p = s.focusNode && (s.focusNode.nodeType === 1 ? s.focusNode : s.focusNode.parentElement).closest('p.paragraph');
      if (!p) return null;
      const paras = [...document.querySelectorAll('article p.paragraph:not(.boilerplate-paragraph)')];
      const r = document.createRange();
      r.setStart(p, 0);
      r.setEnd(s.focusNode, s.focusOffset);
      return { para: paras.indexOf(p), offset: r.toString().length };
    });
    // Keyboard focus is in the article (on the suggestion just rejected); if not, Tab there.
    const inArticle = () => page.evaluate(() => !!document.activeElement?.closest('article.article'));
    for (let i = 0; i < 40 && !(await inArticle()); i++) await page.keyboard.press('Tab');
    assert(await inArticle(), 'Tab reaches the article');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowLeft');
    for (let i = 0; i < 300; i++) {
      const c = await caret();
      if (c && c.para === target.para) break;
      await page.keyboard.press(c && c.para > target.para ? 'ArrowUp' : 'ArrowDown');
    }
    assert((await caret()).para === target.para, 'the caret reached the paragraph');
    await page.keyboard.press('Home');
    for (let i = 0; i < 400; i++) {
      const c = await caret();
      if (c.offset === target.start) break;
      await page.keyboard.press(c.offset < target.start - 12 ? 'Control+ArrowRight' : c.offset < target.start ? 'ArrowRight' : 'ArrowLeft');
    }
    assert((await caret()).offset === target.start, 'the caret reached the word');
    for (let i = 0; i < target.word.length; i++) await page.keyboard.press('Shift+ArrowRight');
    assert(await page.evaluate(() => getSelection().toString()) === target.word, 'Shift+arrows selected the word');
    await page.keyboard.press('1');
    const mark = page.locator(`mark[data-label="PERSON"][data-status="accepted"]`, { hasText: target.word });
    await mark.first().waitFor();
    tagged = target.word;
    assert(await mark.first().getAttribute('aria-label') === `PERSON: ${tagged}, accepted`, 'announced by its aria-label');
  });

  await check('an attribution with source, cue and a two-fragment content', async () => {
    await selectText(page, quote1);
    await page.keyboard.press('q');
    await page.locator('.inspector [data-inspecting^="a"]').waitFor();
    attribution = await page.getAttribute('.inspector [data-inspecting]', 'data-inspecting');
    await selectText(page, 'said', 'She said that the negotiations');
    await page.keyboard.press('c');
    await selectText(page, 'She', 'She said that the negotiations');
    await page.keyboard.press('s');
    await selectText(page, quote2);
    await page.keyboard.press('f');
    const roles = page.locator('.inspector .roles');
    await roles.locator('.role-content li').nth(1).waitFor();
    assert((await roles.locator('.role-cue').textContent()) === 'said', 'cue shown');
    assert((await roles.locator('.role-source').textContent()).startsWith('She'), 'source shown');
    // The frame is in the article: content shaded, cue boxed, source underlined.
    assert(await page.locator(`.attr-content[data-attribution~="${attribution}"]`).count() >= 2, 'content painted');
    assert(await page.locator(`.attr-cue[data-attribution~="${attribution}"]`).count() >= 1, 'cue painted');
  });

  await check('undo and redo (keys and buttons)', async () => {
    const fragments = () => page.locator('.inspector .role-content li').count();
    assert(await fragments() === 2, 'two fragments before undo');
    await page.keyboard.press('Control+z');
    await page.waitForFunction(() => document.querySelectorAll('.inspector .role-content li').length === 1);
    await page.keyboard.press('Control+Shift+Z');
    await page.waitForFunction(() => document.querySelectorAll('.inspector .role-content li').length === 2);
    await page.getByRole('button', { name: 'Undo' }).click();
    await page.waitForFunction(() => document.querySelectorAll('.inspector .role-content li').length === 1);
    await page.keyboard.press('Control+y');
    await page.waitForFunction(() => document.querySelectorAll('.inspector .role-content li').length === 2);
  });

  await check('reload: every change and the undo history are still there', async () => {
    const before = await exportJson(page);
    await page.locator('[data-save-status=saved]').waitFor();
    await page.reload();
    await page.locator('article p.paragraph').first().waitFor();
    // The restore is asynchronous: wait for the tagged entity, then compare everything.
    await page.waitForFunction((id) => !!document.querySelector(`mark[data-id="${id}"][data-status="rejected"]`), rejected);
    const after = await exportJson(page);
    assert(JSON.stringify(after) === JSON.stringify(before), 'the export after the reload equals the one before it');
    assert(await page.getByRole('button', { name: /^Undo/ }).isEnabled(), 'the undo history survived the reload');
  });

  await check('the export holds exactly those changes', async () => {
    const after = await exportJson(page);
    assert(after.document.text === baseline.document.text, 'same text');
    assert(JSON.stringify(after.schema) === JSON.stringify(baseline.schema), 'same schema');
    const b = byId(baseline.entities), a = byId(after.entities);
    for (const [id, e] of Object.entries(b)) {
      const want = id === accepted ? { ...e, status: 'accepted' } : id === rejected ? { ...e, status: 'rejected' } : e;
      assert(JSON.stringify(a[id]) === JSON.stringify(want), `entity ${id} is ${JSON.stringify(a[id])}, want ${JSON.stringify(want)}`);
    }
    const added = after.entities.filter((e) => !b[e.id]);
    assert(added.length === 1, `one new entity, got ${added.length}`);
    assert(added[0].label === 'PERSON' && added[0].text === tagged && added[0].origin === 'human' && added[0].status === 'accepted',
      `new entity ${JSON.stringify(added[0])}`);
    const ba = byId(baseline.attributions);
    for (const [id, x] of Object.entries(ba)) {
      assert(JSON.stringify(byId(after.attributions)[id]) === JSON.stringify(x), `attribution ${id} unchanged`);
    }
    const newA = after.attributions.filter((x) => !ba[x.id]);
    assert(newA.length === 1, `one new attribution, got ${newA.length}`);
    const n = newA[0];
    assert(n.id === attribution, 'the one built');
    assert(n.source.text === 'She' && n.cue.text === 'said', `roles ${JSON.stringify([n.source, n.cue])}`);
    const cps = [...after.document.text];
    const frags = (n.content.fragments || []).map((f) => cps.slice(f.start, f.end).join(''));
    assert(JSON.stringify(frags) === JSON.stringify([quote1, quote2]), `fragments ${JSON.stringify(frags)}`);
    assert(n.kind === 'direct' && n.origin === 'human' && n.status === 'accepted', `kind/origin/status ${n.kind} ${n.origin} ${n.status}`);
    assert(JSON.stringify(after.boilerplate) === JSON.stringify(baseline.boilerplate), 'boilerplate unchanged');
  });

  await check('axe-core: no serious or critical violations', async () => {
    for (const state of ['editing', 'help dialog']) {
      if (state === 'help dialog') {
        await page.locator('article').focus();
        await page.keyboard.press('?');
        await page.locator('[role=dialog]').waitFor();
      }
      const bad = await seriousA11yViolations(page);
      assert(bad.length === 0, `${state}: ` + bad.join('\n'));
    }
    await page.keyboard.press('Escape');
  });

  await check('the console had no errors', async () => {
    assert(consoleErrors.length === 0, consoleErrors.join('\n'));
  });
} finally {
  await context.close();
  server.close();
  await rm(profile, { recursive: true, force: true });
}
finish('e2e editor');
