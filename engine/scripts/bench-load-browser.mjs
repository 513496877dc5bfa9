// First load of a rule pack in a fresh page of headless Chromium: the app's way
// (app/src/prescreen.rs: `warm_up` while the pack downloads, `reserve_for_pack` as its chunks
// arrive, then `load_pack`) against a load with the warm-up only and a cold one. Not a test: it
// prints numbers (BENCHMARKS.md, "Tenth round").
//   node engine/scripts/bench-load-browser.mjs WEB_DIR PACK [ROUNDS]
// WEB_DIR: output of `bash engine/scripts/build-web.sh WEB_DIR ...`; PACK: a browser pack, e.g.
// the 100k-term one that `cargo run --release -p qinglang-engine --example bench -- DIR` writes.
// The pack is served from 127.0.0.1 without a Content-Length, as a compressed response reaches
// the app in production. Each round opens one fresh page per variant (interleaved).
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { chromium } from 'playwright-core';

const [webDir, packPath, roundsArg] = process.argv.slice(2);
if (!webDir || !packPath) {
  console.error('usage: node engine/scripts/bench-load-browser.mjs WEB_DIR PACK [ROUNDS]');
  process.exit(2);
}
const rounds = Number(roundsArg || 10);
const page = `<!doctype html><meta charset=utf-8><script type=module>
import init, * as m from './qinglang_engine.js';
const variant = location.search.slice(1);
const packed = fetch('pack.qlrp');
const wasm = await init({ module_or_path: 'qinglang_engine_bg.wasm' });
let t = performance.now();
if (variant !== 'cold') m.warm_up();
const warmMs = performance.now() - t;
const res = await packed;
let bytes, reserveMs = 0;
if (variant === 'app') {
  const body = res.body.getReader(), parts = [];
  let n = 0;
  for (let c; !(c = await body.read()).done;) {
    parts.push(c.value);
    t = performance.now();
    m.reserve_for_pack(n += c.value.length);
    reserveMs += performance.now() - t;
  }
  bytes = new Uint8Array(n);
  let at = 0;
  for (const part of parts) { bytes.set(part, at); at += part.length; }
} else {
  bytes = new Uint8Array(await res.arrayBuffer());
}
const heapBefore = wasm.memory.buffer.byteLength;
t = performance.now();
m.load_pack(bytes);
const loadMs = performance.now() - t;
const heapGrewMb = (wasm.memory.buffer.byteLength - heapBefore) / 1048576;
t = performance.now();
m.load_pack(bytes);
window.result = { loadMs, reloadMs: performance.now() - t, warmMs, reserveMs, heapGrewMb };
</script>`;
const files = {
  '/': ['text/html', () => page],
  '/qinglang_engine.js': ['text/javascript', () => fs.readFileSync(path.join(webDir, 'qinglang_engine.js'))],
  '/qinglang_engine_bg.wasm': ['application/wasm', () => fs.readFileSync(path.join(webDir, 'qinglang_engine_bg.wasm'))],
  '/pack.qlrp': ['application/octet-stream', () => fs.readFileSync(packPath)],
};
const server = http.createServer((req, res) => {
  const file = files[new URL(req.url, 'http://x').pathname];
  if (!file) { res.writeHead(404); res.end(); return; }
  // writeHead without a content-length: node sends the body chunked.
  res.writeHead(200, { 'content-type': file[0], 'cache-control': 'no-store' });
  res.end(file[1]());
}).listen(0, '127.0.0.1');
await new Promise((resolve) => server.once('listening', resolve));
const base = `http://127.0.0.1:${server.address().port}/`;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const variants = ['cold', 'warm', 'app'];
const results = Object.fromEntries(variants.map((v) => [v, []]));
try {
  for (let r = 0; r < rounds; r++) {
    for (const variant of variants) {
      const context = await browser.newContext();
      const tab = await context.newPage();
      await tab.goto(`${base}?${variant}`);
      await tab.waitForFunction(() => window.result, null, { timeout: 60_000 });
      results[variant].push(await tab.evaluate(() => window.result));
      await context.close();
    }
  }
} finally {
  await browser.close();
  server.close();
}
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const list = (xs) => [...xs].sort((a, b) => a - b).map((x) => x.toFixed(1)).join(' ');
console.log(`pack ${path.basename(packPath)}, ${fs.statSync(packPath).size} bytes; ${rounds} fresh pages each, ms`);
const described = { cold: 'cold (load_pack only)', warm: 'warm_up, then load_pack', app: 'the app: warm_up, reserve_for_pack per chunk, load_pack' };
for (const variant of variants) {
  const rs = results[variant];
  const extra = variant === 'cold' ? '' : `; warm_up itself median ${median(rs.map((x) => x.warmMs)).toFixed(1)}`
    + (variant === 'app' ? `; reserve_for_pack in all median ${median(rs.map((x) => x.reserveMs)).toFixed(1)}` : '');
  console.log(`${described[variant]}: first load median ${median(rs.map((x) => x.loadMs)).toFixed(1)} (${list(rs.map((x) => x.loadMs))}); `
    + `heap grown by the load median ${median(rs.map((x) => x.heapGrewMb)).toFixed(1)} MB; second load median ${median(rs.map((x) => x.reloadMs)).toFixed(1)}${extra}`);
}
