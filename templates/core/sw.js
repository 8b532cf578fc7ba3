/* Volunteer Bank service worker: cache the shell, keep visited pages for offline reading.
   Pages live in their own cache, emptied when someone signs in or out (pwa.js), so one
   person's dashboard is never shown offline to the next person on the same phone. */
const CACHE = "{{ cache_version }}";
const PAGES = "{{ pages_cache }}";
const SHELL = {{ shell|safe }};
// Staff, charity, moderation, admin and account pages: never cached (core/pwa.py NEVER_CACHE).
const NEVER_CACHE = {{ never_cache|safe }};

function neverCached(pathname) {
  const bare = pathname.replace(/^\/(ar|en)(?=\/)/, "");
  return NEVER_CACHE.some((prefix) => bare.startsWith(prefix) || /\/cases\/\d+\/edit\//.test(bare));
}

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((key) => key !== CACHE && key !== PAGES).map((key) => caches.delete(key))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "clear-pages") event.waitUntil(caches.delete(PAGES));
});

function offlinePage(url) {
  return caches.match(url.pathname.startsWith("/en/") ? "/en/offline/" : "/ar/offline/");
}

function isPage(response) {
  // Only HTML pages: never downloads (an export, a calendar file), redirects, or a page the
  // server marked no-store (the case page as its charity's staff see it).
  const cacheControl = response.headers.get("Cache-Control") || "";
  return response.ok && !response.redirected && !/no-store/.test(cacheControl) &&
    (response.headers.get("Content-Type") || "").startsWith("text/html");
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (neverCached(url.pathname)) {
    // Network only; offline, the offline page (never a stored copy).
    if (request.mode === "navigate") event.respondWith(fetch(request).catch(() => offlinePage(url)));
    return;
  }
  if (request.mode === "navigate") {
    // Network first; keep the last good copy so visited pages (the volunteer's
    // dashboard and commitments) read offline.
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (isPage(response)) {
            const copy = response.clone();
            caches.open(PAGES).then((cache) => cache.put(request, copy));
          }
          return response;
        })
        .catch(() => caches.match(request, { cacheName: PAGES }).then((cached) => cached || offlinePage(url)))
    );
    return;
  }
  if (url.pathname.startsWith("/static/")) {
    event.respondWith(
      caches.match(request).then((cached) => cached || fetch(request).then((response) => {
        if (response.ok) {
          const copy = response.clone();
          caches.open(CACHE).then((cache) => cache.put(request, copy));
        }
        return response;
      }))
    );
  }
});

// Web push: show what the server sent ({title, body, url, tag}); a tap opens its page,
// reusing a tab already on it.
self.addEventListener("push", (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch (e) {
    data = { body: event.data ? event.data.text() : "" };
  }
  event.waitUntil(
    self.registration.showNotification(data.title || "Volunteer Bank", {
      body: data.body || "",
      tag: data.tag || undefined,
      icon: "/static/img/icons/icon-192.png",
      badge: "/static/img/icons/icon-96.png",
      data: { url: data.url || "/" },
    })
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const target = new URL((event.notification.data && event.notification.data.url) || "/", self.location.origin).href;
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((windows) => {
      const open = windows.find((client) => client.url === target);
      return open ? open.focus() : self.clients.openWindow(target);
    })
  );
});
