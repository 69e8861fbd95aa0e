// The service worker of one build. `BUILD` above (written by the build) lists every file of the
// site with the start of its SHA-256 (`precache`: fetched when the worker installs, the whole
// site when it is small; `onDemand`: the rest of a large site, cached as it is read), and
// `version` hashes them all: a new build is a new sw.js, which the browser installs beside the
// running one.
//
// Never a mix of two builds:
// - install fills a fresh cache named after the version with every precached file of the
//   build, each checked against its hash (a file the HTTP cache or a CDN kept from another build
//   fails the check); one missing or different file fails the whole install and the cache is
//   deleted, so the running version keeps serving and the next visit tries again;
// - a file read on demand is cached only when its hash is this build's;
// - a version answers only from its own cache, so a page and its files come from one build;
// - activate deletes this site's other caches and takes over open pages at once, and
//   static/offline.js reloads a page when a new version takes it over.
// Strict mode: the build writes 'use strict' above `BUILD`.

const SCOPE = self.registration.scope; // the site root: https://user.github.io/course/
const PREFIX = 'coursebook ' + SCOPE + ' '; // other sites of the same origin keep their caches
const CACHE = PREFIX + BUILD.version;
const listed = (files) => files.map(([path, hash]) => [new URL(path, SCOPE).href, hash]);
const PRECACHE = new Map(listed(BUILD.precache));
const HASHES = new Map([...PRECACHE, ...listed(BUILD.onDemand)]);
const NOT_FOUND = new URL('404.html', SCOPE).href;

async function digest(bytes) {
  const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(hash, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The file at `url` as this build has it: reused from an older cache when unchanged. */
async function fetchFile(url, hash) {
  const old = await caches.match(url, { ignoreVary: true });
  if (old) {
    const body = await old.arrayBuffer();
    if ((await digest(body)).startsWith(hash)) return new Response(body, { headers: old.headers });
  }
  const response = await fetch(url, { cache: 'reload' });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  const body = await response.arrayBuffer();
  if (!(await digest(body)).startsWith(hash)) {
    throw new Error(`${url} is not the file of build ${BUILD.version}`);
  }
  const type = response.headers.get('Content-Type');
  return new Response(body, { headers: type ? { 'Content-Type': type } : {} });
}

async function precache() {
  await caches.delete(CACHE); // what an interrupted install of this version left
  const cache = await caches.open(CACHE);
  try {
    await Promise.all(
      [...PRECACHE].map(async ([url, hash]) => cache.put(url, await fetchFile(url, hash))),
    );
  } catch (err) {
    await caches.delete(CACHE);
    throw err;
  }
}

self.addEventListener('install', (event) => {
  event.waitUntil(precache().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(
        names.filter((n) => n.startsWith(PREFIX) && n !== CACHE).map((n) => caches.delete(n)),
      );
      await self.clients.claim();
    })(),
  );
});

async function respond(request) {
  const url = new URL(request.url);
  url.search = '';
  url.hash = '';
  const key = url.href.endsWith('/') ? url.href + 'index.html' : url.href;
  const cache = await caches.open(CACHE);
  const hit = HASHES.has(key) && (await cache.match(key, { ignoreVary: true }));
  if (hit) return hit;
  const navigate = request.mode === 'navigate';
  if (navigate && HASHES.has(key + '/index.html')) return Response.redirect(key + '/', 301);
  if (HASHES.has(key) && !PRECACHE.has(key)) {
    const file = await fetchFile(key, HASHES.get(key)).catch(() => null);
    if (file) {
      await cache.put(key, file.clone());
      return file;
    }
  }
  try {
    return await fetch(request);
  } catch (err) {
    const page = navigate && (await cache.match(NOT_FOUND, { ignoreVary: true }));
    if (!page) throw err;
    return new Response(page.body, { status: 404, statusText: 'Not Found', headers: page.headers });
  }
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method === 'GET' && request.url.startsWith(SCOPE)) {
    event.respondWith(respond(request));
  }
});
