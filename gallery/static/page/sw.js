// The gallery's service worker, registered with the scope /g/{token} (one per gallery).
// The page and the API answers: network first, the last answer when offline. The page's script and style:
// the cached copy at once, refreshed in the background. Photos (signed /files/ URLs, whose signature changes):
// cached by path once seen, so a photo viewed before shows offline.
const VERSION = "v1";
const scope = new URL(self.registration.scope).pathname.replace(/\/$/, "");
const token = scope.split("/").pop();
const SHELL = `gallery-shell-${token}-${VERSION}`;
const PHOTOS = `gallery-photos-${token}`;
const MAX_PHOTOS = 400;
const API = `/api/v1/share/${token}`;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(SHELL).then((cache) => cache.add(scope).catch(() => {})).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith(`gallery-shell-${token}-`) && name !== SHELL) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

const isPhoto = (url) => url.pathname.startsWith("/files/");
const photoKey = (url) => new Request(url.origin + url.pathname);

async function trimPhotos(cache) {
  const keys = await cache.keys();
  for (const request of keys.slice(0, Math.max(0, keys.length - MAX_PHOTOS))) await cache.delete(request);
}

async function putPhoto(url, response) {
  if (!response || !(response.ok || response.type === "opaque")) return;
  const cache = await caches.open(PHOTOS);
  await cache.put(photoKey(url), response);
  await trimPhotos(cache);
}

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type !== "warm") return;
  event.waitUntil((async () => {
    const shell = await caches.open(SHELL);
    for (const [url, body] of Object.entries(data.responses || {})) {
      if (new URL(url, self.location.origin).pathname.startsWith(API)) {
        await shell.put(url, new Response(body, { headers: { "Content-Type": "application/json" } }));
      }
    }
    for (const href of data.urls || []) {
      const url = new URL(href);
      if (url.origin !== self.location.origin) continue;
      try {
        if (isPhoto(url)) {
          const cache = await caches.open(PHOTOS);
          if (!(await cache.match(photoKey(url)))) await putPhoto(url, await fetch(href, { credentials: "same-origin" }));
        } else if (url.pathname.startsWith("/static/") || url.pathname === scope || url.pathname.startsWith(`${scope}/`)) {
          await shell.add(new Request(href, { credentials: "same-origin" }));
        }
      } catch { /* offline or gone: skip it */ }
    }
    if (event.ports[0]) event.ports[0].postMessage({ type: "warmed" }); // the page may now count on it offline
  })());
});

async function networkFirst(request, cacheKey = request) {
  const cache = await caches.open(SHELL);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(cacheKey, response.clone());
    return response;
  } catch (error) {
    const cached = await cache.match(cacheKey, { ignoreVary: true });
    if (cached) return cached;
    throw error;
  }
}

async function staleWhileRevalidate(request) {
  const cache = await caches.open(SHELL);
  const cached = await cache.match(request, { ignoreVary: true });
  const fresh = fetch(request).then((response) => {
    if (response.ok) cache.put(request, response.clone());
    return response;
  }).catch(() => cached);
  return cached || fresh;
}

async function photo(request) {
  const url = new URL(request.url);
  const cache = await caches.open(PHOTOS);
  const cached = await cache.match(photoKey(url));
  if (cached) return cached;
  const response = await fetch(request);
  await putPhoto(url, response.clone());
  return response;
}

self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && (url.pathname === scope || url.pathname.startsWith(`${scope}/p/`))) {
    // The gallery's own address is kept; offline, it also answers for a photo's address (the page then opens
    // on the grid rather than on that photo).
    const offline = () => caches.open(SHELL).then((cache) => cache.match(scope, { ignoreSearch: true, ignoreVary: true }));
    event.respondWith(url.pathname === scope ? networkFirst(request, scope).catch(offline)
      : fetch(request).catch(offline));
  } else if (url.pathname.startsWith(API) && !url.pathname.includes("/download")) {
    event.respondWith(networkFirst(request));
  } else if (isPhoto(url)) {
    event.respondWith(photo(request));
  } else if (url.pathname.startsWith("/static/") || url.pathname.startsWith(`${scope}/`)) {
    event.respondWith(staleWhileRevalidate(request));
  }
});
