// A CouchDB-protocol test server for the sync suites: npm `pouchdb-server` (pinned in
// package.json) started here on 127.0.0.1 and a free port, on disk in a temporary folder
// (so a stop and restart keeps its data, as a real CouchDB would), with:
//   - an admin (`admin`), real users in `_users`, a team database whose `_security`
//     admits only its members;
//   - CORS with credentials for the app's origin (cookie `_session` auth crosses origins);
//   - a counting proxy in front (the URL the app is given), which counts request-body bytes
//     so a test can measure what a sync sends.
// `startCouch` first checks that the server really enforces `_session` and `_security`
// (wrong password -> 401, non-member -> refused on the database) and throws otherwise, so a
// test never passes against a server that lets everyone in.

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, request } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT } from './lib.mjs';

const BIN = path.join(ROOT, 'node_modules/pouchdb-server/bin/pouchdb-server');

async function freePort() {
  const s = createServer();
  await new Promise((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address();
  await new Promise((resolve) => s.close(resolve));
  return port;
}

/** fetch with a JSON body; resolves to {status, body (parsed or text), headers}. */
export async function http(method, url, body, headers = {}) {
  const u = new URL(url);
  const auth = u.username ? { authorization: 'Basic ' + Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString('base64') } : {};
  u.username = '';
  u.password = '';
  const res = await fetch(u, {
    method, headers: { 'content-type': 'application/json', ...auth, ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed = text;
  try { parsed = JSON.parse(text); } catch { /* text */ }
  return { status: res.status, body: parsed, headers: res.headers };
}

async function expectOk(what, p) {
  const r = await p;
  if (r.status >= 300) throw new Error(`couch setup: ${what} answered ${r.status} ${JSON.stringify(r.body)}`);
  return r;
}

/** Starts pouchdb-server and waits until it answers. */
async function startServer(port, dir) {
  const child = spawn(process.execPath, [BIN, '--port', String(port), '--host', '127.0.0.1', '--dir', path.join(dir, 'data'),
    '--config', path.join(dir, 'config.json'), '--no-stdout-logs', '--no-color'], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  // A test that dies never leaves its server behind.
  const orphan = () => child.kill('SIGKILL');
  process.once('exit', orphan);
  exited.then(() => process.off('exit', orphan));
  for (let i = 0; ; i++) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/`);
      if (r.ok) break;
    } catch { /* not yet listening */ }
    if (child.exitCode !== null) throw new Error(`pouchdb-server exited (${child.exitCode}): ${stderr}`);
    if (i > 600) throw new Error(`pouchdb-server did not answer on port ${port} within 60 s: ${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * Starts the server with `users` ({name: password}), the team database `db` whose members
 * are `members`, CORS for `origin`. Returns {url (through the counting proxy), direct,
 * dbUrl, admin, counter, stop(), pause(), resume()}.
 */
export async function startCouch({ origin, users, members, db = 'team' }) {
  const dir = await mkdtemp(path.join(process.env.TMPDIR || tmpdir(), 'newsmark-couch-'));
  const port = await freePort();
  const direct = `http://127.0.0.1:${port}`;
  let server = await startServer(port, dir);
  const admin = `http://admin:adminpw@127.0.0.1:${port}`;
  try {
    // Admin party ends with the first admin.
    await expectOk('create admin', http('PUT', `${direct}/_config/admins/admin`, 'adminpw'));
    // A fixed session secret in the config file, as Apache CouchDB keeps its own: sessions
    // survive a restart (pouchdb-server otherwise makes a new secret on every start).
    for (const [k, v] of Object.entries({ 'couch_httpd_auth/secret': randomBytes(16).toString('hex'), 'httpd/enable_cors': 'true', 'cors/origins': origin, 'cors/credentials': 'true',
      'cors/methods': 'GET, PUT, POST, HEAD, DELETE', 'cors/headers': 'accept, authorization, content-type, origin, referer' })) {
      await expectOk(`config ${k}`, http('PUT', `${admin}/_config/${k}`, v));
    }
    for (const [name, password] of Object.entries(users)) {
      await expectOk(`user ${name}`, http('PUT', `${admin}/_users/org.couchdb.user:${name}`, { name, password, roles: [], type: 'user' }));
    }
    await expectOk('create db', http('PUT', `${admin}/${db}`));
    await expectOk('_security', http('PUT', `${admin}/${db}/_security`,
      { admins: { names: [], roles: [] }, members: { names: members, roles: [] } }));
    await verifyEnforcement(direct, db, users, members);
  } catch (e) {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
    throw e;
  }

  // The counting proxy: every request body's bytes, by method and database path.
  const counter = { bytes: 0, requests: 0, byKind: {}, reset() { this.bytes = 0; this.requests = 0; this.byKind = {}; } };
  let paused = false;
  const proxy = createServer((req, res) => {
    if (paused) {
      req.socket.destroy();
      return;
    }
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const kind = `${req.method} ${new URL(req.url, direct).pathname.replace(/^\/[^/]+/, '').split('/')[1] || '/'}`;
      counter.bytes += body.length;
      counter.requests += 1;
      counter.byKind[kind] = (counter.byKind[kind] || 0) + body.length;
      const up = request(`${direct}${req.url}`, { method: req.method, headers: { ...req.headers, host: `127.0.0.1:${port}` } }, (r) => {
        res.writeHead(r.statusCode, r.headers);
        r.pipe(res);
      });
      up.on('error', () => req.socket.destroy());
      up.end(body);
    });
  });
  await new Promise((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${proxy.address().port}`;

  return {
    url, direct, admin, dbUrl: `${url}/${db}`, adminDb: `${admin}/${db}`, counter,
    /** Stops the CouchDB server (its data stays on disk): the app sees it unreachable. */
    async pause() {
      paused = true;
      await server.stop();
    },
    /** Starts it again on the same port and data. */
    async resume() {
      server = await startServer(port, dir);
      paused = false;
    },
    async stop() {
      proxy.closeAllConnections?.();
      await new Promise((resolve) => proxy.close(resolve));
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Throws unless `_session` refuses a wrong password and the database refuses a
 *  non-member and an anonymous reader, and admits a member. */
async function verifyEnforcement(direct, db, users, members) {
  const member = members[0];
  const outsider = Object.keys(users).find((u) => !members.includes(u));
  const wrong = await http('POST', `${direct}/_session`, { name: member, password: 'not-the-password' });
  if (wrong.status !== 401) throw new Error(`server does not refuse a wrong password (${wrong.status})`);
  const anon = await http('GET', `${direct}/${db}`);
  if (anon.status !== 401 && anon.status !== 403) throw new Error(`server lets an anonymous reader in (${anon.status})`);
  const login = async (name) => {
    const r = await http('POST', `${direct}/_session`, { name, password: users[name] });
    if (r.status !== 200) throw new Error(`login of ${name} failed (${r.status})`);
    return r.headers.get('set-cookie').split(';')[0];
  };
  const ok = await http('GET', `${direct}/${db}`, undefined, { cookie: await login(member) });
  if (ok.status !== 200) throw new Error(`a member cannot read the database (${ok.status})`);
  if (outsider) {
    const cookie = await login(outsider);
    const read = await http('GET', `${direct}/${db}/_all_docs`, undefined, { cookie });
    const write = await http('PUT', `${direct}/${db}/leak`, { x: 1 }, { cookie });
    if (![401, 403].includes(read.status) || ![401, 403].includes(write.status)) {
      throw new Error(`server lets a non-member in (read ${read.status}, write ${write.status})`);
    }
  }
}
