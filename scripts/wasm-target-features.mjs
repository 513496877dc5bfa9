// node scripts/wasm-target-features.mjs IN.wasm OUT.wasm
// Copies a wasm file, removing `reference-types` and `multivalue` from its `target_features` custom
// section. Rust's precompiled std for wasm32-unknown-unknown records them even when our crates are
// built with -Ctarget-cpu=mvp, and wasm-bindgen then turns on its externref transform (and fails:
// "failed to find the `__wbindgen_externref_table_alloc` function"). The code itself is lowered to
// baseline by wasm-opt afterwards; scripts/check-wasm-features checks the result (issue 7).
import { readFileSync, writeFileSync } from 'node:fs';

const DROP = new Set(['reference-types', 'multivalue']);
const [src, dst] = process.argv.slice(2);
if (!src || !dst) {
  console.error('usage: node scripts/wasm-target-features.mjs IN.wasm OUT.wasm');
  process.exit(2);
}
const b = readFileSync(src);
const uleb = (o) => {
  let r = 0, s = 0, x;
  do { x = b[o++]; r += (x & 0x7f) * 2 ** s; s += 7; } while (x & 0x80);
  return [r, o];
};
const enc = (n) => {
  const out = [];
  do { let x = n & 0x7f; n = Math.floor(n / 128); if (n) x |= 0x80; out.push(x); } while (n);
  return Buffer.from(out);
};
const str = (s) => Buffer.concat([enc(Buffer.byteLength(s)), Buffer.from(s)]);

const parts = [b.subarray(0, 8)];
const dropped = [];
let o = 8;
while (o < b.length) {
  const start = o;
  const [size, body] = uleb(o + 1);
  const end = body + size;
  if (b[start] === 0) {
    const [nameLen, q] = uleb(body);
    if (b.subarray(q, q + nameLen).toString() === 'target_features') {
      let [count, r] = uleb(q + nameLen);
      const keep = [];
      for (let i = 0; i < count; i++) {
        const prefix = b[r];
        let len;
        [len, r] = uleb(r + 1);
        const feature = b.subarray(r, r + len).toString();
        r += len;
        if (DROP.has(feature)) dropped.push(feature);
        else keep.push(Buffer.concat([Buffer.from([prefix]), str(feature)]));
      }
      const section = Buffer.concat([str('target_features'), enc(keep.length), ...keep]);
      parts.push(Buffer.from([0]), enc(section.length), section);
      o = end;
      continue;
    }
  }
  parts.push(b.subarray(start, end));
  o = end;
}
writeFileSync(dst, Buffer.concat(parts));
console.log(`target_features: removed ${dropped.join(', ') || 'nothing'}`);
