// Prints the citizen first-load size: every file a phone downloads before the home page is
// usable (HTML, CSS, JS, WASM), raw and brotli-compressed (quality 11, as Cloudflare serves
// static assets). Run after scripts/build.sh. Budget: 150 KB brotli.
import { readFileSync, readdirSync } from 'node:fs';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const BUDGET_KB = 150;
// wasm-bindgen's inline-JS snippets are imported statically by the glue, so they load first too.
const snippets = (pkg) => readdirSync(join(dist, pkg, 'snippets'), { recursive: true })
  .filter((f) => String(f).endsWith('.js')).map((f) => `${pkg}/snippets/${f}`);
const files = ['index.html', 'app.css', 'lang.js', 'boot.js', 'pkg/qinglang_app.js', ...snippets('pkg'), 'pkg/qinglang_app_bg.wasm'];

const kb = (n) => (n / 1024).toFixed(1);
let raw = 0, br = 0, gz = 0;
console.log('citizen first load (dist/):');
console.log('  file                          raw KB   gzip KB  brotli KB');
for (const f of files) {
  const bytes = readFileSync(join(dist, f));
  const b = brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  const g = gzipSync(bytes, { level: 9 }).length;
  raw += bytes.length; br += b; gz += g;
  console.log(`  ${(f.length > 28 ? `…${f.slice(-27)}` : f).padEnd(28)} ${kb(bytes.length).padStart(7)} ${kb(g).padStart(9)} ${kb(b).padStart(10)}`);
}
console.log(`  ${'total'.padEnd(28)} ${kb(raw).padStart(7)} ${kb(gz).padStart(9)} ${kb(br).padStart(10)}`);
console.log(`budget ${BUDGET_KB} KB brotli: ${br / 1024 <= BUDGET_KB ? 'within' : 'OVER'} (${kb(br)} KB)`);

// The other bundles (app/src/bundle.rs) load only on their own pages: listed for the record.
for (const [name, html, dir] of [['reader (/refutations, /stats)', 'reader.html', 'pkg-reader'], ['console (/admin)', 'admin.html', 'pkg-console']]) {
  let total = 0;
  for (const f of [html, 'app.css', ...(dir === 'pkg-console' ? ['admin.css'] : []), ...(dir === 'pkg-reader' ? ['reader.css'] : []), 'boot.js', `${dir}/qinglang_app.js`, `${dir}/qinglang_app_bg.wasm`]) {
    total += brotliCompressSync(readFileSync(join(dist, f)), { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  }
  console.log(`${name} first load: ${kb(total)} KB brotli`);
}
