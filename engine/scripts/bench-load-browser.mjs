// First load of a rule pack in a fresh page of headless Chromium, with and without the module's
// `warm_up` running while the pack downloads (the app's order, app/src/prescreen.rs). Not a test:
// it prints numbers (BENCHMARKS.md, "Ninth round").
//   node engine/scripts/bench-load-browser.mjs WEB_DIR PACK [ROUNDS]
// WEB_DIR: output of `bash engine/scripts/build-web.sh WEB_DIR ...`; PACK: a browser pack, e.g.
// the 100k-term one that `cargo run --release -p qinglang-engine --example bench -- DIR` writes.
// Each round opens one fresh page per variant (interleaved), served from 127.0.0.1.
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
const warm = location.search === '?warm';
const packed = fetch('pack.qlrp');
await init({ module_or_path: 'qinglang_engine_bg.wasm' });
const res = await packed;
let t = performance.now();
if (warm) m.warm_up(Number(res.headers.get('content-length')) || 0);
const warmMs = performance.now() - t;
const bytes = new Uint8Array(await res.arrayBuffer());
t = performance.now();
m.load_pack(bytes);
const loadMs = performance.now() - t;
t = performance.now();
m.load_pack(bytes);
window.result = { loadMs, reloadMs: performance.now() - t, warmMs };
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
  res.writeHead(200, { 'content-type': file[0], 'cache-control': 'no-store' });
  res.end(file[1]());
}).listen(0, '127.0.0.1');
await new Promise((resolve) => server.once('listening', resolve));
const base = `http://127.0.0.1:${server.address().port}/`;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const variants = { cold: '', warm: '?warm' };
const results = { cold: [], warm: [] };
try {
  for (let r = 0; r < rounds; r++) {
    for (const [name, query] of Object.entries(variants)) {
      const context = await browser.newContext();
      const tab = await context.newPage();
      await tab.goto(base + query);
      await tab.waitForFunction(() => window.result, null, { timeout: 60_000 });
      results[name].push(await tab.evaluate(() => window.result));
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
for (const [name, rs] of Object.entries(results)) {
  const load = rs.map((x) => x.loadMs);
  console.log(`${name}: first load median ${median(load).toFixed(1)} (${list(load)}); second load median ${median(rs.map((x) => x.reloadMs)).toFixed(1)}` +
    (name === 'warm' ? `; warm_up itself median ${median(rs.map((x) => x.warmMs)).toFixed(1)}` : ''));
}
