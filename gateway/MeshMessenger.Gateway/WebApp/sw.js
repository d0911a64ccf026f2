// Service worker (W3C Service Workers): the app opens with no internet, while the gateway restarts, or when it is
// unreachable for a while. The app shell is precached at install and served network-first with a short timeout, the
// cached copy only when the gateway cannot answer, so an updated gateway's app is taken on the next load and an old
// shell never drives a newer runtime. This gives offline use, not protection from the gateway: the gateway serves
// this file and the app code, so a gateway that served altered code could take keys (docs/protocol.md §9).
// Fingerprinted /_framework/ files (name.hash.ext: the content never changes under a name) are cache-first; the
// unfingerprinted loader (dotnet.js) is network-first like the shell. The page also hands over the list of files it
// loaded before this worker controlled it, so the first visit's files are cached too. /api/* is network-first.

const VERSION = 'mm-shell-v1';
const FRAMEWORK = 'mm-framework-v1';
const FINGERPRINTED = /\.[a-z0-9]{8,16}\.(wasm|js|dat|json)$/;
const SHELL_TIMEOUT_MS = 4000;
const SHELL = [
  '/', '/index.html', '/app.css', '/app.js', '/keystore.js', '/link.js', '/meshnode.js', '/photo.js', '/qr.js',
  '/lib/jsQR.js', '/lib/qrcode.js', '/manifest.webmanifest', '/icon.svg', '/icon-192.png', '/icon-512.png',
];

self.addEventListener('install', event => {
  event.waitUntil((async () => {
    const cache = await caches.open(VERSION);
    // One by one: a file this gateway does not have (yet) must not stop the others from being cached.
    await Promise.all(SHELL.map(async path => {
      try {
        const response = await fetch(path, { cache: 'reload' });
        if (response.ok) await cache.put(path, response);
      } catch { /* offline during install: the next install tries again */ }
    }));
    // The public, shared answers a page needs to draw itself offline (gateway name, demo devices).
    const api = await caches.open(VERSION + '-api');
    await Promise.all(['/api/gateway', '/api/devices'].map(async path => {
      try {
        const response = await fetch(path, { cache: 'reload' });
        if (response.ok) await api.put(path, response);
      } catch { /* cached by the next successful fetch */ }
    }));
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', event => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name !== VERSION && name !== VERSION + '-api' && name !== FRAMEWORK) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

// The page sends { cache: [urls] }: the /_framework/ files it loaded before this worker controlled it.
self.addEventListener('message', event => {
  const urls = (event.data && Array.isArray(event.data.cache) ? event.data.cache : [])
    .filter(u => typeof u === 'string' && new URL(u, self.location.origin).pathname.startsWith('/_framework/'));
  event.waitUntil((async () => {
    const cache = await caches.open(FRAMEWORK);
    for (const url of urls) {
      if (await cache.match(url)) continue;
      try {
        const response = await fetch(url);
        if (response.ok) await cache.put(url, response);
      } catch { /* offline: cached on the next fetch */ }
    }
  })());
});

self.addEventListener('fetch', event => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname === '/api/link' || url.pathname === '/api/events') return; // streams: never cached
  if (url.pathname.startsWith('/api/')) {
    event.respondWith(networkFirst(request));
  } else if (url.pathname.startsWith('/_framework/')) {
    event.respondWith(FINGERPRINTED.test(url.pathname) ? cacheFirst(request, FRAMEWORK) : networkFirstFile(request, FRAMEWORK, url.pathname));
  } else {
    event.respondWith(shell(request, url));
  }
});

async function networkFirst(request) {
  const cache = await caches.open(VERSION + '-api');
  try {
    const response = await fetch(request);
    // Only public, shared answers are kept for offline use; a device's own data is not.
    if (response.ok && /^\/api\/(gateway|devices|nodes|anchoring)$/.test(new URL(request.url).pathname)) await cache.put(request, response.clone());
    return response;
  } catch (error) {
    const cached = await cache.match(request);
    if (cached) return cached;
    return new Response(JSON.stringify({ title: 'offline', detail: 'The gateway cannot be reached right now.' }),
      { status: 503, headers: { 'content-type': 'application/problem+json' } });
  }
}

async function cacheFirst(request, name) {
  const cache = await caches.open(name);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

async function shell(request, url) {
  const path = request.mode === 'navigate' ? '/' : url.pathname;
  return networkFirstFile(request, VERSION, request.mode === 'navigate' || SHELL.includes(path) ? path : null);
}

// The network within SHELL_TIMEOUT_MS, else the cached copy under `key` (null: never cached).
async function networkFirstFile(request, name, key) {
  const cache = await caches.open(name);
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), SHELL_TIMEOUT_MS);
  try {
    const response = await fetch(request, request.mode === 'navigate' ? {} : { signal: abort.signal });
    if (response.ok && key) await cache.put(key, response.clone());
    return response;
  } catch (error) {
    const cached = key ? await cache.match(key) : undefined;
    if (cached) return cached;
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
