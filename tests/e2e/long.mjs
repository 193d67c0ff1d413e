// End-to-end test of a long article (the release `dist/`, headless Chromium): a 100,000-word
// article with about 10,000 highlights opens drawn near the viewport only; J reaches its
// last suggestion (in a paragraph not drawn at first); an edit near its end survives a
// reload; Ctrl+F finds text that is not drawn; a selection across paragraphs survives
// scrolling away and back; an edit keeps the scroll position.
// Usage: node tests/e2e/long.mjs [dist-dir]

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT, serve, launch, makeRunner, assert, exportJson, longArticle } from './lib.mjs';

const DIST = path.resolve(ROOT, process.argv[2] || 'dist');
const { check, finish } = makeRunner();

// Three suggestions only (first, middle, last), so three presses of J reach the last one.
const a = await longArticle(100_000, (n, total) => n === 0 || n === Math.floor(total / 2) || n === total - 1);
const last = a.file.entities[a.file.entities.length - 1];
const { server, base } = await serve(DIST);
const profile = await mkdtemp(path.join(process.env.TMPDIR || tmpdir(), 'newsmark-long-'));
const context = await launch(profile);
// A 100,000-word article is read, pre-annotated and stored before it shows: on a loaded
// 2-core machine that can take longer than the other suites' 30 s.
context.setDefaultTimeout(120_000);
const errors = [];
const page = context.pages()[0] || (await context.newPage());
page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));

const drawn = () => page.locator('article p.paragraph').count();
const saved = () => page.locator('[data-save-status=saved]').waitFor();
let tagged;

try {
  await check(`a ${a.words.toLocaleString('en-US')}-word article with ${a.file.entities.length} highlights opens, drawn near the view`, async () => {
    await page.goto(base);
    await page.locator('article p.paragraph').first().waitFor();
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: 'Open…' }).click()]);
    await chooser.setFiles({ name: `${a.id}.json`, mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(a.file)) });
    await page.locator(`article[data-document="${a.id}"] p.paragraph`).first().waitFor();
    const n = await drawn();
    assert(n > 0 && n < 400, `${n} of ${a.paragraphs} paragraphs drawn`);
    await saved();
  });

  await check('J reaches the last suggestion, at the end of the article', async () => {
    await page.locator('article').focus();
    for (let i = 0; i < 3; i++) await page.keyboard.press('j');
    await page.waitForFunction((id) => document.activeElement?.getAttribute('data-id') === id, last.id);
    const inView = await page.evaluate(() => {
      const r = document.activeElement.getBoundingClientRect();
      return r.bottom > 0 && r.top < innerHeight;
    });
    assert(inView, 'the focused suggestion is scrolled into view');
    assert(await drawn() < 400, 'still drawn near the view only');
  });

  await check('an edit near the end (accept, and a new tag) survives a reload', async () => {
    await page.keyboard.press('Enter');
    await page.locator(`mark[data-id="${last.id}"][data-status="accepted"]`).waitFor();
    // Tag the first plain word of four letters or more in the last paragraph.
    tagged = await page.evaluate(() => {
      const paras = document.querySelectorAll('article p.paragraph');
      const p = paras[paras.length - 1];
      const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        if (n.parentElement.closest('mark')) continue;
        const m = /\p{L}{4,}/u.exec(n.data);
        if (!m) continue;
        const r = document.createRange();
        r.setStart(n, m.index);
        r.setEnd(n, m.index + m[0].length);
        getSelection().removeAllRanges();
        getSelection().addRange(r);
        return { word: m[0], paragraph: Number(p.getAttribute('data-start')) };
      }
      return null;
    });
    assert(tagged, 'a plain word in the last paragraph');
    const before = await page.locator('article mark').count();
    await page.keyboard.press('2');
    await page.waitForFunction((n) => document.querySelectorAll('article mark').length > n, before);
    await saved();
    await page.reload();
    await page.locator(`article[data-document="${a.id}"] p.paragraph`).first().waitFor();
    const out = await exportJson(page);
    const end = out.entities.find((e) => e.id === last.id);
    assert(end && end.status === 'accepted', `the last suggestion is accepted after the reload: ${JSON.stringify(end)}`);
    const human = out.entities.filter((e) => e.origin === 'human' && e.text === tagged.word);
    assert(human.length === 1 && human[0].label === 'ORG', `the new tag is kept: ${JSON.stringify(human)}`);
    assert(out.entities.length === a.file.entities.length + 1, `${out.entities.length} entities`);
  });

  await check('Ctrl+F finds text in paragraphs that are not drawn', async () => {
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.locator('article').focus();
    await page.keyboard.press('Control+f');
    const input = page.getByRole('searchbox', { name: 'Find in the article' });
    await input.waitFor();
    await input.fill('witkoff');
    // ↑ from no hit goes to the last one, at the very end of the article.
    await input.press('ArrowUp');
    await page.waitForFunction(() => getSelection().toString().toLowerCase() === 'witkoff');
    const where = await page.evaluate(() => {
      const p = getSelection().anchorNode.parentElement.closest('p.paragraph');
      const all = document.querySelectorAll('article p.paragraph');
      const r = p.getBoundingClientRect();
      return { last: p === all[all.length - 1], inView: r.bottom > 0 && r.top < innerHeight };
    });
    const status = await page.locator('.find-status').textContent();
    assert(/^\d+ of \d+$/.test(status), `status ${status}`);
    assert(where.inView, 'the hit is scrolled into view');
    assert(status.startsWith(status.split(' of ')[1] + ' of'), `the last hit is shown: ${status}`);
    await input.press('Escape');
    await page.locator('.find-bar').waitFor({ state: 'detached' });
  });

  await check('a selection across paragraphs survives scrolling away and back', async () => {
    await page.evaluate(() => window.scrollTo(0, 0));
    const text = await page.evaluate(() => {
      const ps = document.querySelectorAll('article p.paragraph');
      const r = document.createRange();
      r.setStart(ps[1].firstChild.nodeType === 3 ? ps[1].firstChild : ps[1], 0);
      r.setEnd(ps[2], ps[2].childNodes.length);
      getSelection().removeAllRanges();
      getSelection().addRange(r);
      return getSelection().toString();
    });
    assert(text.length > 20, 'something is selected');
    for (const y of [0.5, 0.9, 0]) {
      await page.evaluate((y) => window.scrollTo(0, y * document.documentElement.scrollHeight), y);
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    }
    assert(await page.evaluate(() => getSelection().toString()) === text, 'the same text is still selected');
  });

  await check('an edit keeps the scroll position', async () => {
    await page.evaluate(() => { getSelection().removeAllRanges(); window.scrollTo(0, document.documentElement.scrollHeight * 0.6); });
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const y0 = await page.evaluate(() => scrollY);
    const id = await page.evaluate(() => {
      const m = [...document.querySelectorAll('article mark[tabindex]')].find((m) => {
        const r = m.getBoundingClientRect();
        return r.top > 100 && r.bottom < innerHeight - 100;
      });
      m.focus();
      return m.getAttribute('data-id');
    });
    await page.keyboard.press('Delete');
    await page.locator(`mark[data-id="${id}"]`).waitFor({ state: 'detached' });
    const y1 = await page.evaluate(() => scrollY);
    assert(Math.abs(y1 - y0) < 2, `scrollY ${y0} → ${y1}`);
  });

  await check('no console errors', async () => {
    assert(errors.length === 0, errors.join('\n'));
  });
} finally {
  await context.close();
  server.close();
  await rm(profile, { recursive: true, force: true });
}
finish('long-article end-to-end tests');
