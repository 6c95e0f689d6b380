// The site's service worker: keeps the versioned files of the live cells' Python (the
// site's pyodide/ folder: Pyodide, its wheels, the lock file) in the browser, so that a
// reader's next visit starts Python without downloading it again. GitHub Pages serves
// every file with max-age=600, which the HTTP cache alone would honour by revalidating.
//
// The build (site_src/livecells.py, service_worker()) serves this file at the site's root,
// so that its scope covers every page: a dedicated worker's requests go through the
// service worker of the page that started it. It prepends two constants:
//   CACHE_NAME    "activations-pyodide-<Pyodide version>-<hash of the lock file and image>"
//   PYODIDE_PATH  the folder of those files, relative to the site's root ("pyodide/")
// A build with another lock file (a changed wheel) or image makes another CACHE_NAME, so
// the browser installs the new service worker, which deletes the older caches.
//
// Only GET requests below PYODIDE_PATH are answered, cache first (the file names and the
// cache's name carry the versions); every other request is left to the browser, and so
// are those for the site's Python image: the worker keeps the image itself once it has
// started from it (image.mjs), and a download it gives up (a slow connection) must stop,
// not go on into this cache.

/* global CACHE_NAME, PYODIDE_PATH */

const CACHE_PREFIX = "activations-pyodide-";
const PYODIDE_URL = new URL(PYODIDE_PATH, self.registration.scope).href;
const IMAGE_URL = new URL("image/", PYODIDE_URL).href; // site_src/pyodide_dist.py, IMAGE_DIR
const COMPILED_KEPT = /\.wasm$/; // see cacheFirst

// A new build's service worker takes over at once, and claims the pages already open: the
// first visit fills the cache while Python starts.
self.addEventListener("install", () => self.skipWaiting());

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      const older = names.filter((name) => name.startsWith(CACHE_PREFIX) && name !== CACHE_NAME);
      await Promise.all(older.map((name) => caches.delete(name)));
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.method !== "GET" || !request.url.startsWith(PYODIDE_URL) || request.headers.has("range")) return;
  if (request.url.startsWith(IMAGE_URL)) return;
  event.respondWith(cacheFirst(event));
});

async function cacheFirst(event) {
  const { request } = event;
  const cache = await caches.open(CACHE_NAME);
  const cached = await cache.match(request.url);
  if (cached) return cached;
  const response = await fetch(request);
  // A whole, successful answer only (not an error page, not a part of a file).
  if (response.status !== 200) return response;
  const storing = cache.put(request.url, response.clone());
  if (!COMPILED_KEPT.test(request.url)) {
    event.waitUntil(storing);
    return response;
  }
  // Chrome keeps the machine code it compiled of a .wasm (once it has optimized enough of
  // it) beside the copy it was compiled from: the network's copy on a first visit, this
  // cache's on the next ones, which would never find it. Answered from the cache once the
  // file is in it, the first visit leaves its compiled code where later visits look: a
  // cached visit's first figure about 0.35 s sooner (benchmarks/pyscript_compare.py).
  // A cache that cannot keep it (no room left) leaves the network's copy to answer.
  try {
    await storing;
    return (await cache.match(request.url)) ?? response;
  } catch {
    return response;
  }
}
