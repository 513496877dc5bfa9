// Drives the wasm32 build of the engine under node (see lib.rs for the protocol).
//   node run.mjs screen MODULE.wasm PACK < corpus.jsonl > out.jsonl
//   node run.mjs bench MODULE.wasm PACK HAYSTACK.txt CHUNK_CHARS
//   node run.mjs report MODULE.wasm PACK REPORT.txt
import fs from 'node:fs';

const [mode, wasmPath, packPath, haystackPath, chunkChars] = process.argv.slice(2);
const { instance } = await WebAssembly.instantiate(fs.readFileSync(wasmPath), {});
const e = instance.exports;

function put(bytes) {
  const ptr = e.input_buffer(bytes.length);
  new Uint8Array(e.memory.buffer, ptr, bytes.length).set(bytes);
}

// Loading the pack, from its bytes in JS memory (as a fetched ArrayBuffer would be): the first
// load runs V8's baseline code for the loader (compiled on the first call); later loads of the
// same instance run the optimised code it tiers up to. Both are reported.
const pack = fs.readFileSync(packPath);
function loadPack() {
  const t = process.hrtime.bigint();
  put(pack);
  if (e.load_pack() !== 0) { console.error('pack failed to load'); process.exit(1); }
  return Number(process.hrtime.bigint() - t) / 1e6;
}
const loadMs = loadPack();
const reloadMs = mode === 'screen' ? 0 : Math.min(...Array.from({ length: 5 }, loadPack));
let t0;

if (mode === 'screen') {
  put(fs.readFileSync(0));
  const len = e.screen_jsonl();
  process.stdout.write(Buffer.from(new Uint8Array(e.memory.buffer, e.output_ptr(), len)));
} else if (mode === 'bench') {
  const haystack = fs.readFileSync(haystackPath);
  put(haystack);
  e.bench_prepare(Number(chunkChars));
  e.bench_screen(); // warm-up
  const rounds = 3;
  let best = Infinity, matches = 0;
  for (let i = 0; i < rounds; i++) {
    t0 = process.hrtime.bigint();
    matches = e.bench_screen();
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e9);
  }
  console.log(JSON.stringify({ bytes: haystack.length, seconds: best, mb_per_s: haystack.length / 1e6 / best, matches, pack_load_ms: loadMs, pack_reload_ms: reloadMs }));
} else if (mode === 'report') {
  // One report-sized text screened many times: median and p99 of single calls.
  put(fs.readFileSync(haystackPath));
  e.bench_prepare(1 << 30);
  const times = [];
  for (let i = 0; i < 501; i++) {
    t0 = process.hrtime.bigint();
    e.bench_screen();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  console.log(JSON.stringify({ median_ms: times[250], p99_ms: times[495], pack_load_ms: loadMs, pack_reload_ms: reloadMs }));
} else {
  console.error('mode must be screen, bench or report'); process.exit(2);
}
