// Loads the built browser bundle under node the way the app does (glue + wasm bytes + pack) and
// screens a sample; exits non-zero if anything is off. Run by engine/scripts/build-web.sh:
//   node engine/web/check.mjs OUT_DIR [SERVER_PACK]
import fs from 'node:fs';
import path from 'node:path';
import assert from 'node:assert/strict';

const [outDir, serverPack] = process.argv.slice(2);
// The glue is an ES module in a `.js` file; import its source as a data: URL so node needs no
// package.json. The wasm bytes are passed to init, so the glue never fetches anything.
const glue = fs.readFileSync(path.join(outDir, 'qinglang_engine.js'), 'utf8');
const engine = await import('data:text/javascript;base64,' + Buffer.from(glue).toString('base64'));
await engine.default({ module_or_path: fs.readFileSync(path.join(outDir, 'qinglang_engine_bg.wasm')) });

const sample = '网上有人搞网络赌博，还说要炸学校，联系电话 138 1234 5678，链接 https://t.cn/abc123';

// Before a pack: no term matches, personal data and links already found.
assert.equal(engine.is_loaded(), false);
assert.equal(engine.rule_pack_version(), 'none');
let s = JSON.parse(engine.screen(sample));
assert.equal(s.matches.length, 0);
assert.equal(s.rule_pack_version, 'none');
assert.equal(s.pii[0].masked, '138****5678');

// The warm-up loads its own small pack but installs nothing.
const demoPack = fs.readFileSync(path.join(outDir, 'demo.browser.qlrp'));
engine.warm_up();
assert.equal(engine.is_loaded(), false);
// The app's way: reserve as the download's chunks arrive, then load the whole pack.
for (let at = 65536; at < demoPack.length + 65536; at += 65536) engine.reserve_for_pack(Math.min(at, demoPack.length));
engine.reserve_for_pack(2 ** 40); // capped, never throws
assert.equal(engine.is_loaded(), false);
assert.equal(JSON.parse(engine.screen(sample)).rule_pack_version, 'none');

let t0 = performance.now();
engine.load_pack(demoPack);
const loadMs = performance.now() - t0;
assert.equal(engine.is_loaded(), true);
assert.match(engine.rule_pack_version(), /^demo-terms@/);
s = JSON.parse(engine.screen(sample));
const terms = s.matches.map((m) => m.term);
assert.ok(terms.includes('炸学校'), `matches: ${terms}`);
assert.equal(s.priority, 'urgent');
assert.equal(s.links[0].platform, 'weibo');
assert.equal(s.fingerprint, undefined); // screen leaves it out; fingerprint_hex / closest compute it
assert.match(engine.fingerprint_hex(sample), /^[0-9a-f]{16}$/);
assert.ok(engine.mask(sample).includes('138****5678'));

const index = JSON.stringify({ ids: ['refutation-1'], fingerprints: [engine.fingerprint_hex(sample)] });
assert.equal(JSON.parse(engine.closest(sample, index, 0.85)).id, 'refutation-1');
assert.equal(engine.closest('完全无关的一句话，讲天气很好', index, 0.99), 'null');
assert.equal(JSON.parse(engine.closest(sample, '{', 0.85)).error, 'bad_index');
assert.throws(() => engine.load_pack(new Uint8Array([1, 2, 3])));
assert.equal(engine.is_loaded(), true); // a refused pack keeps the previous one

if (serverPack) {
  engine.load_pack(fs.readFileSync(serverPack));
  assert.ok(JSON.parse(engine.screen(sample)).matches.length > 0);
}

t0 = performance.now();
const report = sample.repeat(Math.ceil(2000 / sample.length)).slice(0, 2000);
for (let i = 0; i < 100; i++) engine.screen(report);
const perReportMs = (performance.now() - t0) / 100;
console.log(`bundle check passed: ${terms.join(', ')} | pack load ${loadMs.toFixed(1)} ms | `
  + `2,000-char report ${perReportMs.toFixed(2)} ms`);
