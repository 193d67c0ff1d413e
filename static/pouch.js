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

  const wrap = (p) => p.catch((e) => Promise.reject(plain(e)));

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
  };
})();
