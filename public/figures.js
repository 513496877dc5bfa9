// The home page's public figures (received, awaiting review, in progress, closed), loaded lazily by the app
// (app/src/pages/home.rs) after first paint: read and drawn in Rust they cost 2.8 KB brotli of the
// citizen first load (measured), which its 150 KB budget could not take next to the offline outbox.
// The full figures are the reader bundle's /stats page. Plain ES2017 for old WeChat engines; its
// strings are here in the app's three languages (zh-Hans, zh-Hant, en — the order of `LANGS`), the
// same words as the app's FigReceived, FigPending, FigInProgress, FigClosed and LoadFailed.
//
// One definition of each figure (domain/src/figures.rs): these four are fields of GET /api/stats
// shown as they are, with the same labels as the /stats page, so the two pages never disagree.
// `pending` (待受理, not yet accepted) and `in_progress` (办理中, accepted and not closed) are
// separate counts; nothing here adds one to the other.
var LANGS = ['zh-Hans', 'zh-Hant', 'en'];
var TEXT = {
  received: ['收到举报', '收到檢舉', 'Received'],
  pending: ['待受理', '待受理', 'Awaiting review'],
  in_progress: ['办理中', '辦理中', 'In progress'],
  closed: ['已办结', '已辦結', 'Closed'],
  failed: ['加载失败，请检查网络后重试。', '載入失敗，請檢查網路後重試。', 'Could not load. Check your connection and try again.'],
};

var totals = null;

function el(tag, attrs, text) {
  var e = document.createElement(tag);
  Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
  if (text !== undefined) e.textContent = String(text);
  return e;
}

// Fills `#home-figures` in `lang` from GET /api/stats (fetched once per page; a language switch
// only redraws). Numbers go in as text.
export async function show(lang) {
  var i = Math.max(0, LANGS.indexOf(lang));
  if (!totals) {
    totals = fetch('/api/stats').then(function (r) { if (!r.ok) throw new Error(String(r.status)); return r.json(); });
    totals.catch(function () { totals = null; });
  }
  var root = document.getElementById('home-figures');
  var st = null;
  try { st = await totals; } catch (e) { st = null; }
  if (!root || !root.isConnected) return;
  root.textContent = '';
  if (!st) { root.appendChild(el('p', { class: 'error' }, TEXT.failed[i])); return; }
  var dl = el('dl', { class: 'figures figures-4', 'data-testid': 'home-figures' });
  ['received', 'pending', 'in_progress', 'closed'].forEach(function (name) {
    var cell = el('div', {});
    cell.appendChild(el('dt', {}, TEXT[name][i]));
    cell.appendChild(el('dd', {}, Number(st[name]) || 0));
    dl.appendChild(cell);
  });
  root.appendChild(dl);
}
