// newsmark's bridge to PouchDB (src/ui/pouch.rs binds these functions from Rust).
//
// PouchDB itself (node_modules/pouchdb/dist/pouchdb.min.js, copied into dist/ at build
// time; nothing is fetched from elsewhere) is loaded on first use, after the first paint,
// unless the page already has it (the single-file build inlines it). Records cross the
// boundary as {id, rev, body} with `body` a JSON string, so a record that fails to parse is
// Rust's to report, never lost in a conversion here.
"use strict";
(function () {
  let loading = null;

  function pouch() {
    if (globalThis.PouchDB) return Promise.resolve(globalThis.PouchDB);
    if (!loading) {
      loading = new Promise((resolve, reject) => {
        const s = document.createElement("script");
        s.src = new URL("pouchdb.min.js", document.baseURI).href;
        s.onload = () =>
          globalThis.PouchDB ? resolve(globalThis.PouchDB) : reject(new Error("pouchdb.min.js did not define PouchDB"));
        s.onerror = () => {
          loading = null;
          reject(new Error("pouchdb.min.js could not be loaded"));
        };
        document.head.appendChild(s);
      });
    }
    return loading;
  }

  // A thrown PouchDB error as {status, name, message}, which Rust classifies.
  function plain(e) {
    return {
      status: (e && e.status) || 0,
      name: String((e && (e.name || e.error)) || "Error"),
      message: String((e && (e.message || e.reason)) || e),
    };
  }

  // Record ids that stay in this browser (see `core::project::records`: `local:…`, and
  // `meta:<doc>:local`, `ann:<doc>:local`, `edit:<doc>:local:<seq>`, `ledger:local`).
  const NEVER_PUSHED = /^(local:|(meta|ann):[^:]*:local$|edit:[^:]*:local:|ledger:local$)/;
  const wrap = (p) => p.catch((e) => Promise.reject(plain(e)));

  // Live replications running. While one runs, a request PouchDB's live changes feed had
  // in flight when the server went away can reject with nobody listening (apache/pouchdb
  // #4442): the replication itself notices, reports `paused` with the error and retries,
  // so such a network failure is not a fault of the page. Only that case is silenced:
  // a TypeError from fetch ("Failed to fetch", Firefox's "NetworkError…") while syncing.
  let live = 0;
  if (typeof window !== "undefined") {
    window.addEventListener("unhandledrejection", (e) => {
      const r = e.reason;
      if (live > 0 && r instanceof TypeError && /fetch|network/i.test(r.message || "")) e.preventDefault();
    });
  }

  function record(doc) {
    return { id: doc._id, rev: doc._rev, body: typeof doc.body === "string" ? doc.body : JSON.stringify(doc) };
  }

  globalThis.newsmarkPouch = {
    // Opens (creating on first use) a local database in IndexedDB.
    open(name) {
      return wrap(
        pouch().then((PouchDB) => {
          const db = new PouchDB(name, { adapter: "idb", auto_compaction: true, revs_limit: 50 });
          return db.info().then(() => db);
        }),
      );
    },
    // {id, rev, body} or null when there is no such record (or it was deleted).
    get(db, id) {
      return wrap(
        db.get(id).then(record, (e) => (e && e.status === 404 ? null : Promise.reject(e))),
      );
    },
    // Every live record whose id starts with `prefix`, as [{id, rev, body}].
    all(db, prefix) {
      return wrap(
        db
          .allDocs({ include_docs: true, startkey: prefix, endkey: prefix + "\uffff" })
          .then((r) => r.rows.filter((x) => x.doc).map((x) => record(x.doc))),
      );
    },
    // Writes `body` over revision `rev` (null: a new record); resolves to the new revision.
    // A stale `rev` rejects with status 409 and writes nothing.
    put(db, id, rev, body) {
      const doc = { _id: id, body };
      if (rev) doc._rev = rev;
      return wrap(db.put(doc).then((r) => r.rev));
    },
    remove(db, id, rev) {
      return wrap(db.remove(id, rev).then((r) => r.rev));
    },
    // Calls onChange(id, rev, deleted) for every change made after now, by this tab or
    // another tab of the same browser; returns a function that stops the feed.
    watch(db, onChange) {
      const feed = db.changes({ since: "now", live: true });
      feed.on("change", (c) => onChange(c.id, c.changes && c.changes[0] ? c.changes[0].rev : "", !!c.deleted));
      return () => feed.cancel();
    },
    destroy(db) {
      return wrap(db.destroy().then(() => undefined));
    },

    // ---- Team sync (src/ui/sync.rs binds these). The password only passes through
    // `login`; CouchDB answers with an AuthSession cookie that the browser keeps (HttpOnly)
    // and sends with every later request (PouchDB's fetch uses credentials: "include").

    // Whether this page's Content-Security-Policy lets it connect to `origin`: index.html
    // narrows connect-src at start to the page's origin plus localStorage's sync server.
    connectAllowed(origin) {
      if (origin === location.origin) return true;
      const metas = document.querySelectorAll('meta[http-equiv="Content-Security-Policy"]');
      const narrow = metas.length > 1 ? metas[metas.length - 1].content : "";
      return narrow.split(/\s+/).includes(origin);
    },
    // POST {server}/_session; resolves to the user name the server signed in.
    login(server, name, password) {
      return wrap(
        session(server, "POST", JSON.stringify({ name, password })).then((b) => String(b.name || name)),
      );
    },
    // The name of the user whose session cookie the server still accepts, or null.
    sessionUser(server) {
      return wrap(session(server, "GET").then((b) => (b.userCtx && b.userCtx.name) || null));
    },
    logout(server) {
      return wrap(session(server, "DELETE").then(() => undefined));
    },
    // Live two-way replication of `db` with the remote database `url`. `local:` records
    // never leave, nor do the records of the annotator `local` (work from before the
    // first sign-in, which the storage moves to the signed-in user's name: only the moved
    // copies travel, see `Store::set_annotator`). Calls onEvent(kind, direction, detail)
    // with kind one of active, change, paused, denied, error, conflicts; detail is
    // {status, name, message} for failures, {docs} for a change, {ids} for conflicts.
    // Resolves (after checking that the remote database admits this user) to a function
    // that stops the replication.
    sync(db, url, onEvent) {
      return wrap(
        pouch().then((PouchDB) => {
          const remote = new PouchDB(url, { skip_setup: true });
          return remote.info().then((info) => {
            // pouchdb-server answers 200 with an error body in a few cases.
            if (info && info.error) return Promise.reject({ status: 401, name: info.error, message: info.reason || info.error });
            const s = PouchDB.sync(db, remote, {
              live: true,
              retry: true,
              push: { filter: (doc) => !NEVER_PUSHED.test(doc._id) },
              // Retries every 1 to 15 s while the server is away (PouchDB's default grows
              // without bound); "online" restarts at once.
              back_off_function: (delay) => (delay === 0 ? 1000 : Math.min(delay * 2, 15000)),
            });
            const conflicted = (ids) => {
              if (!ids.length) return;
              Promise.all(ids.map((id) => db.get(id, { conflicts: true }).catch(() => null))).then((docs) => {
                const c = docs.filter((d) => d && d._conflicts && d._conflicts.length).map((d) => d._id);
                if (c.length) onEvent("conflicts", "", { ids: c });
              });
            };
            for (const [dir, rep] of [["push", s.push], ["pull", s.pull]]) {
              rep.on("active", () => onEvent("active", dir, null));
              rep.on("paused", (e) => onEvent("paused", dir, e ? plain(e) : null));
              rep.on("denied", (e) => onEvent("denied", dir, plain(e)));
            }
            s.on("change", (c) => {
              const docs = (c.change && c.change.docs) || [];
              onEvent("change", c.direction, { docs: docs.length });
              conflicted(docs.map((d) => d._id));
            });
            s.on("error", (e) => onEvent("error", "", plain(e)));
            // Conflicts already in the database when sync starts.
            db.allDocs({ conflicts: true, include_docs: true }).then((r) => {
              const ids = r.rows.filter((x) => x.doc && x.doc._conflicts && x.doc._conflicts.length).map((x) => x.id);
              if (ids.length) onEvent("conflicts", "", { ids });
            });
            live += 1;
            let running = true;
            return () => {
              // Stopping twice must not make another replication's errors count as faults.
              if (running) live -= 1;
              running = false;
              s.cancel();
            };
          });
        }),
      );
    },
    // The revisions of `id` that lost a conflict, each as {id, rev, body}: never lost,
    // always retrievable.
    losers(db, id) {
      return wrap(
        db.get(id, { conflicts: true }).then((d) =>
          Promise.all((d._conflicts || []).map((rev) => db.get(id, { rev }).then(record))),
        ),
      );
    },
  };

  // One `_session` request with the session cookie; rejects {status, name, message}.
  function session(server, method, body) {
    const init = { method, credentials: "include", headers: { Accept: "application/json" } };
    if (body) {
      init.headers["Content-Type"] = "application/json";
      init.body = body;
    }
    return fetch(server.replace(/\/+$/, "") + "/_session", init).then(
      (r) =>
        r.json().catch(() => ({})).then((b) =>
          r.ok ? b : Promise.reject({ status: r.status, name: b.error || "error", message: b.reason || r.statusText }),
        ),
      (e) => Promise.reject({ status: 0, name: "unreachable", message: String((e && e.message) || e) }),
    );
  }
  // A returning editor (localStorage names their open document, src/ui/startup.rs) sees
  // "Opening…" until storage is read: PouchDB starts loading now, while the page's wasm is
  // still on its way, rather than when the app first asks. A failure here is not reported:
  // the app's own call tries again and reports it.
  try {
    if (localStorage.getItem("newsmark.reopen")) pouch().catch(() => {});
  } catch (e) {}
})();
