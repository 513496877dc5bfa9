// Qinglang's service worker. Where the browser has one (not iOS WeChat, where the page's own
// outbox still works, public/outbox.js), the citizen pages open offline: the shell is cached at
// install — so a poster scan with no network still shows the report form, and the outbox queues
// the report — while pages and public data are served from the network when it answers and from
// the last copy when it does not. Plain JavaScript, no libraries; scripts/sw-precache.mjs writes VERSION
// (a hash of the built files) and SHELL (the citizen bundle's files) into dist/sw.js.
//
// Never cached: anything but GET (reports and pictures are sent by the page's outbox, which
// retries), every /api answer but the public ones in DATA (report lookups carry a receipt secret,
// the staff API personal data), the staff console and its bundle.
'use strict';
var VERSION = 'dev';
var SHELL = ['/', '/app.css', '/lang.js', '/boot.js', '/manifest.webmanifest', '/favicon.svg', '/outbox.js', '/evidence.js'];
var CACHE = 'ql-' + VERSION;
// Public GET answers worth showing offline: the report form's categories, the figures, the feed.
var DATA = [/^\/api\/categories$/, /^\/api\/stats$/, /^\/api\/refutations(\/|$)/];
// Paths of the other bundles' pages (app/src/bundle.rs): offline they show their own last copy, never
// the citizen shell (which would hand over to them again).
var OTHER_BUNDLE = /^\/(admin|refutations|stats|track)(\/|$)/;
// How long a page or data request may take before the last copy is shown instead.
var PATIENCE_MS = 4000;

self.addEventListener('install', function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.addAll(SHELL); }).then(function () {
    return self.skipWaiting();
  }));
});

self.addEventListener('activate', function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) { return n.indexOf('ql-') === 0 && n !== CACHE; }).map(function (n) {
      return caches.delete(n);
    }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener('fetch', function (event) {
  var request = event.request;
  if (request.method !== 'GET') return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  var path = url.pathname;
  if (path === '/admin' || path.indexOf('/admin/') === 0 || path.indexOf('/pkg-console/') === 0) return;
  if (request.mode === 'navigate') {
    // The page for a path (one copy per path, whatever its query, e.g. a poster's ?c=); offline,
    // the citizen shell renders any citizen path.
    event.respondWith(fresh(request, path, OTHER_BUNDLE.test(path) ? null : '/'));
  } else if (path.indexOf('/api/') === 0) {
    if (DATA.some(function (re) { return re.test(path); })) event.respondWith(fresh(request, request.url, null));
  } else {
    event.respondWith(cached(request));
  }
});

// Network first; the last good copy when the network fails or is slower than PATIENCE_MS.
function fresh(request, key, fallbackKey) {
  var network = fetch(request).then(function (response) {
    if (response.ok) {
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) { return cache.put(key, copy); });
    }
    return response;
  });
  var last = caches.match(key).then(function (hit) {
    return hit || (fallbackKey ? caches.match(fallbackKey) : undefined);
  });
  return new Promise(function (resolve, reject) {
    var timer = setTimeout(function () { last.then(function (hit) { if (hit) resolve(hit); }); }, PATIENCE_MS);
    network.then(function (response) { clearTimeout(timer); resolve(response); }, function (error) {
      clearTimeout(timer);
      last.then(function (hit) { if (hit) resolve(hit); else reject(error); });
    });
  });
}

// Static files: the copy of this version if there is one, else the network (kept for next time).
function cached(request) {
  return caches.match(request, { ignoreSearch: true }).then(function (hit) {
    return hit || fetch(request).then(function (response) {
      if (response.ok) {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) { return cache.put(request, copy); });
      }
      return response;
    });
  });
}
