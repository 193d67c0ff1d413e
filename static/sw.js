// newsmark's service worker: after the first visit the app loads and works offline.
//
// Cache-first for the app's own files, one cache per build: tools/sw_precache.py (a Trunk
// post-build hook) replaces BUILD with a hash of every file in dist/ and FILES with their
// names, so a new deploy installs a fresh cache. All URLs are relative to the worker's
// scope, so dist/ works under any sub-path; the scope is part of the cache name, so two
// copies on one origin never share a cache.
//
// Updates never break an open tab: a new version installs and then WAITS (no skipWaiting
// on update), so open tabs keep the worker and files they started with. The page shows
// "a new version is ready" and, when the user clicks, posts "skip-waiting"; it reloads
// once the new worker controls it. Only the very first install takes over at once (no
// tab runs an older version then). On activation the previous build's cache is kept, so
// a tab still on that build (another window) finds its files; older ones are dropped.
"use strict";

const BUILD = "__NEWSMARK_BUILD__";
const FILES = ["./"]; /* __NEWSMARK_FILES__ */
const SCOPE = self.registration.scope;
const PREFIX = "newsmark:" + SCOPE + ":";
const CACHE = PREFIX + BUILD;

// Files whose name carries a hash of their content (Trunk's page files, the models named
// by tools/models.py): the same name is the same bytes, so an update takes them from an
// earlier build's cache instead of the network. A model update therefore downloads the
// model, not the app, and an app update not the models.
const HASHED = /-[0-9a-f]{16}(_bg)?\.(js|wasm|css|bin)$/;

/** An earlier build's cached copy of `url`, if its name is content-hashed. */
async function reusable(url) {
  if (!HASHED.test(new URL(url).pathname)) return undefined;
  for (const key of (await caches.keys()).filter((k) => k.startsWith(PREFIX) && k !== CACHE).reverse()) {
    const old = await (await caches.open(key)).match(url);
    if (old) return old;
  }
  return undefined;
}

async function precache() {
  const cache = await caches.open(CACHE);
  const urls = FILES.map((f) => new URL(f, SCOPE).href);
  const fetched = [];
  for (const url of urls) {
    const old = await reusable(url);
    if (old) await cache.put(url, old);
    else fetched.push(url);
  }
  await cache.addAll(fetched);
}

self.addEventListener("install", (event) => {
  const first = !self.registration.active;
  event.waitUntil(precache().then(() => (first ? self.skipWaiting() : undefined)));
});

self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "skip-waiting") self.skipWaiting();
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => {
        // Cache names come back in creation order: keep this build's and the one before.
        const older = keys.filter((k) => k.startsWith(PREFIX) && k !== CACHE);
        return Promise.all(older.slice(0, -1).map((k) => caches.delete(k)));
      })
      .then(() => self.clients.claim()),
  );
});

/** The cached answer: this build's cache first, then the previous build's. */
async function cached(request) {
  const hit = await (await caches.open(CACHE)).match(request, { ignoreSearch: true });
  if (hit) return hit;
  for (const key of (await caches.keys()).filter((k) => k.startsWith(PREFIX) && k !== CACHE).reverse()) {
    const old = await (await caches.open(key)).match(request, { ignoreSearch: true });
    if (old) return old;
  }
  return undefined;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || !request.url.startsWith(SCOPE)) return;
  event.respondWith(
    caches.open(CACHE).then(async (cache) => {
      const hit = await cached(request);
      if (hit) return hit;
      try {
        const response = await fetch(request);
        if (response.ok && new URL(request.url).origin === self.location.origin) {
          cache.put(request, response.clone());
        }
        return response;
      } catch (offline) {
        // Offline and not cached: a page navigation still gets the app shell.
        if (request.mode === "navigate") {
          const shell = await cache.match(SCOPE);
          if (shell) return shell;
        }
        throw offline;
      }
    }),
  );
});
