// End-to-end tests of revisioned storage (issue 13) against the release `dist/`: two tabs
// of one browser profile never lose each other's work, and damaged records are kept aside.
// Usage: node tests/e2e/tabs.mjs [dist-dir]
//
// (a) tab A opened first; tab B imports five articles; A (whose list updates live) makes
//     one edit; all five survive in both tabs and after a reload;
// (b) one document open in two tabs: an edit in B is followed by A, with a notice;
// (c) an unreadable list entry is kept aside (listed, exported raw byte for byte),
//     the list is rebuilt from the stored documents, and nothing else is lost;
// (d) a document whose restore stopped the page is not reopened on the next start;
// (e) a plain reload right after an import (six times, one tab) reports no false "changed
//     in another tab", and the next edit saves.

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { serve, launch, assert, makeRunner, ROOT } from './lib.mjs';

const DIST = path.resolve(ROOT, process.argv[2] || 'dist');
const { check, finish } = makeRunner();

/** A profile with pages; collects console errors of every page. */
async function profile() {
  const dir = await mkdtemp(path.join(process.env.TMPDIR || tmpdir(), 'newsmark-tabs-'));
  const context = await launch(dir);
  const errors = [];
  const open = async (url) => {
    const page = await context.newPage();
    page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    await page.goto(url);
    await page.locator('article p').first().waitFor();
    await page.locator('[data-save-status=saved]').waitFor();
    return page;
  };
  return {
    context, errors, open,
    async close() {
      await context.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function jsonl(n, from = 1) {
  const lines = [];
  for (let i = from; i < from + n; i++) {
    const text = `Maria Lopez visited Lisbon on Monday.\n\n"We will finish by spring," Lopez said of plan ${i}.`;
    lines.push(JSON.stringify({ id: `tab-story-${i}`, title: `Tab story ${i}`, text }));
  }
  return lines.join('\n') + '\n';
}

async function importJsonl(page, content) {
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    page.getByRole('button', { name: 'Import articles…' }).click(),
  ]);
  await chooser.setFiles({ name: 'five.jsonl', mimeType: 'application/x-ndjson', buffer: Buffer.from(content) });
}

const listed = (page) => page.locator('.doc[data-doc-id^="tab-story-"]').count();

async function deleteFirstMark(page) {
  const n = await page.locator('article mark').count();
  await page.locator('article mark').first().focus();
  await page.keyboard.press('Delete');
  await page.waitForFunction((n) => document.querySelectorAll('article mark').length < n, n);
  await page.locator('[data-save-status=saved]').waitFor();
  return page.locator('article mark').count();
}

const { server, base } = await serve(DIST, '/');
try {
  await check('(a) B imports five, A (opened earlier) edits once: all five survive', async () => {
    const p = await profile();
    try {
      const a = await p.open(base);
      const b = await p.open(base);
      await importJsonl(b, jsonl(5));
      await b.locator('.doc[data-doc-id="tab-story-5"]').waitFor();
      await b.locator('.project-progress').waitFor({ state: 'detached' });
      await b.locator('[data-save-status=saved]').waitFor();
      // A's list follows B's import without a reload.
      await a.locator('.doc[data-doc-id="tab-story-5"]').waitFor();
      assert(await listed(a) === 5, `tab A lists ${await listed(a)} of 5 before its edit`);
      // A edits its open document (the sample): its list entry becomes "in progress".
      const sample = await a.locator('article[data-document]').getAttribute('data-document');
      await deleteFirstMark(a);
      // A's list write reaches B through the change feed: B shows A's status change.
      await b.locator(`.doc[data-doc-id="${sample}"][data-status="in-progress"]`).waitFor();
      assert(await listed(b) === 5, `tab B lists ${await listed(b)} of 5 after A's edit`);
      assert(await listed(a) === 5, `tab A lists ${await listed(a)} of 5 after its edit`);
      // What is stored: both tabs reloaded still list all five and A's edit.
      for (const page of [a, b]) {
        await page.reload();
        await page.locator('.doc[data-doc-id="tab-story-5"]').waitFor();
        assert(await listed(page) === 5, `after a reload: ${await listed(page)} of 5`);
        await page.locator(`.doc[data-doc-id="${sample}"][data-status="in-progress"]`).waitFor();
      }
      assert(p.errors.length === 0, p.errors.join('\n'));
    } finally {
      await p.close();
    }
  });

  await check('(b) one document in two tabs: an edit in B is followed by A', async () => {
    const p = await profile();
    try {
      const a = await p.open(base);
      const b = await p.open(base);
      const id = await a.locator('article[data-document]').getAttribute('data-document');
      assert(id === await b.locator('article[data-document]').getAttribute('data-document'), 'same document open');
      const left = await deleteFirstMark(b);
      await a.waitForFunction((n) => document.querySelectorAll('article mark').length === n, left);
      await a.locator('[data-storage-notice]').waitFor();
      const notice = await a.locator('[data-storage-notice]').textContent();
      assert(/changed in another tab/.test(notice), `notice: ${notice}`);
      // And A can go on editing from B's version: its write is based on the new revision.
      const left2 = await deleteFirstMark(a);
      await b.waitForFunction((n) => document.querySelectorAll('article mark').length === n, left2);
      assert(!(await a.locator('.save-status-error').count()), 'no storage error in A');
      assert(p.errors.length === 0, p.errors.join('\n'));
    } finally {
      await p.close();
    }
  });

  await check('(c) an unreadable list entry is kept aside, exported raw, the entry rebuilt', async () => {
    const p = await profile();
    try {
      const a = await p.open(base);
      const id = await a.locator('article[data-document]').getAttribute('data-document');
      await a.locator('[data-save-status=saved]').waitFor();
      const garbage = '{"entries": [ this is not JSON';
      // The open document's list entry (its one `meta:` record) is damaged.
      const record = await a.evaluate(async (garbage) => {
        const db = await window.newsmarkPouch.open('newsmark');
        const [old] = await window.newsmarkPouch.all(db, 'meta:');
        await window.newsmarkPouch.put(db, old.id, old.rev, garbage);
        return old.id;
      }, garbage);
      await a.reload();
      await a.locator('article p').first().waitFor();
      const aside = a.locator(`.kept-aside li[data-aside="${record}"]`);
      await aside.waitFor();
      await a.locator(`.doc[data-doc-id="${id}"]`).waitFor();
      const [download] = await Promise.all([
        a.waitForEvent('download'),
        aside.getByRole('button', { name: 'Export raw' }).click(),
      ]);
      const out = path.join(process.env.TMPDIR || tmpdir(), `newsmark-aside-${process.pid}.json`);
      await download.saveAs(out);
      assert(await readFile(out, 'utf8') === garbage, 'the raw record, byte for byte');
      await rm(out, { force: true });
      const errors = p.errors.filter((e) => !/could not be read/.test(e));
      assert(errors.length === 0, errors.join('\n'));
    } finally {
      await p.close();
    }
  });

  await check('(d) a document whose restore stopped the page is not reopened on the next start', async () => {
    const p = await profile();
    try {
      const a = await p.open(base);
      await importJsonl(a, jsonl(1));
      await a.locator('article[data-document="tab-story-1"]').waitFor();
      await a.locator('.project-progress').waitFor({ state: 'detached' });
      await a.locator('[data-save-status=saved]').waitFor();
      // What a restore that never finished rendering leaves behind (the page died in it).
      await a.evaluate(() => localStorage.setItem('newsmark.opening', 'tab-story-1'));
      await a.reload();
      await a.locator('[data-storage-notice]').waitFor();
      const notice = await a.locator('[data-storage-notice]').textContent();
      assert(/tab-story-1.*was not reopened/.test(notice), `notice: ${notice}`);
      assert(await a.locator('article[data-document="tab-story-1"]').count() === 0, 'not reopened');
      // Still listed and stored: opening it by hand works, and the next start reopens it.
      await a.locator('.doc[data-doc-id="tab-story-1"] .doc-open').click();
      await a.locator('article[data-document="tab-story-1"]').waitFor();
      await a.locator('[data-save-status=saved]').waitFor();
      await a.reload();
      await a.locator('article[data-document="tab-story-1"]').waitFor();
      assert(p.errors.length === 0, p.errors.join('\n'));
    } finally {
      await p.close();
    }
  });

  await check('(e) a reload right after an import shows no false "changed in another tab"', async () => {
    const p = await profile();
    try {
      const a = await p.open(base);
      const problems = [];
      for (let round = 0; round < 6; round++) {
        const last = `tab-story-${round * 3 + 3}`;
        await importJsonl(a, jsonl(3, round * 3 + 1));
        await a.locator(`.doc[data-doc-id="${last}"]`).waitFor();
        await a.locator('.project-progress').waitFor({ state: 'detached' });
        await a.locator('[data-save-status=saved]').waitFor();
        await a.reload();
        await a.locator('article p').first().waitFor();
        await a.locator(`.doc[data-doc-id="${last}"]`).waitFor();
        // Started: saved, or the error a false conflict would show (a later write that
        // succeeds would hide it, so it is read before the next edit).
        await a.locator('[data-save-status=saved], [data-save-status=error]').first().waitFor();
        const look = async (when) => {
          const status = await a.locator('.save-status').first().textContent();
          const notice = await a.locator('[data-storage-notice]').count();
          if (/another tab/.test(status) || notice) problems.push(`round ${round + 1}, ${when}: ${status} (${notice} notice)`);
        };
        await look('after the reload');
        // The next edit is stored as one more edit of the same history, with no conflict.
        await deleteFirstMark(a);
        await look('after an edit');
        assert(await a.locator('.doc[data-doc-id^="tab-story-"]').count() === round * 3 + 3, `round ${round + 1}: an import was lost`);
      }
      assert(problems.length === 0, problems.join('\n'));
      assert(p.errors.length === 0, p.errors.join('\n'));
    } finally {
      await p.close();
    }
  });
} finally {
  server.close();
}

finish('e2e tabs');
