// End-to-end tests of team sync (issue 13) against the release `dist/` and a CouchDB-protocol
// server (pouchdb-server, tests/e2e/couch.mjs) started here on 127.0.0.1:
// two browser profiles, two editors (alice and bob, members of the team database; carol is a
// user but no member).
// Usage: node tests/e2e/sync.mjs [dist-dir]
//
// (a) both annotate offline (import and edit), then sign in through Team… (the first
//     sign-in reloads once so the CSP allows the server): the work done as `local` is now
//     under each editor's name (`meta:/ann:/edit:` records), the app shows the same list
//     and document, each sees the other's records arrive, and no `local:` record nor any
//     record of the annotator `local` ever reaches the server;
// (i) each sees the other's progress (status, pending count) on a shared article, live;
// (j) the Agreement panel, given annotators alice and bob from the synced records, shows
//     what `newsmark agree` prints for their two exports, and opens Adjudicate on them;
// (k) alice assigns one of her articles to bob: it shows in bob's "Assigned to me", he
//     starts it (it joins his list, pre-annotated), each sees the other's progress on it,
//     and only alice may change the assignment (one `assign:` record, hers);
// (b) a wrong password and a non-member get a clear error, nothing reaches the server, the
//     local project is as it was;
// (c) the server stopped mid-sync and restarted: the state shows offline, then synced, and
//     nothing is lost on either side;
// (h) the browser going offline shows offline, and coming back online syncs at once;
// (d) 200 documents imported by one editor reach the other: prints the time;
// (f) a record in conflict (one editor on two devices) is shown in both profiles, and its
//     losing revision is exported from the Team dialog;
// (e) a 100-edit session: prints the bytes sent to the server per edit (counted by the
//     proxy in front of the server);
// (g) sign out ends the session and the sync, survives a reload, keeps local work local.
// (l) another user signing in on that browser gets their own list and document.
// Records are compared as the database holds them (every id but `local:` ones, with their
// winning revisions), whatever the storage's record layout.

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { serve, launch, assert, makeRunner, seriousA11yViolations, exportJson, ROOT } from './lib.mjs';
import { startCouch, http } from './couch.mjs';
import { newsmarkBin, agreeCli, checkAgreementFigures } from './agree_lib.mjs';
import { writeFile } from 'node:fs/promises';

const DIST = path.resolve(ROOT, process.argv[2] || 'dist');
/** The sample article's document id (src/ui/sample.rs). */
const SAMPLE = 'seed-witkoff-moscow';
const runner = makeRunner();
const { finish } = runner;
/** The check running, named in the errors a page reports meanwhile. */
let phase = 'start';
const check = (name, fn) => { phase = name.slice(0, 3); return runner.check(name, fn); };
const BIN = await newsmarkBin('sync.mjs');

// Chromium logs every refused or failed request as a console error; these are the ones a
// sync test provokes on purpose (wrong password, non-member, server stopped, browser
// offline), and the 404 PouchDB's replication gets when it asks for a checkpoint that does
// not exist yet.
const EXPECTED_NETWORK = /Failed to load resource: (the server responded with a status of (401|403|404)|net::ERR_(CONNECTION_REFUSED|EMPTY_RESPONSE|CONNECTION_RESET|CONNECTION_CLOSED|INTERNET_DISCONNECTED))/;

const { server, base } = await serve(DIST, '/');
const origin = new URL(base).origin;
const couch = await startCouch({ origin, users: { alice: 'alice-pw', bob: 'bob-pw', carol: 'carol-pw', dave: 'dave-pw' }, members: ['alice', 'bob', 'dave'] });

/** A browser profile with one page of the app; collects unexpected console errors. */
async function profile(name) {
  const dir = await mkdtemp(path.join(process.env.TMPDIR || tmpdir(), `newsmark-sync-${name}-`));
  const context = await launch(dir);
  const errors = [];
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(`${name}: page error in ${phase}: ${e.message}\n${e.stack || ''}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !EXPECTED_NETWORK.test(m.text())) errors.push(`${name}: ${m.text()}`);
  });
  await page.goto(base);
  await ready(page);
  return {
    name, page, errors, context,
    async close() {
      await context.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function ready(page) {
  await page.locator('article p').first().waitFor();
  await page.locator('[data-save-status=saved]').waitFor().catch(async (e) => {
    throw new Error(`${e.message}\nsave status: ${await page.locator('.save-status').first().evaluate((x) => x.outerHTML).catch(() => 'none')}`);
  });
}

function jsonl(prefix, n, from = 1) {
  const lines = [];
  for (let i = from; i < from + n; i++) {
    const text = `Maria Lopez visited Lisbon on Monday for ${prefix} ${i}.\n\n"We will finish by spring," Lopez said of plan ${i}.`;
    lines.push(JSON.stringify({ id: `${prefix}-${i}`, title: `${prefix} ${i}`, text }));
  }
  return lines.join('\n') + '\n';
}

async function importJsonl(page, content) {
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    page.getByRole('button', { name: 'Import articles…' }).click(),
  ]);
  await chooser.setFiles({ name: 'batch.jsonl', mimeType: 'application/x-ndjson', buffer: Buffer.from(content) });
  // Listed first (the import starts in the worker), then done, then stored.
  const last = JSON.parse(content.trim().split('\n').pop()).id;
  await page.locator(`.doc[data-doc-id="${last}"]`).waitFor({ timeout: 300_000 });
  await page.locator('.project-progress').waitFor({ state: 'detached', timeout: 300_000 });
  await page.locator('[data-save-status=saved]').waitFor();
}

/** Every record of the page's local database but `local:` ones: {id: rev}. */
function localRecords(page) {
  return page.evaluate(async () => {
    const db = new PouchDB('newsmark', { adapter: 'idb' });
    const r = await db.allDocs();
    return Object.fromEntries(r.rows.filter((x) => !x.id.startsWith('local:')).map((x) => [x.id, x.value.rev]));
  });
}

/** The page's records (but `local:` ones) by what they are: `kind:<document id>:<annotator>`
 *  (and `:<seq>` for an edit), the document id read from its `text:` record. */
function namedRecords(page) {
  return page.evaluate(async () => {
    const db = new PouchDB('newsmark', { adapter: 'idb' });
    const r = await db.allDocs({ include_docs: true });
    const docOf = {};
    for (const x of r.rows) if (x.id.startsWith('text:')) docOf[x.id.slice(5)] = JSON.parse(x.doc.body).document.id;
    return r.rows.filter((x) => !x.id.startsWith('local:')).map((x) => {
      const [kind, key, ...rest] = x.id.split(':');
      return kind === 'ledger' ? x.id : [kind, docOf[key] || key, ...rest].join(':');
    }).sort();
  });
}

/** The documents the page's project list shows, and the open one. */
async function listed(page) {
  const ids = await page.locator('.doc').evaluateAll((els) => els.map((e) => e.dataset.docId));
  const open = await page.locator('.doc-current').getAttribute('data-doc-id');
  return { ids, open };
}

/** Every record on the server (asked directly as admin, not through the counting proxy). */
async function serverRecords() {
  const r = await http('GET', `${couch.adminDb}/_all_docs`);
  assert(r.status === 200, `server _all_docs: ${r.status}`);
  return Object.fromEntries(r.body.rows.filter((x) => !x.id.startsWith('_design/')).map((x) => [x.id, x.value.rev]));
}

/** Waits until `get()` resolves to a truthy value (polling; the data lives in two
 *  browsers and a server, no single event says "done"). */
async function until(what, get, timeout = 60_000) {
  const t0 = Date.now();
  for (;;) {
    const v = await get();
    if (v) return v;
    if (Date.now() - t0 > timeout) {
      const states = await Promise.all([A, B].filter((p) => p && p.page && !p.page.isClosed())
        .map(async (p) => `${p.name}: ${await p.page.locator('.sync-status').textContent().catch(() => '?')}, ${await p.page.locator('.save-status').first().textContent().catch(() => '?')}`));
      throw new Error(`timed out waiting for ${what} (${states.join('; ')})${get === converged ? `\n${lastDiff}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** What differs between the profiles and the server at the last `converged()`. */
let lastDiff = '';

/** Both profiles and the server hold the same records at the same revisions. */
async function converged() {
  const [a, b, srv] = [await localRecords(A.page), await localRecords(B.page), await serverRecords()];
  const ids = [...new Set([...Object.keys(a), ...Object.keys(b), ...Object.keys(srv)])];
  lastDiff = ids.filter((id) => !(a[id] === b[id] && a[id] === srv[id]))
    .map((id) => `${id} A ${a[id] || '-'} B ${b[id] || '-'} server ${srv[id] || '-'}`).slice(0, 10).join('\n');
  return JSON.stringify(a) === JSON.stringify(b) && JSON.stringify(a) === JSON.stringify(srv) && a;
}

/** Asserts that every record of `before` is in `all`, but edit records: a fold (the
 *  document closed, here or on the other profile) removes those its snapshot now holds. */
function noneLost(before, all) {
  const lost = Object.keys(before).filter((id) => !(id in all) && !id.startsWith('edit:'));
  assert(lost.length === 0, `lost: ${lost.join(' ')}`);
}

/** {id: rev} `sub` is contained in `all` with the same revisions. */
const contains = (all, sub) => Object.entries(sub).every(([id, rev]) => all[id] === rev);

async function openTeam(page) {
  if (!(await page.locator('#team-password').isVisible())) await page.locator('button.team-open').click();
  await page.locator('#team-password').waitFor();
}

/** Types the team settings and signs in; handles the one reload that allows a new server. */
async function signIn(page, user, password) {
  await openTeam(page);
  await page.fill('#team-url', couch.dbUrl);
  await page.fill('#team-user', user);
  await page.fill('#team-password', password);
  const allowed = await page.evaluate((o) => newsmarkPouch.connectAllowed(o), couch.url);
  if (!allowed) {
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Sign in' }).click()]);
    await ready(page);
    await page.locator('.team-note').waitFor();
    assert((await page.inputValue('#team-url')) === couch.dbUrl, 'the database URL survives the reload');
    assert((await page.inputValue('#team-user')) === user, 'the user survives the reload');
    assert((await page.inputValue('#team-password')) === '', 'the password is not kept over the reload');
    await page.fill('#team-password', password);
  }
  await page.getByRole('button', { name: 'Sign in' }).click();
  assert((await page.inputValue('#team-password')) === '', 'the password field is cleared once sent');
}

const syncState = (page) => page.locator('.sync-status').getAttribute('data-sync-state');

async function waitState(page, state, timeout = 60_000) {
  await page.locator(`.sync-status[data-sync-state=${state}]`).waitFor({ timeout });
}

async function closeDialog(page) {
  await page.getByRole('button', { name: 'Close' }).click();
}

/** The password must appear in no storage of the page. */
async function passwordNowhere(page, password) {
  const found = await page.evaluate(async (pw) => {
    const hits = [];
    for (const s of [localStorage, sessionStorage]) {
      for (let i = 0; i < s.length; i++) if ((s.getItem(s.key(i)) || '').includes(pw)) hits.push(s.key(i));
    }
    const db = new PouchDB('newsmark', { adapter: 'idb' });
    const r = await db.allDocs({ include_docs: true });
    for (const row of r.rows) if (JSON.stringify(row.doc).includes(pw)) hits.push(row.id);
    return hits;
  }, password);
  assert(found.length === 0, `the password is stored in ${found.join(', ')}`);
}

let A, B;
try {
  A = await profile('alice');
  B = await profile('bob');

  await check('(b) wrong password and non-member: a clear error, nothing sent, the project as it was', async () => {
    // The first attempt reloads the page once (to allow the server), right after an import:
    // the reload shows "saved", not a false "changed in another tab" (layout 1 did, 4
    // reloads of 6; tabs.mjs (e) checks six more).
    await importJsonl(A.page, jsonl('alice-story', 3));
    // From here on, a failed sign-in must change no local record.
    const before = await localRecords(A.page);
    await signIn(A.page, 'alice', 'not-her-password');
    await A.page.locator('.team-state[data-sync-state=error]').waitFor();
    const wrong = await A.page.locator('.team-state').textContent();
    assert(/wrong user name or password/.test(wrong), `wrong password message: ${wrong}`);
    await closeDialog(A.page);
    await signIn(A.page, 'alice', 'still-not-her-password');
    await until('the second refusal', async () => /wrong user name/.test(await A.page.locator('.team-state').textContent()));
    await signIn(A.page, 'carol', 'carol-pw');
    await until('the non-member message', async () => /not a member/.test(await A.page.locator('.team-state').textContent()));
    assert(Object.keys(await serverRecords()).length === 0, 'nothing reached the server');
    // carol's session was ended: the server no longer knows her.
    const session = await A.page.evaluate((s) => newsmarkPouch.sessionUser(s), couch.url);
    assert(session === null, `a refused sign-in left a session (${session})`);
    const after = await localRecords(A.page);
    assert(JSON.stringify(after) === JSON.stringify(before), `the local project changed: ${JSON.stringify(before)} -> ${JSON.stringify(after)}`);
    await passwordNowhere(A.page, 'not-her-password');
    await passwordNowhere(A.page, 'carol-pw');
    const a11y = await seriousA11yViolations(A.page);
    assert(a11y.length === 0, `the Team dialog's serious accessibility violations:\n${a11y.join('\n')}`);
    await closeDialog(A.page);
  });

  await check('(a) both annotate offline as `local`, sign in: their work is theirs, and each sees the other\'s records arrive', async () => {
    // B chose the server on an earlier visit (A went through the reload that allows it).
    await B.page.evaluate((o) => localStorage.setItem('newsmark.syncServer', o), couch.url);
    await B.page.reload();
    await ready(B.page);
    await importJsonl(B.page, jsonl('bob-story', 3));
    // One edit each, while offline.
    for (const p of [A.page, B.page]) {
      await p.locator('article mark').first().focus();
      await p.keyboard.press('Delete');
      await p.locator('[data-save-status=saved]').waitFor();
    }
    // Before any sign-in the work is the annotator `local`'s.
    const offline = {};
    for (const p of [A, B]) {
      const { ids, open } = await listed(p.page);
      const marks = await p.page.locator('article mark').count();
      const named = await namedRecords(p.page);
      assert(named.includes(`meta:${open}:local`) && named.some((n) => n.startsWith(`edit:${open}:local:`)),
        `${p.name}'s offline work is \`local\`'s: ${named.join(' ')}`);
      offline[p.name] = { ids, open, marks, named };
    }
    // A record that must never leave the browser.
    await A.page.evaluate(() => new PouchDB('newsmark', { adapter: 'idb' }).put({ _id: 'local:secret', body: '{}' }));
    await signIn(A.page, 'alice', 'alice-pw');
    await waitState(A.page, 'synced');
    await closeDialog(A.page);
    await signIn(B.page, 'bob', 'bob-pw');
    await waitState(B.page, 'synced');
    await closeDialog(B.page);
    for (const p of [A, B]) await passwordNowhere(p.page, `${p.name}-pw`);
    const a = await localRecords(A.page);
    const b = await localRecords(B.page);
    const all = await until('both profiles and the server to hold the same records', converged);
    for (const id of [...Object.keys(a), ...Object.keys(b)]) assert(id in all, `${id} was lost`);
    // Each editor's offline work is now under their name, on both profiles and the
    // server; nothing of `local` left the browser or stayed behind.
    const onA = await namedRecords(A.page);
    const onB = await namedRecords(B.page);
    for (const p of [A, B]) {
      const { named, open, ids, marks } = offline[p.name];
      for (const n of named.filter((n) => !n.startsWith('text:'))) {
        const theirs = n.replace(/:local(:|$)/, `:${p.name}$1`);
        assert(onA.includes(theirs) && onB.includes(theirs), `${n} is ${theirs} on both profiles`);
      }
      assert(onA.some((n) => new RegExp(`^edit:${open}:${p.name}:0*1$`).test(n)), `${p.name}'s offline edit is theirs: ${onA.join(' ')}`);
      // The app shows the same list, the same open document and the same marks.
      const now = await listed(p.page);
      assert(JSON.stringify(now.ids) === JSON.stringify(ids) && now.open === open,
        `${p.name}'s list after sign-in: ${JSON.stringify(now)} (was ${JSON.stringify({ ids, open })})`);
      assert((await p.page.locator('article mark').count()) === marks, `${p.name}'s open document kept its marks`);
    }
    assert(!onA.some((n) => /:local(:|$)/.test(n)), `records of \`local\` remain: ${onA.join(' ')}`);
    assert(onA.some((n) => n.startsWith('meta:alice-story-')) && onA.some((n) => n.startsWith('meta:bob-story-')),
      'each side\'s imports are records on the other');
    const onServer = await serverRecords();
    assert(!Object.keys(onServer).some((id) => id.startsWith('local:') || /:local(:|$)/.test(id)), 'a local record reached the server');
    assert(contains(onServer, await localRecords(A.page)), 'the server has every record of A');
    assert((await syncState(A.page)) === 'synced' || (await syncState(A.page)) === 'syncing', 'A shows its sync state');
  });

  await check('(i) each sees the other\'s progress on a shared article, live', async () => {
    // Both have the sample article (the same text under the same id: one document).
    const doc = 'seed-witkoff-moscow';
    const row = (p) => p.locator(`.doc[data-doc-id="${doc}"]`);
    const member = (p, who) => row(p).locator(`.doc-team-member[data-annotator="${who}"]`);
    await member(B.page, 'alice').waitFor();
    await member(A.page, 'bob').waitFor();
    // A works on it: accepts a suggestion and marks it done.
    await row(A.page).locator('.doc-open').click();
    await A.page.locator('.doc-current[data-doc-id="' + doc + '"]').waitFor();
    const pendingBefore = Number(await row(A.page).locator('.doc-pending').getAttribute('data-pending'));
    await A.page.locator('article mark').first().focus();
    await A.page.keyboard.press('Enter');
    await until('the accept counted', async () =>
      Number(await row(A.page).locator('.doc-pending').getAttribute('data-pending')) < pendingBefore);
    await row(A.page).locator('select.doc-status').selectOption('done');
    await A.page.locator('[data-save-status=saved]').waitFor();
    const pending = await row(A.page).locator('.doc-pending').getAttribute('data-pending');
    // B sees it without reloading.
    await B.page.locator(`.doc[data-doc-id="${doc}"] .doc-team-member[data-annotator="alice"][data-status="done"][data-pending="${pending}"]`)
      .waitFor({ timeout: 30_000 });
    const text = await member(B.page, 'alice').textContent();
    assert(/alice: Done/.test(text) && (pending === '0' || text.includes(`${pending} pending`)), `B shows: ${text}`);
    // B's own entry is untouched by A's.
    assert((await row(B.page).getAttribute('data-status')) !== 'done', 'A\'s status became B\'s');
  });

  await check('(j) the agreement of A and B from their synced records equals `newsmark agree` on their exports', async () => {
    const doc = 'seed-witkoff-moscow';
    // B works on the shared article too, differently from A (see (i)).
    await B.page.locator(`.doc[data-doc-id="${doc}"] .doc-open`).click();
    await B.page.locator(`.doc-current[data-doc-id="${doc}"]`).waitFor();
    for (let i = 0; i < 2; i++) {
      await B.page.locator('article mark').first().focus();
      await B.page.keyboard.press('Delete');
    }
    await B.page.locator('[data-save-status=saved]').waitFor();
    await until('both profiles and the server to hold the same records', converged);
    const dir = await mkdtemp(path.join(process.env.TMPDIR || tmpdir(), 'newsmark-sync-agree-'));
    try {
      const files = [];
      for (const p of [A, B]) {
        const json = await exportJson(p.page);
        assert(json.document.id === doc, `${p.name} exported ${json.document.id}`);
        files.push(path.join(dir, `${p.name}.json`));
        await writeFile(files.at(-1), JSON.stringify(json));
      }
      const cli = agreeCli(BIN, files[0], files[1]);
      assert(cli.entities_exact.f < 1, 'the two versions should disagree');
      await B.page.getByRole('button', { name: 'Agreement…' }).click();
      await B.page.locator('select[data-side-annotator="A"]').selectOption('alice');
      await B.page.locator('select[data-side-annotator="B"]').selectOption('bob');
      const rows = await checkAgreementFigures(B.page, cli);
      const compared = await B.page.locator('.agree-result').textContent();
      assert(/1 document\(s\) compared/.test(compared), `compared: ${compared}`);
      assert(rows >= 2, `${rows} rows compared`);
      // Their versions open in the Adjudicate view under their names.
      await B.page.locator(`.agree-docs button[data-doc="${doc}"]`).click();
      await B.page.locator('section.adjudicate').waitFor();
      const names = await B.page.locator('.adj-progress').textContent();
      assert(/annotators alice, bob/.test(names), `the Adjudicate view names alice and bob: ${names}`);
      await B.page.locator('.adj-header').getByRole('button', { name: 'Close' }).click();
      await B.page.locator('article mark').first().waitFor();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  await check('(k) an owner assigns a document: the editor\'s queue shows it, they start it, everyone sees the progress', async () => {
    const doc = 'alice-story-2';
    // alice (A) assigns one of her articles to bob, who does not have it.
    const field = (p) => p.locator(`.doc[data-doc-id="${doc}"] .doc-assign-to`);
    await field(A.page).fill('bob');
    await field(A.page).press('Tab');
    await A.page.locator('[data-save-status=saved]').waitFor();
    // bob's queue shows it, not started, and who assigned it.
    const queued = B.page.locator(`.assigned .assigned-doc[data-doc-id="${doc}"]`);
    await B.page.locator(`.assigned .assigned-doc[data-doc-id="${doc}"][data-status="not-started"]`).waitFor({ timeout: 30_000 });
    assert(/assigned by alice/.test(await queued.textContent()), `queue: ${await queued.textContent()}`);
    assert(await A.page.locator('.assigned').count() === 0, 'alice has no queue');
    // He starts it: the article (as sync brought it) joins his list, pre-annotated, open.
    await queued.locator('button').click();
    await B.page.locator(`.doc[data-doc-id="${doc}"]`).waitFor();
    await B.page.locator(`article[data-document="${doc}"] mark`).first().waitFor();
    await B.page.locator('.project-progress').waitFor({ state: 'detached' });
    await B.page.locator('[data-save-status=saved]').waitFor();
    await B.page.locator(`.assigned .assigned-doc[data-doc-id="${doc}"][data-status="new"]`).waitFor();
    // The same document for both (same article, same key): each sees the other's progress.
    await B.page.locator(`.doc[data-doc-id="${doc}"] .doc-team-member[data-annotator="alice"]`).waitFor();
    await A.page.locator(`.doc[data-doc-id="${doc}"] .doc-team-member[data-annotator="bob"]`).waitFor({ timeout: 30_000 });
    const onB = await namedRecords(B.page);
    assert(onB.includes(`meta:${doc}:bob`) && onB.includes(`meta:${doc}:alice`), `records on B: ${onB.filter((n) => n.includes(doc)).join(' ')}`);
    // Only the owner changes it: bob sees it read-only.
    assert(await field(B.page).isDisabled(), 'bob can change alice\'s assignment');
    assert((await field(B.page).inputValue()) === 'bob', `bob sees: ${await field(B.page).inputValue()}`);
    // One record, written by alice, on the server.
    const r = await http('GET', `${couch.adminDb}/_all_docs?include_docs=true&startkey="assign:"&endkey="assign:\ufff0"`);
    const bodies = r.body.rows.map((x) => JSON.parse(x.doc.body));
    assert(bodies.length === 1 && bodies[0].doc === doc && bodies[0].owner === 'alice' && JSON.stringify(bodies[0].to) === '["bob"]',
      `assign records: ${JSON.stringify(bodies)}`);
  });

  let resumed = true;
  await check('(c) the server stopped mid-sync and restarted loses nothing', async () => {
    await couch.pause();
    resumed = false;
    const importing = importJsonl(A.page, jsonl('alice-offline', 5));
    importing.catch(() => {}); // awaited below; never an unhandled rejection meanwhile
    await waitState(A.page, 'offline', 60_000);
    await importing;
    const text = await A.page.locator('.sync-status').textContent();
    assert(/offline/.test(text), `offline message: ${text}`);
    await couch.resume();
    resumed = true;
    const a = await localRecords(A.page);
    const all = await until('both profiles and the server to hold the same records again', converged, 90_000);
    noneLost(a, all);
    await waitState(A.page, 'synced');
    assert((await namedRecords(B.page)).filter((n) => n.startsWith('meta:alice-offline-')).length === 5, 'the five offline imports reached B');
  });

  if (!resumed) await couch.resume(); // the later checks need the server even if (c) failed

  await check('(h) the browser going offline and back resumes at once', async () => {
    await A.context.setOffline(true);
    try {
      await waitState(A.page, 'offline');
      await importJsonl(A.page, jsonl('while-offline', 2));
    } finally {
      await A.context.setOffline(false);
    }
    const a = await localRecords(A.page);
    const all = await until('both profiles and the server to hold the same records', converged);
    noneLost(a, all);
    assert((await namedRecords(B.page)).some((n) => n.startsWith('meta:while-offline-')), 'the offline import synced');
    await waitState(A.page, 'synced');
  });
  await check('(d) 200 documents sync from one editor to the other', async () => {
    // Live sync starts while A imports: the clock runs from the import's start.
    const start = Date.now();
    await importJsonl(A.page, jsonl('bulk', 200));
    const t0 = Date.now();
    const bulk = (named) => named.filter((n) => /^(text|meta|ann|edit):bulk-/.test(n));
    const a = bulk(await namedRecords(A.page));
    await until('200 documents on B', async () => {
      const b = new Set(bulk(await namedRecords(B.page)));
      return a.every((id) => b.has(id));
    }, 300_000);
    const seconds = (Date.now() - t0) / 1000;
    const total = (Date.now() - start) / 1000;
    const n = a.filter((x) => x.startsWith('meta:')).length;
    assert(n === 200, `only ${n} bulk documents`);
    const all = await until('both profiles and the server to hold the same records', converged, 120_000);
    console.log(`     sync of ${n} documents (${Object.keys(all).length} records in all) from A to B: on B ${total.toFixed(1)} s after A's import started (the import itself ${((t0 - start) / 1000).toFixed(1)} s), ${seconds.toFixed(1)} s after A stored the last one`);
  });

  await check('(f) a conflict is shown in both profiles and its losing revision can be exported', async () => {
    // One record edited on two devices while apart: made on the server with two
    // revisions (new_edits: false), as a replication of both would leave it.
    const id = 'conflict-probe';
    const r = await http('POST', `${couch.adminDb}/_bulk_docs`, { new_edits: false, docs: [
      { _id: id, _rev: '1-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', body: '{"device":"one"}' },
      { _id: id, _rev: '1-bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb', body: '{"device":"two"}' },
    ] });
    assert(r.status === 201, `conflict setup: ${r.status}`);
    for (const p of [A.page, B.page]) {
      await p.locator(`.sync-status`).filter({ hasText: 'conflict' }).waitFor();
      await openTeam(p);
      await p.locator(`[data-conflict="${id}"]`).waitFor();
      const [download] = await Promise.all([p.waitForEvent('download'),
        p.locator(`[data-conflict="${id}"] button`).click()]);
      const losers = JSON.parse(await readFile(await download.path(), 'utf8'));
      // PouchDB's deterministic winner is the higher revision hash: "bbb…"; "aaa…" lost.
      assert(losers.length === 1 && losers[0].rev === '1-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' && losers[0].body === '{"device":"one"}',
        `losing versions: ${JSON.stringify(losers)}`);
      await closeDialog(p);
    }
  });

  await check('(e) a 100-edit session syncs incrementally: bytes sent per edit', async () => {
    const { errors } = B;
    await B.close();
    B = { errors, close: async () => {} };
    const page = A.page;
    // Any document with marks (which project list each side shows after sync is the
    // storage layout's business, not this test's).
    await page.locator('.doc .doc-open').first().click();
    await page.locator('article mark').first().waitFor();
    await waitState(page, 'synced');
    couch.counter.reset();
    const edits = 100;
    for (let i = 0; i < edits; i++) {
      const before = await localRecords(page);
      await page.locator('article mark').first().focus();
      await page.keyboard.press(i % 2 ? '1' : '2');
      await until('the edit stored', async () => JSON.stringify(await localRecords(page)) !== JSON.stringify(before));
      await until(`edit ${i + 1} on the server`, async () =>
        JSON.stringify(await localRecords(page)) === JSON.stringify(await serverRecords()));
    }
    const { bytes, requests, byKind } = couch.counter;
    console.log(`     ${edits} edits: ${bytes} request-body bytes sent in ${requests} requests, ${Math.round(bytes / edits)} bytes per edit`);
    console.log(`     by request: ${Object.entries(byKind).map(([k, v]) => `${k} ${v}`).join(', ')}`);
    assert(bytes > 0, 'nothing was sent');
  });

  await check('(g) sign out ends the session and the sync; local work stays and stays local', async () => {
    const page = A.page;
    await openTeam(page);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await waitState(page, 'signed-out');
    await until('the server to forget the session', async () =>
      (await page.evaluate((s) => newsmarkPouch.sessionUser(s), couch.url)) === null);
    await closeDialog(page);
    // A reload keeps it signed out.
    await page.reload();
    await ready(page);
    assert((await syncState(page)) === 'signed-out', `after a reload: ${await syncState(page)}`);
    const before = await localRecords(page);
    const onServer = await serverRecords();
    couch.counter.reset();
    await importJsonl(page, jsonl('after-sign-out', 1));
    const after = await localRecords(page);
    // Edit records may go: closing a document folds its log into its snapshot.
    const lost = Object.keys(before).filter((id) => !(id in after) && !id.startsWith('edit:'));
    assert(lost.length === 0, `sign-out lost local records: ${lost.join(' ')}`);
    assert((await namedRecords(page)).some((n) => n.startsWith('meta:after-sign-out-')), 'the new import is stored');
    // A live push starts within milliseconds of a local write; none reached the server.
    assert(couch.counter.requests === 0, `${couch.counter.requests} requests reached the server after sign-out`);
    assert(JSON.stringify(await serverRecords()) === JSON.stringify(onServer), 'an import after sign-out reached the server');
  });

  await check('(l) another user signs in on the same browser: their list and their document, never the previous user\'s', async () => {
    const page = A.page;
    const before = await listed(page);
    assert(before.open === 'after-sign-out-1' && !before.ids.some((id) => id.startsWith('bob-story-')), `alice's list: ${JSON.stringify(before)}`);
    await signIn(page, 'bob', 'bob-pw');
    await waitState(page, 'synced');
    await closeDialog(page);
    const now = await until('bob\'s list on screen', async () => {
      const l = await listed(page).catch(() => null);
      return l && l.ids.some((id) => id.startsWith('bob-story-')) && l;
    });
    assert(!now.ids.includes('after-sign-out-1'), `alice's open document joined bob's list: ${JSON.stringify(now)}`);
    assert(now.open && now.ids.includes(now.open), `the open document is bob's: ${JSON.stringify(now)}`);
    assert(await page.locator(`article[data-document="${now.open}"]`).count() === 1, 'the article shown is the one listed as open');
    await page.locator('[data-save-status=saved]').waitFor();
    assert(!(await namedRecords(page)).some((n) => /^(meta|ann|edit):after-sign-out-1:bob/.test(n)), 'alice\'s work was stored as bob\'s');
    // A member with nothing listed yet starts as on a first visit: the sample, theirs.
    await signIn(page, 'dave', 'dave-pw');
    await waitState(page, 'synced');
    await closeDialog(page);
    const dave = await until('dave\'s list on screen', async () => {
      const l = await listed(page).catch(() => null);
      return l && !l.ids.some((id) => id.startsWith('bob-story-')) && l;
    });
    assert(JSON.stringify(dave.ids) === JSON.stringify([SAMPLE]) && dave.open === SAMPLE, `dave's list: ${JSON.stringify(dave)}`);
    assert(await page.locator(`article[data-document="${SAMPLE}"]`).count() === 1, 'the sample is shown');
    await page.locator('[data-save-status=saved]').waitFor();
    const daves = (await namedRecords(page)).filter((n) => /^(meta|ann|edit):.*:dave(:|$)/.test(n));
    assert(daves.length > 0 && daves.every((n) => n.includes(`:${SAMPLE}:`)), `dave's records are the sample's only: ${daves.join(' ')}`);
  });

  await check('no unexpected console errors in either profile', async () => {
    const errors = [...A.errors, ...B.errors];
    assert(errors.length === 0, errors.join('\n'));
  });
} finally {
  for (const p of [A, B]) if (p) await p.close().catch(() => {});
  await couch.stop();
  server.close();
}
finish('sync end-to-end');
