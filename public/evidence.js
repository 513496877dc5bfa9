// Evidence pictures on the phone (随手拍), loaded lazily by the report flow (app/src/evidence.rs) so
// it costs nothing on first load. Written in plain ES2017 (no ?. or ??) for old WeChat engines.
//
// prepare(file): decodes a photo or screenshot, turns it upright per its EXIF orientation, scales
//   it to at most 2048 px on the long side and re-encodes it as JPEG through a canvas. A canvas
//   writes no EXIF, GPS or XMP, so what leaves the phone is exactly the preview the citizen sees.
// keep/blob/thumb/forget/forgetAll: the prepared pictures of a draft, kept in IndexedDB (database
//   `qinglang-evidence`, store `images`, key `<idempotency key>/<slot>`) so a reload keeps them,
//   and in memory where IndexedDB is missing or fails (private mode, WeChat after log-out).
//   The list of a draft's pictures (slot, size, upload id) is in localStorage `ql.evidence.<key>`.
// mount(id, key, text): renders the evidence step into the element with that id: thumbnails of
//   exactly what will be sent, a remove button per picture, the file input (accept="image/*", so
//   Android offers the camera). The UI text comes translated from the app (`text`).
// uploadAll(key): uploads every picture not uploaded yet (see upload) and resolves to the upload
//   ids in order; fail(key, slot, message) shows a refusal beside its picture.

var MAX_SIDE = 2048;
var QUALITY = 0.85;
var memory = new Map(); // "key/slot" -> Blob
var urls = new Map(); // "key/slot" -> object URL

function id(key, slot) { return key + '/' + slot; }

// Reads the EXIF orientation (1–8) of a JPEG, 1 when there is none.
function jpegOrientation(buf) {
  var v = new DataView(buf);
  if (v.byteLength < 4 || v.getUint16(0) !== 0xFFD8) return 1;
  var at = 2;
  while (at + 4 <= v.byteLength) {
    var marker = v.getUint16(at);
    var len = v.getUint16(at + 2);
    if (marker === 0xFFE1 && at + 10 <= v.byteLength && v.getUint32(at + 4) === 0x45786966) {
      var tiff = at + 10;
      if (tiff + 8 > v.byteLength) return 1;
      var little = v.getUint16(tiff) === 0x4949;
      var ifd = tiff + v.getUint32(tiff + 4, little);
      if (ifd + 2 > v.byteLength) return 1;
      var n = v.getUint16(ifd, little);
      for (var i = 0; i < n; i++) {
        var entry = ifd + 2 + i * 12;
        if (entry + 10 > v.byteLength) return 1;
        if (v.getUint16(entry, little) === 0x0112) {
          var o = v.getUint16(entry + 8, little);
          return o >= 1 && o <= 8 ? o : 1;
        }
      }
      return 1;
    }
    if ((marker & 0xFF00) !== 0xFF00 || marker === 0xFFDA) return 1;
    at += 2 + len;
  }
  return 1;
}

function loadImage(file) {
  return new Promise(function (resolve, reject) {
    var url = URL.createObjectURL(file);
    var img = new Image();
    img.onload = function () { resolve({ source: img, width: img.naturalWidth, height: img.naturalHeight, done: function () { URL.revokeObjectURL(url); } }); };
    img.onerror = function () { URL.revokeObjectURL(url); reject(new Error('decode')); };
    img.src = url;
  });
}

// Decodes `file` upright. Returns { source, width, height, orientation, done } where `orientation`
// is what still has to be applied by hand (1 when the browser applied it already).
async function decode(file) {
  if (typeof createImageBitmap === 'function') {
    try {
      var bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
      return { source: bitmap, width: bitmap.width, height: bitmap.height, orientation: 1, done: function () { if (bitmap.close) bitmap.close(); } };
    } catch (e) {
      // Old engines reject the options object or the format: fall through to <img>.
    }
  }
  var decoded = await loadImage(file);
  // Browsers that know the CSS image-orientation property (Chrome 81+, Safari 13.1+) apply EXIF
  // orientation to <img> by default; older ones (Chrome 78-class WeChat XWeb) do not, so read it.
  var applied = typeof CSS !== 'undefined' && CSS.supports && CSS.supports('image-orientation', 'from-image');
  decoded.orientation = applied ? 1 : jpegOrientation(await file.arrayBuffer());
  return decoded;
}

export async function prepare(file) {
  var d = await decode(file);
  try {
    // Orientations 5–8 swap width and height.
    var swap = d.orientation >= 5;
    var uprightW = swap ? d.height : d.width;
    var uprightH = swap ? d.width : d.height;
    if (!uprightW || !uprightH) throw new Error('decode');
    var scale = Math.min(1, MAX_SIDE / Math.max(uprightW, uprightH));
    var w = Math.max(1, Math.round(uprightW * scale));
    var h = Math.max(1, Math.round(uprightH * scale));
    var canvas = document.createElement('canvas');
    canvas.width = w;
    canvas.height = h;
    var ctx = canvas.getContext('2d');
    // JPEG has no transparency: screenshots with alpha get a white background, not black.
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, w, h);
    var dw = swap ? h : w, dh = swap ? w : h;
    switch (d.orientation) {
      case 2: ctx.transform(-1, 0, 0, 1, w, 0); break;
      case 3: ctx.transform(-1, 0, 0, -1, w, h); break;
      case 4: ctx.transform(1, 0, 0, -1, 0, h); break;
      case 5: ctx.transform(0, 1, 1, 0, 0, 0); break;
      case 6: ctx.transform(0, 1, -1, 0, w, 0); break;
      case 7: ctx.transform(0, -1, -1, 0, w, h); break;
      case 8: ctx.transform(0, -1, 1, 0, 0, h); break;
    }
    ctx.drawImage(d.source, 0, 0, dw, dh);
    var blob = await new Promise(function (resolve, reject) {
      canvas.toBlob(function (b) { if (b) resolve(b); else reject(new Error('encode')); }, 'image/jpeg', QUALITY);
    });
    return { blob: blob, width: w, height: h };
  } finally {
    d.done();
  }
}

var opening = null;
function db() {
  if (!opening) {
    opening = new Promise(function (resolve, reject) {
      if (typeof indexedDB === 'undefined') { reject(new Error('no indexedDB')); return; }
      var req = indexedDB.open('qinglang-evidence', 1);
      req.onupgradeneeded = function () { req.result.createObjectStore('images'); };
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
      var t = conn.transaction('images', mode);
      var result = run(t.objectStore('images'));
      t.oncomplete = function () { resolve(result && 'result' in result ? result.result : undefined); };
      t.onerror = function () { reject(t.error); };
      t.onabort = function () { reject(t.error); };
    });
  });
}

// Old WebKit cannot store Blobs in IndexedDB: store the bytes and the type instead.
export async function keep(key, slot, blob) {
  memory.set(id(key, slot), blob);
  try {
    var bytes = await blob.arrayBuffer();
    await tx('readwrite', function (s) { return s.put({ type: blob.type, bytes: bytes }, id(key, slot)); });
  } catch (e) {
    // Memory only: the picture survives as long as the page.
  }
}

export async function blob(key, slot) {
  var k = id(key, slot);
  if (memory.has(k)) return memory.get(k);
  try {
    var stored = await tx('readonly', function (s) { return s.get(k); });
    if (!stored) return null;
    var b = new Blob([stored.bytes], { type: stored.type });
    memory.set(k, b);
    return b;
  } catch (e) {
    return null;
  }
}

export async function thumb(key, slot) {
  var k = id(key, slot);
  if (urls.has(k)) return urls.get(k);
  var b = await blob(key, slot);
  if (!b) return null;
  var url = URL.createObjectURL(b);
  urls.set(k, url);
  return url;
}

export async function forget(key, slot) {
  var k = id(key, slot);
  memory.delete(k);
  if (urls.has(k)) { URL.revokeObjectURL(urls.get(k)); urls.delete(k); }
  try { await tx('readwrite', function (s) { return s.delete(k); }); } catch (e) { /* nothing stored */ }
}

// After the report was acknowledged: the stored copies go; the thumbnails already shown on the
// receipt keep their object URLs until the page is left.
export async function forgetAll(key) {
  delete memoryLists[key];
  try { localStorage.removeItem(listKey(key)); } catch (e) { /* nothing stored */ }
  memory.forEach(function (_, k) { if (k.indexOf(key + '/') === 0) memory.delete(k); });
  try {
    await tx('readwrite', function (s) { return s.delete(IDBKeyRange.bound(key + '/', key + '/\uffff')); });
  } catch (e) { /* nothing stored */ }
}

// The per-device rate-limit token that public/outbox.js makes (localStorage `ql.device`), if any.
function deviceToken() {
  try { return localStorage.getItem('ql.device'); } catch (e) { return null; }
}

function sleep(ms) { return new Promise(function (resolve) { setTimeout(resolve, ms); }); }

// Uploads a kept picture: POST /api/uploads?key=&slot= with the JPEG bytes. Network faults, 5xx
// are retried with backoff (2, 4, 8 s), a 429 rejects with `rate_limited:<Retry-After>` at once; the same slot and bytes give the same upload, so
// a retry after a lost answer is harmless. Resolves to the upload id; rejects with the API's error
// code (`image_invalid` …), `evidence_missing` when the picture is no longer on the phone, or
// `network`.
export async function upload(key, slot) {
  var b = await blob(key, slot);
  if (!b) throw 'evidence_missing';
  var url = '/api/uploads?key=' + encodeURIComponent(key) + '&slot=' + slot;
  for (var attempt = 0; ; attempt++) {
    var res = null;
    try {
      var headers = { 'content-type': 'image/jpeg' };
      var device = deviceToken();
      if (device) headers['x-qinglang-device'] = device;
      res = await fetch(url, { method: 'POST', headers: headers, body: b, credentials: 'same-origin' });
    } catch (e) {
      res = null;
    }
    if (res && res.ok) return (await res.json()).id;
    // Rate-limited: no point retrying within the wait; the outbox waits for Retry-After.
    if (res && res.status === 429) throw 'rate_limited:' + (res.headers.get('retry-after') || '60');
    var transient = !res || res.status >= 500;
    if (!transient) {
      var code = 'network';
      try { code = (await res.json()).error || code; } catch (e) { /* not JSON */ }
      throw code;
    }
    if (attempt >= 3) throw 'network';
    await sleep(2000 * Math.pow(2, attempt));
  }
}

// The draft's picture list: { next: first unused slot, items: [{ slot, width, height, id, error }] }.
// A removed picture's slot is never reused, so a retried upload can never be another picture.
var MAX_IMAGES = 6;
var MAX_SLOTS = 32;
function listKey(key) { return 'ql.evidence.' + key; }
function list(key) {
  try {
    var raw = localStorage.getItem(listKey(key));
    if (raw) return JSON.parse(raw);
  } catch (e) { /* storage missing or wiped */ }
  return memoryLists[key] || { next: 0, items: [] };
}
var memoryLists = {};
function saveList(key, l) {
  memoryLists[key] = l;
  try { localStorage.setItem(listKey(key), JSON.stringify(l)); } catch (e) { /* memory only */ }
}

var mounted = null; // { root, key, text }

function el(tag, attrs, children) {
  var e = document.createElement(tag);
  Object.keys(attrs || {}).forEach(function (k) {
    if (k === 'text') e.textContent = attrs[k]; else e.setAttribute(k, attrs[k]);
  });
  (children || []).forEach(function (c) { e.appendChild(c); });
  return e;
}

function fill(template, n) { return template.replace('{n}', String(n)); }

async function render() {
  if (!mounted || !mounted.root.isConnected) { mounted = null; return; }
  var m = mounted;
  var l = list(m.key);
  var ul = el('ul', { class: 'thumbs', 'data-testid': 'evidence-thumbs' });
  for (var i = 0; i < l.items.length; i++) {
    var item = l.items[i];
    var url = await thumb(m.key, item.slot);
    var li = el('li');
    li.appendChild(el('img', { src: url || '', alt: fill(m.text.photo, i + 1) }));
    var remove = el('button', { type: 'button', class: 'btn-icon', 'aria-label': fill(m.text.remove, i + 1), text: '×' });
    remove.addEventListener('click', (function (slot) { return function () { removeSlot(m.key, slot); }; })(item.slot));
    li.appendChild(remove);
    if (item.error) li.appendChild(el('p', { class: 'error small', role: 'alert', text: item.error }));
    ul.appendChild(li);
  }
  var busy = el('p', { class: 'muted small', role: 'status', text: m.text.preparing });
  busy.hidden = !m.busy;
  var refused = el('p', { class: 'error', role: 'alert', text: m.text.invalid });
  refused.hidden = !m.refused;
  var input = el('input', { type: 'file', accept: 'image/*', multiple: '', class: 'visually-hidden' });
  input.addEventListener('change', function () { add(m, Array.prototype.slice.call(input.files || [])); input.value = ''; });
  var pick = el('label', { class: 'btn-secondary file-pick' }, [document.createTextNode(m.text.add), input]);
  pick.hidden = l.items.length >= MAX_IMAGES;
  if (mounted !== m) return;
  m.root.textContent = '';
  [ul, busy, refused, pick].forEach(function (c) { m.root.appendChild(c); });
}

async function add(m, files) {
  m.busy = true; m.refused = false;
  await render();
  for (var i = 0; i < files.length; i++) {
    var l = list(m.key);
    if (l.items.length >= MAX_IMAGES || l.next >= MAX_SLOTS) break;
    var prepared;
    try { prepared = await prepare(files[i]); } catch (e) { m.refused = true; continue; }
    l = list(m.key);
    var slot = l.next;
    await keep(m.key, slot, prepared.blob);
    l.next = slot + 1;
    l.items.push({ slot: slot, width: prepared.width, height: prepared.height, id: null, error: null });
    saveList(m.key, l);
  }
  m.busy = false;
  await render();
}

function removeSlot(key, slot) {
  var l = list(key);
  l.items = l.items.filter(function (it) { return it.slot !== slot; });
  saveList(key, l);
  forget(key, slot).then(render);
}

export async function mount(id, key, text) {
  var root = document.getElementById(id);
  if (!root) return;
  mounted = { root: root, key: key, text: text, busy: false, refused: false };
  await render();
}

export async function uploadAll(key) {
  var l = list(key);
  for (var i = 0; i < l.items.length; i++) {
    var item = l.items[i];
    if (item.id) continue;
    try {
      item.id = await upload(key, item.slot);
      item.error = null;
    } catch (code) {
      throw item.slot + ':' + (i + 1) + ':' + code;
    } finally {
      saveList(key, l);
    }
  }
  return JSON.stringify(l.items.map(function (it) { return it.id; }));
}

export async function fail(key, slot, message) {
  var l = list(key);
  l.items.forEach(function (it) { if (it.slot === slot) it.error = message; });
  saveList(key, l);
  await render();
}

export async function thumbs(key) {
  var l = list(key);
  var out = [];
  for (var i = 0; i < l.items.length; i++) {
    var url = await thumb(key, l.items[i].slot);
    if (url) out.push(url);
  }
  return JSON.stringify(out);
}
