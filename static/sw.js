// newsmark's service worker: after the first visit the app loads and works offline.
//
// Cache-first for the app's own files, one cache per build: tools/sw_precache.py (a Trunk
// post-build hook) replaces BUILD with a hash of every file in dist/ and FILES with their
// names, so a new deploy installs a fresh cache and the old one is dropped on activation.
// All URLs are relative to the worker's scope, so dist/ works under any sub-path; the
// scope is part of the cache name, so two copies on one origin never share a cache.
"use strict";

const BUILD = "__NEWSMARK_BUILD__";
const FILES = ["./"]; /* __NEWSMARK_FILES__ */
const SCOPE = self.registration.scope;
const PREFIX = "newsmark:" + SCOPE + ":";
const CACHE = PREFIX + BUILD;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(FILES.map((f) => new URL(f, SCOPE).href)))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith(PREFIX) && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || !request.url.startsWith(SCOPE)) return;
  event.respondWith(
    caches.open(CACHE).then(async (cache) => {
      const hit = await cache.match(request, { ignoreSearch: true });
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
