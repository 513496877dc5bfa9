// The outbox (待发送) and the device-location button of the citizen pages, loaded lazily by the app
// (app/src/outbox.rs) after first paint, so none of it is part of the citizen first load (budget
// 150 KB brotli). Plain ES2017 (no ?. or ??) for old WeChat engines; its strings are here in the
// app's three languages (zh-Hans, zh-Hant, en — the order of `LANGS`).
//
// send(key, json, lang): the report flow's send. The report (POST /api/reports body, with its
//   idempotency key) is kept first in IndexedDB (database `qinglang-outbox`, store `reports`, key =
//   idempotency key; in memory where IndexedDB is missing or refuses), then sent once: its waiting
//   pictures are uploaded first (public/evidence.js uploadAll), then the report. Resolves to a JSON
//   text: {"created": receipt} | {"waiting": durable} | {"refused": api error body} | {"photo": "slot:n:code"}.
//   A refused report or picture leaves the outbox (the flow shows why); a network fault leaves it
//   waiting for the sender.
// show(lang): starts the sender if anything waits and draws the list into `#outbox-root`.
// position(id, key, lang): the optional "add my approximate location" button, drawn into the
//   element with that id; a fix is rounded to 0.01° (about 1 km) on the phone and kept in
//   localStorage `ql.position.<key>` until the report is queued, when it joins the report.
//
// One sender per page: it retries what waits at once when the browser says the network is back
// (`online`), else after a growing pause (2, 4, 8, 16, then every 30 s). Every send of a report
// carries the key it was made with and the worker stores one report per key, so a report goes in
// exactly once however often it is retried, the page reloaded or two tabs send it. Once the server
// acknowledged it, the receipt joins `ql.receipts` (the track page's list), the report leaves the
// outbox and its pictures leave the phone (evidence.js forgetAll). There is no service worker on iOS
// WeChat and no Background Sync in WeChat: the sender runs in the page, on every citizen page.

var LANGS = ['zh-Hans', 'zh-Hant', 'en'];
var TEXT = {
  title: ['待发送的举报', '待發送的檢舉', 'Reports waiting to send'],
  intro: ['网络不畅，举报已保存在本机，联网后会自动发送，不会重复提交。', '網路不暢，檢舉已保存在本機，連網後會自動發送，不會重複提交。', 'No network: the report is saved on this phone and will be sent once, by itself, when the network is back.'],
  limited: ['提交太频繁，将在 {n} 分钟后自动发送，不会重复提交。举报已保存在本机。', '提交太頻繁，將在 {n} 分鐘後自動發送，不會重複提交。檢舉已保存在本機。', 'Too many reports from this network just now: this one is saved on this phone and will be sent by itself, once, in {n} min.'],
  waiting: ['待发送', '待發送', 'Waiting to send'],
  refused: ['未能送达', '未能送達', 'Not accepted'],
  remove: ['删除', '刪除', 'Remove'],
  sent: ['已送达', '已送達', 'Delivered'],
  code: ['回执编号', '回執編號', 'Receipt code'],
  secret: ['查询密码', '查詢密碼', 'Password'],
  track: ['查看办理进度', '查看辦理進度', 'Track this report'],
  add: ['添加我的大致位置（选填）', '加入我的大略位置（選填）', 'Add my approximate location (optional)'],
  consent: ['点按钮才获取一次位置，只保存约1公里范围，仅工作人员可见。', '點按鈕才取得一次位置，只保存約1公里範圍，僅工作人員可見。', 'Read once when you tap, kept to about 1 km, seen only by staff.'],
  locating: ['正在获取位置…', '正在取得位置…', 'Finding your location…'],
  added: ['已添加大致位置（约1公里范围）', '已加入大略位置（約1公里範圍）', 'Approximate location added (about 1 km)'],
  drop: ['移除位置', '移除位置', 'Remove location'],
  failed: ['未能获取位置，请在上面选择所在的区。', '未能取得位置，請在上面選擇所在的區。', 'No location found; choose the district above.'],
};
var LOCATE_MS = 10000;
var RECEIPTS_KEY = 'ql.receipts';
var MAX_RECEIPTS = 20;

var lang = 0;
var memory = new Map(); // key -> item, where IndexedDB is missing or refused
var sent = []; // receipts delivered while this page is open: { key, created }
var inflight = {}; // key -> the attempt under way
var sending = false;
var wake = null; // ends the sender's pause early
var limitedUntil = 0; // the server said 429: no send before this time (ms), as its Retry-After asked

function t(name) { return TEXT[name][lang]; }
function setLang(tag) { lang = Math.max(0, LANGS.indexOf(tag)); }
function now() { return Date.now(); }

function local(op, k, v) {
  try {
    if (op === 'get') return localStorage.getItem(k);
    if (op === 'set') localStorage.setItem(k, v); else localStorage.removeItem(k);
  } catch (e) { /* storage missing or wiped (WeChat after log-out) */ }
  return null;
}

var opening = null;
function db() {
  if (!opening) {
    opening = new Promise(function (resolve, reject) {
      if (typeof indexedDB === 'undefined') { reject(new Error('no indexedDB')); return; }
      var req = indexedDB.open('qinglang-outbox', 1);
      req.onupgradeneeded = function () { req.result.createObjectStore('reports'); };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
    opening.catch(function () { opening = null; });
  }
  return opening;
}

function tx(mode, run) {
  return db().then(function (conn) {
    return new Promise(function (resolve, reject) {
      var tr = conn.transaction('reports', mode);
      var req = run(tr.objectStore('reports'));
      tr.oncomplete = function () { resolve(req ? req.result : undefined); };
      tr.onerror = function () { reject(tr.error); };
      tr.onabort = function () { reject(tr.error); };
    });
  });
}

// Stores an item: { key, request, queued_at, refused: null | { error, message } }. Resolves to
// whether it is durable (IndexedDB) rather than kept for the life of the page only.
function put(item) {
  return tx('readwrite', function (s) { return s.put(item, item.key); }).then(function () {
    memory.delete(item.key);
    return true;
  }, function () {
    memory.set(item.key, item);
    return false;
  });
}

function drop(key) {
  memory.delete(key);
  return tx('readwrite', function (s) { return s.delete(key); }).catch(function () { return null; });
}

// Everything in the outbox, oldest first; a report found twice is listed once.
function all() {
  return tx('readonly', function (s) { return s.getAll(); }).catch(function () { return []; }).then(function (rows) {
    var seen = {};
    var out = [];
    Array.from(memory.values()).concat(rows || []).forEach(function (item) {
      if (item && item.key && item.request && !seen[item.key]) { seen[item.key] = true; out.push(item); }
    });
    out.sort(function (a, b) { return a.queued_at - b.queued_at; });
    return out;
  });
}

// The coarse position the citizen added to draft `key`, if any.
function savedPosition(key) {
  try {
    var p = JSON.parse(local('get', 'ql.position.' + key) || 'null');
    if (p && isFinite(p.lat) && isFinite(p.lon)) return { lat: p.lat, lon: p.lon };
  } catch (e) { /* unreadable: none */ }
  return null;
}

// Whether draft `key` has pictures (evidence.js keeps their list in localStorage).
function hasPictures(key) {
  try {
    var l = JSON.parse(local('get', 'ql.evidence.' + key) || 'null');
    return !!(l && l.items && l.items.length);
  } catch (e) { return false; }
}

function evidence() { return import('/evidence.js'); }

function rememberReceipt(created) {
  var list = [];
  try { list = JSON.parse(local('get', RECEIPTS_KEY) || '[]') || []; } catch (e) { list = []; }
  list = list.filter(function (r) { return r.code !== created.receipt_code; });
  list.unshift({ code: created.receipt_code, secret: created.secret, created_at: created.created_at });
  local('set', RECEIPTS_KEY, JSON.stringify(list.slice(0, MAX_RECEIPTS)));
}

// The server has the report: its receipt is kept, and the report, its pictures, its position and
// (if it is still the one in the form) the draft leave the phone.
async function delivered(key, created) {
  rememberReceipt(created);
  await drop(key);
  local('remove', 'ql.position.' + key);
  try {
    var draft = JSON.parse(local('get', 'ql.draft') || 'null');
    if (draft && draft.idempotency_key === key) local('remove', 'ql.draft');
  } catch (e) { /* no draft */ }
  try { await (await evidence()).forgetAll(key); } catch (e) { /* evidence.js not reachable: its copies stay */ }
  if (!sent.some(function (s) { return s.key === key; })) sent.push({ key: key, created: created });
}

// One send of one item. Resolves to { created } | { transient: true } | { refused: body } |
// { photo: 'slot:n:code' }; never rejects.
async function attemptOnce(item) {
  if (navigator.onLine === false) return { transient: true };
  var body = JSON.parse(JSON.stringify(item.request));
  if (hasPictures(item.key)) {
    var ids;
    try {
      ids = JSON.parse(await (await evidence()).uploadAll(item.key));
    } catch (failure) {
      // "slot:n:code" from uploadAll (a refusal, or `network` after its own retries), or an error
      // when evidence.js itself did not load.
      var parts = typeof failure === 'string' ? failure.split(':') : [];
      var code = parts[2] || 'network';
      if (code === 'rate_limited') return limited(parts[3]);
      return code === 'network' || code === 'internal' ? { transient: true } : { photo: failure };
    }
    body.evidence = ids;
  }
  var res;
  try {
    res = await fetch('/api/reports', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-language': LANGS[lang], 'x-qinglang-device': deviceToken() },
      body: JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch (e) {
    return { transient: true };
  }
  var answer = null;
  try { answer = await res.json(); } catch (e) { answer = null; }
  // Too many reports from this device or address: not a network fault. Wait as long as the server
  // asked (Retry-After, seconds; 60 when it is missing or unreadable) and tell the citizen so.
  if (res.status === 429) return limited(res.headers.get('retry-after'));
  if (res.ok && answer && answer.receipt_code) {
    await delivered(item.key, answer);
    return { created: answer };
  }
  // A proxy's HTML page, a cut-off body, our own fault or a rate limit: try again later.
  if (!answer || !answer.error || answer.error === 'internal' || answer.error === 'rate_limited') return { transient: true };
  // Its pictures were uploaded more than a day ago and the worker's cron deleted them (it keeps no
  // picture without a report that long): upload them again, once, and send again.
  if (answer.error === 'evidence_missing' && hasPictures(item.key) && !item.reuploaded) {
    forgetUploads(item.key);
    item.reuploaded = true;
    return attemptOnce(item);
  }
  return { refused: answer };
}

// A 429: nothing is sent before `retryAfter` seconds (a Retry-After value) have passed.
function limited(retryAfter) {
  var seconds = Number(retryAfter);
  if (!isFinite(seconds) || seconds <= 0) seconds = 60;
  limitedUntil = Math.max(limitedUntil, now() + Math.min(seconds, 3600) * 1000);
  return { transient: true };
}

// The phone's random token for the per-device rate limit (worker/src/limits.rs), made once and kept
// in localStorage `ql.device`; it identifies nothing but "the same phone as before".
function deviceToken() {
  var token = local('get', 'ql.device');
  if (!token || !/^[A-Za-z0-9_-]{16,64}$/.test(token)) {
    var bytes = new Uint8Array(16);
    try { crypto.getRandomValues(bytes); } catch (e) { for (var i = 0; i < 16; i++) bytes[i] = Math.floor(Math.random() * 256); }
    token = Array.prototype.map.call(bytes, function (b) { return (b < 16 ? '0' : '') + b.toString(16); }).join('');
    local('set', 'ql.device', token);
  }
  return token;
}

// Clears the upload ids evidence.js remembers for draft `key`, so uploadAll sends the pictures again.
function forgetUploads(key) {
  try {
    var l = JSON.parse(local('get', 'ql.evidence.' + key) || 'null');
    if (!l || !l.items) return;
    l.items.forEach(function (it) { it.id = null; });
    local('set', 'ql.evidence.' + key, JSON.stringify(l));
  } catch (e) { /* nothing to clear */ }
}

// The attempt under way for `item.key`, or a new one: the flow and the sender never send the same
// report at the same time (and if two tabs do, the worker's idempotency key keeps one).
function attempt(item) {
  if (!inflight[item.key]) {
    var done = function () { delete inflight[item.key]; };
    inflight[item.key] = attemptOnce(item).then(function (r) { done(); return r; }, function () { done(); return { transient: true }; });
  }
  return inflight[item.key];
}

// Waits `ms`, or less when the network comes back — unless the server asked us to wait (a 429's
// Retry-After), which no event shortens.
function pause(ms) {
  var hold = limitedUntil - now();
  return new Promise(function (resolve) {
    var finish = function () { clearTimeout(timer); removeEventListener('online', finish); wake = null; resolve(); };
    var timer = setTimeout(finish, Math.max(ms, hold));
    if (hold <= 0) { addEventListener('online', finish); wake = finish; }
  });
}

// The pause after `round` failed rounds: 2 s, 4 s, 8 s, 16 s, then every 30 s.
export function retryDelay(round) { return Math.min(30000, 1000 * Math.pow(2, Math.min(Math.max(round, 1), 5))); }

async function run() {
  if (sending) { if (wake) wake(); return; }
  sending = true;
  try {
    var round = 0;
    for (;;) {
      var items = await all();
      render(items);
      var pending = items.filter(function (i) { return !i.refused; });
      if (!pending.length) return;
      var stalled = false;
      if (limitedUntil > now()) { round += 1; await pause(retryDelay(round)); continue; }
      for (var i = 0; i < pending.length; i++) {
        var r = await attempt(pending[i]);
        if (r.created) { round = 0; continue; }
        if (r.transient) { stalled = true; break; }
        // Refused for good: it stays listed with the reason until the citizen removes it.
        var reason = r.refused || { error: String(r.photo).split(':')[2] || 'invalid', message: '' };
        pending[i].refused = { error: reason.error, message: reason.message || '' };
        await put(pending[i]);
      }
      if (stalled) {
        round += 1;
        render(await all());
        await pause(retryDelay(round));
      }
    }
  } finally {
    sending = false;
    render(await all());
  }
}

export async function send(key, json, tag) {
  setLang(tag);
  var request = JSON.parse(json);
  var position = savedPosition(key);
  if (position) request.position = position;
  var item = { key: key, request: request, queued_at: now(), refused: null };
  var durable = await put(item);
  // Inside a 429's wait nothing is sent: the sender sends it when the wait is over.
  var r = limitedUntil > now() ? { transient: true } : await attempt(item);
  if (r.created) {
    // The flow shows this receipt itself: listing it here too showed the code and password twice.
    sent = sent.filter(function (s) { return s.key !== key; });
    render(await all());
    return JSON.stringify({ created: r.created });
  }
  if (r.transient) {
    run();
    render(await all());
    return JSON.stringify({ waiting: durable });
  }
  // Refused: the form is still open and shows why; it is not kept.
  await drop(key);
  render(await all());
  return JSON.stringify(r.refused ? { refused: r.refused } : { photo: r.photo });
}

export async function show(tag) {
  setLang(tag);
  render(await all());
  run();
}

function el(tag, attrs, children) {
  var e = document.createElement(tag);
  Object.keys(attrs || {}).forEach(function (k) {
    if (k === 'text') e.textContent = attrs[k]; else e.setAttribute(k, attrs[k]);
  });
  (children || []).forEach(function (c) { e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); });
  return e;
}

function time(ms) {
  var d = new Date(ms);
  var two = function (n) { return (n < 10 ? '0' : '') + n; };
  return d.getFullYear() + '-' + two(d.getMonth() + 1) + '-' + two(d.getDate()) + ' ' + two(d.getHours()) + ':' + two(d.getMinutes());
}

// Draws the outbox into `#outbox-root` (hidden when there is nothing to show): each waiting or
// refused report with its first words, and each report delivered while this page is open with its
// receipt code, password and a link to its progress. Every text from storage goes in as text.
function render(items) {
  var root = document.getElementById('outbox-root');
  if (!root) return;
  root.textContent = '';
  var shown = sent.filter(function (s) { return !items.some(function (i) { return i.key === s.key; }); });
  root.hidden = !items.length && !shown.length;
  if (root.hidden) return;
  var section = el('section', { class: 'card outbox', 'aria-live': 'polite', 'data-testid': 'outbox' });
  if (items.length) {
    section.appendChild(el('h2', { text: t('title') }));
    if (items.some(function (i) { return !i.refused; })) {
      var wait = limitedUntil - now();
      var intro = wait > 0 ? t('limited').replace('{n}', String(Math.max(1, Math.ceil(wait / 60000)))) : t('intro');
      section.appendChild(el('p', { class: 'muted small', 'data-testid': 'outbox-intro', text: intro }));
    }
    var ul = el('ul', { class: 'outbox-list' });
    items.forEach(function (item) {
      var summary = String(item.request.description || '').trim().slice(0, 40);
      var li = el('li', { 'data-testid': 'outbox-item' }, [
        el('p', {}, [el('span', { class: item.refused ? 'badge refused' : 'badge waiting', text: item.refused ? t('refused') : t('waiting') }), ' ',
          el('span', { class: 'muted small', text: time(item.queued_at) })]),
        el('p', { class: 'prewrap', text: summary }),
      ]);
      if (item.refused) {
        if (item.refused.message) li.appendChild(el('p', { class: 'error small', text: item.refused.message }));
        var remove = el('button', { type: 'button', class: 'btn-small', text: t('remove') });
        remove.addEventListener('click', function () { drop(item.key).then(all).then(render); });
        li.appendChild(remove);
      }
      ul.appendChild(li);
    });
    section.appendChild(ul);
  }
  shown.forEach(function (s) {
    var c = s.created;
    var href = '/track#code=' + encodeURIComponent(c.receipt_code) + '&secret=' + encodeURIComponent(c.secret);
    section.appendChild(el('div', { class: 'outbox-sent', 'data-testid': 'outbox-sent' }, [
      el('p', {}, [el('span', { class: 'badge sent', text: t('sent') })]),
      el('p', {}, [t('code') + ' ', el('span', { class: 'code', 'data-testid': 'outbox-code', text: c.receipt_code })]),
      el('p', {}, [t('secret') + ' ', el('span', { class: 'code', text: c.secret })]),
      el('a', { class: 'btn-secondary', href: href, text: t('track') }),
    ]));
  });
  root.appendChild(section);
}

// One rough fix, asked for once: null where there is no location service (WeChat's browser often
// has none that works), permission is refused or no fix comes within LOCATE_MS.
function locate() {
  return new Promise(function (resolve) {
    var geo = navigator.geolocation;
    if (!geo) { resolve(null); return; }
    var timer = setTimeout(function () { resolve(null); }, LOCATE_MS + 1000);
    var done = function (v) { clearTimeout(timer); resolve(v); };
    try {
      geo.getCurrentPosition(function (p) { done(p.coords); }, function () { done(null); },
        { enableHighAccuracy: false, timeout: LOCATE_MS, maximumAge: 600000 });
    } catch (e) { done(null); }
  });
}

// Hundredths of a degree (the worker's `CoarsePosition`), or null for what is not a position.
export function coarse(lat, lon) {
  var a = Math.round(lat * 100), b = Math.round(lon * 100);
  if (!isFinite(a) || !isFinite(b) || Math.abs(a) > 9000 || Math.abs(b) > 18000) return null;
  return { lat: a, lon: b };
}

export async function position(id, key, tag) {
  setLang(tag);
  var root = document.getElementById(id);
  if (!root) return;
  var state = savedPosition(key) ? 'added' : 'idle';
  var draw = function () {
    root.textContent = '';
    root.appendChild(el('p', { class: 'muted small', id: 'position-consent', text: t('consent') }));
    if (state === 'added') {
      root.appendChild(el('p', { role: 'status', 'data-testid': 'position-added', text: t('added') }));
      var off = el('button', { type: 'button', class: 'btn-small', text: t('drop') });
      off.addEventListener('click', function () { local('remove', 'ql.position.' + key); state = 'idle'; draw(); });
      root.appendChild(off);
      return;
    }
    var button = el('button', { type: 'button', class: 'btn-secondary', 'aria-describedby': 'position-consent', text: state === 'locating' ? t('locating') : t('add') });
    if (state === 'locating') button.disabled = true;
    button.addEventListener('click', function () {
      state = 'locating';
      draw();
      locate().then(function (c) {
        var p = c ? coarse(c.latitude, c.longitude) : null;
        if (p) local('set', 'ql.position.' + key, JSON.stringify(p));
        state = p ? 'added' : 'failed';
        if (root.isConnected) draw();
      });
    });
    root.appendChild(button);
    if (state === 'failed') root.appendChild(el('p', { class: 'error small', role: 'alert', text: t('failed') }));
  };
  draw();
}
