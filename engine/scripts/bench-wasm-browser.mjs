// The wasm32 full-screen benchmark of engine/wasm-check/run.mjs (`bench` mode: the same module,
// protocol and 2,000-character chunks) in headless Chromium instead of node, whose V8 is older.
// Not a test: it prints one JSON line like run.mjs (BENCHMARKS.md, "Ninth round").
//   node engine/scripts/bench-wasm-browser.mjs MODULE.wasm PACK HAYSTACK.txt [CHUNK_CHARS]
import fs from 'node:fs';
import http from 'node:http';
import { chromium } from 'playwright-core';

const [wasmPath, packPath, haystackPath, chunkChars = '2000'] = process.argv.slice(2);
if (!wasmPath || !packPath || !haystackPath) {
  console.error('usage: node engine/scripts/bench-wasm-browser.mjs MODULE.wasm PACK HAYSTACK.txt [CHUNK_CHARS]');
  process.exit(2);
}
const page = `<!doctype html><meta charset=utf-8><script type=module>
const { instance } = await WebAssembly.instantiate(await (await fetch('m.wasm')).arrayBuffer(), {});
const e = instance.exports;
const put = (bytes) => {
  const ptr = e.input_buffer(bytes.length); // may grow the memory: read e.memory.buffer after it
  new Uint8Array(e.memory.buffer, ptr, bytes.length).set(bytes);
};
put(new Uint8Array(await (await fetch('pack.qlrp')).arrayBuffer()));
if (e.load_pack() !== 0) throw new Error('the pack failed to load');
const haystack = new Uint8Array(await (await fetch('haystack.txt')).arrayBuffer());
put(haystack);
e.bench_prepare(${Number(chunkChars)});
e.bench_screen();
let best = Infinity, matches = 0;
for (let i = 0; i < 3; i++) {
  const t = performance.now();
  matches = e.bench_screen();
  best = Math.min(best, (performance.now() - t) / 1000);
}
window.result = { bytes: haystack.length, seconds: best, mb_per_s: haystack.length / 1e6 / best, matches };
</script>`;
const files = { '/': page, '/m.wasm': wasmPath, '/pack.qlrp': packPath, '/haystack.txt': haystackPath };
const server = http.createServer((req, res) => {
  const file = files[new URL(req.url, 'http://x').pathname];
  if (file === undefined) { res.writeHead(404); res.end(); return; }
  const html = file === page;
  res.writeHead(200, { 'content-type': html ? 'text/html' : req.url.endsWith('.wasm') ? 'application/wasm' : 'application/octet-stream' });
  res.end(html ? page : fs.readFileSync(file));
}).listen(0, '127.0.0.1');
await new Promise((resolve) => server.once('listening', resolve));
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
try {
  const tab = await browser.newPage();
  tab.on('pageerror', (err) => { console.error(String(err)); process.exitCode = 1; });
  await tab.goto(`http://127.0.0.1:${server.address().port}/`);
  await tab.waitForFunction(() => window.result, null, { timeout: 120_000 });
  console.log(JSON.stringify(await tab.evaluate(() => window.result)));
} finally {
  await browser.close();
  server.close();
}
