// Starts the WASM app. Kept outside the HTML so a strict Content-Security-Policy needs no inline
// script. The page names its bundle (<html data-bundle>, see app/src/bundle.rs). Falls back from
// streaming compilation to an ArrayBuffer load (some Android WebViews break streaming compile),
// and shows the readable fallback if the app cannot start. Registers the service worker once the
// app runs.
const BUNDLES = { citizen: '/pkg/', reader: '/pkg-reader/', console: '/pkg-console/' };
const dir = BUNDLES[document.documentElement.getAttribute('data-bundle')] || BUNDLES.citizen;
const GLUE_URL = dir + 'qinglang_app.js';
const WASM_URL = dir + 'qinglang_app_bg.wasm';
const GIVE_UP_MS = 20000;

// The app starts once #boot's main content has been painted and reported (at most 0.5 s), and only
// then are its glue and WASM fetched: the first paint has the network to itself on a slow link, and
// content removed before its paint reaches the screen would never count as the largest contentful
// paint, which would then be the app's own, after the WASM (issue 17). #boot's links work meanwhile.
function bootPainted() {
  return new Promise((resolve) => {
    setTimeout(resolve, 500);
    const types = (self.PerformanceObserver && PerformanceObserver.supportedEntryTypes) || [];
    if (!types.includes('largest-contentful-paint')) return requestAnimationFrame(() => setTimeout(resolve));
    new PerformanceObserver((list) => list.getEntries().some((e) => e.element && e.element.closest('#boot main')) && resolve())
      .observe({ type: 'largest-contentful-paint', buffered: true });
  });
}

function showFallback(reason) {
  const loading = document.getElementById('boot-loading');
  const fallback = document.getElementById('boot-fallback');
  if (loading) loading.hidden = true;
  if (fallback) fallback.hidden = false;
  if (reason) console.error('qinglang: app did not start:', reason);
}

async function start() {
  if (typeof WebAssembly !== 'object') throw new Error('WebAssembly is not available');
  await bootPainted();
  const [glue, response] = await Promise.all([import(GLUE_URL), fetch(WASM_URL)]);
  const init = glue.default;
  try {
    await init({ module_or_path: response });
  } catch (streamingError) {
    // Retry without streaming: fetch the bytes and compile them from memory.
    const retry = await fetch(WASM_URL);
    if (!retry.ok) throw new Error('wasm fetch failed: ' + retry.status);
    const bytes = await retry.arrayBuffer();
    if (!WebAssembly.validate(bytes)) throw streamingError;
    await init({ module_or_path: bytes });
  }
}

const timer = setTimeout(() => { if (document.getElementById('boot')) showFallback('timeout'); }, GIVE_UP_MS);
start().then(() => { clearTimeout(timer); keepForOffline(); }, (e) => { clearTimeout(timer); showFallback(e); });

// The service worker (public/sw.js) caches the citizen shell so the next scan opens offline. An
// enhancement only: iOS WeChat has none, and the outbox works without it.
function keepForOffline() {
  if ('serviceWorker' in navigator) navigator.serviceWorker.register('/sw.js').catch(() => {});
}
